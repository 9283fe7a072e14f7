"""Journey: log in through the form as a demo user and see the home page figures and chart."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from edubrain.registry.queries import summary

pytestmark = pytest.mark.e2e

FIGURES = ["schools", "kindergarten", "compulsory", "upper_secondary", "vocational", "teachers"]
DEMO_PASSWORD = "Edu@2025"


def demo_county() -> tuple[str, str]:
    """The demo county's admin when the generator exists; else a small county from the factories."""
    from edubrain.accounts.models import User

    try:
        from edubrain.demo.generator import build_demo
    except ImportError:
        return factory_county()
    if not User.objects.filter(username="admin").exists():
        build_demo(seed=7, scale=0.04)
    return "admin", DEMO_PASSWORD


def factory_county() -> tuple[str, str]:
    from edubrain.accounts.models import Role
    from factories import (
        CountyFactory,
        EnrollmentFactory,
        SchoolClassFactory,
        SchoolFactory,
        SchoolYearFactory,
        StaffFactory,
        StudentFactory,
        TownFactory,
        UserFactory,
    )

    county = CountyFactory()
    town = TownFactory(parent=county, name="南麻街道")
    for year, grade in ((2023, "11"), (2024, "12")):
        school_year = SchoolYearFactory(start_year=year)
        for school in (SchoolFactory(town=town), SchoolFactory(town=town, school_type="kindergarten")):
            klass = SchoolClassFactory(school=school, school_year=school_year,
                                       grade_code=grade if school.school_type == "primary" else "01")
            for student in StudentFactory.create_batch(3 + year % 5, school=school):
                EnrollmentFactory(student=student, school_class=klass, school_year=school_year)
            StaffFactory(school=school)
    user = UserFactory(username="admin", role=Role.BUREAU_ADMIN, org_unit=county)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return "admin", DEMO_PASSWORD


def test_login_and_home_page(live_server, browser):
    if not finders.find("vendor/echarts.min.js"):
        pytest.fail("vendor assets missing: run `.venv/bin/python scripts/install_assets.py`")
    username, password = demo_county()
    from edubrain.accounts.models import User

    expected = summary(User.objects.get(username=username))
    assert expected["year"] is not None

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    for key in FIGURES:
        element = page.locator(f'[data-figure="{key}"]')
        assert int(element.get_attribute("data-value")) == expected[key], key
    shown = page.locator('[data-figure="compulsory"] .figure-value').inner_text()
    assert shown.replace(",", "").startswith(str(expected["compulsory"]))
    assert "教育局管理员" in page.locator("[data-testid=userbox]").inner_text()

    page.wait_for_selector("#students-chart canvas, #students-chart svg", timeout=10_000)
    assert page.locator("#students-chart canvas, #students-chart svg").count() >= 1
    page.wait_for_timeout(1200)  # let the bars finish their entry animation
    page.screenshot(path="/tmp/home.png", full_page=True)
    assert errors == []

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.wait_for_timeout(400)
    page.screenshot(path="/tmp/home-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=学生")
    page.wait_for_selector("#list-table")
    page.fill("#list-q", "不存在的名字")
    page.wait_for_selector(".results-head[data-total='0']", timeout=5_000)
    assert "/registry/students/" in page.url and "q=" in page.url
    page.screenshot(path="/tmp/students.png")

    page.click("text=退出")
    page.wait_for_url(f"{live_server.url}/login/")
