"""工作推进 URLs: the overview, notifications and attachments (included by work/urls.py)."""

from django.urls import path

from edubrain.work import views

urlpatterns = [
    path("", views.index, name="index"),
]
