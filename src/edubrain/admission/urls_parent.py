"""家长端 URLs (namespace ``enroll``): sign-in, apply, follow one's applications."""

from django.urls import path

from edubrain.admission import views_parent as views

urlpatterns = [
    path("", views.index, name="index"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("mine/", views.mine, name="mine"),
    path("rounds/<int:round_id>/apply/", views.apply_view, name="apply"),
    path("rounds/<int:round_id>/zone/", views.zone, name="zone"),
    path("applications/<str:receipt_no>/", views.detail, name="detail"),
    path("applications/<str:receipt_no>/supplement/", views.supplement, name="supplement"),
    path("applications/<str:receipt_no>/withdraw/", views.withdraw, name="withdraw"),
]
