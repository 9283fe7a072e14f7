"""Journey: the leader opens 视力监测, sees the figures and charts and drills into a 镇/街道.
Screenshots: /tmp/vision*.png."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Edu@2025"


def demo_leader() -> tuple[str, str]:
    from edubrain.accounts.models import User
    from edubrain.demo.generator import build_demo

    if not User.objects.filter(username="leader").exists():
        build_demo(seed=7, scale=0.04)
    return "leader", DEMO_PASSWORD


def expected_screened() -> int:
    from edubrain.accounts.models import User
    from edubrain.vision.models import VisionScreening

    visible = VisionScreening.objects.visible_to(User.objects.get(username="leader")).filter(
        status="classified"
    )
    year = (
        visible.order_by("-school_year__start_year").values_list("school_year__start_year", flat=True).first()
    )
    return visible.filter(school_year__start_year=year).values("student_id").distinct().count()


def test_vision_journey(live_server, browser):
    if not finders.find("vendor/echarts.min.js"):
        pytest.fail("vendor assets missing: run `.venv/bin/python scripts/install_assets.py`")
    username, password = demo_leader()
    screened = expected_screened()
    assert screened > 0

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("nav.mainnav >> text=视力监测")
    page.wait_for_url(f"{live_server.url}/vision/")
    assert int(page.locator('[data-figure="screened"]').get_attribute("data-value")) == screened
    assert page.locator('[data-figure="rate"] .figure-value').inner_text().endswith("%")
    assert "每年降低≥1个百分点" in page.locator("#trend-table").inner_text()
    for chart in ("#trend-chart", "#grade-chart"):
        page.wait_for_selector(f"{chart} canvas", timeout=10_000)
    page.wait_for_timeout(800)
    page.screenshot(path="/tmp/vision.png", full_page=True)

    town = page.locator("#children-table a[data-child]").first
    name = town.inner_text()
    town.click()  # a 镇/街道
    page.wait_for_selector("#children-table")
    assert name in page.locator("h1").inner_text()
    assert "镇/街道" in page.locator(".page-head .muted").first.inner_text()
    page.wait_for_selector("#trend-chart canvas", timeout=10_000)
    page.screenshot(path="/tmp/vision-town.png", full_page=True)
    assert errors == []
