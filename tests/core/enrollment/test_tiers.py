"""招生类别: a child's tier from the declared facts, within the round's list; ranks and labels."""

from __future__ import annotations

import itertools

import pytest

from edubrain.core.enrollment.tiers import (
    DEFAULT_POLICY_CATEGORIES,
    DEFAULT_TIERS,
    Tier,
    tier_label,
    tier_of,
    tier_rank,
    tiers_from_json,
)
from edubrain.core.errors import CoreError


def expected(hukou: bool, prop: bool, permit: bool, policy: bool) -> str:
    """The rule written out as a table, independently of the implementation's if-chain."""
    if policy:
        return "hukou_property"
    return {
        (True, True): "hukou_property",
        (True, False): "hukou",
        (False, True): "property",
    }.get((hukou, prop), "migrant" if permit else "other")


@pytest.mark.parametrize("facts", list(itertools.product([False, True], repeat=4)))
def test_every_combination_of_facts_with_the_default_tiers(facts):
    hukou, prop, permit, policy = facts
    got = tier_of(hukou_in_area=hukou, property_in_area=prop, residence_permit=permit, policy=policy)
    assert got == expected(hukou, prop, permit, policy)


def test_default_tiers_and_policy_categories():
    assert [t.code for t in DEFAULT_TIERS] == ["hukou_property", "hukou", "property", "migrant", "other"]
    assert DEFAULT_TIERS[0].label == "户籍与房产一致" and DEFAULT_TIERS[3].label == "随迁子女（居住证）"
    assert "现役军人子女" in DEFAULT_POLICY_CATEGORIES and "烈士子女" in DEFAULT_POLICY_CATEGORIES


def test_policy_goes_to_the_rounds_first_tier_whatever_it_is():
    tiers = (Tier("hukou", "户籍"), Tier("other", "其他"))
    facts = {"hukou_in_area": False, "property_in_area": False, "residence_permit": False}
    assert tier_of(**facts, policy=True, tiers=tiers) == "hukou"
    assert tier_of(**facts, policy=False, tiers=tiers) == "other"


def test_a_tier_missing_from_the_round_falls_to_the_next_lower_listed_one():
    tiers = (Tier("hukou_property", "户籍与房产一致"), Tier("hukou", "户籍"), Tier("migrant", "随迁"))
    # 房产 only: "property" is not listed → the next lower listed is "migrant"
    assert tier_of(
        hukou_in_area=False, property_in_area=True, residence_permit=False, policy=False, tiers=tiers
    ) == ("migrant")
    # nothing: "other" not listed and nothing lower → the last tier
    assert tier_of(
        hukou_in_area=False, property_in_area=False, residence_permit=False, policy=False, tiers=tiers
    ) == ("migrant")
    # 户籍与房产 without "hukou_property" listed → "hukou"
    short = (Tier("hukou", "户籍"), Tier("other", "其他"))
    assert tier_of(
        hukou_in_area=True, property_in_area=True, residence_permit=True, policy=False, tiers=short
    ) == ("hukou")


def test_a_round_of_codes_unknown_to_the_rule_gets_its_last_tier():
    tiers = (Tier("a", "甲类"), Tier("b", "乙类"))
    assert (
        tier_of(hukou_in_area=True, property_in_area=True, residence_permit=False, policy=False, tiers=tiers)
        == "b"
    )
    assert (
        tier_of(hukou_in_area=False, property_in_area=False, residence_permit=False, policy=True, tiers=tiers)
        == "a"
    )


def test_no_tiers_is_refused():
    with pytest.raises(CoreError) as err:
        tier_of(hukou_in_area=True, property_in_area=False, residence_permit=False, policy=False, tiers=())
    assert err.value.code == "tiers.empty"


def test_rank_and_label():
    assert [tier_rank(t.code, DEFAULT_TIERS) for t in DEFAULT_TIERS] == [1, 2, 3, 4, 5]
    assert tier_rank("nope", DEFAULT_TIERS) == 6
    assert tier_rank("x", ()) == 1
    assert tier_label("property", DEFAULT_TIERS) == "房产"
    assert tier_label("nope", DEFAULT_TIERS) == "nope"


@pytest.mark.parametrize("empty", [None, []])
def test_tiers_from_json_defaults(empty):
    assert tiers_from_json(empty) == DEFAULT_TIERS


def test_tiers_from_json_reads_a_round_list_in_order():
    data = [{"code": "hukou", "label": " 户籍 "}, {"code": "other", "label": "其他"}]
    assert tiers_from_json(data) == (Tier("hukou", "户籍"), Tier("other", "其他"))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"code": "a"}, "列表"),
        (["hukou"], "第1项"),
        ([{"code": "a", "label": "甲"}, {"code": "", "label": "乙"}], "第2项"),
        ([{"code": "a", "label": ""}], "不能为空"),
        ([{"code": "a", "label": "甲"}, {"code": "a", "label": "乙"}], "“a”重复"),
        ([{"code": "x" * 21, "label": "甲"}], "最多20个字符"),
    ],
)
def test_tiers_from_json_refuses_bad_data_in_chinese(data, words):
    with pytest.raises(CoreError) as err:
        tiers_from_json(data)
    assert err.value.code == "tiers.invalid" and words in err.value.message


def test_code_length_threshold():
    assert tiers_from_json([{"code": "x" * 20, "label": "甲"}])[0].code == "x" * 20
    assert tiers_from_json([{"code": "x" * 19, "label": "甲"}])[0].code == "x" * 19
