"""班额 (class size) and 校额 (school size) against the standards (standards.md §4).

``classify_classes(classes)``: per class, the 学段 (stage) from the 年级代码, the standard class size of
that stage (§4.1), ``over_standard`` (more pupils than the standard), the §4.2 band (正常班额 36–45,
偏大班额 46–55, 大班额 56–65, 超大班额 ≥ 66) and the flags ``large_class`` (大班额, ≥ 56 — it includes
超大班额, as §4.2's "i.e. ≥ 56" says) and ``super_large_class`` (超大班额, ≥ 66).

``class_size_summary(classified, by)``: per group (year, stage, school, unit, …) the number of classes and of
over-standard, 大班额 and 超大班额 classes with their shares, for a trend per year.

``school_size(schools)``: 校额 — compulsory-stage pupils of a school against the 优质均衡 G4 limit of its
办学类型 (小学、初中 ≤ 2000, 九年一贯制/十二年一贯制 ≤ 2500; §4.3, §1.6).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from edubrain.core.stages import (
    COMPLETE_SECONDARY,
    GRADE_BY_CODE,
    JUNIOR,
    JUNIOR_SCHOOL,
    KINDERGARTEN,
    NINE_YEAR,
    PRIMARY,
    PRIMARY_SCHOOL,
    SENIOR,
    SENIOR_HIGH,
    STAGE_LABELS,
    TWELVE_YEAR,
    VOCATIONAL,
)

__all__ = [
    "BANDS",
    "ClassSizeOptions",
    "SchoolSizeOptions",
    "class_size_summary",
    "classify_classes",
    "grade_code_expr",
    "in_class_size_scope",
    "school_size",
]

# §4.2, lower bounds (inclusive) of each band; below the first is "35人及以下" (the reference names no band).
BANDS: tuple[tuple[int, str], ...] = (
    (0, "35人及以下"),
    (36, "正常班额"),
    (46, "偏大班额"),
    (56, "大班额"),
    (66, "超大班额"),
)


def _default_standards() -> dict[str, int]:
    # §4.1: 幼儿园 小班 25 / 中班 30 / 大班 35 by grade code; 完全小学 45; 初中 50; 高中 50 by stage.
    return {"01": 25, "02": 30, "03": 35, PRIMARY: 45, JUNIOR: 50, SENIOR: 50}


@dataclass(frozen=True)
class ClassSizeOptions:
    """``standards``: standard class size keyed by grade code (checked first) or by stage (§4.1; urban
    建标102-2002 / GB 50099 figures — a rural county may pass 建标109-2008's 近期/远期 sizes, or 30 for a
    非完全小学 through the ``standard_size`` column). ``large`` / ``super_large``: the inclusive lower bounds
    of 大班额 and 超大班额 (§4.2)."""

    standards: Mapping[str, int] = field(default_factory=_default_standards)
    large: int = 56
    super_large: int = 66


def _default_limits() -> dict[str, int]:
    # 优质均衡 G4 (§4.3, §1.6); 完全中学 counts its 初中 part like a 初级中学 (as the indicator engine does).
    return {
        PRIMARY_SCHOOL: 2000,
        JUNIOR_SCHOOL: 2000,
        COMPLETE_SECONDARY: 2000,
        NINE_YEAR: 2500,
        TWELVE_YEAR: 2500,
    }


def _default_class_limits() -> dict[str, int]:
    # 建标102-2002 (city) largest design sizes, in classes (§4.3 ◐): 完全小学 30, 初级中学 30, 九年制 45,
    # 完全中学/高级中学 36. 十二年一贯制 has no design size in the reference.
    return {PRIMARY_SCHOOL: 30, JUNIOR_SCHOOL: 30, NINE_YEAR: 45, COMPLETE_SECONDARY: 36, SENIOR_HIGH: 36}


@dataclass(frozen=True)
class SchoolSizeOptions:
    """``limits``: the largest allowed compulsory-stage enrolment per 办学类型 (inclusive: a school at the
    limit passes). Types not listed (幼儿园, 高中, 中职, 特教) get no limit. ``class_limits``: the largest
    design size in classes per 办学类型 (city figures; a rural county may pass 建标109-2008's 完全小学 24 /
    初中 24)."""

    limits: Mapping[str, int] = field(default_factory=_default_limits)
    class_limits: Mapping[str, int] = field(default_factory=_default_class_limits)


def grade_code_expr(column: str = "grade_code") -> pl.Expr:
    """The grade code as the two-character string of ``stages`` (integers 1 / 11 become "01" / "11")."""
    return pl.col(column).cast(pl.String).str.strip_chars().str.zfill(2)


# The classes the 大班额/超大班额 counts cover: 小学、初中、普通高中 grades, outside 幼儿园 and 中职
# (the indicator engine and the 班额 page both use ``in_class_size_scope``).
CLASS_SIZE_GRADES = ("11", "12", "13", "14", "15", "16", "21", "22", "23", "24", "31", "32", "33")
CLASS_SIZE_EXCLUDED_TYPES = (KINDERGARTEN, VOCATIONAL)


def in_class_size_scope(school_type: str = "school_type", grade_code: str = "grade_code") -> pl.Expr:
    """True for a class counted by the 大班额 statistics: a 小学/初中/高中 grade in a school that is neither a
    幼儿园 nor a 中等职业学校."""
    return ~pl.col(school_type).is_in(list(CLASS_SIZE_EXCLUDED_TYPES)) & grade_code_expr(grade_code).is_in(
        list(CLASS_SIZE_GRADES)
    )


def classify_classes(classes: pl.DataFrame, options: ClassSizeOptions | None = None) -> pl.DataFrame:
    """Classify classes by size.

    Input: ``grade_code`` (年级代码, string or integer) and ``size`` (pupils in the class); optional
    ``standard_size`` overrides the standard for that row; any other columns are kept.
    Output adds: ``stage`` (preschool/primary/junior/senior; null for an unknown grade code),
    ``stage_label`` (学段 in Chinese), ``standard_size``, ``over_standard`` (size > standard; null when
    either is unknown), ``size_band`` (§4.2 band label), ``large_class`` (size ≥ 56), ``super_large_class``
    (size ≥ 66).
    A null ``size`` gives null flags, never False.
    """
    o = options or ClassSizeOptions()
    code = grade_code_expr()
    stage = code.replace_strict(
        {c: g.stage for c, g in GRADE_BY_CODE.items()}, default=None, return_dtype=pl.String
    )
    by_grade = {k: v for k, v in o.standards.items() if k in GRADE_BY_CODE}
    by_stage = {k: v for k, v in o.standards.items() if k not in GRADE_BY_CODE}
    standard = pl.coalesce(
        code.replace_strict(by_grade, default=None, return_dtype=pl.Int64),
        stage.replace_strict(by_stage, default=None, return_dtype=pl.Int64),
    )
    if "standard_size" in classes.columns:
        standard = pl.coalesce(pl.col("standard_size").cast(pl.Int64), standard)
    size = pl.col("size")
    band: pl.Expr = pl.lit(None, pl.String)
    for lower, label in BANDS:
        band = pl.when(size >= lower).then(pl.lit(label)).otherwise(band)
    return classes.with_columns(stage.alias("stage"), standard.alias("standard_size")).with_columns(
        pl.col("stage")
        .replace_strict(STAGE_LABELS, default=None, return_dtype=pl.String)
        .alias("stage_label"),
        (size > pl.col("standard_size")).alias("over_standard"),
        pl.when(size.is_not_null()).then(band).alias("size_band"),
        (size >= o.large).alias("large_class"),
        (size >= o.super_large).alias("super_large_class"),
    )


def _share(count: str, of: str) -> pl.Expr:
    return (pl.when(pl.col(of) > 0).then((pl.col(count) * 100 / pl.col(of)).round(2)).otherwise(None)).cast(
        pl.Float64
    )


def class_size_summary(
    classes: pl.DataFrame, by: Sequence[str] = ("year", "stage"), options: ClassSizeOptions | None = None
) -> pl.DataFrame:
    """Counts per group of ``by`` (e.g. year, stage, school or unit; ``()`` for one overall row).

    Input: raw classes (``grade_code``, ``size``) or ``classify_classes`` output, plus the ``by`` columns
    (``stage`` is derived when missing). Output: the ``by`` columns, ``classes`` (rows), ``sized_classes``
    (with a known size), ``pupils``, ``average_size`` (one decimal), ``over_standard_classes``,
    ``within_standard_classes`` (班额达标, size known and ≤ standard), ``large_classes`` (≥ 56, 超大
    included), ``super_large_classes`` (≥ 66), and ``over_standard_share``, ``within_standard_share``,
    ``large_share``, ``super_large_share`` (percent, two places). Shares of the standard use the classes whose
    standard and size are known (``assessed_classes``); the 大班额 shares use ``sized_classes``; a group
    without them gets null.
    Sorted by ``by``.
    """
    needed = {"stage", "standard_size", "over_standard", "large_class", "super_large_class"}
    if not needed <= set(classes.columns):
        classes = classify_classes(classes, options)
    aggs = [
        pl.len().cast(pl.Int64).alias("classes"),
        pl.col("size").count().cast(pl.Int64).alias("sized_classes"),
        pl.col("over_standard").count().cast(pl.Int64).alias("assessed_classes"),
        pl.col("size").sum().cast(pl.Int64).alias("pupils"),
        pl.col("size").mean().round(1).alias("average_size"),
        pl.col("over_standard").sum().cast(pl.Int64).alias("over_standard_classes"),
        (~pl.col("over_standard")).sum().cast(pl.Int64).alias("within_standard_classes"),
        pl.col("large_class").sum().cast(pl.Int64).alias("large_classes"),
        pl.col("super_large_class").sum().cast(pl.Int64).alias("super_large_classes"),
    ]
    keys = list(by)
    grouped = classes.group_by(keys).agg(aggs).sort(keys) if keys else classes.select(aggs)
    return grouped.with_columns(
        _share("over_standard_classes", "assessed_classes").alias("over_standard_share"),
        _share("within_standard_classes", "assessed_classes").alias("within_standard_share"),
        _share("large_classes", "sized_classes").alias("large_share"),
        _share("super_large_classes", "sized_classes").alias("super_large_share"),
    )


def school_size(schools: pl.DataFrame, options: SchoolSizeOptions | None = None) -> pl.DataFrame:
    """校额 against the G4 limit.

    Input: ``school_type`` (``stages`` 办学类型 code) and ``pupils`` (义务教育段在校生 — for a 十二年一贯制 or
    完全中学 only its compulsory part); other columns are kept. Output adds ``size_limit`` (null for a type
    without a limit), ``over_size_limit`` (pupils > limit; null when either is unknown) and ``size_excess``
    (pupils − limit when over, else 0; null when unknown). With a ``classes`` column (the school's number of
    classes) it also adds ``class_limit`` (建标102-2002 largest design size) and ``over_class_limit``.
    """
    o = options or SchoolSizeOptions()
    limit = pl.col("school_type").replace_strict(dict(o.limits), default=None, return_dtype=pl.Int64)
    over = pl.col("pupils") > pl.col("size_limit")
    if "classes" in schools.columns:
        class_limit = pl.col("school_type").replace_strict(
            dict(o.class_limits), default=None, return_dtype=pl.Int64
        )
        schools = schools.with_columns(class_limit.alias("class_limit")).with_columns(
            (pl.col("classes") > pl.col("class_limit")).alias("over_class_limit")
        )
    return schools.with_columns(limit.alias("size_limit")).with_columns(
        over.alias("over_size_limit"),
        pl.when(over)
        .then(pl.col("pupils") - pl.col("size_limit"))
        .when(over.is_not_null())
        .then(pl.lit(0))
        .cast(pl.Int64)
        .alias("size_excess"),
    )
