"""派位与统筹: private schools first (lottery only), public schools tier by tier with a lottery for the tier
that exceeds the places left, then reassignment to the nearest school with places."""

from __future__ import annotations

import random

import polars as pl
import pytest

from edubrain.core.enrollment.lottery import draw_order, publish, verify
from edubrain.core.enrollment.placement import REASSIGN_RULE_TEXT, place
from edubrain.core.enrollment.tiers import DEFAULT_TIERS, Tier
from edubrain.core.errors import CoreError

SEED = "2027-07-10"


def school(sid, code, places, *, private=False, town=None, lat=None, lon=None):
    return {
        "id": sid, "code": code, "name": f"学校{code}", "places": places, "private": private,
        "town_id": town, "lat": lat, "lon": lon,
    }  # fmt: skip


def app(aid, zone, tier="hukou", choice=None):
    return {"id": aid, "receipt": f"R{aid:05d}", "name": f"张{aid}*", "zone_school_id": zone,
            "choice_school_id": choice, "tier": tier}  # fmt: skip


APP_SCHEMA = pl.Schema(
    {"id": pl.Int64, "receipt": pl.String, "name": pl.String, "zone_school_id": pl.Int64,
     "choice_school_id": pl.Int64, "tier": pl.String}
)  # fmt: skip
SCHOOL_SCHEMA = pl.Schema(
    {"id": pl.Int64, "code": pl.String, "name": pl.String, "places": pl.Int64, "private": pl.Boolean,
     "town_id": pl.Int64, "lat": pl.Float64, "lon": pl.Float64}
)  # fmt: skip


def frames(apps, schools):
    return pl.DataFrame(apps, schema=APP_SCHEMA), pl.DataFrame(schools, schema=SCHOOL_SCHEMA)


def run(apps, schools, seed=SEED, tiers=DEFAULT_TIERS):
    a, s = frames(apps, schools)
    placement = place(a, s, seed=seed, tiers=tiers, round_name="2027年小学一年级招生")
    assert placement.result.schema == pl.Schema(
        {"id": pl.Int64, "school_id": pl.Int64, "via": pl.String, "lottery_no": pl.Int64}
    )
    assert placement.result.get_column("id").to_list() == a.get_column("id").to_list()
    rows = {
        r["id"]: (r["school_id"], r["via"], r["lottery_no"]) for r in placement.result.iter_rows(named=True)
    }
    return rows, placement.draws


def test_an_undersubscribed_school_takes_everyone_by_tier():
    apps = [app(1, 1, "hukou_property"), app(2, 1, "migrant"), app(3, 1, "other")]
    rows, draws = run(apps, [school(1, "A", 5)])
    assert rows == {1: (1, "tier", None), 2: (1, "tier", None), 3: (1, "tier", None)}
    assert draws == []


def test_a_tier_exactly_filling_the_places_left_needs_no_lottery_and_shuts_out_lower_tiers():
    apps = [app(1, 1, "hukou_property"), app(2, 1, "hukou"), app(3, 1, "hukou"), app(4, 1, "property")]
    rows, draws = run(apps, [school(1, "A", 3)])
    assert draws == []
    assert [rows[i] for i in (1, 2, 3)] == [(1, "tier", None)] * 3
    assert rows[4] == (None, "", None)


def test_one_more_than_the_places_left_draws_exactly_the_places_left():
    apps = [app(1, 1, "hukou_property"), app(2, 1), app(3, 1), app(4, 1), app(5, 1, "other")]
    rows, draws = run(apps, [school(1, "A", 3)])
    assert rows[1] == (1, "tier", None)
    [draw] = draws
    assert (draw.school_code, draw.tier, draw.tier_label, draw.places) == ("A", "hukou", "户籍", 2)
    assert draw.seed == f"{SEED}|A|hukou"
    assert draw.candidates == (("R00002", "张2*"), ("R00003", "张3*"), ("R00004", "张4*"))
    winners = draw_order(f"{SEED}|A|hukou", ["R00002", "R00003", "R00004"])
    admitted = {int(r[1:]): n for n, r in enumerate(winners[:2], start=1)}
    for aid, no in admitted.items():
        assert rows[aid] == (1, "lottery", no)
    loser = int(winners[2][1:])
    assert rows[loser] == (None, "", None)
    assert rows[5] == (None, "", None)  # the lower tier is left out


