from django.contrib import admin

from edubrain.reports.models import ReportJob, ReportTemplateText


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "org_unit", "status", "progress", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status", "year")
    readonly_fields = [f.name for f in ReportJob._meta.fields]


@admin.register(ReportTemplateText)
class ReportTemplateTextAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "updated_by", "updated_at")
    list_filter = ("kind",)
