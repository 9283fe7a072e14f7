"""Read side of 体质健康, always scoped through ``visible_to(user)``.

The database counts, polars computes: every frame here comes from one GROUP BY query (a few thousand rows at
most for a whole county), and the rates come from ``edubrain.core.fitness.stats``. No query loads one row
per measurement except the class list and a student's history.

A ``Selection`` is the unit a page looks at: an org unit (县 → 镇/街道 → 学校), optionally a grade of the
school and a class of that grade. 应测人数 comes from the on-roll enrolments of the year (grades 11–33), so
缺测 = 应测 − 记录数 can be shown beside every rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count, F, FilteredRelation, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Floor

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.units import LEVEL_LABELS, child_of_path, rows_frame, unit_crumbs
from edubrain.core.fitness import stats
from edubrain.core.fitness.items import ITEMS, RATINGS
from edubrain.core.fitness.scoring import EXEMPT, INCOMPLETE, INVALID, SCORED
from edubrain.core.stages import GRADE_BY_CODE, grade_name
from edubrain.fitness.models import FitnessMeasurement
from edubrain.registry.models import Enrollment, School, SchoolClass, SchoolYear
from edubrain.registry.queries import pupils_due

"""应测: on-roll pupils of 一年级 to 高三 (kindergartens are not tested)."""
STAGES = ("primary", "junior", "senior")
STAGE_NAMES = {"primary": "小学", "junior": "初中", "senior": "高中"}
DENOMINATOR_RULE = (
    "各项比率的分母为实测人数（有学年总分的学生）：免测学生不计入分母；缺项、数据有误的学生不计为实测。"
    "应测人数为本学年一年级至高三在籍学生，缺测 = 应测 − 已有成绩记录。"
)


@dataclass(frozen=True)
class Selection:
    """The unit a page looks at: ``unit`` (county, 镇/街道 or school node), and below a school optionally a
    ``grade`` (年级编号) and a ``klass`` (one class of that grade and of ``klass.school_year``)."""

    unit: OrgUnit
    school: School | None = None
    grade: str | None = None
    klass: SchoolClass | None = None

    @property
    def level(self) -> str:
        if self.klass is not None:
            return "class"
        if self.grade:
            return "grade"
        return str(self.unit.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "单位")

    @property
    def name(self) -> str:
        if self.klass is not None:
            return f"{self.unit.name} {self.klass.display_name}"
        if self.grade:
            return f"{self.unit.name} {grade_name(self.grade)}"
        return self.unit.name

    def params(self) -> dict[str, Any]:
        """Query parameters that select this unit (``unit``, ``grade``, ``class``)."""
        out: dict[str, Any] = {"unit": self.unit.pk}
        if self.grade:
            out["grade"] = self.grade
        if self.klass is not None:
            out["class"] = self.klass.pk
        return out


def stage_of(code: str | None) -> str | None:
    grade = GRADE_BY_CODE.get(code or "")
    return grade.stage if grade else None


# ---------------------------------------------------------------- units


def breadcrumbs(user: Any, sel: Selection) -> list[tuple[str, dict[str, Any]]]:
    """(label, params) from the top of the user's scope down to the selection."""
    crumbs = unit_crumbs(user, sel.unit)
    if sel.grade:
        crumbs.append((grade_name(sel.grade), {"unit": sel.unit.pk, "grade": sel.grade}))
    if sel.klass is not None:
        crumbs.append((sel.klass.display_name, sel.params()))
    return crumbs


def school_frame(user: Any, sel: Selection | None = None) -> pl.DataFrame:
    """Visible schools (under the selection's unit): ``school_id``, ``school_name``, ``school_type``,
    ``org_unit_id``, ``path`` (of its org node) and ``town_id``."""
    qs = School.objects.visible_to(user)
    if sel is not None:
        qs = qs.filter(org_unit__path__startswith=sel.unit.path)
    rows = qs.values_list("id", "name", "school_type", "org_unit_id", "org_unit__path", "town_id")
    schema = {"school_id": pl.Int64, "school_name": pl.String, "school_type": pl.String,
              "org_unit_id": pl.Int64, "path": pl.String, "town_id": pl.Int64}
    return rows_frame(list(rows), schema)


# ---------------------------------------------------------------- base querysets


