"""体质健康 plan: one 国家学生体质健康标准 measurement per on-roll pupil (一年级—高三) and school year.

Pure numpy/polars, seeded from the plan's seed (its own generator: the other frames do not change).
Each row's item results come from a *target score* on the standard's 0–100 scale:

    target = county level of the year + grade + sex + school (with its own small trend) + 镇/街道
             + pupil (persistent latent, correlated year to year) + item offset + item noise − BMI penalty

and the raw value is read off the 2014 tables of the row's grade and sex: a target between two score lines
gives a value between their thresholds (rounded toward the worse side, so it scores exactly the target's
line), so every value is realistic for its grade. Above the 100-point line values extend by the table's
top step (附加分 for 跳绳, 引体向上, 仰卧起坐 and the runs). 身高 follows Chinese growth references by
age and sex; 体重 comes from a BMI placed in the standard's own bands (persistent per pupil: about 18 %
超重或肥胖, 5 % 低体重). About 0.4 % are 免测 (more among pupils with a disability), about 1 % miss one item
(mostly the endurance run). The county's rates (优良率 ≈ 45 % in 2020 rising to ≈ 54 % in 2025, 合格率
≈ 89 % to ≈ 94 %) come from ``YEAR_LEVEL``/``YEAR_SPREAD``, calibrated on the full-scale county.

Scores are not part of the plan: the writer scores the rows with ``edubrain.fitness.services.score_rows``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from edubrain.core.fitness.items import HEIGHT, MEASURED_ITEMS, WEIGHT
from edubrain.core.fitness.standard import SEX_CODES, SEXES, load_json
from edubrain.core.stages import GRADE_BY_CODE
from edubrain.demo.catalog import YEARS
from edubrain.demo.plan_students import ON_ROLL

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SALT = 0x7F17_2014  # mixed with the plan's seed: the fitness draws have their own stream
TEST_DAY = (10, 15)  # 秋季学期测试

# County level (target points added to every item) and spread factor (pupil and item parts) per school year
# of ``YEARS``: calibrated so that the full-scale county's 优良率/合格率 run 45/89 % → 53.7/94 %.
YEAR_LEVEL = (0.0, 0.55, 1.1, 1.6, 2.15, 2.85)
YEAR_SPREAD = (0.97, 0.95, 0.94, 0.9, 0.865, 0.825)
BASE_LEVEL = 77.1
GRADE_LEVEL = {
    "11": 0.5,
    "12": 0.5,
    "13": 0.0,
    "14": 0.0,
    "15": 0.0,
    "16": -0.5,
    "21": 0.5,
    "22": 0.0,
    "23": -0.5,
    "31": 1.0,
    "32": 0.5,
    "33": 0.0,
}
SEX_LEVEL = (2.0, 0.0)  # 男, 女
PUPIL_SD = 14.0  # persistent latent × 0.85 + yearly part × 0.53
SCHOOL_SD, SCHOOL_TREND_SD, TOWN_SD = 4.5, 0.5, 2.0
ITEM_SD = 12.6
# Item offsets in points: 男生引体向上 is the classic weak item, endurance runs below average.
ITEM_LEVEL = {
    "vital_capacity": 6.0,
    "run_50m": 0.0,
    "sit_and_reach": 3.0,
    "rope_skip_1min": 4.0,
    "sit_up_1min": 0.0,
    "shuttle_run_50x8": -3.0,
    "standing_long_jump": -4.0,
    "pull_up": -24.0,
    "run_1000m": -6.0,
    "run_800m": -3.0,
}
# Best target allowed: bonus items go past the 100-point line (跳绳 the most).
ITEM_CAP = {
    "rope_skip_1min": 135.0,
    "pull_up": 112.0,
    "sit_up_1min": 112.0,
    "run_1000m": 110.0,
    "run_800m": 110.0,
}
DEFAULT_CAP = 106.0
# Penalty in points for 超重 / 肥胖 on the items that carry the body, and for 低体重 on strength items.
WEIGHT_BOUND = (
    "run_50m",
    "rope_skip_1min",
    "shuttle_run_50x8",
    "standing_long_jump",
    "pull_up",
    "run_1000m",
    "run_800m",
    "sit_up_1min",
)
OVER_PENALTY, OBESE_PENALTY, LOW_PENALTY = 5.0, 12.0, 3.0
# Measurement grid per item (values are rounded toward the worse side on it).
RESOLUTION = {
    "vital_capacity": 1.0,
    "run_50m": 0.1,
    "sit_and_reach": 0.1,
    "rope_skip_1min": 1.0,
    "sit_up_1min": 1.0,
    "shuttle_run_50x8": 1.0,
    "standing_long_jump": 1.0,
    "pull_up": 1.0,
    "run_1000m": 1.0,
    "run_800m": 1.0,
}
# BMI band shares (低体重, 超重, 肥胖) per sex; the rest is 正常.
BMI_SHARES = ((0.05, 0.115, 0.10), (0.06, 0.09, 0.06))
EXEMPT_SHARE, EXEMPT_DISABLED, MISSING_SHARE = 0.0017, 0.30, 0.01
ENDURANCE = ("run_1000m", "run_800m", "shuttle_run_50x8")

# Height (cm) by age 6…19: Chinese 2005 growth reference medians (+ about 1.5 cm secular gain) and SDs.
AGES = np.arange(6.0, 20.0)
HEIGHT_MEAN = (
    np.array(
        [119.0, 125.0, 130.8, 136.0, 141.0, 146.5, 153.0, 160.5, 166.5, 170.3, 172.0, 172.8, 173.2, 173.4]
    ),
    np.array(
        [117.8, 123.8, 129.5, 135.3, 141.5, 147.8, 153.3, 157.0, 159.1, 160.2, 160.6, 160.8, 161.0, 161.0]
    ),
)
HEIGHT_SD = (
    np.array([5.0, 5.3, 5.6, 5.9, 6.2, 6.7, 7.3, 7.6, 7.2, 6.6, 6.3, 6.2, 6.2, 6.2]),
    np.array([4.9, 5.2, 5.6, 6.1, 6.5, 6.6, 6.2, 5.8, 5.6, 5.5, 5.5, 5.5, 5.5, 5.5]),
)


@lru_cache(maxsize=1)
def _standard() -> dict[str, Any]:
    return load_json()


def grade_codes() -> tuple[str, ...]:
    """年级编号 the demo measures (小学 to 高中; the standard also has 大学)."""
    return tuple(c for c in sorted(_standard()["grades"]) if c < "40")


def items_of(grade: str, sex: int) -> tuple[str, ...]:
    """Measured item keys (BMI aside) of a grade and sex (0 男, 1 女)."""
    return tuple(k for k in _standard()["grades"][grade][f"items_{SEXES[sex]}"] if k != "bmi")


def _curve(grade: str, sex: int, key: str) -> tuple[FloatArray, FloatArray]:
    """Score lines (ascending) and their thresholds for one table."""
    rows = sorted(_standard()["scoring_tables"][key][SEXES[sex]][grade])
    return np.array([p for p, _ in rows], np.float64), np.array([t for _, t in rows], np.float64)


def value_at(
    target: FloatArray, points: FloatArray, thresholds: FloatArray, resolution: float, higher: bool
) -> FloatArray:
    """Raw values for target scores: linear between score lines, extended by the end steps beyond them,
    rounded to the item's grid toward the worse side (so a target on or above a line scores that line)."""
    value = np.interp(target, points, thresholds)
    lo_slope = (thresholds[1] - thresholds[0]) / (points[1] - points[0])
    hi_slope = (thresholds[-1] - thresholds[-2]) / (points[-1] - points[-2])
    value = np.where(target < points[0], thresholds[0] + (target - points[0]) * lo_slope, value)
    value = np.where(target > points[-1], thresholds[-1] + (target - points[-1]) * hi_slope, value)
    steps = value / resolution
    steps = np.floor(steps + 1e-6) if higher else np.ceil(steps - 1e-6)
    return np.round(steps * resolution, 1)


