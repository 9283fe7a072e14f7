"""工作推进 URLs of this area (included by work/urls.py under the work namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
