"""网上招生 staff URLs of rounds, 招生片区, 招生计划 and 报名审核 (included by admission/urls.py)."""

from django.urls import path

from edubrain.admission import views_review, views_rounds

urlpatterns = [
    path("", views_rounds.index, name="index"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round"),
    path("rounds/<int:pk>/status/", views_rounds.round_status, name="round-status"),
    path("rounds/<int:pk>/quotas/", views_rounds.round_quotas, name="round-quotas"),
    path("rounds/<int:pk>/tiers/", views_rounds.round_tiers, name="round-tiers"),
    path("rounds/<int:pk>/areas/", views_rounds.area_list, name="areas"),
    path("rounds/<int:pk>/areas/import/", views_rounds.area_import, name="areas-import"),
    path("rounds/<int:pk>/areas/export.xlsx", views_rounds.area_export, name="areas-export"),
    path("rounds/<int:pk>/areas/add/", views_rounds.area_add, name="area-add"),
    path("rounds/<int:pk>/areas/<int:area_pk>/delete/", views_rounds.area_delete, name="area-delete"),
    path("rounds/<int:pk>/applications/", views_review.application_list, name="applications"),
    path("applications/<int:app_pk>/", views_review.application_detail, name="application"),
    path("applications/<int:app_pk>/request/", views_review.application_request, name="application-request"),
    path("applications/<int:app_pk>/approve/", views_review.application_approve, name="application-approve"),
    path("applications/<int:app_pk>/reject/", views_review.application_reject, name="application-reject"),
    path("documents/<int:doc_pk>/", views_review.document, name="document"),
]
