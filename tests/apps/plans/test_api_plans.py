"""规划监测 API, plans: the list, one plan with its sections, tasks, targets and projects, and the targets
with their latest value and status — scoped like the pages."""

from __future__ import annotations

from django.test import Client

from . import support_dashboard as support
from .support_dashboard import api_client, get_json

world = support.world  # fixture


def test_plan_list_is_scoped_and_paginated(world):
    page = get_json(api_client(world.users.leader), "/api/plans")
    assert set(page) == {"items", "count", "page", "page_size"}
    assert [p["title"] for p in page["items"]] == [world.plan.title, world.draft.title]
    first = page["items"][0]
    assert first["status"] == {"code": "adopted", "label": "已采用"}
    assert first["org_unit"] == {"id": world.county.pk, "name": "测试监测县"}
    assert (first["doc_number"], first["start_year"], first["end_year"]) == ("测政字〔2022〕9号", 2021, 2025)
    school = get_json(api_client(world.users.school), "/api/plans")
    assert [p["id"] for p in school["items"]] == [world.plan.pk]
    second = get_json(api_client(world.users.leader), "/api/plans", page=2, page_size=1)
    assert second["count"] == 2 and [p["id"] for p in second["items"]] == [world.draft.pk]


def test_plan_detail(world):
    plan = get_json(api_client(world.users.school), f"/api/plans/{world.plan.pk}")
    assert [(s["code"], s["parent"]) for s in plan["sections"]] == [
        ("一", None),
        ("二", None),
        ("二.(一)", "二"),
    ]
    task = plan["tasks"][0]
    assert (task["code"], task["section"]) == ("二.(一).1", "二.(一)")
    assert [(u["name"], u["role"]) for u in task["units"]] == [
        ("县教育和体育局", "lead"),
        ("县卫生健康局", "co"),
        ("县市场监管局", "co"),
    ]
    assert len(plan["targets"]) == 6
    dual = plan["targets"][3]
    assert (
        dual["indicator"],
        dual["baseline"],
        dual["baseline_year"],
        dual["target"],
        dual["comparator"],
    ) == (
        "vocational_dual_teacher_share",
        60,
        2020,
        85,
        ">=",
    )
    assert plan["targets"][5]["indicator"] is None and plan["targets"][0]["task"] == "二.(一).1"
    assert [p["number"] for p in plan["projects"]] == [1, 2]


def test_plans_outside_the_scope_are_404(world):
    get_json(api_client(world.users.other), f"/api/plans/{world.plan.pk}", expect=404)
    get_json(api_client(world.users.school), f"/api/plans/{world.draft.pk}", expect=404)
    get_json(api_client(world.users.other), f"/api/plans/{world.plan.pk}/targets", expect=404)
    body = get_json(
        api_client(world.users.leader), f"/api/plans/{world.plan.pk}/targets", expect=404, unit=world.other.pk
    )
    assert body["detail"] == "未找到该记录，或您无权查看"


def test_targets_with_latest_value_and_status(world):
    body = get_json(api_client(world.users.leader), f"/api/plans/{world.plan.pk}/targets")
    assert body["unit"] == {"id": world.county.pk, "name": "测试监测县", "kind": "county"}
    assert "最小二乘" in body["rule"]
    rows = body["targets"]
    assert [r["status"] for r in rows] == [
        "on_track",
        "off_track",
        "on_track",
        "at_risk",
        "achieved",
        "no_data",
    ]
    good = rows[0]
    assert (good["latest"], good["latest_year"], good["status_label"], good["target_text"]) == (
        54.2,
        2024,
        "进展顺利",
        "≥55%（2025年）",
    )
    assert good["values"][-1] == {"year": 2024, "value": 54.2} and good["on_path"] is True
    assert good["forecast"]["year"] == 2025 and "最小二乘" in good["forecast"]["method"]
    assert good["path"][0] == {"year": 2021, "value": 50}
    myopia = rows[2]
    assert [c["met"] for c in myopia["checks"]] == [True, True, True] and myopia["checks"][0][
        "required"
    ] == -1


def test_school_administrator_gets_their_school(world):
    body = get_json(api_client(world.users.school), f"/api/plans/{world.plan.pk}/targets")
    assert body["unit"]["name"] == "监测小学甲"
    good = body["targets"][0]
    assert good["values"] == [{"year": 2023, "value": 57}, {"year": 2024, "value": 58}]
    assert good["status"] == "achieved"
    get_json(
        api_client(world.users.school),
        f"/api/plans/{world.plan.pk}/targets",
        expect=404,
        unit=world.county.pk,
    )


def test_as_of_a_year(world):
    body = get_json(api_client(world.users.leader), f"/api/plans/{world.plan.pk}/targets", year=2022)
    good = body["targets"][0]
    assert (good["latest_year"], good["latest"]) == (2022, 52) and good["values"][-1]["year"] == 2022


def test_a_town_of_the_plan(world):
    body = get_json(
        api_client(world.users.leader), f"/api/plans/{world.plan.pk}/targets", unit=world.town_a.pk
    )
    assert body["unit"]["name"] == "监测镇甲" and body["targets"][0]["latest"] == 56


def test_needs_authentication(world):
    assert Client().get("/api/plans").status_code == 401
    assert Client().get(f"/api/plans/{world.plan.pk}/targets").status_code == 401
