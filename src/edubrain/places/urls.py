"""Pages of the places app (namespace ``places``, mounted at /places/)."""

from django.urls import path

from edubrain.places import views

app_name = "places"
urlpatterns = [
    path("", views.index, name="index"),
    path("forecast/", views.forecast, name="forecast"),
]
