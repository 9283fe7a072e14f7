"""督导 read side: rounds with their statistics, per-target statistics, the 整改台账 (rectification
register) with its filters and xlsx export, and the overdue figures for the dashboards. Every query starts
from ``visible_to(user)``; the counting is set-based (one query into a frame, the pure rules of
``edubrain.core.work.rectify`` on top)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import Case, When
from django.urls import reverse

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.work.rectify import finding_overdue_days, finding_states, statistics
from edubrain.work.models import (
    Escalation,
    Finding,
    FindingStatus,
    InspectionRound,
    Severity,
)

OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.REOPENED)
STATUS_CLASSES = {"open": "warn", "fixed": "", "reopened": "danger", "closed": "ok"}
SEVERITY_CLASSES = {"minor": "", "major": "warn", "serious": "danger"}
STAT_FIELDS = ["id", "inspection_id", "org_unit_id", "status", "severity", "deadline", "fixed_on"]
EMPTY_STATS = {
    "findings": 0, "minor": 0, "major": 0, "serious": 0, "closed": 0, "open": 0, "fixed": 0,
    "overdue": 0, "late_fix": 0, "on_time": 0, "closed_rate": None, "on_time_rate": None,
}  # fmt: skip


def overdue_q(today: dt.date) -> Q:
    """Still open (待整改 or 复查未通过) after the deadline day."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def _stats_by(qs: QuerySet[Finding], key: str, today: dt.date) -> dict[int, dict[str, Any]]:
    frame = queryset_frame(qs, STAT_FIELDS)
    return {r[key]: r for r in statistics(frame, [key], today).to_dicts()}


