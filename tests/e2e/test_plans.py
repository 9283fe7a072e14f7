"""Journey: the leader opens 规划监测, the county's plan, sees every target with its status and the charts,
opens the 优良率 indicator page (trend with path and forecast, ranked schools) and the task tree.
Screenshots: /tmp/plans*.png.

The demo county is used as the demo builds it. When it has no adopted plan or no stored indicator values yet,
the journey makes them with the commands that exist for that: ``edubrain plan import … --adopt`` (the county's
own plan document, or — if the document cannot be parsed on this machine — a small plan JSON holding its
Table 1 rows and prose targets) and ``edubrain indicators compute``.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Edu@2025"
STATUSES = {"achieved", "on_track", "at_risk", "off_track", "no_data"}
LABELS = {"已达成", "进展顺利", "存在风险", "进度滞后", "数据不足"}
GOOD = "fitness_excellent_good_rate"


def target(indicator, unit, baseline, target_value, comparator=">=", category="", task=None):
    return {
        "indicator": indicator, "unit": unit, "category": category, "baseline": baseline,
        "baseline_year": 2020 if baseline else None, "target_year": 2025, "target": target_value,
        "comparator": comparator, "nature": "预期性" if category else None, "task_code": task,
        "source": indicator,
    }  # fmt: skip


FALLBACK_PLAN = {
    "title": "沂源县教育事业发展“十四五”规划",
    "issuer": "沂源县人民政府",
    "doc_number": "源政字〔2023〕36号",
    "period": [2021, 2025],
    "sections": [
        {
            "code": "二",
            "title": "重点任务",
            "children": [{"code": "二.(一)", "title": "全面落实立德树人根本任务", "children": []}],
        },
    ],  # fmt: skip
    "tasks": [
        {
            "code": "二.(一).4",
            "title": "加强学生体质健康管理",
            "text": "到2025年学生体质健康测试优良率、合格率达到55%、95%以上。",
            "units": ["县教育和体育局", "县卫生健康局", "县市场监管局"],
        },
    ],  # fmt: skip
    "targets": [
        target("幼儿园在园人数", "万人", 1.7, 1.1, "<=", "学前教育"),
        target("学前三年毛入园率", "%", 99.0, 99.0, category="学前教育"),
        target("在校生", "万人", 3.9, 4.5, category="义务教育"),
        target("义务教育阶段本科及以上学历专任教师比例", "%", 95.95, 97, category="教师队伍"),
        target("中职院校“双师型”教师占专任专业教师比例", "%", 60, 85, category="教师队伍"),
        target("学生体质健康测试优良率", "%", None, 55, task="二.(一).4"),
        target("学生体质健康测试合格率", "%", None, 95, task="二.(一).4"),
        target("总体近视率", "%", None, 1, "decrease_by", task="二.(一).4"),
    ],
    "projects": [{"number": 1, "name": "义务教育学校建设工程", "content": "新建、改扩建中小学校。"}],
    "unparsed": [],
}


def demo_county_with_plan(tmp_path):
    """The demo county (built if missing) with an adopted plan and stored indicator values; the plan's id."""
    from django.core.management import call_command

    from edubrain.accounts.models import User
    from edubrain.base.orgtree import OrgKind, OrgUnit
    from edubrain.demo.generator import build_demo, county_code
    from edubrain.plans.models import IndicatorValue, Plan

    if not User.objects.filter(username="leader").exists():
        build_demo(seed=7, scale=0.04)
    county = OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code=county_code())
    plan = Plan.objects.filter(org_unit=county, status=Plan.Status.ADOPTED).first()
    if plan is None:
        try:
            from importlib.resources import files

            document = files("edubrain.data") / "plans" / "yiyuan_2021_2025.txt"
            call_command("plan", "import", str(document), "--county", county.division_code, "--adopt")
        except Exception:  # the document parser is not installed here: its tables, typed out
            path = tmp_path / "plan.json"
            path.write_text(json.dumps(FALLBACK_PLAN, ensure_ascii=False), encoding="utf-8")
            call_command("plan", "import", str(path), "--county", county.division_code, "--adopt")
        plan = Plan.objects.get(org_unit=county, status=Plan.Status.ADOPTED)
    if not IndicatorValue.objects.filter(org_unit=county, value__isnull=False).exists():
        call_command("indicators", "compute", "--county", county.division_code)
    return plan.pk


def charts_drawn(page, charts) -> None:
    for chart in charts:
        page.wait_for_selector(f"{chart} canvas", timeout=10_000)


def test_plans_journey(live_server, browser, tmp_path):
    if not finders.find("vendor/echarts.min.js"):
        pytest.fail("vendor assets missing: run `.venv/bin/python scripts/install_assets.py`")
    plan_id = demo_county_with_plan(tmp_path)

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("nav.mainnav >> text=规划监测")
    page.wait_for_url(f"{live_server.url}/plans/")
    page.click(f'article[data-plan="{plan_id}"] a[data-plan-link]')
    page.wait_for_url(f"{live_server.url}/plans/{plan_id}/")

    rows = page.locator("#targets-table tbody tr[data-target]")
    assert rows.count() >= 5
    statuses = {rows.nth(i).get_attribute("data-status") for i in range(rows.count())}
    assert statuses <= STATUSES and statuses - {"no_data"}, statuses
    chips = page.locator("#targets-table .status-chip")
    assert {chips.nth(i).inner_text().strip() for i in range(chips.count())} <= LABELS
    counted = sum(int(page.locator(f'#status-counts [data-status="{s}"]').get_attribute("data-count"))
                  for s in STATUSES)  # fmt: skip
    assert counted == rows.count()
    assert page.locator("svg.sparkline").count() > 0
    page.click("#status-rules summary")
    assert "最小二乘" in page.locator("#status-rules").inner_text()
    charts_drawn(page, ["#status-chart"])
    page.wait_for_timeout(800)
    page.screenshot(path="/tmp/plans.png", full_page=True)

    good = page.locator(f'#targets-table tr[data-indicator="{GOOD}"]').first
    assert good.get_attribute("data-status") != "no_data"
    good.locator("a[data-target-link]").click()
    page.wait_for_selector("#target-summary")
    assert page.locator("[data-testid=target-status]").inner_text().strip() in LABELS
    charts_drawn(page, ["#trend-chart", "#town-chart", "#school-chart"])
    assert page.locator("#schools-table tbody tr").count() > 1
    assert page.locator("#series-table tbody tr").count() >= 2
    page.wait_for_timeout(800)
    page.screenshot(path="/tmp/plans-indicator.png", full_page=True)

    earlier = page.locator("#year-select option").nth(2).get_attribute("value")  # 截至 an earlier year
    page.select_option("#year-select", earlier)
    page.wait_for_url(f"**year={earlier}**")
    charts_drawn(page, ["#trend-chart"])
    assert f"（{earlier}年）" in page.locator("#schools h2").inner_text()

    page.click(".plan-tabs >> text=重点任务与项目")
    page.wait_for_selector("#task-tree")
    assert page.locator("#task-tree .unit-chip.lead").count() > 0
    page.screenshot(path="/tmp/plans-tasks.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/plans/{plan_id}/")
    charts_drawn(page, ["#status-chart"])
    assert page.locator("#targets-table .status-chip").first.is_visible()
    page.screenshot(path="/tmp/plans-phone.png", full_page=True)
    assert errors == []
