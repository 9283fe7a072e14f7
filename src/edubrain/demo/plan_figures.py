"""Yearly figures: 办学条件 per school, 教育经费 of the county, 出生人口 per 镇/街道,
分年龄人口, 平均受教育年限.

Facilities scale with each school's peak enrolment; about a third of 乡村 schools are
under-equipped (薄弱学校) and improve year by year; the schools the plan rebuilds (新建、改扩建) gain
space from their completion year. Population by age is derived from on-roll pupils and the plan's
enrolment ratios (毛入园率 99%, 高中阶段毛入学率 98% → 98.5%); births from those cohorts, declining
after 2017.
"""

from __future__ import annotations

import math
import random

import polars as pl

from edubrain.core.stages import JUNIOR, PRESCHOOL, PRIMARY, SENIOR, SPECIAL, VOCATIONAL
from edubrain.demo.catalog import RURAL, URBAN, YEARS, SchoolSpec, Town
from edubrain.demo.plan_org import COUNTY_ID, FIRST_TOWN_ID
from edubrain.demo.plan_students import ON_ROLL
from edubrain.demo.targets import GRADES, SCHOOLING_YEARS, interpolate

# Per pupil: land, building (㎡), sports ground (㎡), equipment (元), books (册), computers.
_PER_PUPIL = {
    PRESCHOOL: (15, 9, 4, 900, 10, 0.03),
    PRIMARY: (22, 7.5, 6, 2000, 30, 0.12),
    JUNIOR: (26, 9.5, 7, 2800, 40, 0.15),
    SENIOR: (30, 12, 8, 4500, 45, 0.20),
    VOCATIONAL: (35, 14, 8, 8000, 35, 0.35),
    SPECIAL: (80, 40, 10, 10000, 40, 0.5),
}
_MAIN_STAGE = {
    "kindergarten": PRESCHOOL,
    "primary": PRIMARY,
    "junior": JUNIOR,
    "nine_year": PRIMARY,
    "senior_high": SENIOR,
    VOCATIONAL: VOCATIONAL,
    SPECIAL: SPECIAL,
}


def facility_frame(
    schools: list[SchoolSpec], enrollments: pl.DataFrame, classes: pl.DataFrame, rng: random.Random
) -> pl.DataFrame:
    on_roll = dict(
        ((s, y), n)
        for s, y, n in enrollments.filter(pl.col("status").is_in(ON_ROLL))
        .group_by("_school_id", "school_year")
        .len()
        .iter_rows()
    )
    n_classes = dict(
        ((s, y), n) for s, y, n in classes.group_by("school_id", "school_year").len().iter_rows()
    )
    rows = []
    for s in schools:
        sid = s.idx + 1
        peak = max((on_roll.get((sid, y), 0) for y in YEARS), default=0)
        land, build, sport, equip, books, pcs = _PER_PUPIL[_MAIN_STAGE[s.school_type]]
        roomy = 1.5 if s.locality == RURAL else 1.0
        weak = s.locality == RURAL and rng.random() < 0.35
        base = max(peak, 40) * rng.uniform(0.9, 1.15)
        for y in YEARS:
            if not s.open_in(y) or (sid, y) not in n_classes:
                continue
            pupils = on_roll.get((sid, y), 0)
            lack = min(1.0, 0.55 + 0.07 * (y - 2020)) if weak else 1.0
            grown = 1.3 if s.rebuilt and y >= s.rebuilt else 1.0
            building = base * build * roomy * grown * (0.85 if weak else 1.0)
            rows.append(
                {
                    "school_id": sid,
                    "year": y,
                    "land_area": round(base * land * roomy * grown, 2),
                    "building_area": round(building, 2),
                    "teaching_area": round(building * rng.uniform(0.5, 0.6), 2),
                    "sports_area": round(base * sport * roomy * (0.7 if weak else 1.0), 2),
                    "equipment_value": round(
                        pupils * equip * lack * 1.06 ** (y - 2020) * rng.uniform(0.9, 1.1), 2
                    ),
                    "books": round(pupils * books * lack * rng.uniform(0.9, 1.2)),
                    "multimedia_classrooms": math.ceil(n_classes[(sid, y)] * (lack if weak else 1.0)),
                    "computers": round(pupils * pcs * lack * rng.uniform(0.9, 1.2)),
                    "broadband_mbps": _bandwidth(s, y, weak),
                }
            )
    frame = pl.DataFrame(rows)
    return frame.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))


