"""The home page shows the headline figures of summary(user, year) and the students-by-stage chart."""

import json
import re

import pytest
from django.urls import reverse

from edubrain.registry.queries import summary, yearly_students

pytestmark = pytest.mark.django_db

FIGURES = ["schools", "kindergarten", "compulsory", "upper_secondary", "vocational", "teachers"]


def shown_figures(html: str) -> dict[str, int]:
    found = dict(re.findall(r'data-figure="(\w+)" data-value="(\d+)"', html))
    return {k: int(v) for k, v in found.items()}


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "school", "reporter"])
def test_home_figures_equal_summary(client, county, role):
    user = getattr(county.users, role)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    expected = summary(user, county.last)
    shown = shown_figures(html)
    assert shown == {k: expected[k] for k in FIGURES}
    for label, n in expected["schools_by_type"].items():
        assert re.search(rf'data-type="{label}"><span>{label}</span><b>{n}</b>', html)


def test_default_year_is_latest_and_selector_lists_all_years(client, county):
    client.force_login(county.users.admin)
    html = client.get(reverse("home")).content.decode()
    prev, last = county.years
    assert f'data-year="{last.start_year}"' in html
    assert f'<option value="{last.start_year}" selected>{last.name}</option>' in html
    assert f'<option value="{prev.start_year}">{prev.name}</option>' in html


def test_year_selector_changes_figures(client, county):
    client.force_login(county.users.admin)
    html = client.get(reverse("home"), {"year": county.last - 1}).content.decode()
    expected = summary(county.users.admin, county.last - 1)
    assert shown_figures(html)["compulsory"] == expected["compulsory"] == 5
    assert shown_figures(html)["kindergarten"] == expected["kindergarten"] == 0
    # an unknown year falls back to the latest
    assert f'data-year="{county.last}"' in client.get(reverse("home"), {"year": "1899"}).content.decode()


def test_school_admin_sees_own_school_only(client, county):
    client.force_login(county.users.school)
    shown = shown_figures(client.get(reverse("home")).content.decode())
    assert shown["schools"] == 1 and shown["compulsory"] == 3 and shown["teachers"] == 2


def test_chart_data_is_yearly_students(client, county):
    user = county.users.admin
    client.force_login(user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert 'id="students-chart"' in html and "vendor/echarts.min.js" in html
    data = json.loads(re.search(r'<script id="students-chart-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    rows = yearly_students(user)
    assert data["xAxis"]["data"] == [f"{r['year']}学年" for r in rows]
    by_name = {s["name"]: s["data"] for s in data["series"]}
    assert by_name["义务教育"] == [r["compulsory"] for r in rows]
    assert by_name["学前教育"] == [r["kindergarten"] for r in rows]
    assert by_name["高中阶段"] == [r["upper_secondary"] for r in rows]


def test_home_without_years_explains(client, db):
    from edubrain.fitness.models import FitnessMeasurement
    from edubrain.registry.models import Enrollment, SchoolClass, SchoolYear, StaffTraining
    from edubrain.vision.models import VisionScreening
    from factories import UserFactory

    # Empty the years inside this test's transaction (rolled back afterwards, the demo county survives).
    for model in (FitnessMeasurement, VisionScreening, Enrollment, StaffTraining, SchoolClass, SchoolYear):
        model.objects.all().delete()
    assert not SchoolYear.objects.exists()
    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert "还没有学年数据" in html
