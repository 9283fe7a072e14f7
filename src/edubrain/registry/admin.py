"""Django admin (后台管理) for every registry model: Chinese labels come from the models' verbose names;
every list is limited to the user's scope (``visible_to``); 身份证号/学籍号 are masked by role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from edubrain.base.masking import show_id_number, show_student_number
from edubrain.registry.models import (
    Births,
    EducationGroup,
    Enrollment,
    Facility,
    Finance,
    Population,
    ResponsibleUnit,
    School,
    SchoolCapacity,
    SchoolClass,
    SchoolingYears,
    SchoolYear,
    SchoolZone,
    Staff,
    StaffTraining,
    Student,
)


class ScopedAdmin(admin.ModelAdmin):
    """Lists only what the user's scope allows (the same rule as the pages and the API)."""

    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined]


class CapacityInline(admin.TabularInline):
    model = SchoolCapacity
    extra = 0


@admin.register(SchoolZone)
class SchoolZoneAdmin(ScopedAdmin):
    list_display = ("name", "county")
    list_select_related = ("county",)
    search_fields = ("name",)
    autocomplete_fields = ("county",)


@admin.register(School)
class SchoolAdmin(ScopedAdmin):
    list_display = ("name", "code", "school_type", "ownership", "locality", "town", "zone", "rating")
    list_filter = ("school_type", "ownership", "locality", "rating", "is_puhui", "town", "zone")
    list_select_related = ("town", "zone")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("town", "zone")
    readonly_fields = ("org_unit",)
    inlines = (CapacityInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "school_type", "ownership", "is_puhui", "rating")}),
        ("位置", {"fields": ("town", "zone", "locality", "address", "latitude", "longitude")}),
        ("沿革", {"fields": ("founded_year", "closed_year", "org_unit")}),
    )


@admin.register(SchoolCapacity)
class SchoolCapacityAdmin(ScopedAdmin):
    list_display = ("school", "grade_code", "places")
    list_filter = ("grade_code",)
    list_select_related = ("school",)
    search_fields = ("school__name",)
    autocomplete_fields = ("school",)


class EducationGroupForm(forms.ModelForm):
    class Meta:
        model = EducationGroup
        fields = ("name", "kind", "core_school", "members", "founded_year")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        core, members = data.get("core_school"), data.get("members")
        if core is not None and members is not None and core in members:
            raise forms.ValidationError({"members": f"核心校“{core}”不能同时是本集团成员校"})
        return data


@admin.register(EducationGroup)
class EducationGroupAdmin(ScopedAdmin):
    form = EducationGroupForm
    list_display = ("name", "kind", "core_school", "founded_year")
    list_filter = ("kind",)
    list_select_related = ("core_school",)
    search_fields = ("name", "core_school__name")
    autocomplete_fields = ("core_school", "members")


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(ScopedAdmin):
    list_display = ("name", "county")
    list_select_related = ("county",)
    search_fields = ("name",)
    autocomplete_fields = ("county",)
    readonly_fields = ("org_unit",)


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ("name", "start_year")
    search_fields = ("start_year",)


@admin.register(SchoolClass)
class SchoolClassAdmin(ScopedAdmin):
    list_display = ("__str__", "school_year", "grade_code", "number", "head_teacher")
    list_filter = ("school_year", "grade_code", "school__school_type")
    list_select_related = ("school", "school_year", "head_teacher")
    search_fields = ("name", "school__name")
    autocomplete_fields = ("school", "school_year", "head_teacher")


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ("school_year", "school_class")


@admin.register(Student)
class StudentAdmin(ScopedAdmin):
    list_display = ("name", "sex", "birth_date", "school", "hukou")
    list_filter = (
        "sex",
        "hukou",
        "left_behind",
        "disability",
        "financial_difficulty",
        "ethnicity",
        "school__school_type",
    )
    list_select_related = ("school",)
    search_fields = ("name", "student_number")
    autocomplete_fields = ("school",)
    inlines = (EnrollmentInline,)

    def get_list_display(self, request: HttpRequest) -> Any:
        """学籍号 and 身份证号 masked unless the viewer may see personal data (per-request columns)."""

        @admin.display(description="学籍号", ordering="student_number")
        def student_number_shown(obj: Student) -> str:
            return show_student_number(request.user, obj.student_number)

        @admin.display(description="身份证号")
        def id_number_shown(obj: Student) -> str:
            return show_id_number(request.user, obj.id_number)

        columns = list(super().get_list_display(request))
        return [columns[0], student_number_shown, id_number_shown, *columns[1:]]


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedAdmin):
    list_display = ("student", "school_year", "school_class", "status")
    list_filter = ("status", "school_year", "school_class__grade_code")
    list_select_related = ("student", "school_year", "school_class__school")
    search_fields = ("student__name", "student__student_number")
    autocomplete_fields = ("student", "school_year", "school_class")


class TrainingInline(admin.TabularInline):
    model = StaffTraining
    extra = 0
    autocomplete_fields = ("school_year",)


@admin.register(Staff)
class StaffAdmin(ScopedAdmin):
    list_display = (
        "name",
        "school",
        "post",
        "subject",
        "education",
        "title",
        "tier",
        "joined_year",
        "left_year",
    )
    list_filter = (
        "post",
        "education",
        "title",
        "tier",
        "dual_qualified",
        "head_teacher",
        "has_bianzhi",
        "preschool_major",
        "school__school_type",
    )
    list_select_related = ("school",)
    search_fields = ("name", "staff_number")
    autocomplete_fields = ("school",)
    inlines = (TrainingInline,)


@admin.register(StaffTraining)
class StaffTrainingAdmin(ScopedAdmin):
    list_display = ("staff", "school_year", "hours")
    list_filter = ("school_year",)
    list_select_related = ("staff__school", "school_year")
    search_fields = ("staff__name",)
    autocomplete_fields = ("staff", "school_year")


@admin.register(Facility)
class FacilityAdmin(ScopedAdmin):
    list_display = (
        "school",
        "year",
        "building_area",
        "teaching_area",
        "sports_area",
        "equipment_value",
        "books",
        "computers",
        "broadband_mbps",
    )
    list_filter = ("year", "school__school_type")
    list_select_related = ("school",)
    search_fields = ("school__name",)
    autocomplete_fields = ("school",)


@admin.register(Finance)
class FinanceAdmin(ScopedAdmin):
    list_display = (
        "org_unit",
        "year",
        "general_budget",
        "preschool",
        "primary",
        "junior",
        "senior",
        "vocational",
        "special",
    )
    list_filter = ("year",)
    list_select_related = ("org_unit",)
    search_fields = ("org_unit__name",)
    autocomplete_fields = ("org_unit",)


class AreaYearAdmin(ScopedAdmin):
    list_filter = ("year",)
    list_select_related = ("org_unit",)
    search_fields = ("org_unit__name",)
    autocomplete_fields = ("org_unit",)


@admin.register(Births)
class BirthsAdmin(AreaYearAdmin):
    list_display = ("org_unit", "year", "births")


@admin.register(Population)
class PopulationAdmin(AreaYearAdmin):
    list_display = ("org_unit", "year", "age", "population", "source")
    list_filter = ("year", "age")


@admin.register(SchoolingYears)
class SchoolingYearsAdmin(AreaYearAdmin):
    list_display = ("org_unit", "year", "years", "source")
