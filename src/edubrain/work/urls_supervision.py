"""工作推进 URLs of 督导 (included by work/urls.py under the work namespace): rounds, findings, register."""

from django.urls import path

from edubrain.work import views_supervision as views

urlpatterns = [
    path("inspections/", views.round_list, name="rounds"),
    path("inspections/new/", views.round_new, name="round-new"),
    path("inspections/<int:pk>/", views.round_detail, name="round"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/export.xlsx", views.finding_export, name="findings-export"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
]
