"""派位与统筹 (placement): each approved applicant to a school, by 学区, 招生类别 and 电脑派位.

The rule, in the order it is applied:

1. 民办学校 (公民同招: same round, same window). Applicants who chose a private school are admitted if the
   school's applicants do not exceed its places (``via="private"``); otherwise a 电脑派位 among *all* its
   applicants, without regard to tier (``via="private_lottery"``). Those not drawn go back to their 对口学校
   (zone school) with their tier.
2. 公办学校. Each school fills tier by tier in priority order (``via="tier"``). The first tier larger than the
   places still left is drawn by 电脑派位 for exactly those places (``via="lottery"``); the rest of that tier
   and every lower tier are not placed at that school.
3. 统筹调剂 (reassignment, ``REASSIGN_RULE_TEXT``): the unplaced, in order of tier, then draw order (those who
   took part in a draw, by their place in it), then 报名号, each go to the nearest public school that still
   has places — great-circle distance between the zone school and the candidate school; where coordinates
   are missing, a school of the same 乡镇（街道） first, then by 学校标识码 (``via="reassigned"``).
4. Anyone left has no place (``via=""``): the bureau arranges it outside the draw.

Every draw uses the seed ``f"{seed}|{school_code}|{tier or 'private'}"`` and the public rule of
``core.enrollment.lottery``; the same inputs always give the same result, and each draw is returned as a
``DrawInput`` to be published.

Frames: applicants ``id`` Int64, ``receipt`` String, ``name`` String (masked), ``zone_school_id`` Int64,
``choice_school_id`` Int64 (null = none), ``tier`` String; schools ``id`` Int64, ``code`` String, ``name``
String, ``places`` Int64, ``private`` Boolean, ``town_id`` Int64, ``lat``/``lon`` Float64 (nullable); the
result ``id``, ``school_id`` (null = unplaced), ``via``, ``lottery_no`` (派位序号 in the draw that admitted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.core.enrollment.lottery import DrawInput, draw_order
from edubrain.core.enrollment.tiers import Tier, tier_label
from edubrain.core.errors import CoreError

APPLICANT_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "receipt": pl.String,
    "name": pl.String,
    "zone_school_id": pl.Int64,
    "choice_school_id": pl.Int64,
    "tier": pl.String,
}
SCHOOL_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "code": pl.String,
    "name": pl.String,
    "places": pl.Int64,
    "private": pl.Boolean,
    "town_id": pl.Int64,
    "lat": pl.Float64,
    "lon": pl.Float64,
}
RESULT_SCHEMA = pl.Schema({"id": pl.Int64, "school_id": pl.Int64, "via": pl.String, "lottery_no": pl.Int64})

PRIVATE_DRAW_LABEL = "民办学校报名（不分类别）"
EARTH_RADIUS_KM = 6371.0088
SHOWN = 5  # receipts quoted in an error message

REASSIGN_RULE_TEXT = (
    "统筹调剂规则：在对口学校未能录取的儿童，按招生类别优先顺序，同一类别内参加过电脑派位的按派位顺序在前、"
    "其余按报名号顺序，依次安排到离对口学校最近且仍有剩余学位的公办学校（按学校位置计算直线距离；"
    "学校位置缺失时，先安排同一乡镇（街道）的学校，再按学校标识码顺序）；各公办学校均无剩余学位的，"
    "由县教育和体育局另行统筹安排。"
)


@dataclass
class Placement:
    """The placement of every applicant (``result``) and the draws held (in school-code order, private
    schools first), ready to publish."""

    result: pl.DataFrame
    draws: list[DrawInput]


def _typed(frame: pl.DataFrame, schema: dict[str, Any], what: str) -> pl.DataFrame:
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise CoreError("placement.columns", f"{what}缺少列：{'、'.join(missing)}")
    try:
        return frame.select([pl.col(c).cast(t, strict=True) for c, t in schema.items()])
    except pl.exceptions.PolarsError as exc:
        raise CoreError("placement.types", f"{what}的列类型不对：{exc}")


def _receipts(frame: pl.DataFrame) -> str:
    shown = frame.get_column("receipt").sort().head(SHOWN).to_list()
    more = "等" if frame.height > SHOWN else ""
    return "、".join(str(r) for r in shown) + more


def _check(apps: pl.DataFrame, schools: pl.DataFrame) -> None:
    for column, label in (("id", "编号"), ("code", "学校标识码"), ("places", "招生计划数")):
        if schools.get_column(column).null_count():
            raise CoreError("placement.schools", f"学校表中有学校缺少{label}")
    if schools.get_column("id").is_duplicated().any() or schools.get_column("code").is_duplicated().any():
        raise CoreError("placement.schools", "学校表中有重复的学校（编号或学校标识码相同）")
    negative = schools.filter(pl.col("places") < 0)
    if negative.height:
        raise CoreError("placement.places", f"学校“{negative.item(0, 'name')}”的招生计划数不能为负数")
    for column, label in (
        ("id", "编号"),
        ("receipt", "报名号"),
        ("zone_school_id", "对口学校"),
        ("tier", "招生类别"),
    ):
        if apps.get_column(column).null_count():
            raise CoreError("placement.applicants", f"申请表中有申请缺少{label}")
    if apps.get_column("id").is_duplicated().any():
        raise CoreError("placement.applicants", "申请表中有重复的申请编号")
    repeated = apps.filter(pl.col("receipt").is_duplicated())
    if repeated.height:
        raise CoreError("placement.duplicate", f"报名号重复：{_receipts(repeated)}")
    public_ids = schools.filter(~pl.col("private")).get_column("id").implode()
    private_ids = schools.filter(pl.col("private")).get_column("id").implode()
    stray = apps.filter(~pl.col("zone_school_id").is_in(public_ids))
    if stray.height:
        raise CoreError(
            "placement.zone",
            f"报名号{_receipts(stray)}的对口学校不是本批次招生计划中的公办学校，请先补充招生计划",
        )
    stray = apps.filter(
        pl.col("choice_school_id").is_not_null() & ~pl.col("choice_school_id").is_in(private_ids)
    )
    if stray.height:
        raise CoreError("placement.choice", f"报名号{_receipts(stray)}所报民办学校不在本批次招生计划中")


def _draw(
    groups: pl.DataFrame, *, seed: str, round_name: str, tiers: Sequence[Tier]
) -> tuple[list[DrawInput], pl.DataFrame]:
    """Hold one draw per row of ``groups`` (code, name, tier, draw_places, receipt list, name list): the
    draws, and per candidate its position in the draw order (``draw_pos``) and, if admitted,
    ``lottery_no``."""
    draws: list[DrawInput] = []
    receipts: list[str] = []
    positions: list[int] = []
    limits: list[int] = []
    for g in groups.sort("code").iter_rows(named=True):  # one iteration per oversubscribed school/tier
        candidates = tuple(sorted(zip(g["receipt"], g["name_list"], strict=True)))
        draw = DrawInput(
            round_name=round_name,
            school_code=g["code"],
            school_name=g["name"] or "",
            tier=g["tier"],
            tier_label=tier_label(g["tier"], tiers) if g["tier"] else PRIVATE_DRAW_LABEL,
            seed=f"{seed}|{g['code']}|{g['tier'] or 'private'}",
            places=g["draw_places"],
            candidates=candidates,
        )
        order = draw_order(draw.seed, [r for r, _ in candidates])
        draws.append(draw)
        receipts.extend(order)
        positions.extend(range(1, len(order) + 1))
        limits.extend([draw.places] * len(order))
    drawn = pl.DataFrame(
        {"receipt": receipts, "draw_pos": positions, "limit": limits},
        schema={"receipt": pl.String, "draw_pos": pl.Int64, "limit": pl.Int64},
    ).select(
        "receipt",
        "draw_pos",
        lottery_no=pl.when(pl.col("draw_pos") <= pl.col("limit")).then(pl.col("draw_pos")),
    )
    return draws, drawn


def _private_step(
    apps: pl.DataFrame, schools: pl.DataFrame, **draw_args: Any
) -> tuple[list[DrawInput], pl.DataFrame]:
    """Step 1: (id, school_id, via, lottery_no) of those admitted to a private school, and its draws."""
    chosen = apps.filter(pl.col("choice_school_id").is_not_null())
    groups = (
        chosen.group_by("choice_school_id")
        .agg(pl.col("receipt"), pl.col("name").alias("name_list"), n=pl.len())
        .join(schools.select("id", "code", "name", "places"), left_on="choice_school_id", right_on="id")
        .with_columns(tier=pl.lit(""), draw_places=pl.col("places"))
    )
    draws, drawn = _draw(groups.filter(pl.col("n") > pl.col("places")), **draw_args)
    admitted = (
        chosen.join(groups.select("choice_school_id", "n", "places"), on="choice_school_id")
        .join(drawn, on="receipt", how="left")
        .filter((pl.col("n") <= pl.col("places")) | pl.col("lottery_no").is_not_null())
        .select(
            "id",
            school_id=pl.col("choice_school_id"),
            via=pl.when(pl.col("lottery_no").is_null())
            .then(pl.lit("private"))
            .otherwise(pl.lit("private_lottery")),
            lottery_no="lottery_no",
        )
    )
    return draws, admitted


def _rank_expr(tiers: Sequence[Tier]) -> pl.Expr:
    if not tiers:
        return pl.lit(1, dtype=pl.Int64)
    return pl.col("tier").replace_strict(
        [t.code for t in tiers], list(range(1, len(tiers) + 1)), default=len(tiers) + 1, return_dtype=pl.Int64
    )


def _public_step(
    pool: pl.DataFrame, schools: pl.DataFrame, **draw_args: Any
) -> tuple[list[DrawInput], pl.DataFrame, pl.DataFrame]:
    """Step 2: the draws, the admitted (id, school_id, via, lottery_no) and the not admitted (id,
    zone_school_id, rank, draw_pos, receipt)."""
    groups = (
        pool.group_by("zone_school_id", "rank", "tier")
        .agg(pl.col("receipt"), pl.col("name").alias("name_list"), n=pl.len())
        .join(schools.select("id", "code", "name", "places"), left_on="zone_school_id", right_on="id")
        .sort("zone_school_id", "rank", "tier")
        .with_columns(before=(pl.col("n").cum_sum() - pl.col("n")).over("zone_school_id"))
        .with_columns(draw_places=(pl.col("places") - pl.col("before")).clip(lower_bound=0))
        .with_columns(
            outcome=pl.when(pl.col("n") <= pl.col("draw_places"))
            .then(pl.lit("tier"))
            .when(pl.col("draw_places") > 0)
            .then(pl.lit("lottery"))
            .otherwise(pl.lit(""))
        )
    )
    draws, drawn = _draw(groups.filter(pl.col("outcome") == "lottery"), **draw_args)
    decided = pool.join(
        groups.select("zone_school_id", "tier", "outcome"), on=["zone_school_id", "tier"]
    ).join(drawn, on="receipt", how="left")
    won = (pl.col("outcome") == "tier") | pl.col("lottery_no").is_not_null()
    admitted = decided.filter(won).select(
        "id",
        school_id=pl.col("zone_school_id"),
        via=pl.when(pl.col("outcome") == "tier").then(pl.lit("tier")).otherwise(pl.lit("lottery")),
        lottery_no="lottery_no",
    )
    return draws, admitted, decided.filter(~won).select("id", "zone_school_id", "rank", "draw_pos", "receipt")


def _preferences(public: pl.DataFrame) -> dict[int, list[int]]:
    """For each public school, the other public schools nearest first (by distance where both have
    coordinates, then same town, then 学校标识码)."""
    a, b = pl.col("lat").radians(), pl.col("lat_to").radians()
    dlat = b - a
    dlon = (pl.col("lon_to") - pl.col("lon")).radians()
    hav = ((dlat / 2).sin().pow(2) + a.cos() * b.cos() * (dlon / 2).sin().pow(2)).clip(0.0, 1.0)
    pairs = (
        public.select("id", "town_id", "lat", "lon")
        .join(public.select("id", "code", "town_id", "lat", "lon"), how="cross", suffix="_to")
        .filter(pl.col("id") != pl.col("id_to"))
        .with_columns(
            km=2 * EARTH_RADIUS_KM * hav.sqrt().arcsin(),
            other_town=(pl.col("town_id") != pl.col("town_id_to")).fill_null(True),
        )
        .sort("id", pl.col("km").is_null(), "km", "other_town", "code", nulls_last=True)
        .group_by("id", maintain_order=True)
        .agg(pl.col("id_to"))
    )
    return dict(zip(pairs.get_column("id").to_list(), pairs.get_column("id_to").to_list(), strict=True))


def _reassign(left: pl.DataFrame, public: pl.DataFrame, admitted: pl.DataFrame) -> pl.DataFrame:
    """Step 3: (id, school_id, via, lottery_no) of the unplaced sent to the nearest school with places."""
    taken = admitted.group_by("school_id").agg(n=pl.len())
    room = public.join(taken, left_on="id", right_on="school_id", how="left").select(
        "id", free=pl.col("places") - pl.col("n").fill_null(0)
    )
    remaining = dict(zip(room.get_column("id").to_list(), room.get_column("free").to_list(), strict=True))
    prefs = _preferences(public)
    queue = left.sort("rank", "draw_pos", "receipt", nulls_last=True)
    ids: list[int] = []
    chosen: list[int] = []
    if any(v > 0 for v in remaining.values()):
        for app_id, zone in queue.select("id", "zone_school_id").iter_rows():  # the unplaced only
            target = next((s for s in prefs.get(zone, []) if remaining[s] > 0), None)
            if target is not None:
                remaining[target] -= 1
                ids.append(app_id)
                chosen.append(target)
    return pl.DataFrame(
        {"id": ids, "school_id": chosen, "via": ["reassigned"] * len(ids), "lottery_no": [None] * len(ids)},
        schema=RESULT_SCHEMA,
    )


def place(
    applicants: pl.DataFrame,
    schools: pl.DataFrame,
    *,
    seed: str,
    tiers: Sequence[Tier],
    round_name: str,
) -> Placement:
    """Place every applicant by the rule of the module docstring. Raises CoreError (Chinese) on bad input:
    missing columns, repeated 报名号, an applicant whose zone school is not a public school of the schools
    frame or whose chosen school is not a private one, a negative number of places, an empty seed."""
    if not seed:
        raise CoreError("placement.seed", "派位种子不能为空")
    apps = _typed(applicants, APPLICANT_SCHEMA, "申请表")
    schools = _typed(schools, SCHOOL_SCHEMA, "学校表").with_columns(pl.col("private").fill_null(False))
    _check(apps, schools)
    apps = apps.with_columns(pl.col("name").fill_null(""), rank=_rank_expr(tiers))
    draw_args: dict[str, Any] = {"seed": seed, "round_name": round_name, "tiers": tiers}
    public = schools.filter(~pl.col("private"))

    private_draws, in_private = _private_step(apps, schools.filter(pl.col("private")), **draw_args)
    pool = apps.join(in_private.select("id"), on="id", how="anti")
    public_draws, in_public, left = _public_step(pool, public, **draw_args)
    moved = _reassign(left, public, in_public)

    placed = pl.concat([in_private, in_public, moved], how="vertical_relaxed").cast(RESULT_SCHEMA)
    result = (
        apps.select("id")
        .join(placed, on="id", how="left", maintain_order="left")
        .with_columns(pl.col("via").fill_null(""))
        .select(list(RESULT_SCHEMA))
    )
    return Placement(result=result, draws=private_draws + public_draws)
