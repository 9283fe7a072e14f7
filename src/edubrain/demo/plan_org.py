"""组织机构 plan: 省/市/县/镇街道 nodes, schools with their org nodes, 学区, 教育集团 (1+X),
责任单位, 学位容量."""

from __future__ import annotations

import random

import polars as pl

from edubrain.core.stages import KINDERGARTEN, SENIOR_HIGH, SPECIAL, VOCATIONAL, grade_allowed
from edubrain.demo.catalog import RURAL, URBAN, SchoolSpec, Town, load_json, school_code, unit_names
from edubrain.demo.plan_students import ON_ROLL

COUNTY_ID = 3  # local ids: 1 山东省, 2 淄博市, 3 沂源县, then 镇/街道, schools, 责任单位
FIRST_TOWN_ID = 4


def org_paths(ids: list[int], parents: list[int | None]) -> tuple[list[str], list[int]]:
    """Materialised paths ``/<id>/…/`` and depths; parents must come before their children."""
    path_of: dict[int, str] = {}
    paths, depths = [], []
    for node, parent in zip(ids, parents, strict=True):
        path = (path_of[parent] if parent is not None else "/") + f"{node}/"
        path_of[node] = path
        paths.append(path)
        depths.append(path.count("/") - 2)
    return paths, depths


def school_org_id(idx: int, n_towns: int) -> int:
    return FIRST_TOWN_ID + n_towns + idx


def org_frame(towns: list[Town], schools: list[SchoolSpec]) -> pl.DataFrame:
    data = load_json("demo_county.json")
    rows: list[tuple[int, str, str, str, int | None, int]] = [
        (1, "province", data["province"]["name"], data["province"]["code"], None, 0),
        (2, "city", data["city"]["name"], data["city"]["code"], 1, 0),
        (COUNTY_ID, "county", data["county"]["name"], data["county"]["code"], 2, 0),
    ]
    rows += [(FIRST_TOWN_ID + t.idx, "town", t.name, t.code, COUNTY_ID, t.idx + 1) for t in towns]
    rows += [
        (school_org_id(s.idx, len(towns)), "school", s.name, "", FIRST_TOWN_ID + s.town, s.idx + 1)
        for s in schools
    ]
    first_unit = school_org_id(len(schools), len(towns))
    rows += [(first_unit + i, "unit", name, "", COUNTY_ID, i + 1) for i, name in enumerate(unit_names())]
    frame = pl.DataFrame(
        rows, schema=["id", "kind", "name", "division_code", "parent_id", "sort_order"], orient="row"
    )
    paths, depths = org_paths(frame["id"].to_list(), frame["parent_id"].to_list())
    return frame.with_columns(pl.Series("path", paths), pl.Series("depth", depths))


def unit_frame(org: pl.DataFrame) -> pl.DataFrame:
    units = org.filter(pl.col("kind") == "unit")
    return pl.DataFrame(
        {
            "id": range(1, units.height + 1),
            "org_unit_id": units["id"],
            "name": units["name"],
            "county_id": [COUNTY_ID] * units.height,
        }
    )


def zone_frame() -> pl.DataFrame:
    names = load_json("demo_county.json")["zones"]
    return pl.DataFrame(
        {"id": range(1, len(names) + 1), "name": names, "county_id": [COUNTY_ID] * len(names)}
    )


