"""工作推进 URLs: the overview, notifications and attachments (included by work/urls.py)."""

from django.urls import path

from edubrain.work import views, views_attachments
from edubrain.work import views_notifications as notes

urlpatterns = [
    path("", views.index, name="index"),
    path("attachments/<int:pk>/", views_attachments.attachment, name="attachment"),
    path("notifications/", notes.notifications, name="notifications"),
    path("notifications/read-all/", notes.read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/", notes.notification, name="notification"),
]
