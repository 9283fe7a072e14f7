"""体质健康 on the demo county (seed 7, scale 0.04) with the demo accounts admin, leader and school."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from edubrain.fitness.models import FitnessMeasurement
from edubrain.registry.models import Student

pytest.importorskip("edubrain.demo.plan_fitness")


def latest_year(user) -> int:
    return FitnessMeasurement.objects.visible_to(user).order_by("-school_year__start_year").values_list(
        "school_year__start_year", flat=True).first()


def shown(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)" data-value="([\d.]*)"', html))


@pytest.mark.parametrize("username", ["admin", "leader", "school"])
def test_overview_ranking_and_a_student_for_each_account(client, demo, username):
    user = demo.users[username]
    year = latest_year(user)
    assert year is not None, "the demo county has fitness measurements"
    client.force_login(user)
    html = client.get(reverse("fitness:overview")).content.decode()
    visible = FitnessMeasurement.objects.visible_to(user).filter(school_year__start_year=year)
    figures = shown(html)
    assert int(figures["tested"]) == visible.filter(status="scored").count() > 0
    assert int(figures["exempt"]) == visible.filter(status="exempt").count()
    assert client.get(reverse("fitness:ranking")).status_code == 200
    pupil = visible.filter(status="scored").order_by("id").first()
    page = client.get(reverse("fitness:student", args=[pupil.student_id]))
    assert page.status_code == 200 and 'id="report-card"' in page.content.decode()


def test_demo_school_admin_sees_only_their_school(client, demo):
    user = demo.users["school"]
    school = user.org_unit.school
    client.force_login(user)
    ranking = client.get(reverse("fitness:ranking")).content.decode()
    assert set(re.findall(r"data-school>([^<]+)<", ranking)) == {school.name}
    other = Student.objects.exclude(school=school).filter(fitness__isnull=False).first()
    assert client.get(reverse("fitness:student", args=[other.pk])).status_code == 404
    other_school = FitnessMeasurement.objects.exclude(school=school).first().school
    assert client.get(reverse("fitness:overview"), {"unit": other_school.org_unit_id}).status_code == 404


def test_demo_county_drill_down(client, demo):
    client.force_login(demo.users["leader"])
    html = client.get(reverse("fitness:overview")).content.decode()
    town_link = re.search(r'href="(/fitness/\?unit=\d+&amp;year=\d+)" data-child', html).group(1)
    town = client.get(town_link.replace("&amp;", "&")).content.decode()
    school_link = re.search(r'href="(/fitness/\?unit=\d+&amp;year=\d+)" data-child', town).group(1)
    school = client.get(school_link.replace("&amp;", "&")).content.decode()
    grade_link = re.search(r'href="(/fitness/\?[^"]*grade=\d+[^"]*)" data-child', school).group(1)
    grade = client.get(grade_link.replace("&amp;", "&")).content.decode()
    class_link = re.search(r'href="(/fitness/\?[^"]*class=\d+[^"]*)" data-child', grade).group(1)
    klass = client.get(class_link.replace("&amp;", "&")).content.decode()
    assert "学生成绩名单" in klass and int(shown(klass)["tested"]) > 0
