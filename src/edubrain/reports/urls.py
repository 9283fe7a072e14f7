"""报告 pages (namespace ``reports``, mounted at /reports/)."""

from django.urls import path

from edubrain.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/status", views.job_status, name="job-status"),
    path("jobs/<int:pk>/<str:fmt>/", views.download, name="download"),
    path("templates/<str:kind>/", views.template_edit, name="template"),
]
