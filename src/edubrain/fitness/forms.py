"""The selection of the 体质健康 pages and API (学年, 单位, 年级, 班级), checked against the user's scope.

``?unit=`` is an org node (县, 镇/街道 or 学校) the user may see; ``grade`` (年级编号 11–33) only below a
school; ``class`` a class of that school. A unit outside the scope is a 404 — the page never reveals that it
exists.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django import forms
from django.http import Http404

from edubrain.base.orgtree import OrgKind
from edubrain.base.units import default_unit, visible_unit
from edubrain.core.stages import GRADES
from edubrain.fitness import queries
from edubrain.fitness.queries import Selection
from edubrain.registry.models import School, SchoolClass, SchoolYear
from edubrain.registry.queries import FIRST_GRADE, LAST_GRADE

GRADE_CODES = [(g.code, g.name) for g in GRADES if FIRST_GRADE <= g.code <= LAST_GRADE]


class SelectionForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    unit = forms.IntegerField(required=False, min_value=1)
    grade = forms.ChoiceField(required=False, choices=[("", ""), *GRADE_CODES])
    klass = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data: Any, user: Any) -> None:
        values = {k: data.get(k, "") for k in ("year", "unit", "grade")}
        values["klass"] = data.get("class", "")
        super().__init__(values)
        self.user = user

    def selection(self) -> Selection | None:
        """The selected unit (None when the user sees nothing); Http404 for a unit outside the scope.
        Malformed parameters fall back to the default (the user's own unit)."""
        data = self.cleaned_data if self.is_valid() else {}
        unit = visible_unit(self.user, data["unit"]) if data.get("unit") else default_unit(self.user)
        if unit is None:
            if data.get("unit"):
                raise Http404("没有该单位，或您无权查看")
            return None
        school = School.objects.visible_to(self.user).filter(org_unit=unit).first() \
            if unit.kind == OrgKind.SCHOOL else None
        if school is None:
            return Selection(unit=unit)
        klass = None
        if data.get("klass"):
            klass = SchoolClass.objects.visible_to(self.user).filter(pk=data["klass"], school=school).first()
            if klass is None:
                raise Http404("没有该班级，或您无权查看")
        grade = klass.grade_code if klass is not None else (data.get("grade") or None)
        return Selection(unit=unit, school=school, grade=grade, klass=klass)

    def requested_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None


def selection_from(data: Any, user: Any) -> tuple[Selection | None, int | None]:
    """(selection, requested year) from query parameters."""
    form = SelectionForm(data, user)
    return form.selection(), form.requested_year()


def choose_year(requested: int | None, with_data: list[int], sel: Selection | None) -> int | None:
    """The requested year, else the class's own year, else the latest year with measurements, else the
    latest school year."""
    if sel is not None and sel.klass is not None and requested is None:
        return int(sel.klass.school_year.start_year)
    if requested is not None:
        return requested
    if with_data:
        return with_data[-1]
    return SchoolYear.objects.order_by("-start_year").values_list("start_year", flat=True).first()


def for_year(sel: Selection, year: int) -> Selection:
    """A class exists in one school year: another year shows the class's grade instead."""
    if sel.klass is not None and sel.klass.school_year.start_year != year:
        return Selection(unit=sel.unit, school=sel.school, grade=sel.grade)
    return sel


def resolve(data: Any, user: Any) -> tuple[Selection | None, int | None, pl.DataFrame | None]:
    """(selection, year, yearly counts) from query parameters; the counts are the all-years GROUP BY of the
    selection (``queries.yearly``), computed once here because they also tell which years have data."""
    sel, requested = selection_from(data, user)
    if sel is None:
        return None, requested, None
    counted = queries.yearly(user, sel)
    year = choose_year(requested, queries.years_with_data(counted), sel)
    if year is not None:
        changed = for_year(sel, year)
        if changed is not sel:
            sel, counted = changed, queries.yearly(user, changed)
    return sel, year, counted
