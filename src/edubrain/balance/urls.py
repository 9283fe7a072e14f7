"""Pages of the balance app (namespace ``balance``, mounted at /balance/)."""

from django.urls import path

from edubrain.balance import views

app_name = "balance"
urlpatterns = [
    path("", views.index, name="index"),
    path("preschool/", views.preschool, name="preschool"),
]
