"""体质健康 pages (namespace ``fitness``, mounted at /fitness/)."""

from django.urls import path

from edubrain.fitness import views

app_name = "fitness"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking.xlsx", views.ranking_xlsx, name="ranking-xlsx"),
    path("students/", views.students, name="students"),
    path("students/<int:pk>/", views.student, name="student"),
]
