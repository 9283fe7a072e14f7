"""Browser journeys (Playwright on Debian chromium). They run last: live_server implies transactional_db,
which empties the database afterwards (including the session's demo county)."""

from __future__ import annotations

import os
import shutil

import pytest

from factories import attachments_in

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"找不到 chromium（{CHROMIUM}）：先运行 make browser（apt-get install -y chromium）")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def attachments_in_tmp(settings, tmp_path):
    """Files uploaded in a journey go to the test's tmp_path, never to the checkout's var/."""
    attachments_in(settings, tmp_path / "attachments")