def _age(birth: pl.Expr, year: pl.Expr) -> pl.Expr:
    test_day = pl.date(year, TEST_DAY[0], TEST_DAY[1])
    return (test_day - birth).dt.total_days() / 365.25


def _band_bmi(
    u: FloatArray, edges: FloatArray, shares: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """BMI from a quantile ``u`` placed in the bands (低体重, 正常, 超重, 肥胖) by their shares; per row
    ``edges`` = the three upper edges, ``shares`` = (低体重, 超重, 肥胖)."""
    low, over, obese = shares[:, 0], shares[:, 1], shares[:, 2]
    cuts = np.stack([low, 1 - over - obese, 1 - obese], axis=1)
    band = (u[:, None] > cuts).sum(axis=1)
    start = np.concatenate([np.zeros((len(u), 1)), cuts], axis=1)[np.arange(len(u)), band]
    stop = np.concatenate([cuts, np.ones((len(u), 1))], axis=1)[np.arange(len(u)), band]
    r = np.clip((u - start) / np.maximum(stop - start, 1e-9), 0, 1)
    e1, e2, e3 = edges[:, 0], edges[:, 1], edges[:, 2]
    bmi = np.select(
        [band == 0, band == 1, band == 2],
        [
            e1 - 2.2 * (1 - r),
            e1 + 0.1 + (e2 - e1 - 0.1) * (0.5 - 0.5 * np.cos(np.pi * r)),
            e2 + 0.1 + (e3 - e2 - 0.1) * r,
        ],
        e3 + 0.1 + 7.0 * r**1.7,
    )
    return bmi, band


def _normal_cdf(x: FloatArray) -> FloatArray:
    """Φ(x), vectorised (Abramowitz–Stegun 7.1.26 for erf, error < 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    k = 1.0 / (1.0 + 0.3275911 * z)
    poly = k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def _measured_rows(
    enrollments: pl.DataFrame, students: pl.DataFrame, classes: pl.DataFrame, schools: pl.DataFrame
) -> pl.DataFrame:
    """On-roll enrolments in grades 11–33 with what the draws need (pupil, class number, 镇/街道, age)."""
    return (
        enrollments.filter(pl.col("status").is_in(ON_ROLL) & pl.col("_grade_code").is_in(grade_codes()))
        .select(
            "student_id",
            "school_year",
            "school_class_id",
            pl.col("_school_id").alias("school_id"),
            pl.col("_grade_code").alias("grade_code"),
        )
        .join(
            classes.select(pl.col("id").alias("school_class_id"), "number"),
            on="school_class_id",
            how="left",
            maintain_order="left",
        )
        .join(
            students.select(pl.col("id").alias("student_id"), "sex", "birth_date", "disability"),
            on="student_id",
            how="left",
            maintain_order="left",
        )
        .join(
            schools.select(pl.col("id").alias("school_id"), "town_id"),
            on="school_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(_age(pl.col("birth_date"), pl.col("school_year")).alias("_age"))
    )


def _groups(grade: npt.NDArray[np.int64], sex: npt.NDArray[np.int64]) -> list[tuple[str, int, IntArray]]:
    """(年级编号, sex, row indexes) of every grade × sex group present (rows sorted once by group)."""
    codes = grade_codes()
    group = grade * 2 + sex
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(codes) * 2 + 1))
    return [
        (codes[g // 2], g % 2, order[bounds[g] : bounds[g + 1]])
        for g in range(len(codes) * 2)
        if bounds[g] < bounds[g + 1]
    ]


def _standardised(effect: FloatArray, index: IntArray, sd: float) -> FloatArray:
    """``effect`` (per unit) shifted and scaled so that over the rows (``index`` = unit of each row) it has
    mean 0 and standard deviation ``sd``."""
    per_row = effect[index]
    spread = float(per_row.std())
    return (effect - per_row.mean()) * (sd / spread if spread > 0 else 0.0)


def fitness_frame(
    seed: int, enrollments: pl.DataFrame, students: pl.DataFrame, classes: pl.DataFrame, schools: pl.DataFrame
) -> pl.DataFrame:
    """One measurement row per on-roll enrolment in grades 11–33 (ids from 1, in enrolment order)."""
    codes = grade_codes()
    rows = _measured_rows(enrollments, students, classes, schools)
    n = rows.height
    rng = np.random.default_rng([seed, SALT])
    n_students = int(students["id"].max() or 0) + 1
    n_schools = int(schools["id"].max() or 0) + 1
    n_towns = int(schools["town_id"].max() or 0) + 1
    # persistent draws (pupil, school, town), then per-row draws; the order of draws is fixed
    pupil_fit, pupil_height, pupil_bmi = rng.standard_normal((3, n_students))
    school_level = rng.normal(0, SCHOOL_SD, n_schools)
    school_trend = rng.normal(0, SCHOOL_TREND_SD, n_schools)
    town_level = rng.normal(0, TOWN_SD, n_towns)
    year_fit, year_height, year_bmi = rng.standard_normal((3, n))
    item_noise = rng.standard_normal((n, len(MEASURED_ITEMS)))
    u_exempt, u_missing, u_pick = rng.random((3, n))

    sid = rows["student_id"].to_numpy()
    school = rows["school_id"].to_numpy()
    town = rows["town_id"].to_numpy()
    t = rows["school_year"].to_numpy() - YEARS[0]
    sex = (rows["sex"] == SEX_CODES[1]).to_numpy().astype(np.int64)
    grade_index = {code: i for i, code in enumerate(codes)}
    grade = rows["grade_code"].replace_strict(grade_index, return_dtype=pl.Int64).to_numpy()
    groups = _groups(grade, sex)
    # school and 镇/街道 effects centred and scaled over the pupils: the county's rates do not hinge on a
    # few draws (at small scales a handful of schools hold every pupil)
    school_level = _standardised(school_level, school, SCHOOL_SD)
    school_trend = _standardised(school_trend, school, SCHOOL_TREND_SD)
    town_level = _standardised(town_level, town, TOWN_SD)
    age = np.clip(rows["_age"].to_numpy(), AGES[0], AGES[-1])

    # 身高 by age and sex; BMI in the standard's bands of the row's grade and sex
    height = np.empty(n)
    for s in (0, 1):
        m = sex == s
        mean = np.interp(age[m], AGES, HEIGHT_MEAN[s])
        sd = np.interp(age[m], AGES, HEIGHT_SD[s])
        height[m] = mean + sd * (0.97 * pupil_height[sid[m]] + 0.24 * year_height[m])
    height = np.round(height, 1)
    edges = np.zeros((n, 3))
    for code, s, idx in groups:
        bands = {b["band"]: b for b in _standard()["bmi_bands"][SEXES[s]][code]}
        edges[idx] = [bands["低体重"]["max"], bands["正常"]["max"], bands["超重"]["max"]]
    u_bmi = _normal_cdf(0.92 * pupil_bmi[sid] + 0.39 * year_bmi)
    bmi, band = _band_bmi(u_bmi, edges, np.array(BMI_SHARES)[sex])
    weight = np.round(bmi * (height / 100) ** 2, 1)

    # target points of the pupil in this year, then per item
    spread = np.array(YEAR_SPREAD)[t]
    level = (
        BASE_LEVEL
        + np.array(YEAR_LEVEL)[t]
        + np.array([GRADE_LEVEL[c] for c in codes])[grade]
        + np.array(SEX_LEVEL)[sex]
        + school_level[school]
        + school_trend[school] * t
        + town_level[town]
        + spread * PUPIL_SD * (0.85 * pupil_fit[sid] + 0.53 * year_fit)
    )
    penalty = np.select([band == 3, band == 2], [OBESE_PENALTY, OVER_PENALTY], 0.0)
    values: dict[str, FloatArray] = {}
    for j, item in enumerate(MEASURED_ITEMS):
        target = level + ITEM_LEVEL[item.key] + spread * ITEM_SD * item_noise[:, j]
        if item.key in WEIGHT_BOUND:
            target -= penalty
        if item.key in ("vital_capacity", "standing_long_jump", "pull_up"):
            target -= np.where(band == 0, LOW_PENALTY, 0.0)
        target = np.minimum(target, ITEM_CAP.get(item.key, DEFAULT_CAP))
        out = np.full(n, np.nan)
        for code, s, idx in groups:
            if item.key in items_of(code, s):
                points, thresholds = _curve(code, s, item.key)
                out[idx] = value_at(
                    target[idx], points, thresholds, RESOLUTION[item.key], item.higher_is_better
                )
        values[item.column] = np.clip(out, item.low, item.high)

    # 免测 (all values empty) and one missing item (mostly the endurance run)
    disabled = rows["disability"].fill_null(False).to_numpy()
    exempt = u_exempt < np.where(disabled, EXEMPT_DISABLED, EXEMPT_SHARE)
    missing = ~exempt & (u_missing < MISSING_SHARE)
    column = {i.key: i.column for i in MEASURED_ITEMS}
    for code, s, idx in groups:
        miss = idx[missing[idx]]
        taken = items_of(code, s)
        endurance = [k for k in taken if k in ENDURANCE]
        others = [k for k in taken if k not in ENDURANCE]
        run = u_pick[miss] < (0.6 if endurance else 0.0)
        for k in endurance:
            values[column[k]][miss[run]] = np.nan
        slot = np.minimum((u_pick[miss] * len(others)).astype(np.int64), len(others) - 1)
        for i, k in enumerate(others):
            values[column[k]][miss[~run & (slot == i)]] = np.nan
    height[exempt] = np.nan
    weight[exempt] = np.nan
    for v in values.values():
        v[exempt] = np.nan

    ints = {i.column for i in MEASURED_ITEMS if i.kind == "int"}
    grade_name = {code: GRADE_BY_CODE[code].name for code in codes}
    return pl.DataFrame(
        [
            pl.Series("id", np.arange(1, n + 1), pl.Int64),
            rows["student_id"].cast(pl.Int64),
            rows["school_id"].cast(pl.Int64),
            rows["school_year"].cast(pl.Int64),
            rows["grade_code"],
            rows.select(
                pl.format("{}({})班", pl.col("grade_code").replace_strict(grade_name), pl.col("number"))
            )
            .to_series()
            .alias("class_name"),
            pl.Series(HEIGHT.column, height, pl.Float64, nan_to_null=True),
            pl.Series(WEIGHT.column, weight, pl.Float64, nan_to_null=True),
            *(
                pl.Series(c, v, pl.Float64, nan_to_null=True).cast(pl.Int64 if c in ints else pl.Float64)
                for c, v in values.items()
            ),
            pl.Series("exempt", exempt, pl.Boolean),
            rows["sex"].alias("_sex"),
        ]
    )


def measured_at(seed: int, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """``fitness_frame`` from a plan's frames."""
    return fitness_frame(
        seed, frames["enrollment"], frames["student"], frames["school_class"], frames["school"]
    )


__all__ = ["fitness_frame", "grade_codes", "items_of", "measured_at", "value_at"]
