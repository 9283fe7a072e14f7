"""工作推进 URLs: the overview, notifications and attachments (included by work/urls.py)."""

from django.urls import path

from edubrain.work import views, views_attachments

urlpatterns = [
    path("", views.index, name="index"),
    path("attachments/<int:pk>/", views_attachments.attachment, name="attachment"),
]
