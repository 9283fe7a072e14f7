"""演示县目录: the org tree (省 → 市 → 县 → 镇/街道, 责任单位) and the school list (学校/幼儿园).

Pure Python: reads ``data/demo_county.json`` and ``data/demo_units.json`` and returns plain specs; the named
schools of the plan are always kept, generated schools shrink with ``scale``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from edubrain.core.stages import (
    JUNIOR,
    JUNIOR_SCHOOL,
    KINDERGARTEN,
    NINE_YEAR,
    PRESCHOOL,
    PRIMARY,
    PRIMARY_SCHOOL,
    SENIOR,
    SENIOR_HIGH,
    SPECIAL,
    VOCATIONAL,
)

URBAN, TOWNSHIP, RURAL = "urban", "town", "rural"  # 城区 / 镇区 / 乡村 (registry.choices.Locality)
YEARS = tuple(range(2020, 2026))  # 学年 2020—2025


@cache
def load_json(name: str) -> dict[str, Any]:
    return json.loads(resources.files("edubrain.data").joinpath(name).read_text(encoding="utf-8"))


@dataclass
class Town:
    idx: int
    name: str
    code: str
    pop: int
    lat: float
    lon: float
    urban: bool
    zone: str
    nine_year: bool = False


@dataclass
class SchoolSpec:
    """One school in the plan; ``weights`` are relative sizes per stage (学段)."""

    idx: int
    name: str
    short: str
    school_type: str
    town: int
    locality: str
    weights: dict[str, float]
    ownership: str = "public"
    is_puhui: bool | None = None
    rating: str = ""
    founded: int | None = None
    closed: int | None = None
    successor: int | None = None  # 撤并后学生转入的学校
    rebuilt: int | None = None  # 新建/改扩建完成的年份（办学条件提升）
    named: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def open_in(self, year: int) -> bool:
        return (self.founded is None or self.founded <= year) and (self.closed is None or self.closed > year)


STAGE_WEIGHTS = {
    KINDERGARTEN: lambda w: {PRESCHOOL: w},
    PRIMARY_SCHOOL: lambda w: {PRIMARY: w},
    JUNIOR_SCHOOL: lambda w: {JUNIOR: w},
    NINE_YEAR: lambda w: {PRIMARY: w * 0.8, JUNIOR: w * 0.75},
    SENIOR_HIGH: lambda w: {SENIOR: w},
    VOCATIONAL: lambda w: {SENIOR: w},
    SPECIAL: lambda w: {PRESCHOOL: w, PRIMARY: w, JUNIOR: w, SENIOR: w},
}


def towns() -> list[Town]:
    data = load_json("demo_county.json")
    return [
        Town(
            i,
            t["name"],
            t["code"],
            t["pop"],
            t["lat"],
            t["lon"],
            t["urban"],
            t["zone"],
            t.get("nine_year", False),
        )
        for i, t in enumerate(data["towns"])
    ]


def unit_names() -> list[str]:
    return list(load_json("demo_units.json")["units"])


def _keep(items: list[Any], scale: float) -> list[Any]:
    return items[: max(0, min(len(items), round(len(items) * scale)))]


class _Builder:
    def __init__(self, rng: random.Random, scale: float) -> None:
        self.rng, self.scale = rng, scale
        self.towns = towns()
        self.by_name = {t.name: t for t in self.towns}
        self.schools: list[SchoolSpec] = []
        data = load_json("demo_county.json")
        self.data = data
        self.villages = list(data["villages"])
        rng.shuffle(self.villages)

    def add(
        self, name: str, short: str, stype: str, town: Town, locality: str, weight: float, **kw: Any
    ) -> SchoolSpec:
        spec = SchoolSpec(
            len(self.schools), name, short, stype, town.idx, locality, STAGE_WEIGHTS[stype](weight), **kw
        )
        self.schools.append(spec)
        return spec

    def village(self) -> str:
        return self.villages.pop() if self.villages else f"第{len(self.schools)}"

    def named(self) -> None:
        for s in self.data["named_schools"]:
            town = self.by_name[s["town"]]
            loc = URBAN if town.urban else TOWNSHIP
            self.add(
                s["name"],
                s["short"],
                s["type"],
                town,
                loc,
                s["weight"],
                rating=s.get("rating", ""),
                founded=s.get("founded"),
                rebuilt=s.get("rebuilt"),
                named=True,
                is_puhui=s.get("puhui") if s["type"] == KINDERGARTEN else None,
            )

    def compulsory(self) -> None:
        rng, d = self.rng, self.data
        for name, town in _keep(d["urban_primary"], self.scale):
            self.add(
                name,
                "",
                PRIMARY_SCHOOL,
                self.by_name[town],
                URBAN,
                rng.uniform(0.9, 1.1),
                founded=rng.randint(1960, 2010),
            )
        for name, town in _keep(d["urban_junior"], self.scale):
            self.add(
                name,
                "",
                JUNIOR_SCHOOL,
                self.by_name[town],
                URBAN,
                rng.uniform(0.9, 1.1),
                founded=rng.randint(1960, 2005),
            )
        rural_towns = [t for t in self.towns if not t.urban]
        centres: dict[int, SchoolSpec] = {}
        for town in _keep(rural_towns, self.scale):
            short = town.name[:-1]
            if town.nine_year:
                centres[town.idx] = self.add(
                    f"{town.name}中心学校",
                    f"{short}中心学校",
                    NINE_YEAR,
                    town,
                    TOWNSHIP,
                    rng.uniform(0.4, 0.55),
                    founded=rng.randint(1970, 2012),
                )
            else:
                centres[town.idx] = self.add(
                    f"{town.name}中心小学",
                    f"{short}中心小学",
                    PRIMARY_SCHOOL,
                    town,
                    TOWNSHIP,
                    rng.uniform(0.45, 0.6),
                    founded=rng.randint(1950, 2000),
                )
                self.add(
                    f"{town.name}中学",
                    f"{short}中学",
                    JUNIOR_SCHOOL,
                    town,
                    TOWNSHIP,
                    rng.uniform(0.45, 0.6),
                    founded=rng.randint(1956, 1995),
                )
        villages = [rural_towns[i % len(rural_towns)] for i in range(10)]
        for n, town in enumerate(_keep(villages, self.scale)):
            v = self.village()
            spec = self.add(
                f"{town.name}{v}小学",
                f"{v}小学",
                PRIMARY_SCHOOL,
                town,
                RURAL,
                rng.uniform(0.08, 0.14),
                founded=rng.randint(1950, 1990),
            )
            if n in (3, 7) and town.idx in centres:  # 两所村小在规划期内撤并
                spec.closed, spec.successor = (2022 if n == 3 else 2024), centres[town.idx].idx
        for name, town in _keep(d["extra_senior"], self.scale):
            self.add(name, "", SENIOR_HIGH, self.by_name[town], TOWNSHIP, 0.2, founded=1958, rating="prov_2")

    def kindergartens(self) -> None:
        rng, d = self.rng, self.data
        ratings = ["prov_model", "prov_1", "prov_1", "prov_2", "city_model"]
        for name, town in _keep(d["urban_public_kg"], self.scale):
            self.add(
                name,
                "",
                KINDERGARTEN,
                self.by_name[town],
                URBAN,
                rng.uniform(0.8, 1.0),
                is_puhui=True,
                rating=rng.choice(ratings),
                founded=rng.randint(1985, 2019),
            )
        urban = [t for t in self.towns if t.urban]
        rural = [t for t in self.towns if not t.urban]
        for i, brand in enumerate(_keep(d["private_kg_names"], self.scale)):
            town = urban[i % 2] if i < 12 else rural[i % len(rural)]
            self.add(
                f"沂源县{brand}幼儿园",
                "",
                KINDERGARTEN,
                town,
                URBAN if town.urban else TOWNSHIP,
                rng.uniform(0.35, 0.55),
                ownership="private",
                is_puhui=rng.random() < 0.6,
                rating=rng.choice(["", "prov_3", "prov_2", "prov_2"]),
                founded=rng.randint(2005, 2019),
            )
        centres: dict[int, SchoolSpec] = {}
        for town in _keep(rural, self.scale):
            centres[town.idx] = self.add(
                f"{town.name}中心幼儿园",
                "",
                KINDERGARTEN,
                town,
                TOWNSHIP,
                rng.uniform(0.6, 0.8),
                is_puhui=True,
                rating=rng.choice(["prov_model", "prov_1", "prov_1"]),
                founded=rng.randint(1990, 2012),
            )
        slots = [rural[i % len(rural)] for i in range(50)]
        for n, town in enumerate(_keep(slots, self.scale)):
            v = self.village()
            spec = self.add(
                f"{town.name}{v}幼儿园",
                "",
                KINDERGARTEN,
                town,
                RURAL,
                rng.uniform(0.1, 0.2),
                is_puhui=True,
                rating=rng.choice(["", "prov_3", "prov_2", "prov_2", "prov_1"]),
                founded=rng.randint(2000, 2018),
            )
            if n in (11, 29) and town.idx in centres:
                spec.closed, spec.successor = 2024, centres[town.idx].idx


def build_schools(rng: random.Random, scale: float) -> list[SchoolSpec]:
    """All schools of the demo county, named ones first; deterministic for a given rng state."""
    b = _Builder(rng, scale)
    b.named()
    b.compulsory()
    b.kindergartens()
    return b.schools


def school_code(idx: int) -> str:
    """学校标识码 (10 digits) for the idx-th demo school."""
    return f"213703{2301 + idx:04d}"
