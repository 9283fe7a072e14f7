"""督导 services: a round with its checklist, a finding issued as a 整改 order, the school's fix, the 复查
(pass → 已销号, fail → 复查未通过), escalations — with every refusal, the events and the notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.work import supervision as sv
from edubrain.work.models import (
    Attachment,
    ChecklistItem,
    Escalation,
    Finding,
    FindingEvent,
    FindingStatus,
    InspectionRound,
    Notification,
)

from .conftest import pdf_upload, png_upload

TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def world(demo):
    users = demo.users
    county = users["admin"].org_unit
    school = users["school"].org_unit
    other = OrgUnit.objects.filter(kind=OrgKind.SCHOOL, path__startswith=county.path).exclude(pk=school.pk)
    return {
        "users": users,
        "county": county,
        "school": school,
        "unit": users["reporter"].org_unit,
        "other": other.order_by("path").first(),
        # the demo county holds notifications of its own: count only the ones written after this point
        "since": Notification.objects.aggregate(m=Max("id"))["m"] or 0,
    }


def make_round(world, **kw) -> InspectionRound:
    args = {
        "kind": "regular",
        "name": "2026年春季开学督导",
        "start_on": dt.date(2026, 3, 1),
        "end_on": dt.date(2026, 3, 31),
        "targets": [world["school"], world["unit"]],
        "checklist": "开学准备：教材按时到位\n食堂：食品留样记录完整\n校园环境整洁",
        **kw,
    }
    return sv.create_round(world["county"], world["users"]["admin"], today=TODAY, **args)


def make_finding(world, inspection=None, **kw) -> Finding:
    inspection = inspection or make_round(world)
    args = {
        "org_unit": world["school"],
        "description": "二楼东侧灭火器过期",
        "severity": "major",
        "found_on": dt.date(2026, 3, 5),
        "responsible_person": "王校长",
        "requirement": "一周内更换",
        **kw,
    }
    return sv.record_finding(inspection, world["users"]["admin"], today=TODAY, **args)


def notes(world, user: str, kind: str) -> list[Notification]:
    users = world["users"]
    return list(Notification.objects.filter(user=users[user], kind=kind, id__gt=world["since"]))


# ---------------------------------------------------------------- rounds


def test_a_round_with_targets_and_a_parsed_checklist(world):
    r = make_round(world)
    assert set(r.targets.all()) == {world["school"], world["unit"]}
    items = list(r.checklist.values_list("code", "category", "text"))
    assert items == [
        ("01", "开学准备", "教材按时到位"),
        ("02", "食堂", "食品留样记录完整"),
        ("03", "", "校园环境整洁"),
    ]
    assert r.status == InspectionRound.Status.ONGOING and r.created_by == world["users"]["admin"]


def test_a_safety_check_gets_the_standard_checklist_and_a_future_one_is_planned(world):
    r = make_round(
        world,
        kind="safety",
        checklist="",
        start_on=TODAY + dt.timedelta(days=1),
        end_on=TODAY + dt.timedelta(days=2),
    )
    categories = list(r.checklist.values_list("category", flat=True))
    assert len(categories) == len(sv.SAFETY_CHECKLIST) >= 10
    assert {"消防安全", "疏散通道", "食堂食品安全", "防溺水教育"} <= set(categories)
    assert r.status == InspectionRound.Status.PLANNED
    regular = make_round(world, checklist="")
    assert regular.checklist.count() == 0


def test_bad_round_input_is_refused_by_field_and_nothing_is_written(world):
    before = InspectionRound.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_round(
            world, kind="", name=" ", start_on=dt.date(2026, 3, 10), end_on=dt.date(2026, 3, 9), targets=[]
        )
    errors = exc.value.message_dict
    assert set(errors) == {"kind", "name", "end_on", "targets"}
    assert "早于开始日期" in errors["end_on"][0]
    town = world["school"].parent
    with pytest.raises(ValidationError, match="学校或责任单位"):
        make_round(world, targets=[town])
    assert InspectionRound.objects.count() == before


def test_same_day_end_is_accepted(world):
    r = make_round(world, start_on=TODAY, end_on=TODAY)
    assert r.end_on == r.start_on


def test_only_the_bureau_creates_rounds(world):
    for name in ("leader", "school", "reporter"):
        with pytest.raises(PermissionDenied):
            sv.create_round(
                world["county"],
                world["users"][name],
                kind="regular",
                name="x",
                start_on=TODAY,
                end_on=TODAY,
                targets=[world["school"]],
                today=TODAY,
            )


# ---------------------------------------------------------------- findings


def test_a_finding_is_an_order_with_a_default_deadline_an_event_and_a_notification(world):
    f = make_finding(world, files=[png_upload()])
    assert f.status == FindingStatus.OPEN and f.deadline == dt.date(2026, 3, 20)  # 较重: 15 days
    assert list(f.events.values_list("action", flat=True)) == [FindingEvent.Action.ORDER]
    assert [a.purpose for a in f.attachments.all()] == [Attachment.Purpose.FINDING]
    assert f.attachments.get().org_unit == world["school"]
    sent = notes(world, "school", Notification.Kind.ORDER)
    assert len(sent) == 1 and sent[0].url == f"/work/findings/{f.pk}/"
    assert notes(world, "reporter", Notification.Kind.ORDER) == []


@pytest.mark.parametrize(("severity", "days"), [("minor", 30), ("major", 15), ("serious", 7)])
def test_default_deadline_follows_the_settings(world, settings, severity, days):
    assert make_finding(world, severity=severity).deadline == dt.date(2026, 3, 5) + dt.timedelta(days=days)
    settings.EDUBRAIN = {**settings.EDUBRAIN, "WORK_RECTIFY_DAYS": {severity: 2}}
    assert make_finding(world, severity=severity).deadline == dt.date(2026, 3, 7)


def test_a_given_deadline_wins_and_must_not_precede_the_finding(world):
    found = dt.date(2026, 3, 5)
    assert make_finding(world, deadline=found).deadline == found
    with pytest.raises(ValidationError, match="早于发现日期"):
        make_finding(world, deadline=found - dt.timedelta(days=1))


def test_bad_finding_input_is_refused_and_nothing_is_written(world):
    r = make_round(world)
    before = (Finding.objects.count(), Notification.objects.count())
    item = ChecklistItem.objects.exclude(inspection=r).first() or make_round(world).checklist.first()
    with pytest.raises(ValidationError) as exc:
        make_finding(
            world,
            r,
            org_unit=world["other"],
            description="",
            severity="bad",
            found_on=TODAY + dt.timedelta(days=1),
            responsible_person="",
            item=item,
        )
    assert set(exc.value.message_dict) == {
        "org_unit",
        "description",
        "severity",
        "found_on",
        "responsible_person",
        "item",
    }
    assert "晚于今天" in exc.value.message_dict["found_on"][0]
    with pytest.raises(ValidationError, match="早于督导开始日期"):
        make_finding(world, r, found_on=dt.date(2026, 2, 28))
    assert make_finding(world, r, found_on=TODAY).found_on == TODAY  # today itself is fine
    assert (Finding.objects.count(), Notification.objects.count()) == (before[0] + 1, before[1] + 1)


def test_a_bad_photo_refuses_the_whole_finding(world):
    r = make_round(world)
    before = Finding.objects.count()
    fake = SimpleUploadedFile("现场照片.png", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError, match="现场照片.png"):
        make_finding(world, r, files=[fake])
    assert Finding.objects.count() == before
    assert not FindingEvent.objects.filter(finding__inspection=r).exists()


def test_only_the_bureau_records_findings(world):
    r = make_round(world)
    for name in ("leader", "school"):
        with pytest.raises(PermissionDenied):
            sv.record_finding(
                r,
                world["users"][name],
                org_unit=world["school"],
                description="x",
                severity="minor",
                found_on=TODAY,
                responsible_person="x",
                today=TODAY,
            )


# ---------------------------------------------------------------- fix and 复查


def fix(world, f, user="school", **kw):
    args = {"fix_report": "已更换全部灭火器", "fixed_on": dt.date(2026, 3, 12), **kw}
    return sv.report_fix(f, world["users"][user], today=TODAY, **args)


def test_the_school_reports_the_fix_and_the_bureau_is_notified(world):
    f = fix(world, make_finding(world), files=[pdf_upload()])
    f.refresh_from_db()
    assert f.status == FindingStatus.FIXED and f.fixed_on == dt.date(2026, 3, 12)
    assert f.fixed_by == world["users"]["school"] and f.fix_report == "已更换全部灭火器"
    assert [e.action for e in f.events.all()] == ["order", "fix"]
    assert f.attachments.get().purpose == Attachment.Purpose.FIX
    assert len(notes(world, "admin", Notification.Kind.FIXED)) == 1
    assert len(notes(world, "staff", Notification.Kind.FIXED)) == 1
    assert notes(world, "school", Notification.Kind.FIXED) == []


def test_a_fix_from_the_wrong_school_or_role_is_refused(world):
    f = make_finding(world)
    for name in ("reporter", "admin", "leader"):
        with pytest.raises(PermissionDenied, match="只有"):
            fix(world, f, user=name)
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN and f.events.count() == 1


def test_fix_input_is_checked(world):
    f = make_finding(world)
    with pytest.raises(ValidationError) as exc:
        fix(world, f, fix_report=" ", fixed_on=TODAY + dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"fix_report", "fixed_on"}
    with pytest.raises(ValidationError, match="早于发现日期"):
        fix(world, f, fixed_on=dt.date(2026, 3, 4))
    with pytest.raises(ValidationError, match="整改完成日期"):
        fix(world, f, fixed_on=None)
    fix(world, f, fixed_on=TODAY)  # today itself is fine
    with pytest.raises(ValidationError, match="已整改待复查，不能再报送"):
        fix(world, f)


def test_recheck_before_the_fix_is_refused(world):
    f = make_finding(world)
    with pytest.raises(ValidationError, match="尚未报送整改情况，不能复查"):
        sv.recheck(f, world["users"]["admin"], passed=True, today=TODAY)
    f.refresh_from_db()
    assert f.status == FindingStatus.OPEN and f.closed_on is None
    assert notes(world, "school", Notification.Kind.RECHECK) == []


def test_a_passed_recheck_closes_the_finding(world):
    f = fix(world, make_finding(world))
    with pytest.raises(PermissionDenied):
        sv.recheck(f, world["users"]["school"], passed=True, today=TODAY)
    sv.recheck(f, world["users"]["admin"], passed=True, note="已现场核实", on=TODAY, today=TODAY)
    f.refresh_from_db()
    assert f.status == FindingStatus.CLOSED and f.closed_on == TODAY and f.recheck_on == TODAY
    assert [e.action for e in f.events.all()] == ["order", "fix", "pass"]
    assert len(notes(world, "school", Notification.Kind.RECHECK)) == 1
    with pytest.raises(ValidationError, match="已销号"):
        sv.recheck(f, world["users"]["admin"], passed=False, note="x", today=TODAY)


def test_a_failed_recheck_reopens_with_a_note_and_a_new_deadline(world):
    f = fix(world, make_finding(world))
    with pytest.raises(ValidationError, match="请填写复查意见"):
        sv.recheck(f, world["users"]["admin"], passed=False, note=" ", today=TODAY)
    with pytest.raises(ValidationError, match="早于整改完成日期"):
        sv.recheck(f, world["users"]["admin"], passed=True, on=dt.date(2026, 3, 11), today=TODAY)
    with pytest.raises(ValidationError, match="新的整改期限"):
        sv.recheck(
            f,
            world["users"]["admin"],
            passed=False,
            note="x",
            new_deadline=TODAY - dt.timedelta(days=1),
            today=TODAY,
        )
    new = TODAY + dt.timedelta(days=7)
    sv.recheck(
        f, world["users"]["admin"], passed=False, note="三楼仍有过期灭火器", new_deadline=new, today=TODAY
    )
    f.refresh_from_db()
    assert (f.status, f.reopen_count, f.deadline, f.fixed_on) == (FindingStatus.REOPENED, 1, new, None)
    assert f.events.last().action == "fail" and "三楼" in f.events.last().note
    # the school fixes again; a second notification for the bureau (a new key)
    fix(world, f, fixed_on=TODAY)
    assert len(notes(world, "admin", Notification.Kind.FIXED)) == 2
    sv.recheck(f, world["users"]["admin"], passed=True, today=TODAY)
    assert Finding.objects.get(pk=f.pk).status == FindingStatus.CLOSED


# ---------------------------------------------------------------- escalations


def test_escalation_of_a_finding_and_of_a_unit(world):
    f = make_finding(world)
    e = sv.escalate(
        f, world["users"]["admin"], kind="talk", on=TODAY, note="逾期未整改，约谈校长", today=TODAY
    )
    assert (e.org_unit, e.finding, e.kind) == (world["school"], f, Escalation.Kind.TALK)
    assert f.events.last().action == "escalate" and "约谈" in f.events.last().note
    assert len(notes(world, "school", Notification.Kind.ESCALATION)) == 1
    general = sv.escalate(
        world["unit"], world["users"]["admin"], kind="notice", on=TODAY, note="通报", today=TODAY
    )
    assert general.finding is None and len(notes(world, "reporter", Notification.Kind.ESCALATION)) == 1
    with pytest.raises(ValidationError) as exc:
        sv.escalate(
            f, world["users"]["admin"], kind="fire", on=TODAY + dt.timedelta(days=1), note="", today=TODAY
        )
    assert set(exc.value.message_dict) == {"kind", "on", "note"}
    with pytest.raises(PermissionDenied):
        sv.escalate(f, world["users"]["leader"], kind="talk", on=TODAY, note="x", today=TODAY)
    with pytest.raises(PermissionDenied):
        sv.escalate(world["county"], world["users"]["admin"], kind="talk", on=TODAY, note="x", today=TODAY)
