"""工作推进 pages (namespace ``work``, mounted at /work/): each area keeps its own URL list."""

from edubrain.work import urls_common, urls_projects, urls_reports, urls_supervision

app_name = "work"
urlpatterns = [
    *urls_common.urlpatterns,
    *urls_reports.urlpatterns,
    *urls_projects.urlpatterns,
    *urls_supervision.urlpatterns,
]
