"""The REST API (django-ninja) at /api/: OpenAPI docs at /api/docs, schema at /api/openapi.json.

Authentication: ``Authorization: Bearer <key>`` (API tokens, ``edubrain token create``) or the Django
session (the docs page in a browser; CSRF checked for unsafe methods). Everything is scoped; the registry is
read-only, and the import endpoints (/api/imports) upload, preview and commit files.
"""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from edubrain.accounts.api import authenticate_token
from edubrain.accounts.api import router as accounts_router
from edubrain.admission.api import router as admission_router
from edubrain.balance.api import router as balance_router
from edubrain.base.api import BearerAuth, JSONRenderer, SessionAuth, install_error_handlers
from edubrain.fitness.api import router as fitness_router
from edubrain.imports.api import router as imports_router
from edubrain.places.api import router as places_router
from edubrain.plans.api import router as plans_router
from edubrain.registry.api import router as registry_router
from edubrain.reports.api import router as reports_router
from edubrain.vision.api import router as vision_router
from edubrain.work.api import router as work_router

DESCRIPTION = """沂源县智慧教育大脑的数据接口（基础数据只读；数据导入可上传、预检、确认导入）。

- 认证：在请求头中提供 `Authorization: Bearer <令牌>`（令牌由管理员用 `edubrain token create 用户名` 生成），
  或在浏览器中先登录系统。
- 数据权限：每个接口只返回当前用户权限范围内的数据；范围外的单条记录返回 404。
- 分页：`page`（从 1 开始）、`page_size`（默认 50，最多 500）；返回 `{items, count, page, page_size}`。
- 代码字段返回 `{code, label}`；无权查看个人信息的角色看到脱敏的身份证号。
"""

# Swagger UI from ninja's bundled static files (served locally, never a CDN); no external validator badge.
docs = Swagger(settings={"validatorUrl": None, "persistAuthorization": True, "docExpansion": "none"})

api = NinjaAPI(
    title="智慧教育大脑 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerAuth(authenticate_token), SessionAuth()],
    docs=docs,
    renderer=JSONRenderer(),
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", imports_router)
api.add_router("/", fitness_router)
api.add_router("/", plans_router)
api.add_router("/", vision_router)
api.add_router("/", balance_router)
api.add_router("/", places_router)
api.add_router("/", work_router)
api.add_router("/", reports_router)
api.add_router("/", admission_router)
