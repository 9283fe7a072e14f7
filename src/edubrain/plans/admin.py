from django.contrib import admin

from edubrain.plans.models import (
    Indicator,
    IndicatorValue,
    KeyProject,
    Plan,
    PlanSection,
    PlanTarget,
    PlanTask,
    TaskUnit,
)


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "doc_number", "start_year", "end_year", "status", "org_unit")
    list_filter = ("status",)
    raw_id_fields = ("org_unit", "parent", "created_by")


@admin.register(PlanTask)
class PlanTaskAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "plan")
    list_filter = ("plan",)
    inlines = [TaskUnitInline]
    raw_id_fields = ("section",)


@admin.register(PlanTarget)
class PlanTargetAdmin(admin.ModelAdmin):
    list_display = ("indicator_name", "baseline", "target", "target_year", "comparator", "indicator", "plan")
    list_filter = ("plan",)
    raw_id_fields = ("task", "parent_target")


admin.site.register(PlanSection)
admin.site.register(KeyProject)
admin.site.register(Indicator)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "org_unit", "year", "value", "source", "computed_at")
    list_filter = ("indicator", "year", "source")
    raw_id_fields = ("org_unit", "entered_by")
