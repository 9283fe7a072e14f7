"""规划监测 pages: the plan list, a plan's targets, one target's indicator, the task tree, the downloads
and the navigation entry — scoped like the read side."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.plans.models import Plan

from . import support_dashboard as support

world = support.world  # fixture


def page(client, user, url, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def chart(html: str, name: str) -> dict:
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert found, name
    return json.loads(unescape(found.group(1)))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return list(load_workbook(io.BytesIO(response.content)).active.values)


def test_plan_list_adopted_first_and_drafts_to_review(client, world):
    html = page(client, world.users.leader, reverse("plans:index"))
    assert html.index(world.plan.title) < html.index(world.draft.title)
    assert f'href="{reverse("plans:detail", args=[world.plan.pk])}"' in html
    assert f'href="{reverse("plan_import:review", args=[world.draft.pk])}"' in html
    assert "测政字〔2022〕9号" in html and world.foreign.title not in html
    school = page(client, world.users.school, reverse("plans:index"))
    assert world.plan.title in school and world.draft.title not in school


def test_navigation_entry_is_real(client, world):
    html = page(client, world.users.leader, reverse("plans:detail", args=[world.plan.pk]))
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    assert f'<a href="{reverse("plans:index")}" class="active" aria-current="page">规划监测</a>' in nav
    assert ">规划监测<small>即将上线" not in nav


def test_overview_shows_every_target_with_its_status(client, world):
    html = page(client, world.users.leader, reverse("plans:detail", args=[world.plan.pk]))
    statuses = re.findall(r'<tr data-target="(\d+)" data-status="(\w+)"', html)
    assert [s for _, s in statuses] == ["on_track", "off_track", "on_track", "at_risk", "achieved", "no_data"]
    for status, count in [("achieved", 1), ("on_track", 2), ("at_risk", 1), ("off_track", 1), ("no_data", 1)]:
        assert f'data-status="{status}" data-count="{count}"' in html
    assert "进展顺利" in html and "已达成" in html and "进度滞后" in html and "存在风险" in html
    assert "最小二乘线性趋势" in html  # the rule is written on the page
    assert 'data-latest="54.2"' in html and "54.2%" in html and "≥55%（2025年）" in html
    assert "<polyline" in html  # sparklines
    target_url = reverse("plans:target", args=[world.plan.pk, world.targets.good.pk])
    assert f'href="{target_url}"' in html
    option = chart(html, "status-chart-data")
    assert [d["value"] for d in option["series"][0]["data"]] == [1, 2, 1, 1, 1]
    assert 'name="unit"' in html and "监测镇甲" in html


def test_overview_as_of_a_year_and_for_a_town(client, world):
    url = reverse("plans:detail", args=[world.plan.pk])
    html = page(client, world.users.leader, url, year=2022)
    assert "截至2022年" in html and 'data-latest="52.0"' in html
    town = page(client, world.users.leader, url, unit=world.town_a.pk)
    assert "监测镇甲 · 规划目标" in town and 'data-latest="56.0"' in town


def test_recompute_button_only_for_the_bureau(client, world):
    url = reverse("plans:detail", args=[world.plan.pk])
    assert "重新计算指标" in page(client, world.users.admin, url)
    assert "重新计算指标" in page(client, world.users.staff, url)
    assert "重新计算指标" not in page(client, world.users.leader, url)
    assert "重新计算指标" not in page(client, world.users.school, url)


def test_school_administrator_sees_their_school_values_only(client, world):
    html = page(client, world.users.school, reverse("plans:detail", args=[world.plan.pk]))
    assert "监测小学甲 · 规划目标" in html and 'data-latest="58.0"' in html
    assert 'data-latest="54.2"' not in html  # the county's value
    target = page(
        client, world.users.school, reverse("plans:target", args=[world.plan.pk, world.targets.good.pk])
    )
    assert "监测小学甲" in target and "监测小学乙" not in target and "监测镇乙" not in target
    assert "54.2" not in target


def test_responsible_unit_sees_the_tasks(client, world):
    html = page(client, world.users.reporter, reverse("plans:detail", args=[world.plan.pk]))
    assert 'id="no-unit"' in html and reverse("plans:tasks", args=[world.plan.pk]) in html
    assert "县教育和体育局" in page(
        client, world.users.reporter, reverse("plans:tasks", args=[world.plan.pk])
    )
    assert "导入规划" not in page(client, world.users.reporter, reverse("plans:index"))


def test_bureau_links_to_import_and_manual_values(client, world):
    assert reverse("plan_import:index") in page(client, world.users.admin, reverse("plans:index"))
    html = page(client, world.users.staff, reverse("plans:detail", args=[world.plan.pk]))
    assert reverse("plan_import:manual") in html
    assert reverse("plan_import:manual") not in page(
        client, world.users.leader, reverse("plans:detail", args=[world.plan.pk])
    )
    assert reverse("plan_import:index") not in page(client, world.users.school, reverse("plans:index"))


def test_plans_outside_the_scope_are_not_found(client, world):
    client.force_login(world.users.school)
    assert client.get(reverse("plans:detail", args=[world.draft.pk])).status_code == 404
    client.force_login(world.users.other)
    for name, args in [
        ("plans:detail", [world.plan.pk]),
        ("plans:tasks", [world.plan.pk]),
        ("plans:target", [world.plan.pk, world.targets.good.pk]),
        ("plans:targets-xlsx", [world.plan.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    client.force_login(world.users.leader)
    url = reverse("plans:target", args=[world.plan.pk, world.targets.good.pk])
    assert client.get(url, {"unit": world.other.pk}).status_code == 404
    foreign = world.foreign.targets.get()
    assert client.get(reverse("plans:target", args=[world.plan.pk, foreign.pk])).status_code == 404


def test_pages_need_a_login(client, world):
    response = client.get(reverse("plans:detail", args=[world.plan.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_target_page_trend_path_forecast_and_rankings(client, world):
    html = page(
        client, world.users.leader, reverse("plans:target", args=[world.plan.pk, world.targets.dual.pk])
    )
    assert 'data-testid="target-status">存在风险' in html
    assert "预测方法：最小二乘线性趋势" in html
    option = chart(html, "trend-chart-data")
    assert [s["name"] for s in option["series"]] == ["实际值", "计划路径", "趋势预测"]
    assert option["xAxis"]["data"] == [f"{y}年" for y in range(2020, 2026)]
    assert option["series"][0]["data"] == [None, None, 72.5, 75.0, None, None]
    assert option["series"][1]["data"][0] == 60 and option["series"][1]["data"][-1] == 85
    assert option["series"][2]["lineStyle"]["type"] == "dashed" and option["series"][2]["data"][-1] == 80
    assert option["series"][0]["markLine"]["data"] == [{"yAxis": 85}]
    assert option["yAxis"]["min"] <= 60 and option["yAxis"]["max"] >= 85
    assert "按职业学校上报" in html and "人工填报（mon_admin）" in html and "人工填报：县教育和体育局" in html

    good = page(
        client, world.users.leader, reverse("plans:target", args=[world.plan.pk, world.targets.good.pk])
    )
    schools = chart(good, "school-chart-data")
    assert schools["yAxis"]["data"] == ["监测初中丙", "监测小学乙", "监测小学甲"]  # best at the top
    assert [d["value"] for d in schools["series"][0]["data"]] == [51.0, 53.5, 58.0]
    assert schools["series"][0]["markLine"]["data"] == [{"xAxis": 55}]
    towns = chart(good, "town-chart-data")
    assert towns["yAxis"]["data"] == ["监测镇乙", "监测镇甲"]
    rows = re.findall(r'<tr data-unit="(\d+)" data-rank="(\d*)">', good)
    assert [int(r) if r else None for _, r in rows] == [1, 2, 1, 2, 3, None]
    assert "无实测学生" in good
    assert f"?unit={world.primary_a.org_unit_id}&amp;year=2024" in good


def test_yearly_target_page_lists_each_year(client, world):
    html = page(
        client, world.users.leader, reverse("plans:target", args=[world.plan.pk, world.targets.myopia.pk])
    )
    checks = re.findall(r'<tr data-year="(\d+)" data-met="(\d)">', html)
    assert checks == [("2022", "1"), ("2023", "1"), ("2024", "1")]
    assert "逐年比较（每年降低不少于1个百分点）" in html


def test_target_without_indicator(client, world):
    html = page(
        client, world.users.leader, reverse("plans:target", args=[world.plan.pk, world.targets.schooling.pk])
    )
    assert "尚未对应到指标" in html and "trend-chart-data" not in html


def test_targets_xlsx(client, world):
    client.force_login(world.users.leader)
    rows = xlsx_rows(client.get(reverse("plans:targets-xlsx", args=[world.plan.pk])))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("序号", "类别", "指标", "单位") and header[-2:] == ("状态", "说明")
    assert [(r[0], r[2], r[12]) for r in body][:2] == [
        (1, "学生体质健康测试优良率", "进展顺利"),
        (2, "学生体质健康测试合格率", "进度滞后"),
    ]
    assert body[3][6] == 60 and body[3][8] == 85 and body[0][11] == 54.2
    empty = xlsx_rows(client.get(reverse("plans:targets-xlsx", args=[world.draft.pk])))
    assert empty[0][0] == "序号" and len(empty) == 1


def test_values_xlsx(client, world):
    client.force_login(world.users.leader)
    rows = xlsx_rows(client.get(reverse("plans:target-xlsx", args=[world.plan.pk, world.targets.good.pk])))
    header, body = rows[0], rows[1:]
    assert header == (
        "单位",
        "类型",
        "上级",
        "年份",
        "值",
        "分子",
        "分母",
        "说明",
        "来源",
        "数据来源",
        "计算时间",
        "填报人",
    )
    assert body[0][:5] == ("测试监测县", "县（区）", None, 2021, 50)
    assert ("监测幼儿园丁", "学校", "监测镇乙", 2024, None) in [r[:5] for r in body]
    client.force_login(world.users.school)
    rows = xlsx_rows(client.get(reverse("plans:target-xlsx", args=[world.plan.pk, world.targets.good.pk])))
    assert {r[0] for r in rows[1:]} == {"监测小学甲"}


def test_task_tree_page(client, world):
    html = page(client, world.users.school, reverse("plans:tasks", args=[world.plan.pk]))
    task = re.search(r'data-task="二.\(一\).1".*?</li>', html, re.S).group(0)
    assert task.index("县教育和体育局") < task.index("县卫生健康局") < task.index("县市场监管局")
    assert '<span class="unit-chip lead" title="牵头单位">牵头 县教育和体育局</span>' in task
    assert "3 个目标" in task and "未列责任单位" in html
    assert html.index("教育信息化工程") < html.index("学校建设工程")
    assert "共 3 个章节、2 项任务、6 个量化目标、2 个重点项目" in html


def test_a_draft_without_years(client, world):
    if not Plan._meta.get_field("start_year").null:
        pytest.skip("plans here always have their years")
    world.draft.start_year = world.draft.end_year = None
    world.draft.save(update_fields=["start_year", "end_year"])
    html = page(client, world.users.leader, reverse("plans:index"))
    assert "规划期 未注明" in html
