"""预警随访 (warning follow-up) rules: which screenings warn and which warning a pupil's follow-up is for.

The reference's proposed default (standards.md §5.5, ⚠ to be approved by the bureau): the pupil-level
预警等级 is scheme (a); a screening **warns** when its level is at least ``min_level`` (default 1) **or** the
level rose since the pupil's previous classified screening (等级上升 — a warning in itself, whatever the
level). Each pupil has at most one live follow-up: the one for the pupil's latest warning screening; an
older follow-up still open when a newer screening warns is superseded by the new one. A newer screening
that does not warn leaves an open follow-up alone (its re-examination is still owed). A follow-up is due
``due_days`` after it opens (告家长书, then the re-examination or hospital result within the period).

Pure polars, no Django: the Django side (``edubrain.vision.followups``) feeds stored screenings in.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

__all__ = ["FollowUpOptions", "live_warnings", "screening_warnings"]

INPUT_COLUMNS = ("student", "screening", "screened_on", "warning_level")


@dataclass(frozen=True)
class FollowUpOptions:
    """``min_level``: the 预警等级 from which a screening opens a follow-up (1–3); ``due_days``: days from
    opening to the deadline for the parents' notice and the re-examination result."""

    min_level: int = 1
    due_days: int = 30

    def __post_init__(self) -> None:
        if not 1 <= self.min_level <= 3:
            raise ValueError("min_level must be 1, 2 or 3")
        if self.due_days < 1:
            raise ValueError("due_days must be positive")


def screening_warnings(screenings: pl.DataFrame, options: FollowUpOptions | None = None) -> pl.DataFrame:
    """Per classified screening (``warning_level`` not null), ordered by pupil, date and id: the input
    columns plus ``previous_level`` (the pupil's previous classified screening, null for the first),
    ``rose`` (level above the previous one), ``warn`` and ``reason`` (Chinese, e.g.
    "预警2级（较上次1级上升）").

    ``screenings`` has ``student``, ``screening`` (id), ``screened_on`` (Date) and ``warning_level`` (0–3,
    null when the screening could not be classified — such rows are left out and never break a sequence)."""
    o = options or FollowUpOptions()
    missing = [c for c in INPUT_COLUMNS if c not in screenings.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    level = pl.col("warning_level").cast(pl.Int8)
    ordered = (
        screenings.select(
            pl.col("student"), pl.col("screening"), pl.col("screened_on").cast(pl.Date), level
        )
        .filter(pl.col("warning_level").is_not_null())
        .sort(["student", "screened_on", "screening"], nulls_last=False)
    )
    previous = pl.col("warning_level").shift(1).over("student")
    rose = (pl.col("warning_level") > pl.col("previous_level")).fill_null(False)
    level_text = pl.col("warning_level").cast(pl.String)
    reason = (
        pl.when(pl.col("rose"))
        .then(pl.concat_str(pl.lit("预警"), level_text, pl.lit("级（较上次"),
                            pl.col("previous_level").cast(pl.String), pl.lit("级上升）")))
        .otherwise(pl.concat_str(pl.lit("预警"), level_text, pl.lit("级")))
    )
    return (
        ordered.with_columns(previous.alias("previous_level"))
        .with_columns(rose.alias("rose"))
        .with_columns(
            ((pl.col("warning_level") >= o.min_level) | pl.col("rose")).alias("warn"),
            reason.alias("reason"),
        )
    )


def live_warnings(warnings: pl.DataFrame) -> pl.DataFrame:
    """The latest warning screening of each pupil (one row per pupil that has any), from
    ``screening_warnings``' output: the screening a live follow-up should be for."""
    return (
        warnings.filter(pl.col("warn"))
        .group_by("student", maintain_order=True)
        .last()
    )