def rounds(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """The rounds the user sees, newest first, each with its targets and finding statistics."""
    qs = InspectionRound.objects.visible_to(user).annotate(n_targets=Count("targets", distinct=True))
    found = Finding.objects.visible_to(user).filter(inspection__in=qs.values("pk"))
    stats = _stats_by(found, "inspection_id", today)
    return [{"round": r, **EMPTY_STATS, **stats.get(r.pk, {})} for r in qs.order_by("-start_on", "-id")]


def round_targets(inspection: InspectionRound, user: Any, today: dt.date) -> list[dict[str, Any]]:
    """The round's targets (schools and 责任单位) the user sees, by 镇/街道, each with its statistics."""
    targets = inspection.targets.select_related("parent").order_by("parent__sort_order", "path")
    stats = _stats_by(Finding.objects.visible_to(user).filter(inspection=inspection), "org_unit_id", today)
    rows = []
    for unit in targets:
        group = unit.parent.name if unit.kind == OrgKind.SCHOOL and unit.parent else "责任单位"
        rows.append({"unit": unit, "group": group, **EMPTY_STATS, **stats.get(unit.pk, {})})
    return rows


def round_total(inspection: InspectionRound, user: Any, today: dt.date) -> dict[str, Any]:
    frame = queryset_frame(Finding.objects.visible_to(user).filter(inspection=inspection), STAT_FIELDS)
    return {**EMPTY_STATS, **statistics(frame, [], today).to_dicts()[0]}


def target_choices(county: OrgUnit) -> list[tuple[str, list[OrgUnit]]]:
    """The county's schools grouped by 镇/街道, then its 责任单位 — the 督导对象 to choose from."""
    units = (
        OrgUnit.objects.filter(path__startswith=county.path, kind__in=[OrgKind.SCHOOL, OrgKind.UNIT])
        .select_related("parent")
        .order_by("parent__sort_order", "parent__path", "sort_order", "name")
    )
    groups: dict[str, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        key = unit.parent.name if unit.kind == OrgKind.SCHOOL and unit.parent else "责任单位"
        groups[key].append(unit)
    units_last = sorted(groups.items(), key=lambda g: g[0] == "责任单位")
    return units_last


# ---------------------------------------------------------------- the register


@dataclass
class RegisterFilter:
    """台账筛选: round, school/unit, severity, status, only overdue."""

    inspection: int | None = None
    org_unit: int | None = None
    severity: str = ""
    status: str = ""
    overdue: bool = False

    def params(self) -> dict[str, Any]:
        return {
            "round": self.inspection or "",
            "unit": self.org_unit or "",
            "severity": self.severity,
            "status": self.status,
            "overdue": "1" if self.overdue else "",
        }


def register(user: Any, f: RegisterFilter, today: dt.date) -> QuerySet[Finding]:
    """整改台账: the findings the user sees, filtered; overdue ones first (by deadline), then by deadline."""
    qs = Finding.objects.visible_to(user)
    if f.inspection:
        qs = qs.filter(inspection_id=f.inspection)
    if f.org_unit:
        qs = qs.filter(org_unit_id=f.org_unit)
    if f.severity in Severity.values:
        qs = qs.filter(severity=f.severity)
    if f.status in FindingStatus.values:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    late = Case(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        qs.annotate(late_first=late)
        .select_related("inspection", "org_unit", "item")
        .order_by("late_first", "deadline", "id")
    )


def unit_statistics(qs: QuerySet[Finding], today: dt.date) -> list[dict[str, Any]]:
    """各单位整改情况: statistics per school/unit of the (filtered) register, most overdue first."""
    stats = _stats_by(qs.order_by(), "org_unit_id", today)
    names = dict(OrgUnit.objects.filter(pk__in=list(stats)).values_list("pk", "name"))
    rows = [{"unit_id": pk, "name": names.get(pk, ""), **row} for pk, row in stats.items()]
    return sorted(rows, key=lambda r: (-r["overdue"], -r["open"], r["name"]))


def register_rounds(user: Any) -> list[tuple[int, str]]:
    """Rounds for the filter: the ones the user sees, and (for a school) those of its own findings."""
    own = Finding.objects.visible_to(user).values("inspection_id")
    seen = InspectionRound.objects.visible_to(user).values("pk")
    rounds = InspectionRound.objects.filter(Q(pk__in=own) | Q(pk__in=seen)).order_by("-start_on", "-id")
    return list(rounds.values_list("pk", "name"))


def register_units(user: Any) -> list[tuple[int, str]]:
    """Schools and units with findings the user sees (for the filter)."""
    ids = Finding.objects.visible_to(user).values("org_unit_id")
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path").values_list("pk", "name"))


def escalation_labels(finding_ids: list[int]) -> dict[int, str]:
    """约谈通报问责 per finding, e.g. "约谈 2026-03-01；通报 2026-03-20" (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = Escalation.objects.filter(finding_id__in=finding_ids).order_by("on", "id")
    for e in rows:
        out[e.finding_id].append(f"{e.get_kind_display()} {e.on:%Y-%m-%d}")  # type: ignore[index]
    return {k: "；".join(v) for k, v in out.items()}


EXPORT_COLUMNS = {
    "inspection__name": "督导轮次",
    "inspection__kind": "类型",
    "org_unit__name": "被督导单位",
    "item__text": "检查项",
    "description": "问题描述",
    "severity": "严重程度",
    "found_on": "发现日期",
    "requirement": "整改要求",
    "deadline": "整改期限",
    "responsible_person": "整改责任人",
    "status": "整改状态",
    "fixed_on": "整改完成日期",
    "recheck_on": "复查日期",
    "recheck_note": "复查意见",
}


def _labels(choices: Any) -> dict[str, str]:
    return {str(v): str(label) for v, label in choices}


def register_frame(qs: QuerySet[Finding], today: dt.date) -> pl.DataFrame:
    """The register as the xlsx table: the Chinese columns of EXPORT_COLUMNS plus 逾期天数 and
    约谈通报问责, dates as text (年-月-日)."""
    from edubrain.work.models import InspectionKind

    fields = ["id", *EXPORT_COLUMNS]
    frame = finding_states(queryset_frame(qs.order_by(), fields), today)
    frame = frame.sort(["overdue", "deadline", "id"], descending=[True, False, False])
    escalations = escalation_labels(frame["id"].to_list())
    text = {f: pl.col(f).dt.strftime("%Y-%m-%d") for f in ("found_on", "deadline", "fixed_on", "recheck_on")}
    return frame.with_columns(
        pl.col("inspection__kind").replace_strict(_labels(InspectionKind.choices), default=None),
        pl.col("severity").replace_strict(_labels(Severity.choices), default=None),
        pl.col("status").replace_strict(_labels(FindingStatus.choices), default=None),
        *[e.alias(f) for f, e in text.items()],
        pl.col("id").replace_strict(escalations, default="", return_dtype=pl.Utf8).alias("escalations"),
    ).select(
        *[pl.col(f).fill_null("").alias(label) for f, label in EXPORT_COLUMNS.items()],
        pl.col("overdue_days").alias("逾期天数"),
        pl.col("escalations").alias("约谈通报问责"),
    )


# ---------------------------------------------------------------- dashboards


def overdue_summary(user: Any, today: dt.date) -> dict[str, int]:
    """For the overview and home dashboards: findings not yet closed (``open``), overdue, serious and
    overdue, and fixed waiting for the 复查 — one query."""
    late = overdue_q(today)
    counts = Finding.objects.visible_to(user).aggregate(
        open=Count("id", filter=~Q(status=FindingStatus.CLOSED)),
        overdue=Count("id", filter=late),
        serious_overdue=Count("id", filter=late & Q(severity=Severity.SERIOUS)),
        awaiting_recheck=Count("id", filter=Q(status=FindingStatus.FIXED)),
    )
    return {k: int(v or 0) for k, v in counts.items()}


def overdue_findings(user: Any, today: dt.date, limit: int = 10) -> list[dict[str, Any]]:
    """The most overdue open findings (longest past the deadline first) as template rows."""
    qs = (
        Finding.objects.visible_to(user)
        .filter(overdue_q(today))
        .select_related("org_unit", "inspection", "item")
        .order_by("deadline", "id")[:limit]
    )
    return [finding_row(f, today) for f in qs]


def finding_row(f: Finding, today: dt.date) -> dict[str, Any]:
    """One finding as a template row (``work/_finding_table.html``): overdue days, late or late fix, the
    status and severity badge classes."""
    overdue = finding_overdue_days(f.status, f.deadline, f.fixed_on, today)
    return {
        "id": f.pk,
        "url": reverse("work:finding", args=[f.pk]),
        "finding": f,
        "status_cls": "danger" if overdue and f.status in OPEN_STATUSES else STATUS_CLASSES[f.status],
        "severity_cls": SEVERITY_CLASSES[f.severity],
        "overdue_days": overdue,
        "late": overdue > 0 and f.status in OPEN_STATUSES,
        "late_fix": overdue > 0 and f.status not in OPEN_STATUSES,
    }
