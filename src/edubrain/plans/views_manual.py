"""人工填报指标值 (``/plans/import/manual/``): the indicators no data source computes — kind ``manual`` in the
catalogue (the 教科研 shares, 教师工资与公务员工资之比, …, and computed indicators a plan targets where the
engine found no data) — by year, for the user's county or one of its 镇/街道. Bureau administrators
and staff enter them; each value is saved through the ORM (``source="manual"``, ``entered_by``), so every
change lands in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from edubrain.base.audit import audit_actor
from edubrain.base.orgtree import OrgKind, OrgUnit, path_ids
from edubrain.base.scoping import get_visible_or_404
from edubrain.core.indicators.catalogue import CALENDAR_YEAR, CATALOGUE, CATALOGUE_LIST, COUNTY, TOWN
from edubrain.plans.adopt import ensure_catalogue
from edubrain.plans.forms import ManualValuesForm, range_for
from edubrain.plans.models import Indicator, IndicatorValue, Plan, PlanTarget
from edubrain.plans.views_import import may_manage, refused

AREA_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.TOWN)
PROVENANCE = "人工填报"
YEARS_SHOWN = 6


def manual_indicators(unit: OrgUnit) -> list[Indicator]:
    """The catalogue's hand-entered indicators kept at the unit's level (镇/街道, or county and above)."""
    ensure_catalogue()
    codes = [d.code for d in CATALOGUE_LIST if d.kind == "manual" and _level(unit) in d.levels]
    found = {i.code: i for i in Indicator.objects.filter(kind=Indicator.Kind.MANUAL, code__in=codes)}
    return [found[c] for c in codes if c in found]  # in catalogue order


def fallback_indicators(unit: OrgUnit, plans: list[Plan], years: list[int]) -> list[Indicator]:
    """Computed indicators the plans target for which the engine found no data (a stored value NULL) for
    this unit in a year shown, or which already carry a hand-entered value: filled in by hand until the
    data exists (``plans.compute`` keeps manual values)."""
    here = IndicatorValue.objects.filter(
        org_unit=unit, year__in=years, indicator__kind=Indicator.Kind.COMPUTED
    )
    targeted = PlanTarget.objects.filter(plan__in=plans, indicator__isnull=False).values("indicator_id")
    missing = here.filter(
        source=IndicatorValue.Source.COMPUTED, value__isnull=True, indicator_id__in=targeted
    )
    entered = here.filter(source=IndicatorValue.Source.MANUAL)
    ids = set(missing.values_list("indicator_id", flat=True)) | set(
        entered.values_list("indicator_id", flat=True)
    )
    level = _level(unit)
    order = {d.code: i for i, d in enumerate(CATALOGUE_LIST) if level in d.levels}
    found = [i for i in Indicator.objects.filter(pk__in=ids) if i.code in order]
    return sorted(found, key=lambda i: order[i.code])


def _level(unit: OrgUnit) -> str:
    return TOWN if unit.kind == OrgKind.TOWN else COUNTY


def editable(indicator: Indicator, row: IndicatorValue | None) -> bool:
    """A cell may be typed in unless it holds a computed value (or, for a computed indicator, the engine has
    not run for it yet — its empty cell would otherwise hide the data to come)."""
    if row is None:
        return indicator.kind == Indicator.Kind.MANUAL
    return row.source == IndicatorValue.Source.MANUAL or row.value is None


def units_for(user: Any) -> list[OrgUnit]:
    """The areas the user may fill in: their county (city, province) and the 镇/街道 below it."""
    return list(OrgUnit.objects.visible_to(user).filter(kind__in=AREA_KINDS).order_by("path"))


def plans_over(unit: OrgUnit) -> list[Plan]:
    """The adopted plans governing ``unit``: those of the unit and of the areas above it."""
    ids = path_ids(unit.path)
    return list(Plan.objects.filter(org_unit_id__in=ids, status=Plan.Status.ADOPTED).order_by("start_year"))


def years_for(plans: list[Plan]) -> list[int]:
    """The plan period with its baseline year (2020—2025 for 十四五); without a plan, recent years."""
    if plans:
        return list(range(min(p.start_year for p in plans) - 1, max(p.end_year for p in plans) + 1))
    this_year = timezone.localdate().year
    return list(range(this_year - YEARS_SHOWN + 1, this_year + 1))


def target_texts(plans: list[Plan], indicators: list[Indicator]) -> dict[int, str]:
    texts: dict[int, str] = {}
    targets = PlanTarget.objects.filter(plan__in=plans, indicator__in=indicators).order_by("plan__start_year")
    for t in targets:
        if t.target is not None:
            year = f"{t.target_year}年" if t.target_year else ""
            texts[t.indicator_id] = f"{year}{t.get_comparator_display()} {t.target:g}{t.unit}"
    return texts


@login_required
@require_http_methods(["GET", "POST"])
def manual_values(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = units_for(user)
    if not units:
        return refused(request, "您的账号没有可填报指标的区域（县、镇/街道）。")
    unit = units[0]
    wanted = request.POST.get("unit") or request.GET.get("unit")
    if wanted and str(wanted).isdigit():
        unit = get_visible_or_404(OrgUnit, user, pk=int(wanted), kind__in=AREA_KINDS)
    plans = plans_over(unit)
    years = years_for(plans)
    indicators = manual_indicators(unit)
    fallback = fallback_indicators(unit, plans, years)
    indicators += fallback
    stored = {
        (v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(
            org_unit=unit, indicator__in=indicators, year__in=years
        ).select_related("entered_by")
    }
    open_cells = {
        (ind.pk, year) for ind in indicators for year in years if editable(ind, stored.get((ind.pk, year)))
    }
    initial = {
        ManualValuesForm.key(ind.code, year): f"{stored[(ind.pk, year)].value:g}"
        for ind in indicators
        for year in years
        if (ind.pk, year) in stored and stored[(ind.pk, year)].value is not None
    }
    manager = may_manage(user)
    status = 200
    if request.method == "POST":
        if not manager:
            return refused(request)
        form = ManualValuesForm(request.POST, initial=initial, indicators=indicators, years=years)
        if form.is_valid():
            changes = save_values(user, unit, indicators, years, stored, open_cells, form.cleaned_data)
            if any(changes.values()):
                messages.success(
                    request,
                    f"已保存{unit.name}的人工填报指标：新增 {changes['created']} 项，"
                    f"修改 {changes['updated']} 项，清除 {changes['deleted']} 项。",
                )
            else:
                messages.info(request, "没有改动。")
            return redirect(f"{reverse('plan_import:manual')}?unit={unit.pk}")
        status = 400
    else:
        form = ManualValuesForm(initial=initial, indicators=indicators, years=years)
    targets = target_texts(plans, indicators)
    rows = []
    for ind in indicators:
        low, high = range_for(ind.unit, ind.name)
        cells = []
        for year in years:
            value = stored.get((ind.pk, year))
            field = form[ManualValuesForm.key(ind.code, year)]
            cells.append(
                {
                    "year": year,
                    "field": field,
                    "open": (ind.pk, year) in open_cells,
                    "value": value,
                }
            )
        rows.append(
            {
                "indicator": ind,
                "cells": cells,
                "target": targets.get(ind.pk, ""),
                "range": f"{low:g}—{high:g}" if high is not None else f"≥ {low:g}",
                "basis": "自然年" if CATALOGUE[ind.code].year_basis == CALENDAR_YEAR else "学年",
                "fallback": ind in fallback,
            }
        )
    context = {
        "title": "人工填报指标",
        "unit": unit,
        "units": units,
        "years": years,
        "rows": rows,
        "form": form,
        "manager": manager,
        "errors": [e for field_errors in form.errors.values() for e in field_errors] if form.is_bound else [],
    }
    return render(request, "plans/manual_values.html", context, status=status)


def save_values(
    user: Any,
    unit: OrgUnit,
    indicators: list[Indicator],
    years: list[int],
    stored: dict[tuple[int, int], IndicatorValue],
    open_cells: set[tuple[int, int]],
    data: dict[str, Any],
) -> dict[str, int]:
    """Write the changed open cells one by one through the ORM (each an audited save or delete): a number
    makes the cell's row a manual value (an empty computed row becomes manual), a blank clears a manual
    value. A computed value is never touched."""
    changes = {"created": 0, "updated": 0, "deleted": 0}
    now = timezone.now()
    with transaction.atomic(), audit_actor(user):
        for ind in indicators:
            for year in years:
                if (ind.pk, year) not in open_cells:
                    continue
                value = data.get(ManualValuesForm.key(ind.code, year))
                row = stored.get((ind.pk, year))
                if value is None:
                    if row is not None and row.source == IndicatorValue.Source.MANUAL:
                        row.delete()
                        changes["deleted"] += 1
                    continue
                if row is None:
                    row = IndicatorValue(indicator=ind, org_unit=unit, year=year)
                    changes["created"] += 1
                elif row.value == value and row.source == IndicatorValue.Source.MANUAL:
                    continue
                else:
                    changes["updated" if row.source == IndicatorValue.Source.MANUAL else "created"] += 1
                row.value, row.source, row.entered_by = value, IndicatorValue.Source.MANUAL, user
                row.provenance, row.computed_at, row.note = PROVENANCE, now, ""
                row.numerator = row.denominator = None
                row.save()
    return changes
