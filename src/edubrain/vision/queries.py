"""Read side of 视力监测 (三级监测), always scoped through ``visible_to(user)``.

The database counts (GROUP BY per school year and unit, distinct pupils), polars assembles: rates, the change
from the previous year and the plan's yearly target (a fall of at least 1 percentage point, checked by
``edubrain.core.vision.school.school_colour``). Only classified screenings count; a pupil screened twice in a
year counts once, as myopic when any classified screening of the year found 筛查性近视.

A ``Selection`` is the unit a page looks at: 县 → 镇/街道 → 学校 → 年级 (the grade of the screening year's
enrolment). 应测 (for the coverage) is the on-roll pupils of grades 11–33 of the year, as for 体质健康.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.units import (
    LEVEL_LABELS,
    child_of_path,
    chosen_unit,
    named_children,
    rows_frame,
    unit_crumbs,
)
from edubrain.core.stages import grade_name
from edubrain.core.vision.school import school_colour
from edubrain.registry.models import Enrollment, School, SchoolYear
from edubrain.registry.queries import FIRST_GRADE, LAST_GRADE, pupils_due
from edubrain.vision.models import Degree, VisionScreening

CLASSIFIED = "classified"  # ClassifyStatus.CLASSIFIED
RULE = (
    "总体近视率 = 筛查性近视人数 ÷ 有效筛查人数（数据有误的记录不计入）；"
    "高度近视占比 = 高度近视人数 ÷ 有效筛查人数；"
    "新发近视率 = 上一学年未近视、本学年近视的人数 ÷ 两学年均有效筛查且上一学年未近视的人数；"
    "覆盖率 = 有效筛查人数 ÷ 本学年一年级至高三在籍学生。规划目标：总体近视率每年降低≥1个百分点。"
)


@dataclass(frozen=True)
class Selection:
    """An org unit (county, 镇/街道 or school node), below a school optionally a ``grade`` (年级编号)."""

    unit: OrgUnit
    school: School | None = None
    grade: str | None = None

    @property
    def level(self) -> str:
        return "grade" if self.grade else str(self.unit.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "单位")

    @property
    def name(self) -> str:
        return f"{self.unit.name} {grade_name(self.grade)}" if self.grade else self.unit.name

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"unit": self.unit.pk}
        if self.grade:
            out["grade"] = self.grade
        return out


# ---------------------------------------------------------------- units


def selection_for(user: Any, unit_id: int | None, grade: str | None) -> Selection | None:
    """The selection of ``?unit=&grade=`` (None when the user sees nothing; LookupError for a unit outside
    the scope)."""
    unit = chosen_unit(user, unit_id)
    if unit is None:
        return None
    school = None
    if unit.kind == OrgKind.SCHOOL:
        school = School.objects.visible_to(user).filter(org_unit=unit).first()
    valid_grade = grade if school is not None and grade and FIRST_GRADE <= grade <= LAST_GRADE else None
    return Selection(unit=unit, school=school, grade=valid_grade)


def breadcrumbs(user: Any, sel: Selection) -> list[tuple[str, dict[str, Any]]]:
    crumbs = unit_crumbs(user, sel.unit)
    if sel.grade:
        crumbs.append((grade_name(sel.grade), sel.params()))
    return crumbs


# ---------------------------------------------------------------- base querysets


def _with_grade(qs: QuerySet[VisionScreening]) -> QuerySet[VisionScreening]:
    """The enrolment of the screening's year (LEFT JOIN), for the grade."""
    return qs.annotate(
        same_year=FilteredRelation(
            "student__enrollments", condition=Q(student__enrollments__school_year_id=F("school_year_id"))
        )
    )


def screenings(user: Any, sel: Selection) -> QuerySet[VisionScreening]:
    """The visible classified screenings of the selection (every year)."""
    qs = VisionScreening.objects.visible_to(user).filter(status=CLASSIFIED)
    if sel.school is not None:
        qs = qs.filter(school_id=sel.school.pk)
    else:
        qs = qs.filter(school__org_unit__path__startswith=sel.unit.path)
    if sel.grade:
        qs = _with_grade(qs).filter(same_year__school_class__grade_code=sel.grade)
    return qs


def enrolments(user: Any, sel: Selection) -> QuerySet[Enrollment]:
    """Visible on-roll enrolments of grades 11–33 of the selection (every year)."""
    return pupils_due(user, sel.unit, sel.school, sel.grade)


