"""预警随访 (warning follow-up) services: opening follow-ups from stored screenings and moving one through
告知家长 → 复查/转诊结果 → 结案.

``sync_followups`` applies the pure rules of ``edubrain.core.vision.followup`` to the stored, classified
screenings: for each pupil it opens a follow-up for the latest warning screening (if none exists yet) and
marks older open ones superseded. Only screenings within ``VISION_FOLLOWUP_WINDOW_DAYS`` before ``today``
open one, so importing old years does not open follow-ups for pupils long gone. Imports and the demo call it;
so does ``edubrain vision followups``.

The actions (``mark_notified``, ``record_result``, ``close``) save through the ORM, so every change is in the
audit log under the acting user; bad input raises ``ValidationError`` with a Chinese message and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from edubrain.base.audit import audit_actor, record_bulk
from edubrain.base.frames import insert_frame, queryset_frame
from edubrain.core.vision.followup import FollowUpOptions, live_warnings, screening_warnings
from edubrain.registry.models import Enrollment, SchoolYear
from edubrain.vision.models import (
    OPEN_STATUSES,
    ClassifyStatus,
    FollowUpStatus,
    Outcome,
    ResultKind,
    VisionFollowUp,
    VisionScreening,
)
from edubrain.vision.services import DEFAULT_DAY

CHUNK = 20_000  # pupils per query (SQLite's variable limit)


def followup_options() -> FollowUpOptions:
    conf = settings.EDUBRAIN
    return FollowUpOptions(
        min_level=int(conf.get("VISION_FOLLOWUP_MIN_LEVEL", 1)),
        due_days=int(conf.get("VISION_FOLLOWUP_DAYS", 30)),
    )


def window_days() -> int:
    return int(settings.EDUBRAIN.get("VISION_FOLLOWUP_WINDOW_DAYS", 180))


def _chunks(ids: list[int] | None) -> Iterable[list[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _screenings(students: list[int] | None, today: dt.date, earliest: dt.date) -> pl.DataFrame:
    """The classified screenings up to ``today`` of the pupils (of ``students``) screened since
    ``earliest`` or holding a follow-up still open — the only pupils whose live follow-up can change."""
    classified = VisionScreening._base_manager.filter(status=ClassifyStatus.CLASSIFIED)
    if students is not None:
        classified = classified.filter(student_id__in=students)
    undated = Q(screened_on__isnull=True)
    recent = classified.filter(Q(screened_on__gte=earliest) | undated).values("student_id")
    still_open = VisionFollowUp._base_manager.filter(status__in=OPEN_STATUSES).values("student_id")
    qs = classified.filter(Q(student_id__in=recent) | Q(student_id__in=still_open))
    frame = queryset_frame(
        qs, ["id", "student_id", "school_id", "school_year_id", "screened_on", "warning_level"]
    )
    starts = dict(SchoolYear.objects.values_list("id", "start_year"))
    autumn = pl.date(
        pl.col("school_year_id").replace_strict(starts, default=None, return_dtype=pl.Int32), *DEFAULT_DAY
    )
    return frame.with_columns(pl.coalesce(pl.col("screened_on"), autumn).alias("screened_on")).filter(
        pl.col("screened_on") <= today
    )


def sync_followups(
    students: Iterable[int] | None = None, *, today: dt.date | None = None
) -> dict[str, int]:
    """Open and supersede follow-ups for ``students`` (default: every pupil) as of ``today``; returns
    ``{"opened": n, "superseded": m}``. Idempotent."""
    today = today or dt.date.today()
    options = followup_options()
    earliest = today - dt.timedelta(days=window_days())
    ids = None if students is None else sorted(set(students))
    opened = superseded = 0
    with transaction.atomic():
        for part in _chunks(ids):
            frame = _screenings(part, today, earliest)
            if frame.height == 0:
                continue
            warnings = screening_warnings(
                frame.rename({"student_id": "student", "id": "screening"}), options
            )
            live = live_warnings(warnings).join(
                frame.select(
                    pl.col("id").alias("screening"), "school_id", "school_year_id"
                ),
                on="screening",
            )
            existing = VisionFollowUp._base_manager.all()
            if part is not None:
                existing = existing.filter(student_id__in=part)
            have = queryset_frame(
                existing, ["id", "student_id", "screening_id", "status", "screening__screened_on"]
            )
            known = pl.col("screening").is_in(have["screening_id"].to_list())
            # the live warning of each pupil that has (or now gets) a follow-up
            live = live.filter((pl.col("screened_on") >= earliest) | known)
            opened += _open(live.filter(~known), today, options)
            superseded += _supersede(have, live)
        if opened:
            record_bulk(VisionFollowUp, opened, f"新开视力预警随访 {opened} 条")
    return {"opened": opened, "superseded": superseded}


def _classes(rows: pl.DataFrame) -> pl.DataFrame:
    """``student``, ``school_year_id`` → ``school_class_id`` of that year's enrolment."""
    years = rows["school_year_id"].unique().to_list()
    parts = [
        queryset_frame(
            Enrollment.objects.filter(student_id__in=part or [], school_year_id__in=years),
            ["student_id", "school_year_id", "school_class_id"],
        )
        for part in _chunks(rows["student"].unique().to_list())
    ]
    return pl.concat(parts).unique(["student_id", "school_year_id"]).rename({"student_id": "student"})


