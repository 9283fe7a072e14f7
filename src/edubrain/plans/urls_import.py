"""Plan import, review and adoption pages (namespace ``plan_import``)."""

from django.urls import path  # noqa: F401

app_name = "plan_import"
urlpatterns: list = []
