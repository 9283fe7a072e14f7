"""工作推进 URLs of progress reporting (included by work/urls.py under the work namespace)."""

from django.urls import path

from edubrain.work import views_reports as v

urlpatterns = [
    path("tasks/", v.tasks, name="tasks"),
    path("tasks/<int:pk>/", v.task, name="task"),
    path("cycles/", v.cycles, name="cycles"),
    path("cycles/<int:pk>/", v.cycle, name="cycle"),
    path("cycles/<int:pk>/export.xlsx", v.reports_export, name="reports-export"),
    path("reports/<int:pk>/", v.report, name="report"),
    path("units/<int:org_unit_id>/summary.pdf", v.unit_pdf, name="unit-pdf"),
]