def _bandwidth(s: SchoolSpec, year: int, weak: bool) -> int:
    """出口带宽: 千兆到校 reached in towns by 2023, in weak rural schools by 2025."""
    if s.locality == URBAN:
        return 500 if year < 2022 else 1000
    if weak:
        return 100 if year < 2023 else (300 if year < 2025 else 1000)
    return 200 if year < 2021 else (500 if year < 2023 else 1000)


def finance_frame(rng: random.Random, scale: float) -> pl.DataFrame:
    """一般公共预算教育支出 (元), growing every year, with the split by stage."""
    rows, budget = [], 960_000_000 * scale
    for i, y in enumerate(YEARS):
        if i:
            budget *= 1 + rng.uniform(0.025, 0.06)
        shares = {
            "preschool": 0.09 + 0.004 * i,
            "primary": 0.33,
            "junior": 0.22,
            "senior": 0.14 - 0.002 * i,
            "vocational": 0.065 + 0.002 * i,
            "special": 0.01,
        }
        row = {"id": i + 1, "org_unit_id": COUNTY_ID, "year": y, "general_budget": round(budget, 2)}
        row |= {k: round(budget * v * rng.uniform(0.98, 1.02), 2) for k, v in shares.items()}
        rows.append(row)
    return pl.DataFrame(rows)


def population_frames(
    enrollments: pl.DataFrame, towns: list[Town], rng: random.Random, scale: float
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(births per 镇/街道 1998—2025, county population by single year of age 0—22 for 2020—2025)."""
    per_grade = dict(
        ((y, g), n)
        for y, g, n in enrollments.filter(pl.col("status").is_in(ON_ROLL))
        .group_by("school_year", "_grade_code")
        .len()
        .iter_rows()
    )
    ratio = {
        PRESCHOOL: lambda y: 0.99,
        PRIMARY: lambda y: 1.0,
        JUNIOR: lambda y: 0.995,
        SENIOR: lambda y: interpolate((0.98, 0.985), y),
    }
    stage = [PRESCHOOL] * 3 + [PRIMARY] * 6 + [JUNIOR] * 3 + [SENIOR] * 3
    pop: dict[tuple[int, int], int] = {}
    for y in YEARS:
        for k, g in enumerate(GRADES):
            pop[(y, k + 3)] = round(per_grade.get((y, g), 0) / ratio[stage[k]](y))
    cohort: dict[int, list[int]] = {}
    for (y, age), n in pop.items():
        cohort.setdefault(y - age, []).append(n)
    births = {b: round(sum(v) / len(v) * 1.02) for b, v in cohort.items()}
    for b in range(min(births) - 1, 1997, -1):
        births[b] = round(births[b + 1] * 1.01)
    for b in range(max(births) + 1, YEARS[-1] + 1):
        births[b] = round(births[b - 1] * rng.uniform(0.9, 0.95))
    for y in YEARS:
        for age in (*range(0, 3), *range(18, 23)):
            pop[(y, age)] = round(births[y - age] * (0.99 if age < 3 else 0.93))
    pop_rows = [
        {"org_unit_id": COUNTY_ID, "year": y, "age": a, "population": n, "source": "统计局（演示）"}
        for (y, a), n in sorted(pop.items())
    ]
    total = sum(t.pop for t in towns)
    birth_rows = []
    for b in sorted(births):
        weights = [t.pop / total * rng.uniform(0.93, 1.07) for t in towns]
        parts = [round(births[b] * w / sum(weights)) for w in weights]
        birth_rows += [
            {"org_unit_id": FIRST_TOWN_ID + t.idx, "year": b, "births": n}
            for t, n in zip(towns, parts, strict=True)
        ]
    frames = []
    for rows in (birth_rows, pop_rows):
        frame = pl.DataFrame(rows)
        frames.append(frame.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64)))
    return frames[0], frames[1]


def schooling_frame(towns: list[Town], rng: random.Random) -> pl.DataFrame:
    """劳动年龄人口平均受教育年限: county 11.9 (2020) → 12.2 (2025); 街道 above, 镇 below the county."""
    rows = []
    for y in YEARS:
        county = interpolate(SCHOOLING_YEARS, y)
        rows.append({"org_unit_id": COUNTY_ID, "year": y, "years": round(county, 2)})
        for t in towns:
            offset = 0.6 if t.urban else -0.35 + rng.uniform(-0.15, 0.15)
            rows.append({"org_unit_id": FIRST_TOWN_ID + t.idx, "year": y, "years": round(county + offset, 2)})
    frame = pl.DataFrame(rows).with_columns(pl.lit("统计局（演示）").alias("source"))
    return frame.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))
