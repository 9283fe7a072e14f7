"""网上招生 staff pages (namespace ``admission``, mounted at /admission/): rounds and review, placement."""

from edubrain.admission import urls_placing, urls_rounds

app_name = "admission"
urlpatterns = [*urls_rounds.urlpatterns, *urls_placing.urlpatterns]
