"""数据导入 pages (namespace ``imports``)."""

from django.urls import path, re_path

from edubrain.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/errors.xlsx", views.error_file, name="errors"),
    path("template/<slug:dataset>.xlsx", views.template, name="template"),
    re_path(r"^export/(?P<dataset>[-\w]+)\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
]
