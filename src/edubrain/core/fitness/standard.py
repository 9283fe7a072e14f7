"""The tables of 《国家学生体质健康标准（2014年修订）》 (``edubrain/data/fitness_standard_2014.json``,
shipped as package data) as numpy arrays indexed by *group* = grade × sex.

A group index is ``grade_index * 2 + sex_index`` (sex 0 = 男, 1 = 女) over ``GRADE_CODES``. Tables are stored
"better ascending": for runs the thresholds are negated, so one rule serves every item — the score is that of
the highest threshold ≤ the (negated) value, 0 below the 10-point line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from edubrain.core.fitness.items import BMI, ITEM_BY_KEY, MEASURED_ITEMS

SEXES = ("male", "female")
SEX_CODES = ("M", "F")
SEX_LABELS = ("男", "女")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Table:
    """One scoring (or bonus) table of one group, better ascending: ``thresholds[i]`` earns ``points[i]``."""

    thresholds: FloatArray
    points: IntArray


@dataclass(frozen=True)
class Lookup:
    """Every group's table of one item as one dense 2-D array over a grid (``step``: 0.1 or 1, the tables'
    precision), so that scoring is one gather instead of a search. A value ``v`` (better ascending) lies in
    grid cell ``k = floor(v / step)``; a threshold t satisfies t ≤ v exactly when t ≤ k × step, since every
    threshold lies on the grid. Row g of ``points`` (``width`` columns) holds group g's points for cells
    ``kmin - 1`` (below every table: 0) to ``kmin + width - 2`` (the top score from there on); the last row
    (index ``groups``) is an empty group, all 0."""

    step: float
    kmin: int
    width: int
    points: IntArray

    def __call__(self, group: IntArray, better: FloatArray) -> IntArray:
        """Points of ``better`` (the value, negated for runs) for each row's group (NaN: meaningless, the
        caller masks it)."""
        cell = np.floor(better * (1.0 / self.step) + 1e-6)  # 1e-6 of a step absorbs binary noise (10.2/0.1)
        cell -= self.kmin - 1
        col = np.fmax(np.fmin(cell, self.width - 1), 0).astype(np.int64)  # fmin/fmax: NaN → a bound
        points: IntArray = self.points[group * self.width + col]
        return points


def build_lookup(tables: dict[int, Table], groups: int, step: float) -> Lookup:
    """A ``Lookup`` from better-ascending tables (``tables[g]``) of ``groups`` groups."""
    cells = {g: np.rint(t.thresholds / step).astype(np.int64) for g, t in tables.items() if len(t.thresholds)}
    if not cells:
        return Lookup(step, 0, 1, np.zeros(groups + 1, np.int64))
    kmin = int(min(c[0] for c in cells.values()))
    kmax = int(max(c[-1] for c in cells.values()))
    width = kmax - kmin + 2
    dense = np.zeros((groups + 1, width), np.int64)
    for g, gcells in cells.items():
        for cell, points in zip(gcells, tables[g].points, strict=True):  # ascending: later rows overwrite
            dense[g, cell - kmin + 1 :] = points
    return Lookup(step, kmin, width, dense.ravel())


@dataclass
class Standard:
    """Every table of the standard, per group. ``grade_codes``: the 年级编号 it covers (11–16, 21–23, 31–33,
    41–44); ``grade_names``; ``items[g]``: item keys tested by group g (in the standard's order);
    ``weights[key][g]``: weight in percent (0 = not tested); ``tables[key][g]`` / ``bonus[key][g]``;
    ``top[key][g]``: the 100-point threshold (raw, not negated); ``bmi_edges[g]``: the upper edges of
    低体重/正常/超重 in tenths of kg/m²; ``bmi_points``: the BMI score of each band."""

    raw: dict[str, Any]
    grade_codes: tuple[str, ...]
    grade_names: dict[str, str]
    items: list[tuple[str, ...]] = field(default_factory=list)
    weights: dict[str, IntArray] = field(default_factory=dict)
    tables: dict[str, dict[int, Table]] = field(default_factory=dict)
    bonus: dict[str, dict[int, Table]] = field(default_factory=dict)
    top: dict[str, FloatArray] = field(default_factory=dict)
    lookups: dict[str, Lookup] = field(default_factory=dict)
    bonus_lookups: dict[str, Lookup] = field(default_factory=dict)
    bmi_edges: IntArray = field(default_factory=lambda: np.zeros((0, 3), np.int64))
    bmi_bands: tuple[str, ...] = ("低体重", "正常", "超重", "肥胖")
    bmi_points: tuple[int, ...] = (80, 100, 80, 60)

    @property
    def groups(self) -> int:
        return len(self.grade_codes) * 2

    def group(self, grade: str, sex: str) -> int:
        """Group index of a 年级编号 and sex ("M"/"F"); -1 when either is unknown."""
        if grade not in self.grade_codes or sex not in SEX_CODES:
            return -1
        return self.grade_codes.index(grade) * 2 + SEX_CODES.index(sex)

    def describe(self, g: int) -> str:
        """ "小学一年级男生" for a group index."""
        return f"{self.grade_names[self.grade_codes[g // 2]]}{SEX_LABELS[g % 2]}生"


def _table(rows: list[list[float]], higher: bool) -> Table:
    pairs = sorted(((float(t) if higher else -float(t)), int(p)) for p, t in rows)
    return Table(np.array([t for t, _ in pairs], np.float64), np.array([p for _, p in pairs], np.int64))


def _tenths(value: float) -> int:
    return int(round(value * 10))


def build_standard(raw: dict[str, Any]) -> Standard:
    """Arrays from the JSON form of the standard (see the reference's README for its layout)."""
    codes = tuple(sorted(raw["grades"]))
    std = Standard(raw=raw, grade_codes=codes, grade_names={c: raw["grades"][c]["name"] for c in codes})
    n = len(codes) * 2
    keys = [BMI, *(i.key for i in MEASURED_ITEMS)]
    std.weights = {k: np.zeros(n, np.int64) for k in keys}
    std.top = {k: np.full(n, np.nan) for k in keys}
    std.tables = {k: {} for k in keys}
    std.bonus = {k: {} for k in keys}
    edges = np.zeros((n, 3), np.int64)
    for gi, code in enumerate(codes):
        grade = raw["grades"][code]
        for si, sex in enumerate(SEXES):
            g = gi * 2 + si
            std.items.append(tuple(grade[f"items_{sex}"]))
            for key, weight in grade[f"weights_{sex}"].items():
                std.weights[key][g] = int(weight)
            for key in grade[f"items_{sex}"]:
                if key == BMI:
                    continue
                higher = ITEM_BY_KEY[key].higher_is_better
                rows = raw["scoring_tables"][key][sex][code]
                std.tables[key][g] = _table(rows, higher)
                std.top[key][g] = float(next(t for p, t in rows if p == 100))
            for key in grade.get(f"bonus_items_{sex}", []):
                rows = raw["bonus_tables"][key][sex][code]
                std.bonus[key][g] = _table([[p, d] for p, d in rows], True)
            bands = {b["band"]: b for b in raw["bmi_bands"][sex][code]}
            edges[g] = [_tenths(bands[name]["max"]) for name in std.bmi_bands[:3]]
    std.bmi_edges = edges
    for key in keys[1:]:
        step = float(raw["items"][key].get("table_precision", 1))
        std.lookups[key] = build_lookup(std.tables[key], n, step)
        std.bonus_lookups[key] = build_lookup(std.bonus[key], n, 1.0)
    total = {g: sum(int(std.weights[k][g]) for k in keys) for g in range(n)}
    bad = [std.describe(g) for g, t in total.items() if t != 100]
    if bad:
        raise ValueError(f"weights do not add up to 100 for {bad}")
    return std


def load_json() -> dict[str, Any]:
    text = resources.files("edubrain.data").joinpath("fitness_standard_2014.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def standard_2014() -> Standard:
    """The shipped 2014 standard (loaded once per process)."""
    return build_standard(load_json())
