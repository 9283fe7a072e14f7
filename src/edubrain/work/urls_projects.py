"""工作推进 URLs of this area (included by work/urls.py under the work namespace): 重点项目."""

from django.urls import path

from edubrain.work import views_projects

urlpatterns = [
    path("projects/", views_projects.projects, name="projects"),
    path("projects/export.xlsx", views_projects.projects_export, name="projects-export"),
    path("projects/<int:pk>/", views_projects.project, name="project"),
]
