from django.contrib import admin

from edubrain.base.models import AuditLog, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "division_code", "parent", "path")
    list_filter = ("kind", "depth")
    list_select_related = ("parent",)
    search_fields = ("name", "division_code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "model", "object_id", "summary")
    list_filter = ("action", "model")
    list_select_related = ("user",)
    search_fields = ("object_id", "summary", "user__username")
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
