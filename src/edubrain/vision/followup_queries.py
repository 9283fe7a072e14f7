"""Read side of 预警随访, always scoped through ``visible_to(user)``: the follow-ups of a selection (县 →
镇/街道 → 学校 → 年级/班级), their counts by state, and, above a school, the open and overdue counts per
child unit — the school works its own open list, the 镇/街道 and the county watch the overdue ones.

逾期 (overdue): the deadline has passed while the re-examination or hospital result is still owed
(status 待告知家长 or 已告知家长).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db.models import Count, Q, QuerySet

from edubrain.base.orgtree import OrgUnit
from edubrain.base.units import rows_frame
from edubrain.registry.models import SchoolClass
from edubrain.vision.models import OPEN_STATUSES, PENDING_STATUSES, FollowUpStatus, VisionFollowUp
from edubrain.vision.queries import Selection, school_keys

FILTERS = {
    "open": ("未结案", Q(status__in=OPEN_STATUSES)),
    "overdue": ("逾期", None),  # needs today: see ``state_q``
    "pending": ("待告知家长", Q(status=FollowUpStatus.OPEN)),
    "notified": ("已告知、待反馈", Q(status=FollowUpStatus.NOTIFIED)),
    "resulted": ("已反馈、待结案", Q(status=FollowUpStatus.RESULTED)),
    "closed": ("已结案", Q(status=FollowUpStatus.CLOSED)),
    "rose": ("等级上升（未结案）", Q(status__in=OPEN_STATUSES, rose=True)),
    "all": ("全部", Q()),
}


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=PENDING_STATUSES, due_on__lt=today)


def state_q(state: str, today: dt.date) -> Q:
    if state == "overdue":
        return overdue_q(today)
    label_q = FILTERS.get(state)
    return label_q[1] if label_q and label_q[1] is not None else Q(status__in=OPEN_STATUSES)


def followups(user: Any, sel: Selection, school_class: int | None = None) -> QuerySet[VisionFollowUp]:
    """The visible follow-ups of the selection (a grade: the class's grade; ``school_class``: one class)."""
    qs = VisionFollowUp.objects.visible_to(user)
    if sel.school is not None:
        qs = qs.filter(school=sel.school)
    else:
        qs = qs.filter(school__org_unit__path__startswith=sel.unit.path)
    if sel.grade:
        qs = qs.filter(school_class__grade_code=sel.grade)
    if school_class:
        qs = qs.filter(school_class_id=school_class)
    return qs


def summary(qs: QuerySet[VisionFollowUp], today: dt.date) -> dict[str, int]:
    """Counts by state (one query)."""
    return qs.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        pending=Count("id", filter=Q(status=FollowUpStatus.OPEN)),
        notified=Count("id", filter=Q(status=FollowUpStatus.NOTIFIED)),
        resulted=Count("id", filter=Q(status=FollowUpStatus.RESULTED)),
        overdue=Count("id", filter=overdue_q(today)),
        closed=Count("id", filter=Q(status=FollowUpStatus.CLOSED)),
        rose=Count("id", filter=Q(status__in=OPEN_STATUSES, rose=True)),
        all=Count("id"),
    )


def by_child(user: Any, sel: Selection, today: dt.date) -> list[dict[str, Any]]:
    """Above a school: per 镇/街道 (or school) the open, overdue and closed counts and the oldest overdue
    deadline, worst first; counted per school in the database, summed up the tree in polars."""
    if sel.school is not None:
        return []
    per_school = (
        followups(user, sel)
        .values("school_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=overdue_q(today)),
            closed=Count("id", filter=Q(status=FollowUpStatus.CLOSED)),
            all=Count("id"),
        )
        .values_list("school_id", "open", "overdue", "closed", "all")
    )
    counted = rows_frame(
        list(per_school),
        {"school_id": pl.Int64, "open": pl.Int64, "overdue": pl.Int64, "closed": pl.Int64, "all": pl.Int64},
    )
    out = (
        counted.join(school_keys(user, sel.unit), on="school_id")
        .filter(pl.col("key").is_not_null())
        .group_by("key")
        .agg(pl.col("open", "overdue", "closed", "all").sum())
        .with_columns(
            pl.when(pl.col("all") > 0)
            .then((pl.col("closed") * 100 / pl.col("all")).round(1))
            .alias("closed_rate")
        )
        .sort(["overdue", "open"], descending=True)
    )
    names = dict(OrgUnit.objects.filter(pk__in=out["key"].to_list()).values_list("pk", "name"))
    return [{**row, "name": names.get(row["key"], "")} for row in out.to_dicts()]


def classes(user: Any, sel: Selection) -> list[tuple[int, str, int]]:
    """A school's classes that have open follow-ups: (class id, name, open count), in grade order."""
    if sel.school is None:
        return []
    rows = (
        followups(user, sel)
        .filter(status__in=OPEN_STATUSES, school_class__isnull=False)
        .values("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )
    counts = dict(rows)
    found = SchoolClass.objects.filter(pk__in=counts).order_by("grade_code", "number")
    return [(c.pk, class_name(c), counts[c.pk]) for c in found]


def class_name(c: SchoolClass | None) -> str:
    if c is None:
        return ""
    return c.name or f"{c.get_grade_code_display()}（{c.number}）班"


__all__ = ["FILTERS", "by_child", "classes", "followups", "overdue_q", "state_q", "summary"]
