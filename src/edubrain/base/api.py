"""Generic API machinery (django-ninja), no domain knowledge.

- ``BearerAuth`` / ``SessionAuth``: the two ways in; the token resolver is passed in by the caller.
- ``PagePagination``: ``page``/``page_size`` in, ``{items, count, page, page_size}`` out.
- ``Choice`` and ``ApiSchema``: a field annotated ``Choice`` is returned as ``{code, label}`` from the
  model's choices without writing a resolver.
- ``Endpoint`` + ``register``: one declaration (model, schema, filters, select_related, …) becomes a
  scoped, paginated list route and optionally a detail route. Every queryset starts from
  ``Model.objects.visible_to(user)``; a row outside the scope is a 404.

This module deliberately has no ``from __future__ import annotations``: the generated views close over
their filter schema, and ninja reads the annotations at registration time.
"""

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, Union, get_args, get_origin

import ninja.renderers
from django.conf import settings
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.schema import Resolver, ResolverMetaclass
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

MAX_PAGE_SIZE = 500
UNAUTHENTICATED_MESSAGE = "未登录或 API 令牌无效：请在请求头中提供 Authorization: Bearer <令牌>，或先登录"
NOT_FOUND_MESSAGE = "未找到该记录，或您无权查看"
CSRF_MESSAGE = "CSRF 校验失败：请刷新页面后重试"
INVALID_MESSAGE = "请求参数有误"


def default_page_size() -> int:
    return int(getattr(settings, "EDUBRAIN", {}).get("PAGE_SIZE", 50))


# --- authentication ---------------------------------------------------------------------------------


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <key>``; ``resolve(key)`` returns the active user or None."""

    def __init__(self, resolve: Callable[[str], Any]) -> None:
        self.resolve = resolve
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token:
            return None
        return self.resolve(token)


class SessionAuth(NinjaSessionAuth):
    """Django session (the docs page in a browser); CSRF is checked for unsafe methods."""

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key is None:  # no session: not this way in (→ 401 unless a token matched), no CSRF verdict
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_MESSAGE)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def install_error_handlers(api: NinjaAPI) -> None:
    """Chinese messages for 401, 404 and invalid parameters (422)."""

    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = api.create_response(request, {"detail": UNAUTHENTICATED_MESSAGE}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": NOT_FOUND_MESSAGE}, status=404)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": INVALID_MESSAGE, "errors": exc.errors}, status=422)

    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid)


class JSONRenderer(ninja.renderers.JSONRenderer):
    """UTF-8 JSON with Chinese text as is (not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


def api_user(request: HttpRequest) -> Any:
    """The authenticated user of an API request (set by the auth classes above)."""
    return request.auth  # type: ignore[attr-defined]


# --- pagination -------------------------------------------------------------------------------------


class PageInput(Schema):
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(
        default_page_size(), ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}"
    )


class Page(Schema):
    items: list[Any]
    count: int = Field(description="符合条件的总条数")
    page: int = Field(description="页码")
    page_size: int = Field(description="每页条数")


class PagePagination(PaginationBase):
    """Page-number pagination: ``?page=2&page_size=100`` (page_size at most 500)."""

    Input = PageInput
    Output = Page

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        return {
            "items": queryset[offset : offset + size],
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": size,
        }


# --- schemas ----------------------------------------------------------------------------------------


class Choice(Schema):
    """A coded value with its Chinese label, e.g. ``{"code": "primary", "label": "小学"}``."""

    code: str
    label: str


class Ref(Schema):
    """A reference to a related row: id and name."""

    id: int
    name: str


def choices_help(label: str, choices: Any) -> str:
    """A filter's description listing its codes: ``办学类型：kindergarten 幼儿园、primary 小学…``."""
    pairs = getattr(choices, "choices", choices)
    return f"{label}：" + "、".join(f"{code} {text}" for code, text in pairs if code)


def choice_of(obj: Any, name: str) -> dict[str, str] | None:
    value = getattr(obj, name)
    if value is None:
        return None
    return {"code": value, "label": str(getattr(obj, f"get_{name}_display")())}


def _choice_resolver(name: str) -> Resolver:
    def resolve(obj: Any) -> dict[str, str] | None:
        return choice_of(obj, name)

    return Resolver(staticmethod(resolve))


class _ApiSchemaMeta(ResolverMetaclass):
    def __new__(mcs, name, bases, namespace, **kwargs):  # noqa: N804
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        for field_name, info in cls.model_fields.items():
            annotation = info.annotation
            optional = get_origin(annotation) in (Union, UnionType) and Choice in get_args(annotation)
            is_choice = annotation is Choice or optional
            if is_choice and field_name not in cls._ninja_resolvers:
                cls._ninja_resolvers[field_name] = _choice_resolver(field_name)
        return cls


class ApiSchema(Schema, metaclass=_ApiSchemaMeta):
    """Output schema base: fields annotated ``Choice`` (or ``Choice | None``) resolve themselves."""


