"""Django admin of 网上招生 (read-mostly: rounds and their settings editable, applications and their
history only viewed — decisions go through the review pages so they are recorded and texted)."""

from typing import Any

from django.contrib import admin

from edubrain.admission import models


@admin.register(models.AdmissionRound)
class AdmissionRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "year", "stage", "opens_on", "closes_on", "status")
    list_filter = ("stage", "status", "year")
    raw_id_fields = ("county", "created_by")


@admin.register(models.CatchmentArea)
class CatchmentAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "kind", "school", "round")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("round", "town", "school")


@admin.register(models.Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("round", "school", "places", "classes")
    raw_id_fields = ("round", "school")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("receipt_no", "round", "school", "tier", "status", "submitted_at")
    list_filter = ("status",)
    search_fields = ("receipt_no",)


@admin.register(models.ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "name", "size", "uploaded_at")
    list_filter = ("kind",)


@admin.register(models.ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ("application", "action", "actor", "at")
    list_filter = ("action",)


@admin.register(models.Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("round", "school", "tier", "places", "candidates", "drawn_at")


@admin.register(models.PhoneCode)
class PhoneCodeAdmin(ReadOnlyAdmin):
    list_display = ("phone", "created_at", "expires_at", "used_at")
