"""What-if (POST, nothing saved): resources added to a school stage, pupils moved between schools."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.balance import queries
from edubrain.core.balance import Move
from edubrain.registry.models import Facility


def test_adding_the_gap_makes_the_school_pass(client, bal):
    client.force_login(bal.users.admin)
    before = Facility.objects.get(school=bal.p2, year=2024).teaching_area
    response = client.post(
        reverse("balance:index"),
        {
            "unit": bal.county.pk,
            "year": 2024,
            "school": "3910000002|小学",
            "add_L4": "3",
            "add_L2": "1",
            "add_L3": "1",
            "add_L6": "0",
        },
    )
    assert response.status_code == 200
    ctx = response.context
    assert "whatif_error" not in ctx
    rows = {(r["code"], r["stage"]): r for r in ctx["whatif"]["schools"]}
    p2 = rows[("3910000002", "小学")]
    assert (p2["verdict"], p2["verdict_after"]) == ("否", "是")
    assert p2["changed"] and not rows[("3910000001", "小学")]["changed"]
    assert ctx["whatif"]["passing_after"] == ctx["whatif"]["passing_before"] + 1
    assert ctx["whatif"]["scenario"].startswith("均衡小学乙（小学）增加 ")
    assert "教学及辅助用房 3 m²" in ctx["whatif"]["scenario"]
    assert "data-verdict-after>是" in response.content.decode()
    assert Facility.objects.get(school=bal.p2, year=2024).teaching_area == before  # not saved


def test_just_short_on_one_indicator_passes_by_six_of_seven(bal):
    result = queries.balance(bal.users.admin, queries.Selection(bal.county), 2024)
    after = queries.run_what_if(
        result, queries.WhatIf(school="3910000002", stage="小学", additions={"L4": 2.99, "L2": 1, "L3": 1})
    )
    row = after.schools.filter(after.schools["学校标识码"] == "3910000002").to_dicts()[0]
    assert row["生均教学及辅助用房面积"] == pytest.approx(4.495)  # just under 4.5, above 85 %
    assert (row["达标指标数"], row["是否达标"]) == (6, "是")
    without_art = queries.run_what_if(
        result, queries.WhatIf(school="3910000002", stage="小学", additions={"L4": 2.99, "L2": 1})
    )
    row = without_art.schools.filter(without_art.schools["学校标识码"] == "3910000002").to_dicts()[0]
    assert (row["达标指标数"], row["是否达标"]) == (5, "否")


def test_nine_year_shared_stock_addition_is_whole_school(bal):
    result = queries.balance(bal.users.admin, queries.Selection(bal.county), 2024)
    after = queries.run_what_if(
        result, queries.WhatIf(school="3910000003", stage="初中", additions={"L4": 53})
    )
    row = after.schools.filter(
        (after.schools["学校标识码"] == "3910000003") & (after.schools["学段"] == "初中")
    ).to_dicts()[0]
    # the 初中 part gets its share of the whole school's 100 + 53 ㎡
    assert row["生均教学及辅助用房面积"] == pytest.approx(153 * 3.3 / 5.3 / 3)


def test_moving_pupils_changes_pupils_and_cv(client, bal):
    client.force_login(bal.users.admin)
    response = client.post(
        reverse("balance:index"),
        {
            "unit": bal.county.pk,
            "year": 2024,
            "move_from": "3910000001",
            "move_to": "3910000002",
            "move_stage": "小学",
            "move_pupils": "2",
        },
    )
    rows = {r["code"]: r for r in response.context["whatif"]["schools"] if r["stage"] == "小学"}
    assert (rows["3910000001"]["pupils_after"], rows["3910000002"]["pupils_after"]) == ("2", "4")
    cvs = {(r["stage"], r["indicator"]): r for r in response.context["whatif"]["cvs"]}
    area = cvs[("小学", "生均教学及辅助用房面积")]
    assert area["cv"] != area["after"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请填写要增加的资源"),
        (
            {"move_from": "3910000001", "move_to": "3910000001", "move_stage": "小学", "move_pupils": "1"},
            "不能相同",
        ),
        (
            {"move_from": "3910000001", "move_to": "3910000002", "move_stage": "小学", "move_pupils": "0"},
            "应大于0",
        ),
        ({"school": "3910000002|小学", "add_L4": "abc"}, "不是数字"),
    ],
)
def test_bad_what_if_is_explained(client, bal, data, message):
    client.force_login(bal.users.admin)
    response = client.post(reverse("balance:index"), {"unit": bal.county.pk, "year": 2024, **data})
    assert response.status_code == 200
    assert message in response.context["whatif_error"]


def test_move_needs_schools_in_scope(bal):
    result = queries.balance(bal.users.admin, queries.Selection(bal.county), 2024)
    with pytest.raises(queries.WhatIfError):
        queries.run_what_if(result, queries.WhatIf(move=Move("3910000001", "9999999999", 1, "小学")))
