"""What every browser journey starts with: the demo county in the (emptied) database, the vendored chart
library, and a logged-in page that records script errors."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

DEMO_PASSWORD = "Edu@2025"


def ensure_demo() -> None:
    """Build the small demo county when the database is empty (live_server tests run after the others,
    which leave it empty)."""
    from edubrain.accounts.models import User
    from edubrain.demo.generator import build_demo

    if not User.objects.filter(username="admin").exists():
        build_demo(seed=7, scale=0.04)


def require_assets() -> None:
    if not finders.find("vendor/echarts.min.js"):
        pytest.fail("vendor assets missing: run `.venv/bin/python scripts/install_assets.py`")


def logged_in(browser, base_url: str, username: str, **context):
    """A new page of ``browser`` logged in as the demo user ``username``; the list collects page errors."""
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", **context}
    page = browser.new_page(**options)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page, errors