def test_a_school_with_no_places_draws_nothing():
    rows, draws = run([app(1, 1), app(2, 1)], [school(1, "A", 0)])
    assert draws == [] and rows == {1: (None, "", None), 2: (None, "", None)}


def test_a_private_school_at_its_places_takes_all_its_applicants():
    apps = [app(1, 1, choice=9), app(2, 1, choice=9), app(3, 1)]
    rows, draws = run(apps, [school(1, "A", 5), school(9, "P", 2, private=True)])
    assert rows == {1: (9, "private", None), 2: (9, "private", None), 3: (1, "tier", None)}
    assert draws == []


def test_an_oversubscribed_private_school_draws_among_all_regardless_of_tier():
    apps = [
        app(1, 1, "hukou_property", choice=9),
        app(2, 1, "other", choice=9),
        app(3, 1, "migrant", choice=9),
    ]
    rows, draws = run(apps, [school(1, "A", 0), school(9, "P", 2, private=True)])
    [draw] = draws
    assert (draw.tier, draw.seed, draw.places, len(draw.candidates)) == ("", f"{SEED}|P|private", 2, 3)
    assert draw.tier_label  # a label for the published document
    order = draw_order(f"{SEED}|P|private", ["R00001", "R00002", "R00003"])
    for n, receipt in enumerate(order[:2], start=1):
        assert rows[int(receipt[1:])] == (9, "private_lottery", n)
    assert rows[int(order[2][1:])] == (None, "", None)


def test_private_losers_return_to_their_zone_school_with_their_tier():
    # three choose P (2 places), all 户籍与房产一致; zone school A has 1 place and two 户籍 applicants:
    # the private loser outranks them and takes A's place by tier; the 户籍 pair: nothing (no draw)
    apps = [app(i, 1, "hukou_property", choice=9) for i in (1, 2, 3)] + [app(4, 1), app(5, 1)]
    rows, draws = run(apps, [school(1, "A", 1), school(9, "P", 2, private=True)])
    order = draw_order(f"{SEED}|P|private", ["R00001", "R00002", "R00003"])
    loser = int(order[2][1:])
    assert rows[loser] == (1, "tier", None)
    assert rows[4] == rows[5] == (None, "", None)
    assert len(draws) == 1


def test_private_losers_join_the_zone_lottery_of_their_tier():
    apps = [app(1, 1, choice=9), app(2, 1, choice=9), app(3, 1), app(4, 1)]
    rows, draws = run(apps, [school(1, "A", 2), school(9, "P", 1, private=True)])
    assert [d.school_code for d in draws] == ["P", "A"]  # private draws first
    private_loser = draw_order(f"{SEED}|P|private", ["R00001", "R00002"])[1]
    public = draws[1]
    assert public.places == 2 and {r for r, _ in public.candidates} == {private_loser, "R00003", "R00004"}
    assert sum(1 for v in rows.values() if v[1] == "lottery") == 2


def test_reassignment_goes_to_the_nearest_school_with_places():
    # A (full) at 36.00N; D is nearest but has no places; C is next nearest with one place; B is far
    schools = [
        school(1, "A", 1, lat=36.00, lon=118.00),
        school(2, "B", 5, lat=36.50, lon=118.00),
        school(3, "C", 1, lat=36.05, lon=118.00),
        school(4, "D", 0, lat=36.01, lon=118.00),
    ]
    apps = [app(1, 1), app(2, 1), app(3, 1, "other")]
    rows, draws = run(apps, schools)
    order = draw_order(f"{SEED}|A|hukou", ["R00001", "R00002"])
    winner, loser = int(order[0][1:]), int(order[1][1:])
    assert rows[winner] == (1, "lottery", 1)
    assert rows[loser] == (3, "reassigned", None)  # the higher tier goes first: the nearest school, C
    assert rows[3] == (2, "reassigned", None)  # C is now full: B
    assert len(draws) == 1


def test_reassignment_orders_by_tier_then_draw_order_then_receipt():
    schools = [school(1, "A", 1, lat=36.0, lon=118.0), school(2, "B", 1, lat=36.1, lon=118.0)]
    apps = [app(1, 1, "other"), app(2, 1), app(3, 1), app(4, 1)]
    rows, _ = run(apps, schools)
    order = draw_order(f"{SEED}|A|hukou", ["R00002", "R00003", "R00004"])
    assert rows[int(order[1][1:])] == (2, "reassigned", None)  # the first loser of the draw
    assert rows[int(order[2][1:])] == (None, "", None)
    assert rows[1] == (None, "", None)  # the lower tier after every 户籍 child


