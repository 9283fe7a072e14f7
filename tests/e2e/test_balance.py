"""Journey: the bureau admin opens 优质均衡, sees the charts drawn, closes a failing school's gaps in the
what-if and sees it pass, then opens 普及普惠. Screenshots: /tmp/balance*.png."""

from __future__ import annotations

import pytest

from .journey import ensure_demo, logged_in, require_assets

pytestmark = pytest.mark.e2e

def test_balance_journey(live_server, browser):
    require_assets()
    ensure_demo()
    page, errors = logged_in(browser, live_server.url, "admin")

    page.click("nav.mainnav >> text=均衡发展")
    page.wait_for_url(f"{live_server.url}/balance/")
    for chart in ("#cv-chart", "#scatter-chart"):
        page.wait_for_selector(f"{chart}[data-chart-ready]", timeout=10_000)
        assert page.locator(f"{chart} canvas").count() == 1
    assert "差异系数" in page.locator("#cv-table").inner_text()
    failing = page.locator('#school-table tr[data-verdict="否"]').first
    code, stage = failing.get_attribute("data-code"), failing.get_attribute("data-stage")
    page.screenshot(path="/tmp/balance.png", full_page=True)

    gaps = page.locator(f'#gap-table tr[data-code="{code}"][data-stage="{stage}"]')
    assert gaps.count() >= 1
    page.select_option("#whatif-school", f"{code}|{stage}")
    for i in range(gaps.count()):
        row = gaps.nth(i)
        page.fill(f"#add_{row.get_attribute('data-key')}", row.get_attribute("data-gap"))
    page.click("#whatif-run")
    page.wait_for_selector("#whatif-result")
    changed = page.locator(f'#whatif-schools tr[data-code="{code}"][data-stage="{stage}"]')
    assert changed.get_attribute("data-changed") is not None
    assert changed.locator("[data-verdict-after]").inner_text() == "是"
    page.wait_for_selector("#cv-chart[data-chart-ready]", timeout=10_000)
    page.screenshot(path="/tmp/balance-whatif.png", full_page=True)

    page.click("a.button >> text=普及普惠")
    page.wait_for_selector("#preschool-chart[data-chart-ready]", timeout=10_000)
    assert "普惠性幼儿园覆盖率" in page.locator("#preschool-table").inner_text()
    assert page.locator("[data-national]").first.inner_text() == "达标"
    page.screenshot(path="/tmp/balance-preschool.png", full_page=True)
    assert errors == []