def school_frame(towns: list[Town], schools: list[SchoolSpec], rng: random.Random) -> pl.DataFrame:
    zones = {name: i + 1 for i, name in enumerate(load_json("demo_county.json")["zones"])}
    rows = []
    for s in schools:
        town = towns[s.town]
        spread = 0.012 if s.locality == URBAN else 0.03
        zoned = s.school_type not in (SENIOR_HIGH, VOCATIONAL, SPECIAL)
        where = (
            (s.name.removeprefix(town.name)[:-2] + "村")
            if s.locality == RURAL
            else f"{rng.randint(1, 399)}号"
        )
        rows.append(
            {
                "id": s.idx + 1,
                "org_unit_id": school_org_id(s.idx, len(towns)),
                "code": school_code(s.idx),
                "name": s.name,
                "short_name": s.short,
                "school_type": s.school_type,
                "ownership": s.ownership,
                "is_puhui": s.is_puhui if s.school_type == KINDERGARTEN else None,
                "rating": s.rating,
                "locality": s.locality,
                "town_id": FIRST_TOWN_ID + s.town,
                "zone_id": zones[town.zone] if zoned else None,
                "address": f"山东省淄博市沂源县{town.name}{where}",
                "latitude": round(town.lat + rng.gauss(0, spread), 6),
                "longitude": round(town.lon + rng.gauss(0, spread), 6),
                "founded_year": s.founded,
                "closed_year": s.closed,
            }
        )
    return pl.DataFrame(
        rows,
        schema_overrides={
            "is_puhui": pl.Boolean,
            "zone_id": pl.Int64,
            "closed_year": pl.Int64,
            "founded_year": pl.Int64,
        },
    )


_GROUPS = (  # name, kind, core school, member filter, max members, founded
    (
        "人民路小学教育集团",
        "urban_rural",
        "沂源县人民路小学",
        lambda s: s.school_type == "primary" and s.locality != URBAN,
        4,
        2021,
    ),
    (
        "荆山学校教育集团",
        "close",
        "沂源县荆山学校",
        lambda s: s.school_type == "nine_year" and s.locality != URBAN,
        3,
        2021,
    ),
    (
        "实验幼儿园教育集团",
        "urban_rural",
        "沂源县实验幼儿园",
        lambda s: s.school_type == KINDERGARTEN and s.locality != URBAN and s.ownership == "public",
        5,
        2022,
    ),
    (
        "沂源一中贯通培养教育集团",
        "through",
        "沂源县第一中学",
        lambda s: s.school_type in ("junior", "nine_year") and s.locality == URBAN,
        3,
        2022,
    ),
    (
        "淄博电子工程学校职普融通教育集团",
        "vocational",
        "淄博电子工程学校",
        lambda s: s.school_type == SENIOR_HIGH and s.name != "沂源县第一中学",
        2,
        2022,
    ),
)


def group_frames(schools: list[SchoolSpec]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """教育集团 (1 城区核心校 + X 成员校) and the membership (through) rows."""
    by_name = {s.name: s for s in schools}
    groups, members = [], []
    for gid, (name, kind, core, wanted, limit, founded) in enumerate(_GROUPS, start=1):
        groups.append(
            {
                "id": gid,
                "name": f"沂源县{name}" if not name.startswith(("沂源", "淄博")) else name,
                "kind": kind,
                "core_school_id": by_name[core].idx + 1,
                "founded_year": founded,
            }
        )
        for s in [s for s in schools if wanted(s) and s.closed is None][:limit]:
            members.append({"id": len(members) + 1, "educationgroup_id": gid, "school_id": s.idx + 1})
    schema = {"id": pl.Int64, "educationgroup_id": pl.Int64, "school_id": pl.Int64}
    return pl.DataFrame(groups), pl.DataFrame(members, schema=schema)


def capacity_frame(schools: list[SchoolSpec], enrollments: pl.DataFrame, rng: random.Random) -> pl.DataFrame:
    """学位容量 per grade: the grade's peak on-roll count times a school factor (tight in busy
    urban schools)."""
    peaks = (
        enrollments.filter(pl.col("status").is_in(ON_ROLL))
        .group_by("_school_id", "_grade_code", "school_year")
        .len()
        .group_by("_school_id", "_grade_code")
        .agg(pl.col("len").max().alias("peak"))
        .sort("_school_id", "_grade_code")
    )
    factor = {
        s.idx + 1: (rng.uniform(0.85, 0.98) if s.named and s.locality == URBAN else rng.uniform(1.0, 1.35))
        for s in schools
    }
    rows = [
        (school_id, grade, max(10, round(peak * factor[school_id])))
        for school_id, grade, peak in peaks.iter_rows()
        if grade_allowed(schools[school_id - 1].school_type, grade)
    ]
    frame = pl.DataFrame(rows, schema=["school_id", "grade_code", "places"], orient="row")
    return frame.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))
