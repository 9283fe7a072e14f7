"""报告 pages (namespace ``reports``, mounted at /reports/)."""

from django.urls import path

from edubrain.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
]