def test_without_coordinates_same_town_first_then_by_code():
    schools = [
        school(1, "A", 0, town=1),
        school(2, "B", 5, town=2),
        school(3, "D", 1, town=1),
        school(4, "C", 1, town=1),
    ]
    apps = [app(i, 1, "hukou") for i in range(1, 5)]
    rows, _ = run(apps, schools)
    # no draw at A (0 places), so receipt order: C (same town, lower code), D (same town), then B (other town)
    assert [rows[i] for i in range(1, 5)] == [(4, "reassigned", None), (3, "reassigned", None)] + [
        (2, "reassigned", None)
    ] * 2


def test_known_distances_come_before_schools_without_coordinates():
    schools = [
        school(1, "A", 0, town=1, lat=36.0, lon=118.0),
        school(2, "B", 1, town=1),
        school(3, "C", 1, town=2, lat=36.9, lon=118.9),
    ]
    rows, _ = run([app(1, 1), app(2, 1)], schools)
    assert rows[1] == (3, "reassigned", None) and rows[2] == (2, "reassigned", None)


def test_no_places_anywhere_leaves_the_child_unplaced():
    rows, draws = run([app(1, 1), app(2, 2)], [school(1, "A", 0), school(2, "B", 0)])
    assert rows == {1: (None, "", None), 2: (None, "", None)} and draws == []


def test_private_schools_never_take_reassigned_children():
    rows, _ = run([app(1, 1)], [school(1, "A", 0), school(9, "P", 10, private=True)])
    assert rows[1] == (None, "", None)


def test_tiers_follow_the_rounds_order_and_unknown_codes_come_last():
    tiers = (Tier("hukou", "户籍"), Tier("hukou_property", "户籍与房产一致"))
    apps = [app(1, 1, "hukou_property"), app(2, 1, "hukou"), app(3, 1, "mystery")]
    rows, _ = run(apps, [school(1, "A", 1)], tiers=tiers)
    assert rows[2] == (1, "tier", None) and rows[1][0] is None and rows[3][0] is None
    rows, _ = run(apps, [school(1, "A", 2)], tiers=tiers)
    assert rows[3] == (None, "", None)


def test_draws_publish_and_verify():
    apps = [app(i, 1, "hukou") for i in range(1, 8)] + [app(i, 1, "hukou", choice=9) for i in range(8, 12)]
    a, s = frames(apps, [school(1, "A", 3), school(9, "P", 2, private=True)])
    placement = place(a, s, seed=SEED, tiers=DEFAULT_TIERS, round_name="2027年小学一年级招生")
    assert [(d.school_code, d.seed) for d in placement.draws] == [
        ("P", f"{SEED}|P|private"),
        ("A", f"{SEED}|A|hukou"),
    ]
    result = placement.result
    for draw in placement.draws:
        doc = publish(draw, drawn_at="2027-07-10T09:00:00+08:00")
        [v] = verify(doc)
        assert v.matches is True and doc["round"] == "2027年小学一年级招生"
        # the published admitted list is exactly who the placement admitted through that draw
        receipts = [r for _, r, _ in v.admitted]
        ids = [int(r[1:]) for r in receipts]
        got = result.filter(pl.col("id").is_in(ids)).sort("lottery_no").get_column("id").to_list()
        assert got == ids


def test_the_same_inputs_give_the_same_result_and_another_seed_another():
    rng = random.Random(3)
    apps = [app(i, rng.choice([1, 2]), rng.choice(["hukou", "property"])) for i in range(1, 61)]
    schools = [
        school(1, "A", 10, lat=36.0, lon=118.0),
        school(2, "B", 10, lat=36.2, lon=118.1),
        school(3, "C", 15),
    ]
    first, _ = run(apps, schools)
    again, _ = run(list(reversed(apps)), schools)
    assert first == again
    other, _ = run(apps, schools, seed=SEED + "-b")
    assert other != first


