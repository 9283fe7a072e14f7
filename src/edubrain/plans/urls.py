"""规划监测 pages (namespace ``plans``, mounted at /plans/)."""

from django.urls import path

from edubrain.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/targets.xlsx", views.targets_xlsx, name="targets-xlsx"),
    path("<int:pk>/recompute/", views.recompute, name="recompute"),
    path("<int:pk>/targets/<int:target_id>/", views.target, name="target"),
    path("<int:pk>/targets/<int:target_id>/values.xlsx", views.target_xlsx, name="target-xlsx"),
    path("<int:pk>/tasks/", views.tasks, name="tasks"),
]
