"""Journey: the bureau admin opens 学位与班额 (班额 page, then 学位预警), sees the charts rendered, applies a
scenario and sees the warnings change. Screenshots: /tmp/places*.png."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Edu@2025"


def demo_admin() -> tuple[str, str]:
    from edubrain.accounts.models import User
    from edubrain.demo.generator import build_demo

    if not User.objects.filter(username="admin").exists():
        build_demo(seed=7, scale=0.04)
    return "admin", DEMO_PASSWORD


def test_places_journey(live_server, browser):
    if not finders.find("vendor/echarts.min.js"):
        pytest.fail("vendor assets missing: run `.venv/bin/python scripts/install_assets.py`")
    username, password = demo_admin()

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("nav.mainnav >> text=学位与班额")
    page.wait_for_url(f"{live_server.url}/places/")
    page.wait_for_selector("#class-trend-chart[data-chart-ready]", timeout=10_000)
    assert page.locator("#class-trend-chart canvas").count() == 1
    assert "56人及以上" in page.locator("#class-rule").inner_text()
    assert page.locator("#class-trend-table tbody tr").count() == 6  # 学年 2020—2025
    page.wait_for_timeout(800)  # let the chart animation finish before the screenshot
    page.screenshot(path="/tmp/places.png", full_page=True)

    page.click(".head-actions >> text=学位预警")
    page.wait_for_url(f"{live_server.url}/places/forecast/*")
    page.wait_for_selector("#zone-chart-0[data-chart-ready]", timeout=10_000)
    assert "队列比率法" in page.locator("#forecast-method").inner_text()
    red_before = int(page.locator('[data-figure="red"]').get_attribute("data-value"))
    first_cell = page.locator("#entry-table tbody tr").first.locator("td.level").first
    before = first_cell.inner_text()
    page.wait_for_timeout(800)
    page.screenshot(path="/tmp/places-forecast.png", full_page=True)

    page.fill("#id_extra", "200")
    page.click("#scenario-apply")
    page.wait_for_selector("#scenario-active")
    page.wait_for_selector("#zone-chart-0[data-chart-ready]", timeout=10_000)
    red_after = int(page.locator('[data-figure="red"]').get_attribute("data-value"))
    after = page.locator("#entry-table tbody tr").first.locator("td.level").first.inner_text()
    assert after != before
    assert red_after > red_before
    assert "新增迁入200人" in page.locator("#forecast-method").inner_text()
    page.wait_for_timeout(800)
    page.screenshot(path="/tmp/places-scenario.png", full_page=True)
    assert errors == []
