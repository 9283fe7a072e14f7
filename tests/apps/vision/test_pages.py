"""视力监测 overview: figures against hand counts on a small county of our own (测试视力县, 370382).

2024: 视力小学 p1 无, p2 无, p3 低度, p4 无 (4 screened, 1 myopic: 25%).
2025: 视力小学 (镇甲, 四年级) p1 低度 (and a second, clear screening), p2 无, p3 高度, p4 无, p5 invalid;
      视力初中 (镇乙, 初一) j1 中度, j2 无; j3 on roll, not screened.
      → county 6 screened of 8 on roll, 3 myopic (50%), 1 高度; new onset p1 of {p1, p2, p4}.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import polars as pl
import pytest
from django.urls import reverse

from edubrain.accounts.models import Role
from edubrain.vision import queries
from edubrain.vision.models import VisionScreening
from factories import (
    CountyFactory,
    EnrollmentFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    TownFactory,
    UserFactory,
    make_id_number,
)

REGION = "370382"
_seq = itertools.count(1)


def screen(student, year, school, degree="无", status="classified", day=1):
    myopic = degree not in ("无", "")
    return VisionScreening.objects.create(
        student=student,
        school_year=year,
        school=school,
        screened_on=dt.date(year.start_year, 10, day),
        status=status,
        myopia=myopic if status == "classified" else None,
        degree=degree if status == "classified" else "",
    )


def pupil(school, name, sex):
    birth = dt.date(2015, 3, 1)
    number = make_id_number(next(_seq), birth, sex == "M", region=REGION)
    return StudentFactory(
        school=school, name=name, sex=sex, birth_date=birth, id_number=number, student_number=f"V{number}"
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def vis(db):
    county = CountyFactory(division_code=REGION, name="测试视力县")
    town_a = TownFactory(parent=county, name="视力镇甲", division_code=f"{REGION}001")
    town_b = TownFactory(parent=county, name="视力镇乙", division_code=f"{REGION}002")
    y24, y25 = SchoolYearFactory(start_year=2024), SchoolYearFactory(start_year=2025)
    primary = SchoolFactory(town=town_a, name="视力小学", school_type="primary", code="3900000001")
    junior = SchoolFactory(town=town_b, name="视力初中", school_type="junior", code="3900000002")
    p3 = SchoolClassFactory(school=primary, school_year=y24, grade_code="13", number=1)
    p4 = SchoolClassFactory(school=primary, school_year=y25, grade_code="14", number=1)
    j7 = SchoolClassFactory(school=junior, school_year=y25, grade_code="21", number=1)
    p1, p2, p3_, p4_, p5 = (pupil(primary, f"视力{n}", s) for n, s in zip("甲乙丙丁戊", "MFMFM", strict=True))
    j1, j2, j3 = (pupil(junior, f"视初{n}", s) for n, s in zip("甲乙丙", "MFM", strict=True))
    for s in (p1, p2, p3_, p4_, p5):
        EnrollmentFactory(student=s, school_class=p4, school_year=y25)
    for s in (p1, p2, p3_, p4_):
        EnrollmentFactory(student=s, school_class=p3, school_year=y24)
    for s in (j1, j2, j3):
        EnrollmentFactory(student=s, school_class=j7, school_year=y25)
    for s, degree in ((p1, "无"), (p2, "无"), (p3_, "低度"), (p4_, "无")):
        screen(s, y24, primary, degree)
    screen(p1, y25, primary, "低度")
    screen(p1, y25, primary, "无", day=20)
    screen(p2, y25, primary, "无")
    screen(p3_, y25, primary, "高度")
    screen(p4_, y25, primary, "无")
    screen(p5, y25, primary, status="invalid")
    screen(j1, y25, junior, "中度")
    screen(j2, y25, junior, "无")
    users = SimpleNamespace(
        leader=UserFactory(username="vis_leader", role=Role.LEADER, org_unit=county),
        junior=UserFactory(username="vis_junior", role=Role.SCHOOL_ADMIN, org_unit=junior.org_unit),
    )
    return SimpleNamespace(
        county=county, town_a=town_a, town_b=town_b, primary=primary, junior=junior, users=users
    )


def test_county_figures_equal_hand_counts(vis):
    sel = queries.selection_for(vis.users.leader, vis.county.pk, None)
    data = queries.overview(vis.users.leader, sel, 2025)
    s = data["summary"]
    assert (s["screened"], s["myopic"], s["high_myopia"], s["expected"]) == (6, 3, 1, 8)
    assert s["rate"] == 50.0 and s["high_rate"] == 16.67 and s["coverage"] == 75.0
    assert s["previous_rate"] == 25.0 and s["rate_change"] == 25.0
    assert s["target_met"] is False and s["colour"] == "红色"
    assert s["new_onset"] == {"base": 3, "new": 1, "rate": 33.33}
    assert [(t["year"], t["rate"]) for t in data["trend"]] == [(2024, 25.0), (2025, 50.0)]
    assert [(g["grade_code"], g["screened"], g["myopic"]) for g in data["grades"]] == [
        ("14", 4, 2),
        ("21", 2, 1),
    ]
    assert [(x["label"], x["screened"], x["myopic"]) for x in data["sexes"]] == [("女", 3, 0), ("男", 3, 3)]
    kids = {c["name"]: c for c in data["children"]}
    assert kids["视力镇甲"]["rate"] == 50.0 and kids["视力镇甲"]["rate_change"] == 25.0
    assert kids["视力镇乙"]["rate"] == 50.0 and kids["视力镇乙"]["target_met"] is None


def test_school_children_are_grades(vis):
    sel = queries.selection_for(vis.users.leader, vis.primary.org_unit.pk, None)
    data = queries.overview(vis.users.leader, sel, 2025)
    assert [(c["name"], c["screened"], c["rate"]) for c in data["children"]] == [("四年级", 4, 50.0)]
    graded = queries.selection_for(vis.users.leader, vis.primary.org_unit.pk, "14")
    assert queries.overview(vis.users.leader, graded, 2025)["summary"]["screened"] == 4


@pytest.mark.parametrize(("myopic_now", "met"), [(490, True), (491, False)])
def test_decline_check_at_one_point(myopic_now, met):
    frame = pl.DataFrame(
        {"year": [2024, 2025], "screened": [1000, 1000], "myopic": [500, myopic_now], "high_myopia": [0, 0]}
    )
    row = queries.with_change(frame).filter(pl.col("year") == 2025).to_dicts()[0]
    assert row["rate_change"] == (-1.0 if met else -0.9)
    assert row["target_met"] is met


def test_page_renders_figures_and_drill_down(client, vis):
    client.force_login(vis.users.leader)
    html = client.get(reverse("vision:overview"), {"unit": vis.county.pk, "year": 2025}).content.decode()
    assert 'data-figure="screened" data-value="6"' in html
    assert 'data-figure="rate" data-value="50.0"' in html
    assert "每年降低≥1个百分点" in html and 'id="trend-chart"' in html and 'id="grade-chart"' in html
    assert f"unit={vis.town_a.pk}" in html and "视力镇乙" in html
    assert 'href="/vision/" class="active" aria-current="page">视力监测</a>' in html
    town = client.get(reverse("vision:overview"), {"unit": vis.town_a.pk, "year": 2025}).content.decode()
    assert "视力小学" in town and "视力初中" not in town and 'aria-label="层级"' in town


def test_school_admin_sees_only_their_school(client, vis):
    client.force_login(vis.users.junior)
    html = client.get(reverse("vision:overview")).content.decode()
    assert 'data-figure="screened" data-value="2"' in html and "视力小学" not in html
    assert client.get(reverse("vision:overview"), {"unit": vis.county.pk}).status_code == 404
    assert client.get(reverse("vision:overview"), {"unit": vis.primary.org_unit.pk}).status_code == 404
