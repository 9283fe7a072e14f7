"""重点项目 pages by role: the list with its timeline, the xlsx export read back, the project page with the
bureau's actions, read-only roles (403 on POST) and scoping (404 outside)."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.plans.models import KeyProject, Plan
from edubrain.work.models import Attachment, Milestone, ProjectTrack
from factories import CountyFactory

from .conftest import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo):
    plan = Plan.objects.get(org_unit=demo.county, status=Plan.Status.ADOPTED)
    projects = list(KeyProject.objects.filter(plan=plan).order_by("number"))
    led, other = projects[0], projects[1]
    unit = demo.users["reporter"].org_unit
    school = demo.users["school"].org_unit.school
    ProjectTrack.objects.filter(project__plan=plan).update(lead_unit=None, school=None)
    ProjectTrack.objects.update_or_create(project=led, defaults={"lead_unit": unit, "school": school})
    return {"plan": plan, "projects": projects, "led": led, "other": other, "users": demo.users}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("who", ["admin", "staff", "leader", "root"])
def test_county_roles_see_all_eighteen_projects_and_the_timeline(world, who):
    page = client_for(world["users"][who]).get(reverse("work:projects"), {"plan": world["plan"].pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert len(re.findall(r'<tr data-project="\d+"', html)) == 18
    assert 'id="gantt-chart"' in html
    option = json.loads(re.search(r'id="gantt-chart-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert option["series"][1]["markLine"]["data"][0]["xAxis"] > 2000  # the 今天 line
    assert len(option["yAxis"]["data"]) == len(option["series"][1]["data"])


def test_default_plan_and_unknown_plan(world):
    admin = client_for(world["users"]["admin"])
    assert admin.get(reverse("work:projects")).context["plan"] == world["plan"]
    assert admin.get(reverse("work:projects"), {"plan": 999999}).status_code == 404


def test_late_project_delay_is_shown_red(world):
    led = world["led"]
    ProjectTrack.objects.filter(project=led).update(status="building", end_on=None)
    Milestone.objects.filter(project=led).delete()
    Milestone.objects.create(project=led, name="开工", planned_on="2020-01-01")
    html = client_for(world["users"]["admin"]).get(reverse("work:projects")).content.decode()
    row = re.search(rf'<tr data-project="{led.pk}" data-state="(\w+)">(.*?)</tr>', html, re.S)
    assert row.group(1) == "late"
    assert re.search(r'data-delay="(\d+)"><span class="danger-text">\1</span>', row.group(2))


@pytest.mark.parametrize("who", ["reporter", "school"])
def test_a_unit_or_school_sees_only_its_own_projects_read_only(world, who):
    c = client_for(world["users"][who])
    html = c.get(reverse("work:projects")).content.decode()
    assert re.findall(r'<tr data-project="(\d+)"', html) == [str(world["led"].pk)]
    own = c.get(reverse("work:project", args=[world["led"].pk]))
    assert own.status_code == 200 and 'id="track-form"' not in own.content.decode()
    assert c.get(reverse("work:project", args=[world["other"].pk])).status_code == 404
    posted = c.post(reverse("work:project", args=[world["led"].pk]), {"action": "track", "status": "done"})
    assert posted.status_code == 403
    assert ProjectTrack.objects.get(project=world["led"]).status != "done"


def test_leader_reads_but_may_not_post(world):
    c = client_for(world["users"]["leader"])
    page = c.get(reverse("work:project", args=[world["other"].pk]))
    assert page.status_code == 200 and 'id="track-form"' not in page.content.decode()
    assert (
        c.post(reverse("work:project", args=[world["other"].pk]), {"action": "milestone_add"}).status_code
        == 403
    )


def test_projects_of_another_county_are_404(world):
    plan = Plan.objects.create(org_unit=CountyFactory(), title="测试县规划", status=Plan.Status.ADOPTED)
    foreign = KeyProject.objects.create(plan=plan, number=1, name="测试县新建小学")
    admin = client_for(world["users"]["admin"])
    assert admin.get(reverse("work:project", args=[foreign.pk])).status_code == 404
    assert admin.get(reverse("work:projects"), {"plan": plan.pk}).status_code == 404
    assert admin.post(reverse("work:project", args=[foreign.pk]), {"action": "track"}).status_code == 404


def test_bureau_edits_adds_a_milestone_marks_it_done_and_uploads(world):
    c = client_for(world["users"]["admin"])
    project = world["other"]
    url = reverse("work:project", args=[project.pk])
    assert 'id="track-form"' in c.get(url).content.decode()
    saved = c.post(
        url,
        {
            "action": "track",
            "status": "building",
            "budget": "100",
            "spent": "120",
            "start_on": "2024-01-01",
            "end_on": "2026-12-31",
        },
        follow=True,
    )
    assert saved.status_code == 200
    assert "超概算" in saved.content.decode()
    track = ProjectTrack.objects.get(project=project)
    assert (track.status, str(track.spent)) == ("building", "120.00")
    c.post(url, {"action": "milestone_add", "name": "主体封顶", "planned_on": "2025-01-01"})
    milestone = Milestone.objects.get(project=project, name="主体封顶")
    c.post(url, {"action": "milestone_done", "milestone": milestone.pk, "done_on": "2025-01-03"})
    milestone.refresh_from_db()
    assert str(milestone.done_on) == "2025-01-03"
    c.post(url, {"action": "upload", "purpose": "photo", "files": [png_upload("封顶.png")]})
    photo = Attachment.objects.get(project=project, name="封顶.png")
    assert f'data-attachment="{photo.pk}"' in c.get(url).content.decode()


def test_bad_post_shows_the_message_and_keeps_the_input(world):
    c = client_for(world["users"]["admin"])
    url = reverse("work:project", args=[world["other"].pk])
    before = ProjectTrack.objects.filter(project=world["other"]).values().first()
    page = c.post(url, {"action": "track", "status": "building", "spent": "-5", "location": "新城区"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "已完成投资不能为负数" in html and 'value="新城区"' in html
    assert ProjectTrack.objects.filter(project=world["other"]).values().first() == before


def test_export_reads_back(world):
    ProjectTrack.objects.filter(project=world["led"]).update(budget=100, spent=150, status="building")
    response = client_for(world["users"]["admin"]).get(
        reverse("work:projects-export"), {"plan": world["plan"].pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("序号", "项目名称", "学校/地点", "责任单位", "状态")
    assert len(rows) == 1 + 18
    led = next(r for r in rows[1:] if r[1] == world["led"].name)
    by = dict(zip(header, led, strict=True))
    assert (by["总投资（万元）"], by["已完成投资（万元）"], by["投资完成率（%）"], by["超概算"]) == (
        100,
        150,
        150,
        "是",
    )
    assert by["责任单位"] == "县财政局"
