from django.contrib import admin

from edubrain.work import models


@admin.register(models.ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "period_start", "period_end", "due_on", "status")


@admin.register(models.ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("cycle", "task", "org_unit", "status", "percent", "submitted_at")
    list_filter = ("status",)
    raw_id_fields = ("cycle", "task", "org_unit", "submitted_by", "reviewed_by")


@admin.register(models.InspectionRound)
class InspectionRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "start_on", "end_on", "status")
    filter_horizontal = ("targets",)


@admin.register(models.Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("inspection", "org_unit", "severity", "deadline", "status")
    list_filter = ("status", "severity")
    raw_id_fields = ("inspection", "org_unit", "item", "inspector", "fixed_by", "rechecked_by")


@admin.register(models.ProjectTrack)
class ProjectTrackAdmin(admin.ModelAdmin):
    list_display = ("project", "status", "budget", "spent", "end_on")
