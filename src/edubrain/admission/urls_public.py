"""Public placement pages: published results, 电脑派位 files, the parent's 录取通知书."""

from django.urls import path

from edubrain.admission import views_public as views

urlpatterns = [
    path("results/<int:round_id>/", views.results_page, name="results"),
    path("results/<int:round_id>/draws.json", views.round_draws, name="round-draws"),
    path("draws/<int:draw_id>/", views.draw, name="draw"),
    path("notice/<str:receipt_no>/", views.notice, name="notice"),
]
