"""Journey: the bureau admin opens 学位与班额 (班额 page, then 学位预警), sees the charts rendered, applies a
scenario and sees the warnings change. Screenshots: /tmp/places*.png."""

from __future__ import annotations

import pytest

from .journey import ensure_demo, logged_in, require_assets

pytestmark = pytest.mark.e2e

def test_places_journey(live_server, browser):
    require_assets()
    ensure_demo()

    page, errors = logged_in(browser, live_server.url, "admin")

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
