"""URL routing: web pages, the registry pages, the REST API and the admin."""

from django.contrib import admin
from django.urls import include, path

from edubrain.api import api

admin.site.site_header = "智慧教育大脑 · 系统管理"
admin.site.site_title = "智慧教育大脑"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("registry/", include("edubrain.registry.urls")),
    path("imports/", include("edubrain.imports.urls")),
    path("plans/import/", include("edubrain.plans.urls_import")),
    path("plans/", include("edubrain.plans.urls")),
    path("fitness/", include("edubrain.fitness.urls")),
    path("vision/", include("edubrain.vision.urls")),
    path("balance/", include("edubrain.balance.urls")),
    path("places/", include("edubrain.places.urls")),
    path("work/", include("edubrain.work.urls")),
    path("reports/", include("edubrain.reports.urls")),
    path("admission/", include("edubrain.admission.urls")),
    path("enroll/", include("edubrain.admission.urls_enroll")),
    path("", include("edubrain.web.urls")),
]
