"""网上招生 public pages (namespace ``enroll``, mounted at /enroll/): parents apply and follow their
application (no account: phone + one-time code); published results and lottery files are public."""

from edubrain.admission import urls_parent, urls_public

app_name = "enroll"
urlpatterns = [*urls_parent.urlpatterns, *urls_public.urlpatterns]
