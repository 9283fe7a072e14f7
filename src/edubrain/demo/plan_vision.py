"""视力筛查 plan: one autumn screening per on-roll pupil (一年级—高三) and school year.

Pure numpy/polars, seeded from the plan's seed (its own stream: the other frames do not change). A pupil is
myopic when a persistent latent (``PUPIL_WEIGHT`` of it carried from year to year, the rest yearly noise)
falls below the probit of the grade's prevalence, shifted by school, 镇/街道, school trend and the county's
yearly decline (``YEAR_SHIFT``). Since the threshold rises with the grade, myopia progresses and rarely
reverses; the distance below the threshold sets the spherical equivalent of the worse eye (deeper in older
grades), the other eye is a little less myopic. Acuity follows the SE; many myopic pupils wear glasses, a
few 角膜塑形镜. Refraction is written as sphere and (minus) cylinder on the 0.25 D grid, rounded so the SE
stays on its side of −0.50 D. About a third of the schools also measure axial length.

Prevalence runs from about 15 % in 一年级 to about 80 % in 高三; the county 总体近视率 falls about one point a
year (calibrated on the full-scale county). The classification is not part of the plan: the writer
classifies the rows with ``edubrain.vision.services.classify_rows``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from edubrain.demo.catalog import YEARS
from edubrain.demo.plan_fitness import _measured_rows, _normal_cdf, _standardised, grade_codes

SALT = 0x5EE_0663
START_DAY = (9, 10)  # 秋季筛查 from 10 September, each school on its own day within ``SPREAD_DAYS``
SPREAD_DAYS = 60
PREVALENCE = {
    "11": 0.15,
    "12": 0.22,
    "13": 0.30,
    "14": 0.38,
    "15": 0.45,
    "16": 0.52,
    "21": 0.61,
    "22": 0.67,
    "23": 0.72,
    "31": 0.76,
    "32": 0.79,
    "33": 0.82,
}
YEAR_SHIFT = (0.0, 0.025, 0.05, 0.075, 0.1, 0.125)  # z units subtracted from the threshold per year
SCHOOL_SD, SCHOOL_TREND_SD, TOWN_SD = 0.22, 0.02, 0.12
PUPIL_WEIGHT = 0.995  # persistent share of the latent (the rest: yearly noise, so reversals are rare)
EYE_GAP_SD = 0.35  # D: the better eye is less myopic by |N(0, sd)|
ORTHOK_SHARE = 0.04
HYPEROPIC_RESERVE = 0.05  # D per grade below 高三 added to the non-myopic: young pupils are more hyperopic


def _quantile(p: np.ndarray) -> np.ndarray:
    """Φ⁻¹(p) by bisection on ``_normal_cdf`` (vectorised, a few dozen values)."""
    lo, hi = np.full_like(p, -6.0), np.full_like(p, 6.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        below = _normal_cdf(mid) < p
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


def _grid(se: np.ndarray, cylinder: np.ndarray, myopic: np.ndarray) -> np.ndarray:
    """Sphere on the 0.25 D grid with ``sphere + cylinder/2`` on the same side of −0.50 D as ``se``."""
    raw = (se - cylinder / 2) * 4
    return np.where(myopic, np.floor(raw + 1e-9), np.ceil(raw - 1e-9)) / 4


def vision_frame(
    seed: int, enrollments: pl.DataFrame, students: pl.DataFrame, classes: pl.DataFrame, schools: pl.DataFrame
) -> pl.DataFrame:
    """One screening row per on-roll enrolment in grades 11–33 (ids from 1, in enrolment order)."""
    codes = grade_codes()
    rows = _measured_rows(enrollments, students, classes, schools)
    n = rows.height
    rng = np.random.default_rng([seed, SALT])
    n_students = int(students["id"].max() or 0) + 1
    n_schools = int(schools["id"].max() or 0) + 1
    n_towns = int(schools["town_id"].max() or 0) + 1
    pupil, pupil_glasses, pupil_eye = rng.standard_normal(n_students), *rng.random((2, n_students))
    school_level = rng.normal(0, SCHOOL_SD, n_schools)
    school_trend = rng.normal(0, SCHOOL_TREND_SD, n_schools)
    town_level = rng.normal(0, TOWN_SD, n_towns)
    school_day = rng.integers(0, SPREAD_DAYS, n_schools)
    school_axial = rng.random(n_schools) < 0.35
    yearly, gap, cyl_a, cyl_b, acuity_noise, corrected_noise, axial_noise = rng.standard_normal((7, n))
    u_orthok, u_cyl = rng.random((2, n))

    sid = rows["student_id"].to_numpy()
    school = rows["school_id"].to_numpy()
    town = rows["town_id"].to_numpy()
    t = rows["school_year"].to_numpy() - YEARS[0]
    grade = rows["grade_code"].replace_strict({c: i for i, c in enumerate(codes)}, return_dtype=pl.Int64)
    g = grade.to_numpy()
    school_level = _standardised(school_level, school, SCHOOL_SD)
    school_trend = _standardised(school_trend, school, SCHOOL_TREND_SD)
    town_level = _standardised(town_level, town, TOWN_SD)

    threshold = (
        _quantile(np.array([PREVALENCE[c] for c in codes]))[g]
        - np.array(YEAR_SHIFT)[t]
        + school_level[school]
        + town_level[town]
        - school_trend[school] * t
    )
    latent = PUPIL_WEIGHT * pupil[sid] + np.sqrt(1 - PUPIL_WEIGHT**2) * yearly
    depth = threshold - latent  # > 0: myopic
    myopic = depth > 0
    steep = 0.9 + 0.1 * g
    worse = np.where(
        myopic,
        -0.5 - steep * np.maximum(depth, 0) ** 1.3,
        np.minimum(-0.25 + 0.8 * -depth + HYPEROPIC_RESERVE * (len(codes) - 1 - g), 3.0),
    )
    better = np.minimum(worse + np.abs(gap) * EYE_GAP_SD, 3.0)
    left_worse = pupil_eye[sid] < 0.5
    se = {"left": np.where(left_worse, worse, better), "right": np.where(left_worse, better, worse)}
    cylinder = {
        "left": -0.25 * np.floor(np.abs(cyl_a) * 1.6 * (u_cyl < 0.7)),
        "right": -0.25 * np.floor(np.abs(cyl_b) * 1.6 * (u_cyl < 0.7)),
    }
    columns: dict[str, np.ndarray] = {}
    for side, noise in (("left", acuity_noise), ("right", -acuity_noise * 0.5 + 0.5 * gap)):
        eye_myopic = se[side] <= -0.5
        sphere = _grid(se[side], cylinder[side], eye_myopic)
        spherical = sphere + cylinder[side] / 2
        acuity = np.where(
            eye_myopic,
            np.minimum(5.0 - 0.33 * (-spherical - 0.2) + 0.08 * noise, 4.9),
            5.05 + 0.08 * noise - 0.1 * (np.abs(cylinder[side]) >= 1.0),
        )
        columns[f"{side}_sphere"] = sphere
        columns[f"{side}_cylinder"] = cylinder[side]
        columns[f"{side}_axis"] = np.where(cylinder[side] < 0, (np.abs(noise) * 60 + 170) % 180 + 1, np.nan)
        columns[f"{side}_acuity"] = np.clip(np.round(acuity, 1), 4.0, 5.3)
        columns[f"_{side}_se"] = spherical
    myope = (columns["_left_se"] <= -0.5) | (columns["_right_se"] <= -0.5)
    worst = np.minimum(columns["_left_se"], columns["_right_se"])
    wears = myope & (pupil_glasses[sid] < np.minimum(0.3 + 0.15 * -worst, 0.92))
    orthok = wears & (g < 9) & (u_orthok < ORTHOK_SHARE / 0.6)
    correction = np.where(orthok, "orthok", np.where(wears, "glasses", ""))
    for side in ("left", "right"):
        corrected = np.clip(np.round(5.0 + 0.06 * corrected_noise, 1), 4.8, 5.2)
        columns[f"{side}_corrected"] = np.where(wears, corrected, np.nan)
        axial = 23.1 + 0.04 * g - 0.35 * columns[f"_{side}_se"] + 0.5 * axial_noise
        columns[f"axial_{side}"] = np.where(school_axial[school], np.round(axial, 2), np.nan)
    day = school_day[school] + (sid % 3)
    start = pl.date(pl.col("school_year"), START_DAY[0], START_DAY[1])
    screened = rows.select((start + pl.duration(days=pl.Series(day))).alias("screened_on")).to_series()

    def series(name: str, dtype: pl.DataType | None = None) -> pl.Series:
        return pl.Series(name, columns[name], pl.Float64, nan_to_null=True).cast(dtype or pl.Float64())

    return pl.DataFrame(
        [
            pl.Series("id", np.arange(1, n + 1), pl.Int64),
            rows["student_id"].cast(pl.Int64),
            rows["school_id"].cast(pl.Int64),
            rows["school_year"].cast(pl.Int64),
            screened,
            series("left_acuity"),
            series("right_acuity"),
            *(series(f"{s}_{k}") for s in ("left", "right") for k in ("sphere", "cylinder")),
            series("left_axis", pl.Int64()),
            series("right_axis", pl.Int64()),
            pl.Series("correction", correction, pl.String),
            pl.Series("glasses", wears, pl.Boolean),
            series("left_corrected"),
            series("right_corrected"),
            series("axial_left"),
            series("axial_right"),
            rows["birth_date"].alias("_birth_date"),
            rows["grade_code"].alias("_grade_code"),
        ]
    )


def screened_at(seed: int, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """``vision_frame`` from a plan's frames."""
    return vision_frame(
        seed, frames["enrollment"], frames["student"], frames["school_class"], frames["school"]
    )


__all__ = ["screened_at", "vision_frame"]