KEY_FIELDS: dict[str, tuple[str, str, Any]] = {
    # key: (screening field, enrolment field, dtype)
    "school_id": ("school_id", "school_class__school_id", pl.Int64),
    "grade_code": ("same_year__school_class__grade_code", "school_class__grade_code", pl.String),
    "sex": ("student__sex", "student__sex", pl.String),
}
AGGREGATES: dict[str, Any] = {
    "screened": Count("student_id", distinct=True),
    "myopic": Count("student_id", distinct=True, filter=Q(myopia=True)),
    "high_myopia": Count("student_id", distinct=True, filter=Q(degree=Degree.HIGH)),
}
COUNT_COLUMNS = ("screened", "myopic", "high_myopia")


def year_ids() -> dict[int, int]:
    return dict(SchoolYear.objects.values_list("id", "start_year"))


def counts(user: Any, sel: Selection, keys: Sequence[str] = (), year: int | None = None) -> pl.DataFrame:
    """Distinct pupils screened / myopic / highly myopic per school year (``year``) and ``keys``: one
    GROUP BY."""
    ids = year_ids()
    qs = screenings(user, sel)
    if year is not None:
        qs = qs.filter(school_year__start_year=year)
    if "grade_code" in keys and not sel.grade:
        qs = _with_grade(qs)
    fields = ["school_year_id", *(KEY_FIELDS[k][0] for k in keys)]
    rows = qs.values_list(*fields).annotate(**AGGREGATES).order_by()
    schema = {
        "year": pl.Int64,
        **{k: KEY_FIELDS[k][2] for k in keys},
        **dict.fromkeys(COUNT_COLUMNS, pl.Int64),
    }
    frame = rows_frame(list(rows), schema)
    return frame.with_columns(pl.col("year").replace_strict(ids, default=None, return_dtype=pl.Int64))


def expected(user: Any, sel: Selection, keys: Sequence[str] = (), year: int | None = None) -> pl.DataFrame:
    """应测 (on-roll pupils of grades 11–33) per school year and ``keys``: ``year``, keys, ``expected``."""
    qs = enrolments(user, sel)
    if year is not None:
        qs = qs.filter(school_year__start_year=year)
    fields = ["school_year__start_year", *(KEY_FIELDS[k][1] for k in keys)]
    rows = qs.values_list(*fields).annotate(expected=Count("student_id", distinct=True)).order_by()
    schema = {"year": pl.Int64, **{k: KEY_FIELDS[k][2] for k in keys}, "expected": pl.Int64}
    return rows_frame(list(rows), schema)


def rates(frame: pl.DataFrame) -> pl.DataFrame:
    """``rate`` (总体近视率) and ``high_rate`` (高度近视占比), percent with two places; null without
    pupils."""
    some = pl.when(pl.col("screened") > 0)
    return frame.with_columns(
        some.then((pl.col("myopic") * 100 / pl.col("screened")).round(2)).alias("rate"),
        some.then((pl.col("high_myopia") * 100 / pl.col("screened")).round(2)).alias("high_rate"),
    )


def with_change(frame: pl.DataFrame, keys: Sequence[str] = ()) -> pl.DataFrame:
    """Per key, each year's rate beside the previous year's (``previous_rate``, only when that year is the
    one before) and ``school_colour``'s ``rate_change``, ``colour`` and ``target_met``."""
    keys = list(keys)
    summed = frame.group_by(["year", *keys]).agg(pl.col(c).sum() for c in COUNT_COLUMNS)
    summed = rates(summed).filter(pl.col("screened") > 0)
    previous = summed.select(
        (pl.col("year") + 1).alias("year"),
        *keys,
        pl.col("rate").alias("previous_rate"),
        pl.col("high_rate").alias("previous_high_rate"),
    )
    joined = summed.join(previous, on=["year", *keys], how="left", nulls_equal=True)
    out = school_colour(joined).with_columns(
        (pl.col("high_rate") - pl.col("previous_high_rate")).round(2).alias("high_rate_change")
    )
    return out.sort(["year", *keys])


def new_onset(user: Any, sel: Selection, year: int) -> dict[str, Any]:
    """新发近视: pupils screened (classified) in ``year`` and in the year before, not myopic then: ``base``;
    of those, myopic in ``year``: ``new``; ``rate`` in percent (null without a base)."""
    visible = VisionScreening.objects.visible_to(user).filter(
        status=CLASSIFIED, school_year__start_year=year - 1
    )
    myopic_before = visible.filter(myopia=True).values("student_id")
    clear_before = visible.filter(myopia=False).exclude(student_id__in=myopic_before).values("student_id")
    now = screenings(user, sel).filter(school_year__start_year=year, student_id__in=clear_before)
    result = now.aggregate(base=AGGREGATES["screened"], new=AGGREGATES["myopic"])
    base, new = int(result["base"] or 0), int(result["new"] or 0)
    return {"base": base, "new": new, "rate": round(new * 100 / base, 2) if base else None}