def request_user(context: Any) -> Any:
    """The API user inside a schema resolver (``def resolve_x(obj, context)``)."""
    request = (context or {}).get("request")
    return getattr(request, "auth", None)


# --- endpoint declarations --------------------------------------------------------------------------


class NoFilters(FilterSchema):
    pass


Prefetches = Sequence[str | Prefetch] | Callable[[Any], Sequence[str | Prefetch]]


@dataclass
class Endpoint:
    """One read-only registry endpoint: ``/<path>`` (list) and, with ``detail``, ``/<path>/{id}``."""

    path: str
    model: type[models.Model]
    schema: type[Schema]
    detail: type[Schema] | None = None
    filters: type[FilterSchema] = NoFilters
    select_related: Sequence[str] = ()
    prefetch_related: Prefetches = ()
    detail_select_related: Sequence[str] | None = None
    detail_prefetch_related: Prefetches | None = None
    annotate: dict[str, Any] = field(default_factory=dict)
    ordering: Sequence[str] | None = None
    # Rows everyone signed in may read (code lists without an org unit). Explicit, never a default.
    unscoped: bool = False
    # Custom scoping for models without visible_to (e.g. the org tree itself): user → queryset.
    scope: Callable[[Any], QuerySet] | None = None

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def base_queryset(self, user: Any) -> QuerySet:
        if self.scope is not None:
            return self.scope(user)
        if self.unscoped:
            return self.model._default_manager.all()
        manager = self.model._default_manager
        if not hasattr(manager, "visible_to"):
            raise TypeError(f"{self.model.__name__} has no visible_to(); declare scope= or unscoped=True")
        return manager.visible_to(user)

    def list_queryset(self, user: Any) -> QuerySet:
        return self._shape(self.base_queryset(user), user, self.select_related, self.prefetch_related)

    def detail_queryset(self, user: Any) -> QuerySet:
        related = self.select_related if self.detail_select_related is None else self.detail_select_related
        prefetch = self.detail_prefetch_related
        if prefetch is None:
            prefetch = self.prefetch_related
        return self._shape(self.base_queryset(user), user, related, prefetch)

    def _shape(self, qs: QuerySet, user: Any, related: Sequence[str], prefetch: Prefetches) -> QuerySet:
        if related:
            qs = qs.select_related(*related)
        lookups = prefetch(user) if callable(prefetch) else prefetch
        if lookups:
            qs = qs.prefetch_related(*lookups)
        if self.annotate:
            qs = qs.annotate(**self.annotate)
        ordering = list(self.ordering or self.model._meta.ordering or [])
        if "pk" not in ordering and "id" not in ordering:
            ordering.append("pk")  # a stable order, so pages never overlap
        return qs.order_by(*ordering)


def register(router: Router, endpoint: Endpoint) -> None:
    """Add the list (and detail) routes of one declaration to a router."""
    _add_list(router, endpoint)
    if endpoint.detail is not None:
        _add_detail(router, endpoint)


def register_all(router: Router, endpoints: Iterable[Endpoint]) -> None:
    for endpoint in endpoints:
        register(router, endpoint)


def _operation_name(endpoint: Endpoint) -> str:
    return endpoint.path.strip("/").replace("-", "_").replace("/", "_")


def _add_list(router: Router, endpoint: Endpoint) -> None:
    filter_schema = endpoint.filters

    if filter_schema.model_fields:

        def list_view(request: HttpRequest, filters: filter_schema = Query(...)):  # type: ignore[valid-type]  # noqa: B008
            return filters.filter(endpoint.list_queryset(api_user(request)))

    else:  # an empty filter schema would be reported as a missing parameter

        def list_view(request: HttpRequest):  # type: ignore[misc]
            return endpoint.list_queryset(api_user(request))

    name = _operation_name(endpoint)
    list_view.__name__ = f"list_{name}"
    doc = inspect.getdoc(filter_schema) if filter_schema.model_fields else None
    scope_note = f"{endpoint.label}列表，仅含当前用户数据权限范围内的记录；分页返回。"
    router.get(
        f"/{endpoint.path}",
        response=list[endpoint.schema],
        summary=f"{endpoint.label}列表",
        description=f"{scope_note}\n\n{doc}" if doc else scope_note,
        operation_id=f"list_{name}",
        url_name=f"{name}-list",
        tags=[endpoint.label],
    )(paginate(PagePagination)(list_view))


def _add_detail(router: Router, endpoint: Endpoint) -> None:
    def detail_view(request: HttpRequest, id: int):  # noqa: A002
        return get_object_or_404(endpoint.detail_queryset(api_user(request)), pk=id)

    name = _operation_name(endpoint)
    detail_view.__name__ = f"get_{name}"
    router.get(
        f"/{endpoint.path}/{{id}}",
        response=endpoint.detail,
        summary=f"{endpoint.label}详情",
        description=f"单条{endpoint.label}；不存在或不在当前用户数据权限范围内时返回 404。",
        operation_id=f"get_{name}",
        url_name=f"{name}-detail",
        tags=[endpoint.label],
    )(detail_view)
