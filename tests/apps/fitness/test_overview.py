"""The overview figures of a unit and year, checked by hand on the small fitness county (see conftest)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from edubrain.fitness import queries
from edubrain.fitness.forms import resolve


def figures(user, **params):
    sel, year, counted = resolve({k: str(v) for k, v in params.items()}, user)
    return sel, queries.overview(user, sel, year, counted)


def test_county_figures_and_denominators(fit):
    sel, data = figures(fit.users.admin, year=2025)
    assert sel.unit == fit.county and data["year"] == 2025
    s = data["summary"]
    assert (s["expected"], s["records"], s["tested"], s["exempt"], s["incomplete"], s["invalid"]) == (
        11, 10, 7, 1, 1, 1)
    assert s["missing"] == 1  # s6 is on roll and has no record
    assert (s["excellent"], s["good"], s["passed"], s["failed"]) == (2, 2, 1, 2)
    assert s["excellent_rate"] == 28.6 and s["good_rate"] == 28.6
    assert s["excellent_good_rate"] == 57.1  # 4 / 7: 免测, 缺项 and 数据有误 are not in the denominator
    assert s["pass_rate"] == 71.4
    assert s["mean_score"] == 76.1  # 532.9 / 7


def test_change_from_the_previous_year(fit):
    _, data = figures(fit.users.admin, year=2025)
    s = data["summary"]
    # 2024: 5 tested, 2 良好, 2 及格, 1 不及格, mean 68.0
    assert s["excellent_good_rate_change"] == 17.1
    assert s["pass_rate_change"] == -8.6
    assert s["mean_score_change"] == 8.1
    assert [(t["year"], t["excellent_good_rate"], t["pass_rate"]) for t in data["trend"]] == [
        (2024, 40.0, 80.0), (2025, 57.1, 71.4)]


def test_towns_are_the_children_of_the_county(fit):
    _, data = figures(fit.users.admin, year=2025)
    children = {c["name"]: c for c in data["children"]}
    assert list(children) == ["体测镇甲", "体测镇乙"]
    a, b = children["体测镇甲"], children["体测镇乙"]
    assert (a["expected"], a["records"], a["tested"], a["missing"]) == (8, 7, 6, 1)
    assert (a["excellent_good_rate"], a["pass_rate"], a["mean_score"]) == (50.0, 66.7, 73.5)
    assert a["excellent_good_rate_change"] == 10.0 and a["params"] == {"unit": fit.town_a.pk}
    assert (b["tested"], b["excellent_good_rate"], b["excellent_good_rate_change"]) == (1, 100.0, None)


def test_school_items_sexes_histogram_and_grades(fit):
    sel, data = figures(fit.users.admin, year=2025, unit=fit.primary.org_unit_id)
    assert sel.school == fit.primary and sel.level == "school"
    s = data["summary"]
    assert (s["expected"], s["tested"], s["excellent_good_rate"], s["pass_rate"], s["mean_score"]) == (
        6, 4, 50.0, 75.0, 75.0)
    changes = (s["excellent_good_rate_change"], s["pass_rate_change"], s["mean_score_change"])
    assert changes == (10.0, -5.0, 7.0)
    items = [(i["item"], i["tested"], i["pass_rate"], i["excellent_rate"], i["mean_score"])
             for i in data["items"]]
    assert items == [("run_50m", 4, 50.0, 25.0, 62.5), ("bmi", 4, 100.0, 50.0, 85.0)]  # weakest first
    sexes = {x["sex"]: x for x in data["sexes"]}
    assert (sexes["M"]["expected"], sexes["M"]["tested"], sexes["M"]["missing"]) == (3, 2, 1)
    assert (sexes["F"]["expected"], sexes["F"]["exempt"], sexes["F"]["pass_rate"]) == (3, 1, 50.0)
    bins = {b["bin"]: b["n"] for b in data["histogram"]}
    assert (bins[50], bins[70], bins[80], bins[90], sum(bins.values())) == (1, 1, 1, 1, 4)
    grades = data["children"]
    assert [(g["name"], g["params"]["grade"], g["tested"]) for g in grades] == [("四年级", "14", 4)]


def test_grade_children_are_its_classes(fit):
    sel, data = figures(fit.users.admin, year=2025, unit=fit.primary.org_unit_id, grade="14")
    assert sel.level == "grade"
    classes = {c["name"]: c for c in data["children"]}
    one, two = classes["四年级(1)班"], classes["四年级(2)班"]
    assert (one["expected"], one["tested"], one["excellent_good_rate"], one["mean_score"]) == (
        3, 3, 66.7, 83.3)
    assert (two["expected"], two["records"], two["tested"], two["exempt"], two["missing"]) == (3, 2, 1, 1, 1)
    assert two["params"] == {"unit": fit.primary.org_unit_id, "grade": "14", "class": fit.classes.p4_2.pk}


def test_class_level(fit):
    sel, data = figures(fit.users.admin, unit=fit.primary.org_unit_id, **{"class": fit.classes.p4_1.pk})
    assert sel.level == "class" and data["year"] == 2025  # a class opens on its own year
    assert (data["summary"]["tested"], data["summary"]["expected"]) == (3, 3)
    assert data["children"] == []


def test_another_year_of_a_class_shows_its_grade(fit):
    sel, year, _ = resolve({"unit": str(fit.primary.org_unit_id), "class": str(fit.classes.p4_1.pk),
                            "year": "2024"}, fit.users.admin)
    assert year == 2024 and sel.level == "grade" and sel.grade == "14"


def test_no_tested_pupils_gives_empty_rates(fit):
    sel, data = figures(fit.users.admin, year=2024, unit=fit.junior.org_unit_id)
    assert data["summary"]["records"] == 0 and data["summary"]["excellent_good_rate"] is None


@pytest.mark.parametrize("level", ["county", "town", "school", "grade", "class"])
def test_overview_page_renders_every_level(client, fit, level):
    params = {
        "county": {}, "town": {"unit": fit.town_a.pk}, "school": {"unit": fit.primary.org_unit_id},
        "grade": {"unit": fit.primary.org_unit_id, "grade": "14"},
        "class": {"unit": fit.primary.org_unit_id, "class": fit.classes.p4_2.pk},
    }[level]
    client.force_login(fit.users.leader)
    html = client.get(reverse("fitness:overview"), {"year": 2025, **params}).content.decode()
    values = dict(re.findall(r'data-figure="(\w+)" data-value="([\d.]*)"', html))
    assert int(values["tested"]) >= 1 and "expected" in values and "excellent_good_rate" in values
    assert "免测学生不计入分母" in html  # the denominator rule is stated on the page
    assert "规划目标" in html and "≥55%" in html and "≥95%" in html


def test_overview_page_figures_changes_links_and_charts(client, fit):
    client.force_login(fit.users.leader)
    html = client.get(reverse("fitness:overview"), {"year": 2025}).content.decode()
    assert 'data-figure="excellent_good_rate" data-value="57.1"' in html
    assert 'data-figure="missing" data-value="1"' in html
    assert "▲+17.1个百分点" in html and "▼-8.6个百分点" in html
    assert f'href="/fitness/?unit={fit.town_a.pk}&amp;year=2025"' in html
    for chart in ("trend-chart-data", "rating-chart-data", "histogram-chart-data"):
        assert f'id="{chart}"' in html
    assert '"yAxis": 55' in html and '"yAxis": 95' in html  # target lines on the trend chart
    assert 'class="weak"' not in html  # only two items: nothing singled out as weak


def test_breadcrumbs_down_to_a_class(client, fit):
    client.force_login(fit.users.admin)
    html = client.get(reverse("fitness:overview"), {
        "unit": fit.primary.org_unit_id, "class": fit.classes.p4_1.pk}).content.decode()
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert [c for c in ("测试体质县", "体测镇甲", "体测小学", "四年级", "四年级(1)班") if c in crumbs] == [
        "测试体质县", "体测镇甲", "体测小学", "四年级", "四年级(1)班"]
    assert "学生成绩名单" in html


def test_bad_parameters_fall_back_to_the_default(client, fit):
    client.force_login(fit.users.admin)
    response = client.get(reverse("fitness:overview"), {"year": "x", "unit": "abc", "grade": "99"})
    assert response.status_code == 200
    assert "体质健康 · 测试体质县" in response.content.decode()


def test_login_required(client):
    response = client.get(reverse("fitness:overview"))
    assert response.status_code == 302 and "/login/" in response["Location"]
