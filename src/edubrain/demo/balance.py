"""Demo data for the balance app (called by demo.generator.build_demo after the registry is written;
deleted by delete_balance_demo from demo.reset).

The generated registry is adjusted so the 优质均衡 and 普及普惠 pages show a realistic picture,
deterministically from the seed and with bulk updates only:

- 办学条件 of every 小学、初中 and 一贯制 school and year is set from its pupils so that each resource
  indicator reaches its standard by a margin of 8–45 %; about one school in seven (乡村 and 镇区
  first, at least one) falls short on one indicator (below 85 % of the standard) or two (just below it);
- one or more showcase schools get far more equipment and sports space per pupil, chosen so that the
  小学 差异系数 of 生均教学仪器设备值 lies just under its limit and that of 生均体育运动场馆面积 just over it
  (and likewise 初中, when the county has at least three 初中);
- 专任教师 of those schools are given a 骨干层级 or a 体育/音乐/美术 subject where the latest year's
  staff fall short of the 骨干 and 体育艺术 standards;
- up to a third of the private 普惠 kindergartens lose 普惠 status where their 镇/街道 keeps the national
  80 %, so 普惠覆盖率 misses the plan's 90 % in some 镇/街道 while the county passes the national
  thresholds. (No town-level 3–5 岁 population is added: the demo's statistics stay county-level, as the
  generator writes them, so a 镇/街道's 毛入园率 is 不可评估 with a births-based estimate for reference.)
"""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

import polars as pl
from django.db.models import Count, Max

from edubrain.balance.inputs import FACILITY_COLUMNS, compulsory_inputs
from edubrain.base.frames import queryset_frame, update_frame
from edubrain.base.orgtree import OrgUnit
from edubrain.core.balance.indicators import INDICATOR_BY_KEY, JUNIOR, PRIMARY, STAGE
from edubrain.core.balance.split import STAGE_PUPILS
from edubrain.registry.choices import Post
from edubrain.registry.models import Enrollment, Facility, School, Staff

WEIGHTS = {PRIMARY: 1.0, JUNIOR: 1.1, "高中": 1.32}
FACILITY_KEYS = ("L4", "L5", "L6", "L7")
ART_SPORT = ("体育", "音乐", "美术")
NEAR_UNDER, NEAR_OVER = ("L6", "L5")


def _system_user() -> SimpleNamespace:
    """Sees everything (``visible_to``) — the generator runs outside any request."""
    return SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=True)


def _weighted(frame: pl.DataFrame) -> pl.Expr:
    return pl.sum_horizontal(WEIGHTS[s] * pl.col(c).fill_null(0.0) for s, c in STAGE_PUPILS.items())


def _need(key: str) -> pl.Expr:
    """The resource a school needs for indicator ``key`` to be exactly at the standard in every stage it
    has: max over its stages of T_s · W / (w_s · c) (the shared stock is split by weighted pupils)."""
    ind = INDICATOR_BY_KEY[key]
    parts = [
        pl.when(pl.col(STAGE_PUPILS[s]).fill_null(0) > 0).then(
            pl.lit(ind.primary if s == PRIMARY else ind.junior / WEIGHTS[JUNIOR])
        )
        for s in (PRIMARY, JUNIOR)
    ]
    return pl.max_horizontal(parts) * pl.col("__w__") / ind.factor


