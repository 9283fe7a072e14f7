"""重点项目 services: the track created on first edit, every refusal (nothing half-written), who may write,
the status notification, milestones, photos/documents, and the read side's schedule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from edubrain.accounts.models import Role
from edubrain.plans.models import KeyProject, Plan
from edubrain.work import projects as pj
from edubrain.work.models import Attachment, Milestone, Notification, ProjectTrack
from factories import CountyFactory, SchoolFactory, UserFactory

from .conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(demo):
    plan = Plan.objects.get(org_unit=demo.county, status=Plan.Status.ADOPTED)
    project = KeyProject.objects.filter(plan=plan).order_by("number").first()
    ProjectTrack.objects.filter(project=project).delete()
    Milestone.objects.filter(project=project).delete()
    users = demo.users
    return {
        "plan": plan,
        "project": project,
        "admin": users["admin"],
        "unit": users["reporter"].org_unit,
        "school": users["school"].org_unit.school,
        "users": users,
    }


def fields(world, **over):
    base = {
        "status": "building",
        "school": str(world["school"].pk),
        "location": "县城东区",
        "lead_unit": str(world["unit"].pk),
        "budget": "1200.50",
        "spent": "300",
        "start_on": "2024-03-01",
        "end_on": "2025-08-31",
        "finished_on": "",
        "note": "主体施工中",
    }
    return {**base, **over}


def test_first_edit_creates_the_track_and_saves_every_field(world):
    project = world["project"]
    assert not ProjectTrack.objects.filter(project=project).exists()
    track = pj.update_track(project, world["admin"], fields(world))
    track.refresh_from_db()
    assert track.project == project and track.status == "building"
    assert (track.school, track.lead_unit, track.location) == (world["school"], world["unit"], "县城东区")
    assert (track.budget, track.spent) == (Decimal("1200.50"), Decimal("300.00"))
    assert (track.start_on, track.end_on) == (dt.date(2024, 3, 1), dt.date(2025, 8, 31))
    assert track.updated_by == world["admin"]
    pj.update_track(project, world["admin"], fields(world, spent="400"))
    assert ProjectTrack.objects.filter(project=project).count() == 1


def test_spent_over_budget_is_allowed_and_flagged(world):
    project = world["project"]
    pj.update_track(project, world["admin"], fields(world, budget="100", spent="100"))
    row = next(
        r
        for r in pj.project_rows(world["admin"], world["plan"], timezone.localdate())
        if r["id"] == project.pk
    )
    assert row["over_budget"] is False and row["spend_rate"] == pytest.approx(1.0)
    pj.update_track(project, world["admin"], fields(world, budget="100", spent="100.01"))
    row = next(
        r
        for r in pj.project_rows(world["admin"], world["plan"], timezone.localdate())
        if r["id"] == project.pk
    )
    assert row["over_budget"] is True and row["spend_rate"] == pytest.approx(1.0001)


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"spent": "-0.01"}, "spent", "不能为负数"),
        ({"budget": "十万"}, "budget", "不是数字"),
        ({"budget": "1.234"}, "budget", "两位小数"),
        ({"start_on": "2025-05-02", "end_on": "2025-05-01"}, "end_on", "不能早于计划开工日期"),
        ({"start_on": "2025-13-01"}, "start_on", "不是有效日期"),
        ({"status": "finished"}, "status", "无效"),
        ({"status": "done", "finished_on": ""}, "finished_on", "请填写实际完工日期"),
        ({"location": "地" * 121}, "location", "最多 120 个字"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, over, field, text):
    project = world["project"]
    pj.update_track(project, world["admin"], fields(world))
    before = ProjectTrack.objects.filter(project=project).values().get()
    with pytest.raises(ValidationError) as exc:
        pj.update_track(project, world["admin"], fields(world, **over))
    assert any(text in m for m in exc.value.message_dict[field])
    assert ProjectTrack.objects.filter(project=project).values().get() == before


def test_end_on_equal_to_start_is_accepted(world):
    track = pj.update_track(
        world["project"], world["admin"], fields(world, start_on="2025-05-01", end_on="2025-05-01")
    )
    assert track.end_on == track.start_on


def test_finished_on_today_is_accepted_tomorrow_refused(world):
    today = dt.date(2025, 6, 10)
    done = fields(world, status="done", finished_on="2025-06-10")
    assert pj.update_track(world["project"], world["admin"], done, today=today).finished_on == today
    with pytest.raises(ValidationError) as exc:
        pj.update_track(world["project"], world["admin"], {**done, "finished_on": "2025-06-11"}, today=today)
    assert "不能晚于今天" in exc.value.message_dict["finished_on"][0]


def test_school_and_lead_unit_must_be_of_the_plan_county(world):
    other_school = SchoolFactory()  # in the factories' 测试县
    with pytest.raises(ValidationError) as exc:
        pj.update_track(world["project"], world["admin"], fields(world, school=str(other_school.pk)))
    assert "不在" in exc.value.message_dict["school"][0]
    with pytest.raises(ValidationError) as exc:  # a school is not a 责任单位
        pj.update_track(
            world["project"], world["admin"], fields(world, lead_unit=str(world["school"].org_unit_id))
        )
    assert "责任单位" in exc.value.message_dict["lead_unit"][0]
    assert not ProjectTrack.objects.filter(project=world["project"]).exists()


@pytest.mark.parametrize("who", ["leader", "reporter", "school"])
def test_only_the_bureau_writes(world, who):
    user = world["users"][who]
    with pytest.raises(PermissionDenied):
        pj.update_track(world["project"], user, fields(world))
    with pytest.raises(PermissionDenied):
        pj.add_milestone(world["project"], user, {"name": "开工", "planned_on": "2025-01-01"})
    assert not ProjectTrack.objects.filter(project=world["project"]).exists()


def test_bureau_of_another_county_may_not_write(world):
    stranger = UserFactory(role=Role.BUREAU_ADMIN, org_unit=CountyFactory())
    with pytest.raises(PermissionDenied):
        pj.update_track(world["project"], stranger, fields(world))


def test_status_change_notifies_the_lead_units_users(world):
    project, reporter = world["project"], world["users"]["reporter"]
    mine = Notification.objects.filter(user=reporter, kind="project", title__contains=project.name)
    pj.update_track(project, world["admin"], fields(world, status="planned"))
    assert mine.count() == 0  # a new track at the default status is no change
    pj.update_track(project, world["admin"], fields(world, status="building"))
    assert list(mine.values_list("title", flat=True)) == [f"重点项目“{project.name}”状态变更为：在建"]
    assert mine.get().url == f"/work/projects/{project.pk}/"
    pj.update_track(project, world["admin"], fields(world, status="building", spent="500"))
    assert mine.count() == 1  # same status: no new notification
    assert not Notification.objects.filter(user=world["admin"], title__contains=project.name).exists()


def test_milestones_add_edit_and_mark_done(world):
    project, admin = world["project"], world["admin"]
    first = pj.add_milestone(project, admin, {"name": "开工", "planned_on": "2025-03-01"})
    second = pj.add_milestone(
        project, admin, {"name": "竣工验收", "planned_on": "2025-12-01", "note": "县住建局"}
    )
    assert (first.order, second.order) == (1, 2)
    assert ProjectTrack.objects.filter(project=project).exists()  # created with the first milestone
    pj.edit_milestone(second, admin, {"name": "竣工验收", "planned_on": "2025-11-30"})
    second.refresh_from_db()
    assert second.planned_on == dt.date(2025, 11, 30) and second.note == ""
    today = dt.date(2025, 6, 10)
    pj.mark_done(first, admin, "2025-06-10", today=today)
    assert Milestone.objects.get(pk=first.pk).done_on == today
    with pytest.raises(ValidationError) as exc:
        pj.mark_done(second, admin, "2025-06-11", today=today)
    assert "不能晚于今天" in exc.value.message_dict["done_on"][0]
    assert Milestone.objects.get(pk=second.pk).done_on is None
    pj.mark_done(second, admin, "", today=today)  # empty: today
    assert Milestone.objects.get(pk=second.pk).done_on == today


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "planned_on": "2025-01-01"}, "name"),
        ({"name": "开工", "planned_on": ""}, "planned_on"),
        ({"name": "开工", "planned_on": "2025/1/1"}, "planned_on"),
    ],
)
def test_milestone_needs_a_name_and_a_date(world, data, field):
    with pytest.raises(ValidationError) as exc:
        pj.add_milestone(world["project"], world["admin"], data)
    assert field in exc.value.message_dict
    assert not Milestone.objects.filter(project=world["project"]).exists()


def test_upload_photos_and_documents(world):
    project = world["project"]
    pj.upload(project, world["admin"], [png_upload("工地.png")], "photo")
    pj.upload(project, world["admin"], [pdf_upload("批复.pdf")], "document")
    files = Attachment.objects.filter(project=project).order_by("id")
    assert [(a.name, a.purpose) for a in files] == [("工地.png", "photo"), ("批复.pdf", "document")]
    assert {a.org_unit_id for a in files} == {world["plan"].org_unit_id}


def test_a_refused_file_keeps_nothing(world):
    fake = SimpleUploadedFile("验收报告.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError):
        pj.upload(world["project"], world["admin"], [pdf_upload("批复.pdf"), fake], "document")
    with pytest.raises(ValidationError):
        pj.upload(world["project"], world["admin"], [pdf_upload()], "evidence")  # not a project purpose
    with pytest.raises(ValidationError):
        pj.upload(world["project"], world["admin"], [], "photo")
    assert not Attachment.objects.filter(project=world["project"]).exists()


def test_rows_carry_state_delay_and_next_milestone(world):
    project, admin = world["project"], world["admin"]
    pj.update_track(project, admin, fields(world, start_on="2025-01-01", end_on="2025-12-31"))
    pj.add_milestone(project, admin, {"name": "开工", "planned_on": "2025-06-10"})
    pj.add_milestone(project, admin, {"name": "主体完工", "planned_on": "2025-09-01"})

    def row(today):
        return next(r for r in pj.project_rows(admin, world["plan"], today) if r["id"] == project.pk)

    on_day = row(dt.date(2025, 6, 10))
    assert (on_day["state"], on_day["delay_days"], on_day["next_milestone"]) == ("on_track", 0, "开工")
    after = row(dt.date(2025, 6, 11))
    assert (after["state"], after["state_label"], after["delay_days"]) == ("late", "滞后", 1)
    assert after["lead_unit"] == world["unit"].name and world["school"].name in after["place"]


def test_all_plan_projects_are_listed_tracked_or_not(world):
    rows = pj.project_rows(world["admin"], world["plan"], timezone.localdate())
    assert [r["number"] for r in rows] == sorted(
        KeyProject.objects.filter(plan=world["plan"]).values_list("number", flat=True)
    )
    assert len(rows) == 18
    untracked = next(r for r in rows if r["id"] == world["project"].pk)
    assert untracked["tracked"] is False and untracked["status_label"] == "未开工"
