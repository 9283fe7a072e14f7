"""Read side of 学位与班额, always scoped through ``visible_to(user)``.

A ``Selection`` is the unit a page looks at: 县 → 镇/街道 → 学校. ``class_overview`` gives every figure of the
班额 page (counts per year, by stage, the next level down, the over-size classes, the schools over the size
limits); ``forecast_overview`` the 学位预警 figures (forecast, warnings, back-test). The frames come from
``places.inputs`` (GROUP BY in the database), the rules from ``core.places`` — the same functions the
indicator engine uses for 大班额/超大班额/大校额.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.base.orgtree import OrgKind
from edubrain.base.units import UnitSelection, child_of_path, chosen_unit, named_children, unit_crumbs
from edubrain.core.errors import CoreError
from edubrain.core.places import (
    ClassSizeOptions,
    ForecastOptions,
    Scenario,
    backtest,
    class_size_summary,
    classify_classes,
    forecast_places,
    method_text,
    school_size,
)
from edubrain.core.places.class_size import in_class_size_scope
from edubrain.core.stages import (
    JUNIOR,
    PRIMARY,
    STAGE_LABELS,
    grade_name,
    school_system_grades,
    school_type_label,
)
from edubrain.places import inputs
from edubrain.registry.models import School
from edubrain.registry.models_org import school_system

CLASS_RULE = (
    "班额按当学年在籍、转入学生数计（每个班级的实际人数，不用平均班额）。标准班额：小学45人，初中、高中50人；"
    "大班额为56人及以上（含超大班额），超大班额为66人及以上；统计小学、初中、普通高中班级，不含幼儿园和中等职业学校。"
    "大校额：义务教育段在校生超过2000人（小学、初级中学、完全中学）或2500人（九年一贯制、十二年一贯制）。"
)


@dataclass(frozen=True)
class Selection(UnitSelection):
    """An org unit (county, 镇/街道 or school node) and, for a school node, its school."""

    school: School | None = None


def selection_for(user: Any, unit_id: int | None) -> Selection | None:
    """The selection of ``?unit=`` (None when the user sees nothing; LookupError outside the scope)."""
    unit = chosen_unit(user, unit_id)
    if unit is None:
        return None
    school = None
    if unit.kind == OrgKind.SCHOOL:
        school = School.objects.visible_to(user).filter(org_unit=unit).first()
    return Selection(unit=unit, school=school)


def breadcrumbs(user: Any, sel: Selection) -> list[tuple[str, dict[str, Any]]]:
    return unit_crumbs(user, sel.unit)


# ---------------------------------------------------------------- 班额


def sized_classes(user: Any, sel: Selection) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(schools, every class with pupils, the classified classes the 大班额 counts cover) of the selection."""
    schools = inputs.school_frame(user, sel.unit)
    classes = inputs.class_frame(user, sel.unit, schools=schools)
    counted = classify_classes(classes.filter(in_class_size_scope()), ClassSizeOptions())
    return schools, classes, counted


def class_years(classes: pl.DataFrame) -> list[int]:
    return sorted(set(classes["year"].to_list()))


def _children(sel: Selection, counted: pl.DataFrame) -> list[dict[str, Any]]:
    if sel.level == OrgKind.SCHOOL:
        rows = class_size_summary(counted, ["grade_code"]).to_dicts()
        return [{**r, "name": grade_name(r["grade_code"]), "params": None} for r in rows]
    keyed = counted.with_columns(child_of_path(pl.col("path"), sel.unit).alias("key")).filter(
        pl.col("key").is_not_null()
    )
    return named_children(class_size_summary(keyed, ["key"]).to_dicts())


def oversize_list(counted: pl.DataFrame, year: int) -> pl.DataFrame:
    """The classes of ``year`` over their standard size or 大班额, largest first."""
    return counted.filter(
        (pl.col("year") == year) & (pl.col("over_standard").fill_null(False) | pl.col("large_class"))
    ).sort(["size", "path", "grade_code", "number"], descending=[True, False, False, False])