def test_ten_thousand_applicants_over_thirty_schools():
    rng = random.Random(11)
    schools = [
        school(
            i,
            f"S{i:02d}",
            rng.randint(100, 400),
            town=i % 6,
            lat=36.0 + rng.random(),
            lon=118.0 + rng.random(),
        )
        for i in range(1, 28)
    ] + [school(i, f"P{i:02d}", 150, private=True) for i in (28, 29, 30)]
    tiers = [t.code for t in DEFAULT_TIERS]
    apps = [
        app(
            i, rng.randint(1, 27), rng.choice(tiers), rng.choice([28, 29, 30]) if rng.random() < 0.1 else None
        )
        for i in range(1, 10_001)
    ]
    a, s = frames(apps, schools)
    placement = place(a, s, seed=SEED, tiers=DEFAULT_TIERS, round_name="r")
    result = placement.result
    assert result.height == 10_000 and result.get_column("id").n_unique() == 10_000
    taken = result.filter(pl.col("school_id").is_not_null()).group_by("school_id").agg(n=pl.len())
    over = taken.join(s, left_on="school_id", right_on="id").filter(pl.col("n") > pl.col("places"))
    assert over.height == 0
    total = s.get_column("places").sum()
    assert result.get_column("school_id").is_not_null().sum() == min(total, 10_000)
    vias = {"tier", "lottery", "private", "private_lottery", "reassigned", ""}
    assert set(result.get_column("via").unique().to_list()) <= vias
    assert all(verify(publish(d, drawn_at="t"))[0].matches for d in placement.draws)


@pytest.mark.parametrize(
    ("apps", "schools", "code", "words"),
    [
        (
            [app(1, 1), {**app(2, 1), "receipt": "R00001"}],
            [school(1, "A", 1)],
            "placement.duplicate",
            "R00001",
        ),
        ([app(1, 5)], [school(1, "A", 1)], "placement.zone", "R00001"),
        ([app(1, 9)], [school(1, "A", 1), school(9, "P", 1, private=True)], "placement.zone", "公办"),
        ([app(1, 1, choice=1)], [school(1, "A", 1)], "placement.choice", "民办"),
        ([app(1, 1)], [school(1, "A", -1)], "placement.places", "负数"),
        ([app(1, 1)], [school(1, "A", 1), school(2, "A", 1)], "placement.schools", "重复"),
    ],
)
def test_bad_input_is_refused_in_chinese(apps, schools, code, words):
    a, s = frames(apps, schools)
    with pytest.raises(CoreError) as err:
        place(a, s, seed=SEED, tiers=DEFAULT_TIERS, round_name="r")
    assert err.value.code == code and words in err.value.message


def test_missing_columns_and_empty_seed_are_refused():
    a, s = frames([app(1, 1)], [school(1, "A", 1)])
    with pytest.raises(CoreError) as err:
        place(a.drop("tier"), s, seed=SEED, tiers=DEFAULT_TIERS, round_name="r")
    assert "tier" in err.value.message and "申请表" in err.value.message
    with pytest.raises(CoreError) as err:
        place(a, s, seed="", tiers=DEFAULT_TIERS, round_name="r")
    assert err.value.code == "placement.seed"


def test_no_applicants_no_draws():
    a, s = frames([], [school(1, "A", 1)])
    placement = place(a, s, seed=SEED, tiers=DEFAULT_TIERS, round_name="r")
    assert placement.result.height == 0 and placement.draws == []


def test_the_rule_is_stated_in_chinese():
    assert (
        "最近" in REASSIGN_RULE_TEXT and "剩余学位" in REASSIGN_RULE_TEXT and "报名号" in REASSIGN_RULE_TEXT
    )


def test_distance_is_great_circle_not_degrees():
    # at 60°N one degree of longitude is ~55.6 km, 0.6° of latitude ~66.7 km: E is nearer than N
    schools = [
        school(1, "A", 0, lat=60.0, lon=10.0),
        school(2, "N", 1, lat=60.6, lon=10.0),
        school(3, "E", 1, lat=60.0, lon=11.0),
    ]
    rows, _ = run([app(1, 1)], schools)
    assert rows[1] == (3, "reassigned", None)


@pytest.mark.parametrize(("choosers", "drawn"), [(1, False), (2, False), (3, True)])
def test_private_places_threshold(choosers, drawn):
    apps = [app(i, 1, choice=9) for i in range(1, choosers + 1)]
    rows, draws = run(apps, [school(1, "A", 0), school(9, "P", 2, private=True)])
    assert bool(draws) is drawn
    admitted = [v for v in rows.values() if v[0] == 9]
    assert len(admitted) == min(choosers, 2)
    assert {v[1] for v in admitted} == {"private_lottery" if drawn else "private"}
