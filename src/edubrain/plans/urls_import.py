"""Plan import, review and adoption pages, and the manual indicator values (namespace ``plan_import``)."""

from django.urls import path

from edubrain.plans import views_import, views_manual

app_name = "plan_import"
urlpatterns = [
    path("", views_import.index, name="index"),
    path("manual/", views_manual.manual_values, name="manual"),
    path("<int:pk>/", views_import.review, name="review"),
    path("<int:pk>/json/", views_import.download_json, name="json"),
    path("<int:pk>/discard/", views_import.discard, name="discard"),
]