def schools_over_limits(classes: pl.DataFrame, schools: pl.DataFrame, year: int) -> pl.DataFrame:
    """Schools of ``year`` over their 校额 limit (义务教育段 pupils) or their design size in classes."""
    sized = school_size(inputs.size_frame(classes.filter(pl.col("year") == year), schools))
    return sized.filter(
        pl.col("over_size_limit").fill_null(False) | pl.col("over_class_limit").fill_null(False)
    ).sort("pupils", descending=True)


def class_overview(
    user: Any,
    sel: Selection,
    year: int,
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None = None,
) -> dict[str, Any]:
    """Every figure of the 班额 page of one unit and 学年 (plain dicts and lists); ``frames``: the
    ``sized_classes`` of the selection when the caller has them already."""
    schools, classes, counted = frames if frames is not None else sized_classes(user, sel)
    trend = class_size_summary(counted, ["year"])
    this_year = counted.filter(pl.col("year") == year)
    summary_rows = class_size_summary(this_year, ()).to_dicts()
    order = {stage: i for i, stage in enumerate(STAGE_LABELS)}
    by_stage = (
        class_size_summary(this_year, ["stage"])
        .filter(pl.col("stage").is_not_null())
        .sort(pl.col("stage").replace_strict(order, default=len(order), return_dtype=pl.Int64))
    )
    over = schools_over_limits(classes, schools, year)
    oversize = oversize_list(counted, year)
    yearly_over = (
        school_size(inputs.size_frame(classes, schools))
        .group_by("year")
        .agg(pl.col("over_size_limit").fill_null(False).sum().alias("oversized_schools"))
    )
    trend = trend.join(yearly_over, on="year", how="left").sort("year")
    return {
        "year": year,
        "summary": summary_rows[0] if summary_rows else {},
        "trend": trend.to_dicts(),
        "stages": [{**r, "label": STAGE_LABELS.get(r["stage"], r["stage"])} for r in by_stage.to_dicts()],
        "children": _children(sel, this_year),
        "oversize": [
            {
                **r,
                "grade": grade_name(r["grade_code"]),
                "class_name": f"{grade_name(r['grade_code'])}（{r['number']}）班",
            }
            for r in oversize.to_dicts()
        ],
        "schools_over": [{**r, "type_label": school_type_label(r["school_type"])} for r in over.to_dicts()],
    }