def measurements(user: Any, sel: Selection) -> QuerySet[FitnessMeasurement]:
    """The visible measurements of the selection (every year)."""
    qs = FitnessMeasurement.objects.visible_to(user)
    if sel.school is not None:
        qs = qs.filter(school_id=sel.school.pk)
    else:
        qs = qs.filter(school__org_unit__path__startswith=sel.unit.path)
    if sel.grade:
        qs = qs.filter(grade_code=sel.grade)
    if sel.klass is not None:
        qs = qs.filter(
            school_year_id=sel.klass.school_year_id,
            student__enrollments__school_class_id=sel.klass.pk,
        )
    return qs


def enrolments(user: Any, sel: Selection, year: int) -> QuerySet[Enrollment]:
    """The visible on-roll enrolments of grades 11–33 in the selection and year (应测)."""
    qs = pupils_due(user, sel.unit, sel.school, sel.grade).filter(school_year__start_year=year)
    if sel.klass is not None:
        qs = qs.filter(school_class_id=sel.klass.pk)
    return qs


def _with_class(qs: QuerySet[FitnessMeasurement]) -> QuerySet[FitnessMeasurement]:
    """Annotate the class of the measurement's year (through that year's enrolment; a LEFT JOIN)."""
    return qs.annotate(
        same_year=FilteredRelation(
            "student__enrollments", condition=Q(student__enrollments__school_year_id=F("school_year_id"))
        )
    )


# ---------------------------------------------------------------- counting queries

COUNT_AGGREGATES: dict[str, Any] = {
    "records": Count("id"),
    "tested": Count("id", filter=Q(status=SCORED)),
    "exempt": Count("id", filter=Q(status=EXEMPT)),
    "incomplete": Count("id", filter=Q(status=INCOMPLETE)),
    "invalid": Count("id", filter=Q(status=INVALID)),
    **{name: Count("id", filter=Q(status=SCORED, rating=label))
       for name, label in zip(("excellent", "good", "passed", "failed"), RATINGS, strict=True)},
    "total_sum": Sum("total_score", filter=Q(status=SCORED)),
}
"""Conditional counts of one GROUP BY row: the input of ``stats.summarise`` (its counts form)."""
RATING_COUNTS = ("excellent", "good", "passed", "failed")
COUNT_SCHEMA: dict[str, Any] = {**{c: pl.Int64 for c in stats.COUNT_COLUMNS}, "total_sum": pl.Float64}
KEY_FIELDS: dict[str, tuple[str, Any]] = {
    "school_id": ("school_id", pl.Int64),
    "grade_code": ("grade_code", pl.String),
    "class_id": ("same_year__school_class_id", pl.Int64),
    "sex": ("student__sex", pl.String),
}
CHILD_KEYS = {OrgKind.SCHOOL: "grade_code", "grade": "class_id", "class": None}
"""What the next level down is keyed by (regions: ``school_id``, mapped to 镇/街道 or schools by path)."""


def child_key(sel: Selection) -> str | None:
    return CHILD_KEYS.get(sel.level, "school_id")


def year_ids(years: Sequence[int] | None = None) -> dict[int, int]:
    """School year id → start year (all years, or those given)."""
    qs = SchoolYear.objects.all()
    if years is not None:
        qs = qs.filter(start_year__in=list(years))
    return dict(qs.values_list("id", "start_year"))


def counts(user: Any, sel: Selection, keys: Sequence[str] = (), years: Sequence[int] | None = None
           ) -> pl.DataFrame:
    """Conditional counts per school year (``year``) and ``keys`` (of ``KEY_FIELDS``) in one GROUP BY:
    ``COUNT_SCHEMA`` columns. Grouping by year and school follows the (学年, 学校) index, so the database
    streams the rows without sorting them; statuses and ratings are counted, not grouped."""
    ids = year_ids(years)
    qs = measurements(user, sel)
    if years is not None:
        qs = qs.filter(school_year_id__in=list(ids))
    if "class_id" in keys:
        qs = _with_class(qs)
    fields = ["school_year_id", *(KEY_FIELDS[k][0] for k in keys)]
    rows = qs.values_list(*fields).annotate(**COUNT_AGGREGATES).order_by()
    schema = {"year": pl.Int64, **{k: KEY_FIELDS[k][1] for k in keys}, **COUNT_SCHEMA}
    frame = rows_frame(list(rows), schema)
    return frame.with_columns(pl.col("year").replace_strict(ids, default=None, return_dtype=pl.Int64))