def _design(schools: pl.DataFrame, rng: random.Random) -> pl.DataFrame:
    """Per school (one row per school_pk): a factor per facility indicator (value / standard) and whether
    it is a showcase school for the two near-limit indicators."""
    pks = schools.sort("school_pk")["school_pk"].to_list()
    locality = dict(schools.select("school_pk", "locality").iter_rows())
    kinds = dict(schools.select("school_pk", STAGE).iter_rows())
    factors = {pk: {k: rng.uniform(1.08, 1.45) for k in FACILITY_KEYS} for pk in pks}
    candidates = [pk for pk in pks if locality[pk] != "urban"] or list(pks)
    rng.shuffle(candidates)
    failing = candidates[: max(1, round(len(pks) / 7))]
    for pk in failing:
        keys = rng.sample(FACILITY_KEYS, 2)
        if rng.random() < 0.5:
            factors[pk][keys[0]] = rng.uniform(0.72, 0.82)  # one indicator below 85 % of the standard
        else:
            for k in keys:
                factors[pk][k] = rng.uniform(0.9, 0.97)  # two just below
    showcase_pool = [pk for pk in pks if locality[pk] == "urban" and pk not in failing] or [
        pk for pk in pks if pk not in failing
    ]
    # single-stage schools first: scaling a 一贯制 school's stock moves both of its stages' 差异系数
    own = {PRIMARY: (PRIMARY,), JUNIOR: (JUNIOR, "完全中学")}
    by_stage = {
        s: [pk for pk in showcase_pool if kinds[pk] in own[s]]
        or [pk for pk in showcase_pool if kinds[pk] in ("九年一贯制", "十二年一贯制")]
        for s in (PRIMARY, JUNIOR)
    }
    showcase = {s: rng.sample(pool, max(1, len(pool) // 6)) if pool else [] for s, pool in by_stage.items()}
    rows = [
        {
            "school_pk": pk,
            **{f"f_{k}": factors[pk][k] for k in FACILITY_KEYS},
            "show_primary": pk in showcase[PRIMARY],
            "show_junior": pk in showcase[JUNIOR] and pk not in showcase[PRIMARY],
        }
        for pk in pks
    ]
    return pl.DataFrame(rows)


def _stage_rows(frame: pl.DataFrame, resource: str) -> pl.DataFrame:
    """(school_pk, 学段, pupils, per-pupil value) of the stages evaluated, x_s = w_s · R / W."""
    parts = []
    for stage in (PRIMARY, JUNIOR):
        pupils = pl.col(STAGE_PUPILS[stage]).fill_null(0.0)
        parts.append(
            frame.filter(pupils > 0).select(
                "school_pk",
                pl.lit(stage).alias("stage"),
                pupils.alias("p"),
                (WEIGHTS[stage] * pl.col(resource) / pl.col("__w__")).alias("x"),
            )
        )
    return pl.concat(parts)


def _multiplier(rows: pl.DataFrame, showcase: set[int], target: float) -> float | None:
    """m such that scaling the showcase schools' values by m gives the pupil-weighted CV ``target``:
    the larger root of m²(P·Q_H − k·S_H²) − 2k·S_L·S_H·m + (P·Q_L − k·S_L²) = 0 with k = 1 + target²."""
    high = rows.filter(pl.col("school_pk").is_in(list(showcase)))
    low = rows.filter(~pl.col("school_pk").is_in(list(showcase)))
    if high.height == 0 or low.height == 0:
        return None
    total = float(rows["p"].sum())
    s_h, s_l = float((high["p"] * high["x"]).sum()), float((low["p"] * low["x"]).sum())
    q_h, q_l = float((high["p"] * high["x"] ** 2).sum()), float((low["p"] * low["x"] ** 2).sum())
    k = 1 + target**2
    a, b, c = total * q_h - k * s_h**2, -2 * k * s_l * s_h, total * q_l - k * s_l**2
    disc = b * b - 4 * a * c
    if a <= 0 or disc < 0:
        return None
    m = (-b + math.sqrt(disc)) / (2 * a)
    return m if m > 1 else None


def _facility_updates(county: OrgUnit, rng: random.Random) -> pl.DataFrame:
    user = _system_user()
    facilities = queryset_frame(
        Facility.objects.filter(school__org_unit__path__startswith=county.path),
        ["id", "school_id", "year", "building_area"],
    )
    years = sorted(set(facilities["year"].to_list()))
    frames = {y: compulsory_inputs(user, county, y) for y in years}
    frames = {
        y: f.with_columns(_weighted(f).alias("__w__")).filter(pl.col("__w__") > 0) for y, f in frames.items()
    }
    every = pl.concat([f.select("school_pk", "locality", STAGE) for f in frames.values()]).unique("school_pk")
    if every.height == 0:
        return pl.DataFrame()
    design = _design(every, rng)
    limits = {PRIMARY: 0.50, JUNIOR: 0.45}
    targets = {(s, NEAR_UNDER): limits[s] - rng.uniform(0.01, 0.03) for s in (PRIMARY, JUNIOR)} | {
        (s, NEAR_OVER): limits[s] + rng.uniform(0.006, 0.02) for s in (PRIMARY, JUNIOR)
    }
    parts = []
    for year, frame in frames.items():
        planned = frame.join(design, on="school_pk", how="inner").with_columns(
            (pl.col(f"f_{k}") * _need(k)).alias(INDICATOR_BY_KEY[k].resource) for k in FACILITY_KEYS
        )
        for key in (NEAR_UNDER, NEAR_OVER):
            resource = INDICATOR_BY_KEY[key].resource
            for stage, flag in ((PRIMARY, "show_primary"), (JUNIOR, "show_junior")):
                rows = _stage_rows(planned, resource).filter(pl.col("stage") == stage)
                show = set(planned.filter(pl.col(flag))["school_pk"].to_list())
                if rows.height < 3:
                    continue
                m = _multiplier(rows, show, targets[(stage, key)])
                if m is not None:
                    planned = planned.with_columns(
                        pl.when(pl.col(flag))
                        .then(pl.col(resource) * m)
                        .otherwise(pl.col(resource))
                        .alias(resource)
                    )
        rooms = INDICATOR_BY_KEY["L7"].resource
        parts.append(
            planned.select(
                "school_pk",
                pl.lit(year).alias("year"),
                *(pl.col(INDICATOR_BY_KEY[k].resource).round(2).alias(k) for k in ("L4", "L5", "L6")),
                pl.when(pl.col("f_L7") >= 1)
                .then(pl.col(rooms).ceil())
                .otherwise(pl.col(rooms).floor())
                .alias("L7"),
            )
        )
    planned = pl.concat(parts)
    columns = {v: k for k, v in FACILITY_COLUMNS.items()}
    return facilities.join(
        planned, left_on=["school_id", "year"], right_on=["school_pk", "year"], how="inner"
    ).select(
        "id",
        pl.col("L4").alias(columns["教学及辅助用房面积"]),
        pl.max_horizontal(pl.col("building_area"), pl.col("L4") * 1.6).round(2).alias("building_area"),
        pl.col("L5").alias(columns["体育运动场馆面积"]),
        pl.col("L6").alias(columns["教学仪器设备值"]),
        pl.col("L7").cast(pl.Int64).alias(columns["网络多媒体教室数"]),
    )


def _staff_updates(county: OrgUnit, rng: random.Random) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(id, tier) and (id, subject) updates so each school's teachers of the latest year reach the 骨干 and
    体育艺术 standards by 10–50 %."""
    year = (
        Enrollment.objects.filter(school_class__school__org_unit__path__startswith=county.path)
        .values_list("school_year__start_year", flat=True)
        .order_by("-school_year__start_year")
        .first()
    )
    if year is None:
        return pl.DataFrame(), pl.DataFrame()
    frame = compulsory_inputs(_system_user(), county, year)
    frame = frame.with_columns(_weighted(frame).alias("__w__")).filter(pl.col("__w__") > 0)
    margin = pl.Series([rng.uniform(1.1, 1.5) for _ in range(frame.height)])
    needs = frame.select(
        "school_pk",
        (_need("L2") * margin).ceil().cast(pl.Int64).alias("backbone"),
        (_need("L3") * margin).ceil().cast(pl.Int64).alias("art"),
    )
    staff = queryset_frame(
        Staff.objects.filter(
            school_id__in=needs["school_pk"].to_list(), post=Post.TEACHER, joined_year__lte=year
        ).exclude(left_year__lte=year),
        ["id", "school_id", "tier", "subject"],
    ).join(needs, left_on="school_id", right_on="school_pk", how="inner")
    has_tier = pl.col("tier").fill_null("") != ""
    is_art = pl.col("subject").is_in(ART_SPORT)
    counted = staff.with_columns(
        has_tier.sum().over("school_id").alias("have_b"), is_art.sum().over("school_id").alias("have_a")
    )
    order = pl.col("id").rank("ordinal").over("school_id", pl.col("tier").fill_null("") != "")
    tiers = (
        counted.filter(~has_tier)
        .with_columns(order.cast(pl.Int64).alias("r"))
        .filter(pl.col("r") <= pl.col("backbone") - pl.col("have_b"))
        .select("id", pl.lit("backbone").alias("tier"))
    )
    art_order = pl.col("id").rank("ordinal", descending=True).over("school_id", is_art)
    subjects = (
        counted.filter(~is_art & (pl.col("subject") != "") & (pl.col("subject") != "特殊教育"))
        .with_columns(art_order.cast(pl.Int64).alias("r"))
        .filter(pl.col("r") <= pl.col("art") - pl.col("have_a"))
        .select("id", pl.col("r").mod(3).replace_strict(dict(enumerate(ART_SPORT))).alias("subject"))
    )
    return tiers, subjects


def _puhui_updates(county: OrgUnit, rng: random.Random) -> list[int]:
    """Private 普惠 kindergartens that lose 普惠 status: about a third of them, in random order, each only
    while its 镇/街道 keeps a 普惠覆盖率 of at least 80.5 % (the national 80 % still met) in the latest
    year."""
    kindergartens = queryset_frame(
        School.objects.filter(org_unit__path__startswith=county.path, school_type="kindergarten"),
        ["id", "town_id", "ownership", "is_puhui"],
    )
    year = Enrollment.objects.filter(school_class__school__org_unit__path__startswith=county.path).aggregate(
        y=Max("school_year__start_year")
    )["y"]
    rows = (
        Enrollment.objects.filter(
            school_class__school__in=kindergartens["id"].to_list(),
            school_year__start_year=year,
            status__in=["enrolled", "in"],
        )
        .values_list("school_class__school_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    children = pl.DataFrame(list(rows), schema={"id": pl.Int64(), "n": pl.Int64()}, orient="row")
    frame = kindergartens.join(children, on="id", how="left").with_columns(pl.col("n").fill_null(0))
    covered = (pl.col("ownership") == "public") | pl.col("is_puhui").fill_null(False)
    towns = frame.group_by("town_id").agg(
        pl.col("n").sum().alias("all"), pl.col("n").filter(covered).sum().alias("covered")
    )
    totals = {t: [a, c] for t, a, c in towns.iter_rows()}
    private = frame.filter((pl.col("ownership") == "private") & pl.col("is_puhui").fill_null(False)).sort(
        "id"
    )
    candidates = list(private.select("id", "town_id", "n").iter_rows())
    rng.shuffle(candidates)
    chosen: list[int] = []
    for pk, town, n in candidates[: max(1, round(len(candidates) / 3))]:
        everyone, covered_n = totals[town]
        if everyone and (covered_n - n) * 1000 >= 805 * everyone:
            totals[town][1] -= n
            chosen.append(pk)
    return sorted(chosen)


def build_balance_demo(county: OrgUnit, seed: int) -> dict[str, int]:
    """Rows written per table."""
    rng = random.Random(f"balance-{seed}")
    facilities = _facility_updates(county, rng)
    tiers, subjects = _staff_updates(county, rng)
    not_puhui = _puhui_updates(county, rng)
    counts = {
        "balance_facilities": update_frame(Facility, facilities) if facilities.height else 0,
        "balance_staff": (update_frame(Staff, tiers) if tiers.height else 0)
        + (update_frame(Staff, subjects) if subjects.height else 0),
        "balance_not_puhui": School.objects.filter(pk__in=not_puhui).update(is_puhui=False),
    }
    return counts


def delete_balance_demo(prefix: str) -> dict[str, int]:
    """The app adds no rows of its own (it adjusts the registry's, which go with the county)."""
    return {}
