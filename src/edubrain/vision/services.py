"""Classifying stored screenings: the bridge between ``VisionScreening`` rows and the pure classifier
(``edubrain.core.vision.classify``).

``classify_rows`` adds the classification fields to a frame of raw values (model field names, plus the
student's ``birth_date`` and, for rows without 筛查日期, the 学年 start year ``start_year``: such rows are
taken as screened on 1 October of that year); the import and the demo call it for the rows they write,
``reclassify`` recomputes stored rows (after a settings change, or for rows written before classification
existed): ``edubrain vision reclassify``.
"""

from __future__ import annotations

import dataclasses

import polars as pl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from edubrain.base.frames import field_dtype, queryset_frame, recompute_stored
from edubrain.core.vision.classify import VisionOptions, classify_frame
from edubrain.vision.models import VisionScreening

CLASS_FIELDS: tuple[str, ...] = (
    "left_se",
    "right_se",
    "left_myopia",
    "right_myopia",
    "myopia",
    "degree",
    "pre_myopia",
    "warning_level",
    "status",
    "remark",
)
RAW_FIELDS: tuple[str, ...] = (
    "screened_on",
    "left_acuity",
    "right_acuity",
    "left_sphere",
    "left_cylinder",
    "left_axis",
    "right_sphere",
    "right_cylinder",
    "right_axis",
    "correction",
    "glasses",
    "left_corrected",
    "right_corrected",
    "axial_left",
    "axial_right",
)
NUMERIC_INPUTS = tuple(f for f in RAW_FIELDS if f not in ("screened_on", "correction", "glasses"))
DEFAULT_DAY = (10, 1)  # rows without 筛查日期: the autumn screening of the 学年


def _column(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype).alias(name)


def classifier_inputs(frame: pl.DataFrame) -> pl.DataFrame:
    """The classifier's input columns from model-named columns (absent ones are null)."""
    screened = _column(frame, "screened_on", pl.Date())
    if "start_year" in frame.columns:
        autumn = pl.date(pl.col("start_year").cast(pl.Int32), DEFAULT_DAY[0], DEFAULT_DAY[1])
        screened = pl.coalesce(screened, autumn).alias("screened_on")
    correction = _column(frame, "correction", pl.String()).fill_null("")
    glasses = _column(frame, "glasses", pl.Boolean()).fill_null(False)
    # old rows only say 戴镜 (yes/no): glasses of some kind
    correction = pl.when((correction == "") & glasses).then(pl.lit("glasses")).otherwise(correction)
    return frame.select(
        _column(frame, "birth_date", pl.Date()),
        screened,
        *(_column(frame, f, pl.Float64()) for f in NUMERIC_INPUTS),
        correction.alias("correction"),
        # the cylinder sign convention is checked per import file, never across files
        _column(frame, "batch_id", pl.Int64()).alias("batch"),
    )


def vision_options() -> VisionOptions:
    """The classifier's options: the defaults of standards.md §5 with ``EDUBRAIN["VISION_OPTIONS"]``
    overrides (lists become tuples, as the frozen options expect)."""
    overrides = settings.EDUBRAIN.get("VISION_OPTIONS") or {}
    fields = {f.name for f in dataclasses.fields(VisionOptions)}
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise ImproperlyConfigured(f"EDUBRAIN['VISION_OPTIONS'] 中有未知的选项：{', '.join(unknown)}")

    def frozen(value: object) -> object:
        return tuple(frozen(v) for v in value) if isinstance(value, list | tuple) else value

    return VisionOptions(**{k: frozen(v) for k, v in overrides.items()})


def classify_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the ``CLASS_FIELDS`` replaced by freshly computed values, in model dtypes."""

    if frame.height == 0:
        return frame.drop([f for f in CLASS_FIELDS if f in frame.columns]).with_columns(
            pl.lit(None, dtype=field_dtype(VisionScreening, f)).alias(f) for f in CLASS_FIELDS
        )
    result = classify_frame(classifier_inputs(frame), vision_options())
    result = result.with_columns(
        pl.col("degree").fill_null(""),
        pl.col("status").fill_null(""),
        pl.col("remark").fill_null("").str.slice(0, 500),
        pl.col("left_se").round(3),
        pl.col("right_se").round(3),
    )
    out = result.select(pl.col(f).cast(field_dtype(VisionScreening, f), strict=False) for f in CLASS_FIELDS)
    return pl.concat([frame.drop([f for f in CLASS_FIELDS if f in frame.columns]), out], how="horizontal")


def stored_frame(queryset: models.QuerySet[VisionScreening]) -> pl.DataFrame:
    """id, the raw fields, ``birth_date`` and ``start_year`` of stored screenings."""
    fields = ["id", *RAW_FIELDS, "batch_id", "student__birth_date", "school_year__start_year"]
    return queryset_frame(queryset, fields).rename(
        {"student__birth_date": "birth_date", "school_year__start_year": "start_year"}
    )


def reclassify(queryset: models.QuerySet[VisionScreening] | None = None, chunk: int = 200_000) -> int:
    """Recompute and store the classification of ``queryset`` (default: every screening); rows updated."""
    qs = queryset if queryset is not None else VisionScreening._base_manager.all()
    return recompute_stored(qs, lambda part: classify_rows(stored_frame(part)), CLASS_FIELDS, chunk)


__all__ = ["CLASS_FIELDS", "RAW_FIELDS", "classify_rows", "reclassify", "vision_options"]