def oversize_export(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """The over-size class list with Chinese headers (for xlsx)."""
    return pl.DataFrame(
        {
            "学年": [r["year"] for r in rows],
            "镇/街道": [r["town"] for r in rows],
            "学区": [r["zone"] or "" for r in rows],
            "学校": [r["school"] for r in rows],
            "学段": [r["stage_label"] for r in rows],
            "年级": [r["grade"] for r in rows],
            "班号": [r["number"] for r in rows],
            "班额": [r["size"] for r in rows],
            "标准班额": [r["standard_size"] for r in rows],
            "超标准人数": [r["size"] - r["standard_size"] if r["standard_size"] else None for r in rows],
            "班额区间": [r["size_band"] for r in rows],
            "大班额": ["是" if r["large_class"] else "否" for r in rows],
            "超大班额": ["是" if r["super_large_class"] else "否" for r in rows],
        },
        schema_overrides={
            "学年": pl.Int64,
            "班号": pl.Int64,
            "班额": pl.Int64,
            "标准班额": pl.Int64,
            "超标准人数": pl.Int64,
        },
    )


# ---------------------------------------------------------------- 学位预警


@dataclass(frozen=True)
class BacktestPlan:
    origin: int
    target: int


def backtest_years(years: list[int], lead: int = 3) -> BacktestPlan | None:
    """Forecast the year before the last observed one from ``lead`` years earlier (the demo: 2024 from the
    data up to 2021); None when the data are too short."""
    if not years:
        return None
    target = max(years) - 1
    origin = target - lead
    return BacktestPlan(origin, target) if origin >= min(years) else None


def forecast_overview(
    user: Any, sel: Selection, grouping: str | None, scenario: Scenario | None = None
) -> dict[str, Any]:
    """The 学位预警 figures of a unit: forecast rows (zone × year × stage) with warnings, the zones, the
    observed entrants, the method text, notes on missing data and the back-test."""
    system = school_system()
    options = ForecastOptions(system=system)
    fi = inputs.place_data(user, sel.unit, grouping, system, options.years)
    base: dict[str, Any] = {
        "grouping": fi.grouping,
        "grouping_label": inputs.GROUPINGS[fi.grouping],
        "zones": fi.zones,
        "notes": list(fi.notes),
        "method": method_text(options, scenario),
        "rows": [],
        "years": [],
        "observed": [],
        "backtest": None,
    }
    if fi.data.enrolment.is_empty():
        base["notes"].append("所选单位没有小学、初中在校生数据，无法预测学位。")
        return base
    try:
        result = forecast_places(fi.data, options, scenario)
    except CoreError as exc:
        base["notes"].append(exc.message)
        return base
    grades = school_system_grades(system)
    entry = {grades[PRIMARY][0]: PRIMARY, grades[JUNIOR][0]: JUNIOR}
    observed = (
        fi.data.enrolment.filter(pl.col("grade_code").is_in(list(entry)))
        .select(
            "zone",
            "year",
            pl.col("grade_code").replace_strict(entry, return_dtype=pl.String).alias("stage"),
            pl.col("pupils").alias("entrants"),
        )
        .sort("zone", "year")
    )
    years = class_years(fi.data.enrolment)
    plan = backtest_years(years)
    tested = None
    if plan is not None:
        parts = [
            backtest(fi.data, plan.origin, plan.target, options, stage=stage) for stage in (PRIMARY, JUNIOR)
        ]
        tested = {
            "origin": plan.origin,
            "target": plan.target,
            "stages": [
                {
                    "stage": stage,
                    "label": f"{STAGE_LABELS[stage]}{'一年级' if stage == PRIMARY else '初一'}新生",
                    "rows": [{**r, "name": fi.zones.get(r["zone"], r["zone"])} for r in part.to_dicts()],
                    "mape": part["mape"][0] if part.height else None,
                }
                for stage, part in zip((PRIMARY, JUNIOR), parts, strict=True)
            ],
        }
    base.update(
        rows=[{**r, "name": fi.zones.get(r["zone"], r["zone"])} for r in result.drop("method").to_dicts()],
        years=sorted(set(result["year"].to_list())),
        observed=observed.to_dicts(),
        observed_years=years,
        backtest=tested,
        origin=max(years),
    )
    return base


def forecast_export(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "区域": [r["name"] for r in rows],
            "年份": [r["year"] for r in rows],
            "学段": [r["stage_label"] for r in rows],
            "出生人口": [r["births"] for r in rows],
            "出生数来源": [r["births_source"] for r in rows],
            "入学比率": [r["intake_rate"] for r in rows],
            "预测新生数": [_round(r["entrants"]) for r in rows],
            "预测在校生数": [_round(r["enrolment"]) for r in rows],
            "招生计划数": [r["entry_places"] for r in rows],
            "学位总数": [r["total_places"] for r in rows],
            "新生占计划(%)": [_round(r["entry_ratio"], 1) for r in rows],
            "在校生占学位(%)": [_round(r["total_ratio"], 1) for r in rows],
            "新生预警": [r["warning"] for r in rows],
            "学位总量预警": [r["seat_warning"] for r in rows],
            "说明": [
                "；".join(x for x in (r["warning_reason"], r["seat_warning_reason"]) if x) for r in rows
            ],
            "情景": [r["scenario"] for r in rows],
        },
        schema_overrides={
            "年份": pl.Int64,
            "出生人口": pl.Float64,
            "入学比率": pl.Float64,
            "预测新生数": pl.Float64,
            "预测在校生数": pl.Float64,
            "招生计划数": pl.Float64,
            "学位总数": pl.Float64,
            "新生占计划(%)": pl.Float64,
            "在校生占学位(%)": pl.Float64,
        },
    )


def _round(value: float | None, places: int = 0) -> float | None:
    return None if value is None else round(value, places)
