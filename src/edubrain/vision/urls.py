"""视力监测 pages (namespace ``vision``, mounted at /vision/)."""

from django.urls import path

from edubrain.vision import views

app_name = "vision"
urlpatterns = [
    path("", views.overview, name="overview"),
]
