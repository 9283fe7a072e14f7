"""视力监测 pages (namespace ``vision``, mounted at /vision/)."""

from django.urls import path

from edubrain.vision import views, views_followups

app_name = "vision"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("followups/", views_followups.followup_list, name="followups"),
    path("followups/<int:pk>/", views_followups.followup_detail, name="followup"),
    path("followups/notices/", views_followups.notices, name="notices"),
]
