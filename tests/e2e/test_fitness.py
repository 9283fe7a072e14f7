"""Journey: the leader opens 体质健康, sees the figures and charts, drills into a 镇/街道 and a school, opens
the 年度通报 ranking and a pupil's report card. Screenshots: /tmp/fitness*.png."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Edu@2025"
CHARTS = ["#trend-chart", "#rating-chart", "#histogram-chart"]


def demo_leader() -> tuple[str, str]:
    from edubrain.accounts.models import User
    from edubrain.demo.generator import build_demo

    if not User.objects.filter(username="leader").exists():
        build_demo(seed=7, scale=0.04)
    return "leader", DEMO_PASSWORD


def expected_tested() -> int:
    from edubrain.accounts.models import User
    from edubrain.fitness.models import FitnessMeasurement

    visible = FitnessMeasurement.objects.visible_to(User.objects.get(username="leader"))
    years = visible.order_by("-school_year__start_year").values_list("school_year__start_year", flat=True)
    year = years.first()
    return visible.filter(school_year__start_year=year, status="scored").count()


def charts_drawn(page) -> None:
    for chart in CHARTS:
        page.wait_for_selector(f"{chart} canvas", timeout=10_000)


def test_fitness_journey(live_server, browser):
    if not finders.find("vendor/echarts.min.js"):
        pytest.fail("vendor assets missing: run `.venv/bin/python scripts/install_assets.py`")
    username, password = demo_leader()
    tested = expected_tested()
    assert tested > 0

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("nav.mainnav >> text=体质健康")
    page.wait_for_url(f"{live_server.url}/fitness/")
    assert int(page.locator('[data-figure="tested"]').get_attribute("data-value")) == tested
    rate = page.locator('[data-figure="excellent_good_rate"] .figure-value').inner_text()
    assert rate.endswith("%")
    assert "免测学生不计入分母" in page.locator("#denominator-rule").inner_text()
    charts_drawn(page)
    page.wait_for_timeout(1000)  # let the charts finish their entry animation
    page.screenshot(path="/tmp/fitness.png", full_page=True)

    page.locator("#children-table a[data-child]").first.click()  # a 镇/街道
    page.wait_for_selector("#children-table")
    page.locator("#children-table a[data-child]").first.click()  # a school
    page.wait_for_selector("#items-table")
    assert "学校" in page.locator(".page-head .muted").first.inner_text()
    charts_drawn(page)
    page.screenshot(path="/tmp/fitness-school.png", full_page=True)

    page.click("[data-testid=ranking-link]")
    page.wait_for_selector(".ranking-table")
    assert page.locator("section[data-stage=primary] tr[data-rank='1']").count() == 1
    page.screenshot(path="/tmp/fitness-ranking.png", full_page=True)

    page.locator(".ranking-table a[data-school]").first.click()  # back to a school, then a grade and a class
    page.wait_for_selector("#children-table")
    page.locator("#children-table a[data-child]").first.click()
    page.wait_for_selector("#children-table")
    page.locator("#children-table a[data-child]").first.click()
    page.click("[data-testid=students-link]")
    page.wait_for_selector("#students-table")
    page.locator("#students-table a[data-student]").first.click()
    page.wait_for_selector("#report-card")
    assert page.locator("#report-card [data-total]").inner_text().strip()
    assert page.locator("[data-testid=print]").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("#history").is_visible()  # only the card is printed
    page.emulate_media(media="screen")
    page.screenshot(path="/tmp/fitness-card.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/fitness/")
    charts_drawn(page)
    page.screenshot(path="/tmp/fitness-phone.png", full_page=True)
    assert errors == []
