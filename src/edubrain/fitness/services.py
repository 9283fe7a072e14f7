"""Scoring stored measurements: the bridge between ``FitnessMeasurement`` rows and the pure scoring core.

``score_rows`` adds the score fields to a frame of raw values (model field names, plus ``grade_code``,
``sex`` "M"/"F" and ``exempt``); the import calls it for the rows it writes, ``rescore`` recomputes
stored rows (after a settings change, or for rows written before scoring existed): ``edubrain fitness
rescore``.
"""

from __future__ import annotations

import polars as pl
from django.conf import settings
from django.db import models

from edubrain.base.frames import field_dtype, queryset_frame, recompute_stored
from edubrain.core.fitness.items import BMI, INPUT_COLUMNS, MEASURED_ITEMS
from edubrain.core.fitness.scoring import ScoringOptions, score_frame
from edubrain.core.fitness.standard import standard_2014
from edubrain.fitness.models import FitnessMeasurement

BONUS_ITEMS = ("rope_skip_1min", "sit_up_1min", "pull_up", "run_1000m", "run_800m")
SCORE_FIELDS: tuple[str, ...] = (
    "bmi",
    "bmi_band",
    *(f"{k}_score" for k in (BMI, *(i.key for i in MEASURED_ITEMS))),
    *(f"{k}_bonus" for k in BONUS_ITEMS),
    "standard_score",
    "bonus",
    "total_score",
    "rating",
    "status",
    "remark",
)
RAW_FIELDS: tuple[str, ...] = ("grade_code", "exempt", *INPUT_COLUMNS)


def scoring_options() -> ScoringOptions:
    conf = settings.EDUBRAIN
    return ScoringOptions(
        bmi_half_up=bool(conf.get("FITNESS_BMI_HALF_UP", True)),
        rate_rounded=bool(conf.get("FITNESS_RATE_ROUNDED", True)),
    )


def score_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the ``SCORE_FIELDS`` replaced by freshly computed values, in model dtypes."""
    inputs = frame.select(
        pl.col("grade_code").cast(pl.String).alias("grade"),
        pl.col("sex").cast(pl.String),
        *(pl.col(c).cast(pl.Float64) for c in INPUT_COLUMNS if c in frame.columns),
        *([pl.col("exempt").cast(pl.Boolean)] if "exempt" in frame.columns else []),
    )
    scored = score_frame(inputs, standard_2014(), scoring_options())
    scored = scored.with_columns(
        pl.col("bmi_band").fill_null(""),
        pl.col("rating").fill_null(""),
        pl.col("remark").fill_null("").str.slice(0, 500),
        *(pl.col(c).round(2) for c in ("standard_score", "total_score")),
    )
    out = scored.select(
        pl.col(f).cast(field_dtype(FitnessMeasurement, f), strict=False) for f in SCORE_FIELDS
    )
    return pl.concat([frame.drop([f for f in SCORE_FIELDS if f in frame.columns]), out], how="horizontal")


def rescore(queryset: models.QuerySet[FitnessMeasurement] | None = None, chunk: int = 200_000) -> int:
    """Recompute and store the scores of ``queryset`` (default: every measurement); returns rows updated."""
    qs = queryset if queryset is not None else FitnessMeasurement._base_manager.all()

    def scored(part: models.QuerySet[FitnessMeasurement]) -> pl.DataFrame:
        frame = queryset_frame(part, ["id", *RAW_FIELDS, "student__sex"]).rename({"student__sex": "sex"})
        return score_rows(frame)

    return recompute_stored(qs, scored, SCORE_FIELDS, chunk)