def latest_year_with_data(user: Any, sel: Selection) -> int | None:
    years = (
        screenings(user, sel)
        .order_by("-school_year__start_year")
        .values_list("school_year__start_year", flat=True)
    )
    return years.first()


# ---------------------------------------------------------------- assembled figures

CHILD_KEYS = {OrgKind.SCHOOL: "grade_code", "grade": None}


def child_key(sel: Selection) -> str | None:
    return CHILD_KEYS.get(sel.level, "school_id")


def _coverage(screened: int | None, expected_n: int | None) -> float | None:
    if not expected_n or screened is None:
        return None
    return round(screened * 100 / expected_n, 2)


def overview(user: Any, sel: Selection, year: int) -> dict[str, Any]:
    """Every figure of the 视力监测 overview of one unit and year (plain dicts and lists)."""
    yearly = with_change(counts(user, sel))
    exp = expected(user, sel)
    trend = yearly.join(exp, on="year", how="left").sort("year")
    trend = trend.with_columns(
        pl.when(pl.col("expected") > 0)
        .then((pl.col("screened") * 100 / pl.col("expected")).round(2))
        .alias("coverage")
    )
    this = trend.filter(pl.col("year") == year).to_dicts()
    summary: dict[str, Any] = (
        this[0]
        if this
        else {
            "year": year,
            "screened": 0,
            "myopic": 0,
            "high_myopia": 0,
            "rate": None,
            "high_rate": None,
            "previous_rate": None,
            "rate_change": None,
            "target_met": None,
            "colour": None,
            "high_rate_change": None,
        }
    )
    if not this:
        exp_now = exp.filter(pl.col("year") == year)["expected"].to_list()
        summary["expected"] = exp_now[0] if exp_now else 0
        summary["coverage"] = None
    onset, onset_before = new_onset(user, sel, year), new_onset(user, sel, year - 1)
    summary["new_onset"] = onset
    summary["new_onset_rate"] = onset["rate"]
    summary["new_onset_change"] = (
        round(onset["rate"] - onset_before["rate"], 2)
        if onset["rate"] is not None and onset_before["rate"] is not None
        else None
    )
    prev = trend.filter(pl.col("year") == year - 1)["coverage"].to_list()
    summary["coverage_change"] = (
        round(summary["coverage"] - prev[0], 2)
        if summary.get("coverage") is not None and prev and prev[0] is not None
        else None
    )
    by_grade = rates(counts(user, sel, ["grade_code"], year)).filter(pl.col("grade_code").is_not_null())
    by_sex = rates(counts(user, sel, ["sex"], year))
    return {
        "year": year,
        "summary": summary,
        "trend": trend.to_dicts(),
        "grades": [
            {**row, "name": grade_name(row["grade_code"])} for row in by_grade.sort("grade_code").to_dicts()
        ],
        "sexes": [
            {**row, "label": {"M": "男", "F": "女"}.get(row["sex"] or "", "未知")}
            for row in by_sex.sort("sex").to_dicts()
        ],
        "children": children(user, sel, year),
    }


def school_keys(user: Any, unit: OrgUnit) -> pl.DataFrame:
    """The visible schools under ``unit`` with the child of ``unit`` each lies in: ``school_id``, ``key``
    (null for a school that is ``unit`` itself) — to roll per-school counts up one level."""
    schools = School.objects.visible_to(user).filter(org_unit__path__startswith=unit.path)
    link = rows_frame(
        list(schools.values_list("id", "org_unit__path")), {"school_id": pl.Int64, "path": pl.String}
    )
    return link.select("school_id", child_of_path(pl.col("path"), unit).alias("key"))


def children(user: Any, sel: Selection, year: int) -> list[dict[str, Any]]:
    """The next level down (镇/街道 or schools under a region, grades under a school) with rate, change,
    target and colour for ``year`` (last and this year counted, one GROUP BY)."""
    key = child_key(sel)
    if key is None:
        return []
    counted = pl.concat([counts(user, sel, [key], y) for y in (year - 1, year)])
    if key == "grade_code":
        out = with_change(counted.rename({"grade_code": "key"}), ["key"]).filter(pl.col("year") == year)
        return [
            {**row, "name": grade_name(row["key"]), "params": {**sel.params(), "grade": row["key"]}}
            for row in out.sort("key").to_dicts()
            if row["key"]
        ]
    joined = counted.join(school_keys(user, sel.unit), on="school_id").drop("school_id")
    out = with_change(joined, ["key"]).filter((pl.col("year") == year) & pl.col("key").is_not_null())
    return named_children(out.to_dicts())