def _open(new: pl.DataFrame, today: dt.date, options: FollowUpOptions) -> int:
    """Insert a follow-up for each row of ``new`` (live warnings without one), set-based."""
    if new.height == 0:
        return 0
    due = today + dt.timedelta(days=options.due_days)
    frame = new.join(_classes(new), on=["student", "school_year_id"], how="left").select(
        pl.col("student").alias("student_id"),
        pl.col("screening").alias("screening_id"),
        "school_id",
        "school_class_id",
        pl.col("warning_level").cast(pl.Int64).alias("level"),
        pl.col("previous_level").cast(pl.Int64),
        "rose",
        "reason",
        pl.lit(str(FollowUpStatus.OPEN)).alias("status"),
        pl.lit(today).alias("opened_on"),
        pl.lit(due).alias("due_on"),
    )
    return insert_frame(VisionFollowUp, frame)


def _supersede(have: pl.DataFrame, live: pl.DataFrame) -> int:
    """Open follow-ups of a pupil for a screening older than the pupil's live warning."""
    if have.height == 0 or live.height == 0:
        return 0
    stale = have.join(
        live.select(pl.col("student").alias("student_id"), pl.col("screened_on").alias("live_on"),
                    pl.col("screening").alias("live")),
        on="student_id",
    ).filter(
        pl.col("status").is_in([str(s) for s in OPEN_STATUSES])
        & (pl.col("screening_id") != pl.col("live"))
        & pl.col("screening__screened_on").fill_null(dt.date.min).lt(pl.col("live_on"))
    )
    ids = stale["id"].to_list()
    if not ids:
        return 0
    count = 0
    for start in range(0, len(ids), CHUNK):
        count += VisionFollowUp._base_manager.filter(id__in=ids[start : start + CHUNK]).update(
            status=FollowUpStatus.SUPERSEDED, note="新一次筛查再次预警，转入新的随访"
        )
    record_bulk(VisionFollowUp, count, f"视力预警随访由新筛查替代 {count} 条")
    return count


# ---------------------------------------------------------------- actions


def check_open(fu: VisionFollowUp) -> None:
    if fu.status not in OPEN_STATUSES:
        raise ValidationError(f"该随访已{fu.get_status_display()}，不能再修改")


def mark_notified(
    followups: QuerySet[VisionFollowUp] | Iterable[VisionFollowUp], user: Any, on: dt.date | None = None
) -> int:
    """告知家长: open follow-ups become 已告知家长 on ``on`` (default today); others are left alone."""
    on = on or dt.date.today()
    count = 0
    with transaction.atomic(), audit_actor(user):
        for fu in followups:
            if fu.status == FollowUpStatus.OPEN:
                fu.status = FollowUpStatus.NOTIFIED
                fu.notified_on = on
                fu.save(update_fields=["status", "notified_on"])
                count += 1
    return count


def record_result(
    fu: VisionFollowUp,
    user: Any,
    *,
    kind: str,
    result_on: dt.date | None,
    outcome: str,
    hospital: str = "",
    note: str = "",
    close: bool = False,
    today: dt.date | None = None,
) -> VisionFollowUp:
    """复查/转诊结果: the re-examination or hospital result, optionally closing the follow-up."""
    today = today or dt.date.today()
    check_open(fu)
    errors: dict[str, str] = {}
    if kind not in ResultKind.values or not kind:
        errors["result_kind"] = "请选择结果类型：学校复查或医院就诊（转诊）"
    if outcome not in Outcome.values or not outcome:
        errors["outcome"] = "请选择诊断结果"
    screened = fu.screening.screened_on
    if result_on is None:
        errors["result_on"] = "请填写结果日期"
    elif result_on > today:
        errors["result_on"] = f"结果日期 {result_on:%Y-%m-%d} 晚于今天"
    elif screened and result_on < screened:
        errors["result_on"] = f"结果日期 {result_on:%Y-%m-%d} 早于筛查日期 {screened:%Y-%m-%d}"
    if kind == ResultKind.HOSPITAL and not hospital.strip():
        errors["hospital"] = "医院就诊（转诊）请填写就诊医院"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit_actor(user):
        fu.result_kind, fu.result_on, fu.outcome = kind, result_on, outcome
        fu.hospital, fu.note = hospital.strip()[:100], note.strip()[:500]
        fu.status = FollowUpStatus.RESULTED
        if close:
            _close(fu, user, today)
        fu.save()
    return fu


def close(fu: VisionFollowUp, user: Any, *, note: str = "", today: dt.date | None = None) -> VisionFollowUp:
    """结案: after a result, or without one only with a stated reason (e.g. the pupil moved away)."""
    check_open(fu)
    note = note.strip()
    if fu.status != FollowUpStatus.RESULTED and not note:
        raise ValidationError({"note": "尚未反馈复查或就诊结果；如需结案，请在“说明”中写明原因"})
    with transaction.atomic(), audit_actor(user):
        if note:
            fu.note = note[:500]
        _close(fu, user, today or dt.date.today())
        fu.save()
    return fu


def _close(fu: VisionFollowUp, user: Any, today: dt.date) -> None:
    fu.status = FollowUpStatus.CLOSED
    fu.closed_on = today
    fu.closed_by = user if getattr(user, "pk", None) else None


__all__ = ["check_open", "close", "followup_options", "mark_notified", "record_result", "sync_followups"]