def expected(user: Any, sel: Selection, year: int, by_class: bool = False) -> pl.DataFrame:
    """应测人数 per school, grade and sex (and class): ``school_id``, ``grade_code``, ``sex``,
    ``expected``."""
    fields = ["school_class__school_id", "school_class__grade_code", "student__sex"]
    schema: dict[str, Any] = {"school_id": pl.Int64, "grade_code": pl.String, "sex": pl.String}
    if by_class:
        fields.append("school_class_id")
        schema["class_id"] = pl.Int64
    schema["expected"] = pl.Int64
    rows = enrolments(user, sel, year).values_list(*fields).annotate(expected=Count("id")).order_by()
    return rows_frame(list(rows), schema)


def detail(user: Any, sel: Selection, year: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """One query over the year's measurements, grouped by sex, 10-point bin of 学年总分 and status, with the
    ratings and every item's counts beside: (counts by sex for ``stats.summarise``, cells for
    ``stats.distribution`` — ``total_score`` is the bin's lower edge —, item counts for
    ``stats.item_rates``)."""
    qs = measurements(user, sel).filter(school_year__start_year=year)
    lower = Floor((Cast("total_score", FloatField()) + 0.05 + stats.EPSILON) / stats.BIN_WIDTH)
    aggregates: dict[str, Any] = {"n": Count("id"), "total_sum": Sum("total_score")}
    aggregates.update({name: COUNT_AGGREGATES[name] for name in RATING_COUNTS})
    for item in ITEMS:
        col = f"{item.key}_score"
        aggregates[f"{item.key}__tested"] = Count(col)
        aggregates[f"{item.key}__score_sum"] = Sum(col)
        aggregates[f"{item.key}__passed"] = Count("id", filter=Q(**{f"{col}__gte": stats.PASS_SCORE}))
        aggregates[f"{item.key}__excellent"] = Count("id", filter=Q(**{f"{col}__gte": stats.EXCELLENT_SCORE}))
    rows = (
        qs.annotate(bin=lower).values_list("student__sex", "bin", "status").annotate(**aggregates).order_by()
    )
    schema: dict[str, Any] = {"sex": pl.String, "bin": pl.Float64, "status": pl.String, "n": pl.Int64,
                              "total_sum": pl.Float64}
    schema.update(
        {name: pl.Float64 if name.endswith("score_sum") else pl.Int64 for name in list(aggregates)[2:]}
    )
    frame = rows_frame(list(rows), schema)
    status, n = pl.col("status"), pl.col("n")
    by_sex = frame.select(
        "sex", n.alias("records"),
        *(pl.when(status == code).then(n).otherwise(0).alias(name)
          for name, code in (("tested", SCORED), ("exempt", EXEMPT), ("incomplete", INCOMPLETE),
                             ("invalid", INVALID))),
        *(pl.col(name).fill_null(0) for name in RATING_COUNTS),
        pl.when(status == SCORED).then(pl.col("total_sum")).otherwise(0.0).alias("total_sum"),
    )
    cells = frame.select("status", "n", (pl.col("bin") * stats.BIN_WIDTH).alias("total_score"))
    parts = [
        frame.filter(pl.col("status") != EXEMPT).select(
            pl.lit(item.key).alias("item"),
            *(pl.col(f"{item.key}__{c}").fill_null(0).alias(c)
              for c in ("tested", "score_sum", "passed", "excellent")),
        )
        for item in ITEMS
    ]
    return by_sex, cells, pl.concat(parts) if parts else pl.DataFrame()


# ---------------------------------------------------------------- assembled figures


def _summary_with_change(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    summary = stats.summarise(frame, ["year", *keys])
    return stats.year_change(summary, keys)


def _sex_label(sex: str | None) -> str:
    return {"M": "男", "F": "女"}.get(sex or "", "未知")


def yearly(user: Any, sel: Selection) -> pl.DataFrame:
    """Every year's counts of the selection by its next level down (one GROUP BY): the trend, the
    selected year, the previous year and the children all come from it."""
    key = child_key(sel)
    return counts(user, sel, [key] if key else [])


def latest_year_with_data(user: Any) -> int | None:
    """The latest school year with a visible measurement (an EXISTS per year, newest first)."""
    visible = FitnessMeasurement.objects.visible_to(user)
    for pk, start_year in SchoolYear.objects.order_by("-start_year").values_list("id", "start_year"):
        if visible.filter(school_year_id=pk).exists():
            return int(start_year)
    return None


def years_with_data(counted: pl.DataFrame) -> list[int]:
    if not counted.height:
        return []
    return sorted(counted.filter(pl.col("records") > 0)["year"].unique().drop_nulls().to_list())


def overview(user: Any, sel: Selection, year: int, counted: pl.DataFrame | None = None) -> dict[str, Any]:
    """Every figure of the 体质健康 overview for one unit and year (dicts and lists, ready to render or to
    return as JSON): ``summary`` (with ``expected``, ``missing`` and the changes), ``trend``, ``items``,
    ``histogram``, ``sexes`` and ``children`` (the next level down, each with its ``params``)."""
    counted = counted if counted is not None else yearly(user, sel)
    exp = expected(user, sel, year, by_class=sel.level == "grade")
    this_year = pl.col("year") == year

    summary = _summary_with_change(counted, []).filter(this_year).drop("year")
    summary = stats.add_expected(summary, exp)
    trend_rows = stats.summarise(counted, "year").filter(pl.col("records") > 0).sort("year")

    sex_counts, cells, item_counts = detail(user, sel, year)
    by_sex = stats.summarise(sex_counts, "sex")
    sexes = stats.add_expected(by_sex, exp, "sex").with_columns(
        pl.col("sex").replace_strict({"M": "男", "F": "女"}, default="未知", return_dtype=pl.String)
        .alias("label")
    )
    items = stats.item_rates(item_counts) if item_counts.height else pl.DataFrame()
    histogram = stats.distribution(cells)
    return {
        "year": year,
        "summary": summary.to_dicts()[0] if summary.height else {},
        "trend": trend_rows.to_dicts(),
        "items": items.to_dicts(),
        "histogram": histogram.to_dicts(),
        "sexes": sexes.to_dicts(),
        "children": child_summary(user, sel, year, counted, exp),
    }


def child_summary(user: Any, sel: Selection, year: int, counted: pl.DataFrame,
                  exp: pl.DataFrame) -> list[dict[str, Any]]:
    """The next level down with its figures and change: 镇/街道 or schools under a region, grades under a
    school, classes under a grade; none under a class."""
    key = child_key(sel)
    if key is None:
        return []
    if key == "class_id":
        return _class_children(sel, year, counted, exp)
    if key == "grade_code":
        out = _children_frame(counted.rename({"grade_code": "key"}), exp.rename({"grade_code": "key"}), year)
        return [{**row, "name": grade_name(row["key"]), "params": {**sel.params(), "grade": row["key"]}}
                for row in out.to_dicts() if row["key"]]
    schools = school_frame(user, sel).with_columns(child_of_path(pl.col("path"), sel.unit).alias("key"))
    link = schools.select("school_id", "key")
    out = _children_frame(counted.join(link, on="school_id"), exp.join(link, on="school_id"), year)
    units = {pk: (name, path) for pk, name, path in OrgUnit.objects.filter(
        pk__in=out["key"].drop_nulls().to_list()).values_list("pk", "name", "path")}
    rows = [{**row, "name": units[row["key"]][0], "params": {"unit": row["key"]}}
            for row in out.to_dicts() if row["key"] in units]
    return sorted(rows, key=lambda r: units[r["key"]][1])


def _children_frame(counted: pl.DataFrame, exp: pl.DataFrame, year: int) -> pl.DataFrame:
    summary = _summary_with_change(counted, ["key"]).filter(pl.col("year") == year).drop("year")
    return stats.add_expected(summary, exp, "key").filter(pl.col("key").is_not_null())


def _class_children(sel: Selection, year: int, counted: pl.DataFrame,
                    exp: pl.DataFrame) -> list[dict[str, Any]]:
    """Classes of a grade (this year only: a class exists in one school year)."""
    this_year = counted.filter(pl.col("year") == year).rename({"class_id": "key"})
    summary = stats.summarise(this_year, "key")
    out = stats.add_expected(summary, exp.rename({"class_id": "key"}), "key")
    classes = {
        c.pk: c for c in SchoolClass.objects.filter(pk__in=out["key"].drop_nulls().to_list())
    }
    rows = []
    for row in out.to_dicts():  # one row per class of the grade
        klass = classes.get(row["key"])
        name = klass.display_name if klass else "未匹配到班级"
        params = {**sel.params(), "class": row["key"]} if klass else None
        rows.append({**row, "name": name, "params": params, "number": klass.number if klass else 999})
    return sorted(rows, key=lambda r: r["number"])
