"""派位 staff pages: run placement, publish, draws, results, the admitted-list export."""

from django.urls import path

from edubrain.admission import views_placing as views

urlpatterns = [
    path("rounds/<int:pk>/place/", views.place, name="place"),
    path("rounds/<int:pk>/publish/", views.publish, name="publish"),
    path("rounds/<int:pk>/draws/", views.draws, name="draws"),
    path("rounds/<int:pk>/results/", views.results_page, name="results"),
    path("rounds/<int:pk>/export/", views.export, name="export"),
]
