"""The REST API (django-ninja): OpenAPI docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="智慧教育大脑 API", version="1", urls_namespace="api")
