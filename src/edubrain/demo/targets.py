"""Calibration targets (规划表1) for the demo county and their split by track (学段/办学类型) and grade.

Table 1 of the plan: 幼儿园在园 1.7万 → 1.1万; 义务教育在校生 3.9万 → 4.5万; 高中阶段 1.37万 → 1.3万,
of which 中职 0.31万 → 0.34万 (2020 → 2025). Years in between move linearly. Teacher-quality
targets are here too.
"""

from __future__ import annotations

from edubrain.demo.catalog import YEARS

# 学段 totals (on-roll: 在籍 + 转入), 2020 and 2025.
STAGE_TOTALS: dict[str, tuple[int, int]] = {
    "kindergarten": (17_000, 11_000),
    "compulsory": (39_000, 45_000),
    "upper_secondary": (13_700, 13_000),
    "vocational": (3_100, 3_400),
}
# 教师队伍 (专任教师) targets of Table 1, 2020 and 2025.
TEACHER_TARGETS: dict[str, tuple[float, float]] = {
    "preschool_major": (0.6473, 0.75),  # 幼儿园学前教育专业毕业专任教师比例
    "compulsory_bachelor": (0.9595, 0.97),  # 义务教育本科及以上学历比例
    "urban_rural_ratio": (1.07, 1.02),  # 城市与农村义务教育本科以上比例之比
    "senior_postgrad": (0.16, 0.18),  # 高中阶段硕士研究生以上比例
    "dual_qualified": (0.60, 0.85),  # 中职“双师型”占专任专业课教师比例
}
SCHOOLING_YEARS = (11.9, 12.2)  # 劳动年龄人口平均受教育年限

# Tracks: kg 幼儿园, cmp 小学/初中/九年一贯制, gen 普通高中, voc 中职, spe 特殊教育学校.
GRADES = ("01", "02", "03", "11", "12", "13", "14", "15", "16", "21", "22", "23", "31", "32", "33")
TRACK_GRADES: dict[str, range] = {
    "kg": range(0, 3),
    "cmp": range(3, 12),
    "gen": range(12, 15),
    "voc": range(12, 15),
    "spe": range(0, 15),
}
_GRADE_WEIGHTS = {
    "kg": (0.31, 0.33, 0.36),
    "cmp": (1.06, 1.05, 1.04, 1.03, 1.02, 1.01, 0.96, 0.95, 0.94),
    "gen": (0.34, 0.33, 0.33),
    "voc": (0.35, 0.33, 0.32),
}
# 特殊教育学校 pupils per grade at full scale: 学前, 小学, 初中, 高中（职业高中部）.
_SPECIAL_PER_GRADE = (4, 4, 4, 10, 10, 10, 10, 10, 10, 9, 9, 9, 5, 5, 5)


def interpolate(pair: tuple[float, float], year: int) -> float:
    first, last = pair
    return first + (last - first) * (year - YEARS[0]) / (YEARS[-1] - YEARS[0])


def apportion(total: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    base = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (base[i] - raw[i], i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def stage_totals(year: int, scale: float = 1.0) -> dict[str, int]:
    """On-roll targets for one school year at the given scale."""
    return {k: round(interpolate(v, year) * scale) for k, v in STAGE_TOTALS.items()}


def special_per_grade(scale: float) -> list[int]:
    """特教学校 pupils per grade index; at least one per compulsory grade so the school is never empty."""
    return [max(1 if 3 <= k < 12 else 0, round(n * scale)) for k, n in enumerate(_SPECIAL_PER_GRADE)]


def grade_targets(year: int, scale: float = 1.0) -> dict[tuple[str, int], int]:
    """On-roll target per (track, grade index) for a school year; stage sums equal ``stage_totals``."""
    totals = stage_totals(year, scale)
    spe = special_per_grade(scale)
    stage_sum = {
        "kg": totals["kindergarten"] - sum(spe[0:3]),
        "cmp": totals["compulsory"] - sum(spe[3:12]),
        "gen": totals["upper_secondary"] - totals["vocational"] - sum(spe[12:15]),
        "voc": totals["vocational"],
    }
    out: dict[tuple[str, int], int] = {}
    for track, n in stage_sum.items():
        for k, part in zip(TRACK_GRADES[track], apportion(n, _GRADE_WEIGHTS[track]), strict=True):
            out[(track, k)] = part
    for k, n in enumerate(spe):
        out[("spe", k)] = n
    return out
