"""预警随访 end to end below the browser: opening from stored screenings (level, rise, supersede, window,
class), the actions with their refusals and audit, overdue, the pages' scoping and roles, the 告家长书 PDF
read back, and the import hook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from edubrain.accounts.models import Role
from edubrain.base.audit import AuditLog
from edubrain.registry.models import SchoolYear, Student
from edubrain.vision import followups as fus
from edubrain.vision.models import FollowUpStatus, VisionFollowUp, VisionScreening
from factories import (
    PASSWORD,  # noqa: F401 — login by force_login
    EnrollmentFactory,
    SchoolClassFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 1)
# the factories' schools (the session's demo county is in the database too)
FACTORY = {"school__code__startswith": "3999"}


def sync(today: dt.date = TODAY) -> dict[str, int]:
    pupils = Student.objects.filter(**FACTORY).values_list("id", flat=True)
    return fus.sync_followups(pupils, today=today)


def mine():
    return VisionFollowUp.objects.filter(**FACTORY)


def screen(student, on: dt.date, level: int | None, status: str = "classified") -> VisionScreening:
    year = SchoolYear.objects.get(start_year=on.year if on.month >= 9 else on.year - 1)
    return VisionScreening.objects.create(
        student=student, school=student.school, school_year=year, screened_on=on,
        warning_level=level, status=status, myopia=bool(level), left_acuity=4.7, right_acuity=4.9,
    )


def live(student) -> list[tuple[int, str]]:
    return list(
        VisionFollowUp.objects.filter(student=student).order_by("id").values_list("screening_id", "status")
    )


def test_a_warning_opens_one_follow_up_and_sync_is_idempotent(pupils):
    a, b, c = pupils
    s1 = screen(a, dt.date(2025, 10, 10), 2)
    screen(b, dt.date(2025, 10, 10), 0)
    screen(c, dt.date(2025, 10, 10), None, status="invalid")
    bulk = AuditLog.objects.filter(model="vision.VisionFollowUp", action="bulk")
    before = bulk.count()
    assert sync(TODAY) == {"opened": 1, "superseded": 0}
    fu = mine().get()
    assert (fu.student, fu.screening, fu.level, fu.reason, fu.status) == (a, s1, 2, "预警2级", "open")
    assert (fu.opened_on, fu.due_on) == (TODAY, TODAY + dt.timedelta(days=30))
    assert sync(TODAY) == {"opened": 0, "superseded": 0}
    assert bulk.count() == before + 1


def test_a_rise_opens_a_follow_up_below_the_minimum_level(pupils, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "VISION_FOLLOWUP_MIN_LEVEL": 2}
    a, b, _ = pupils
    screen(a, dt.date(2024, 10, 10), 0)
    rise = screen(a, dt.date(2025, 10, 10), 1)
    screen(b, dt.date(2024, 10, 10), 1)
    screen(b, dt.date(2025, 10, 10), 1)  # level 1 again: below 2 and no rise
    sync(TODAY)
    fu = mine().get()
    assert (fu.screening, fu.rose, fu.previous_level) == (rise, True, 0)
    assert fu.reason == "预警1级（较上次0级上升）"


def test_a_newer_warning_supersedes_an_open_follow_up_and_a_quiet_one_does_not(pupils):
    a, b, _ = pupils
    old_a = screen(a, dt.date(2025, 3, 10), 1)
    old_b = screen(b, dt.date(2025, 3, 10), 1)
    sync(dt.date(2025, 4, 1))
    new_a = screen(a, dt.date(2025, 10, 10), 3)
    screen(b, dt.date(2025, 10, 10), 0)
    assert sync(TODAY) == {"opened": 1, "superseded": 1}
    assert live(a) == [(old_a.pk, "superseded"), (new_a.pk, "open")]
    assert live(b) == [(old_b.pk, "open")]


def test_closed_follow_ups_stay_closed_and_old_screenings_open_none(pupils, settings):
    a, b, _ = pupils
    screen(a, dt.date(2025, 3, 10), 2)
    sync(dt.date(2025, 4, 1))
    mine().update(status=FollowUpStatus.CLOSED)
    screen(a, dt.date(2025, 10, 10), 2)
    screen(b, dt.date(2025, 3, 10), 2)  # 266 days before TODAY: outside the default 180-day window
    sync(TODAY)
    assert [s for _, s in live(a)] == ["closed", "open"]
    assert live(b) == []
    settings.EDUBRAIN = {**settings.EDUBRAIN, "VISION_FOLLOWUP_WINDOW_DAYS": 300}
    assert sync(TODAY)["opened"] == 1


def test_future_screenings_are_not_seen_before_their_date(pupils):
    screen(pupils[0], dt.date(2025, 10, 10), 2)
    assert sync(dt.date(2025, 10, 9))["opened"] == 0
    assert sync(dt.date(2025, 10, 10))["opened"] == 1


def test_the_class_of_the_screening_year_is_attached(school, pupils):
    year = SchoolYear.objects.get(start_year=2025)
    klass = SchoolClassFactory(school=school, school_year=year, grade_code="14")
    EnrollmentFactory(student=pupils[0], school_class=klass)
    screen(pupils[0], dt.date(2025, 10, 10), 1)
    screen(pupils[1], dt.date(2025, 10, 10), 1)
    sync(TODAY)
    classes = dict(mine().values_list("student_id", "school_class_id"))
    assert classes == {pupils[0].pk: klass.pk, pupils[1].pk: None}


@pytest.fixture
def followup(pupils):
    screen(pupils[0], dt.date(2025, 10, 10), 2)
    sync(TODAY)
    return mine().get()


@pytest.fixture
def head(school):
    return UserFactory(role=Role.SCHOOL_ADMIN, org_unit=school.org_unit)


def test_result_and_close_with_their_refusals(followup, head):
    base = {
        "kind": "hospital", "result_on": dt.date(2025, 11, 1), "outcome": "myopia_corrected", "today": TODAY
    }
    refusals = [
        ({"result_on": dt.date(2025, 12, 2)}, "result_on", "晚于今天"),
        ({"result_on": dt.date(2025, 10, 9)}, "result_on", "早于筛查日期"),
        ({"result_on": None}, "result_on", "请填写结果日期"),
        ({"outcome": ""}, "outcome", "请选择诊断结果"),
        ({"kind": "x"}, "result_kind", "请选择结果类型"),
        ({}, "hospital", "请填写就诊医院"),
    ]
    for change, field, text in refusals:
        with pytest.raises(Exception) as exc:
            fus.record_result(followup, head, **{**base, **change})
        assert text in " ".join(exc.value.message_dict[field])
        followup.refresh_from_db()
        assert followup.status == "open" and followup.result_kind == ""
    with pytest.raises(Exception, match="尚未反馈"):
        fus.close(followup, head, today=TODAY)
    fus.record_result(followup, head, **base, hospital="沂源县人民医院")
    followup.refresh_from_db()
    assert (followup.status, followup.hospital, followup.closed_on) == ("resulted", "沂源县人民医院", None)
    fus.close(followup, head, today=TODAY)
    followup.refresh_from_db()
    assert (followup.status, followup.closed_on, followup.closed_by) == ("closed", TODAY, head)
    with pytest.raises(Exception, match="已结案"):
        fus.record_result(followup, head, **base, hospital="x")
    logged = AuditLog.objects.filter(
        model="vision.VisionFollowUp", object_id=str(followup.pk), action="update"
    )
    assert logged.count() == 2 and all(e.user == head for e in logged)


def test_close_without_result_needs_a_reason(followup, head):
    fus.close(followup, head, note="学生已转学", today=TODAY)
    followup.refresh_from_db()
    assert (followup.status, followup.note) == ("closed", "学生已转学")


def test_overdue_is_past_the_deadline_while_the_result_is_owed(followup):
    due = followup.due_on
    assert followup.overdue_days(due) == 0
    assert followup.overdue_days(due + dt.timedelta(days=1)) == 1
    followup.status = FollowUpStatus.NOTIFIED
    assert followup.overdue_days(due + dt.timedelta(days=3)) == 3
    followup.status = FollowUpStatus.RESULTED
    assert followup.overdue_days(due + dt.timedelta(days=3)) == 0


# ---------------------------------------------------------------- pages


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_school_sees_its_open_list_and_the_county_the_overdue(followup, head, school):
    page = client_for(head).get("/vision/followups/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-followup="{followup.pk}"' in html and 'data-state="open"' in html
    county = UserFactory(role=Role.BUREAU_STAFF, org_unit=school.org_unit.parent.parent)
    html = client_for(county).get("/vision/followups/").content.decode()
    # overdue by default above a school: TODAY's follow-up is due 30 days later, overdue now (2026 or later)
    overdue = followup.overdue_days(dt.date.today()) > 0
    assert (f'data-followup="{followup.pk}"' in html) is overdue
    assert 'id="followup-children"' in html and f">{school.org_unit.parent.name}<" in html


def test_another_schools_user_cannot_see_or_print_it(followup):
    other = SchoolFactory(name="别的学校")
    intruder = client_for(UserFactory(role=Role.SCHOOL_ADMIN, org_unit=other.org_unit))
    assert intruder.get(f"/vision/followups/{followup.pk}/").status_code == 404
    assert intruder.post("/vision/followups/notices/", {"ids": [followup.pk]}).status_code == 404
    listed = intruder.get("/vision/followups/?state=all").content.decode()
    assert f'data-followup="{followup.pk}"' not in listed
    followup.refresh_from_db()
    assert followup.status == "open"


def test_a_leader_reads_but_cannot_act(followup, school):
    leader = client_for(UserFactory(role=Role.LEADER, org_unit=school.org_unit.parent.parent))
    assert leader.get(f"/vision/followups/{followup.pk}/").status_code == 200
    closing = {"action": "close", "note": "x"}
    assert leader.post(f"/vision/followups/{followup.pk}/", closing).status_code == 403
    assert leader.post("/vision/followups/notices/", {"ids": [followup.pk]}).status_code == 403


def test_detail_form_errors_are_shown_and_nothing_changes(followup, head):
    r = client_for(head).post(
        f"/vision/followups/{followup.pk}/",
        {"action": "result", "result_kind": "hospital", "result_on": "2025-11-01", "outcome": "normal"},
    )
    assert r.status_code == 400 and "请填写就诊医院" in r.content.decode()
    followup.refresh_from_db()
    assert followup.status == "open"
    r = client_for(head).post(
        f"/vision/followups/{followup.pk}/",
        {
            "action": "result", "result_kind": "recheck", "result_on": "2025-11-01", "outcome": "normal",
            "close": "1",
        },
    )
    assert r.status_code == 302
    followup.refresh_from_db()
    assert (followup.status, followup.outcome, followup.result_kind) == ("closed", "normal", "recheck")


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_notice_pdf_for_one_pupil_marks_notified(followup, head):
    r = client_for(head).post("/vision/followups/notices/", {"ids": [followup.pk]})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in r["Content-Disposition"]
    pages, text = pdf_text(r.content)
    assert pages == 1
    for expected in ("视力筛查结果告家长书", followup.student.name, "预警2级", "回执", "663-2020"):
        assert expected in text.replace(" ", ""), expected
    followup.refresh_from_db()
    assert (followup.status, followup.notified_on) == ("notified", dt.date.today())


def test_notice_pdf_for_a_class_has_a_page_per_open_follow_up(school, head):
    year = SchoolYear.objects.get(start_year=2025)
    klass = SchoolClassFactory(school=school, school_year=year, grade_code="15")
    kids = [StudentFactory(school=school, birth_date=dt.date(2015, 1, 1)) for _ in range(3)]
    for kid in kids:
        EnrollmentFactory(student=kid, school_class=klass)
        screen(kid, dt.date(2025, 10, 10), 1)
    sync(TODAY)
    VisionFollowUp.objects.filter(student=kids[2]).update(status=FollowUpStatus.CLOSED)
    r = client_for(head).post("/vision/followups/notices/", {"class": klass.pk})
    pages, text = pdf_text(r.content)
    assert pages == 2
    assert kids[0].name in text and kids[1].name in text and kids[2].name not in text
    statuses = dict(mine().values_list("student_id", "status"))
    assert [statuses[k.pk] for k in kids] == ["notified", "notified", "closed"]


def test_too_many_notices_are_refused_and_nothing_is_marked(followup, head, monkeypatch, pupils):
    screen(pupils[1], dt.date(2025, 10, 10), 1)
    sync(TODAY)
    monkeypatch.setattr("edubrain.vision.notices.MAX_NOTICES", 1)
    ids = list(mine().values_list("id", flat=True))
    form = {"ids": ids, "next": "/vision/followups/"}
    r = client_for(head).post("/vision/followups/notices/", form, follow=True)
    assert "一次最多打印 1 份告家长书" in r.content.decode()
    assert set(mine().values_list("status", flat=True)) == {"open"}


def test_followups_command(pupils):
    screen(pupils[0], dt.date(2025, 10, 10), 3)
    out = io.StringIO()
    call_command("vision", "followups", "--date", "2025-12-01", stdout=out)  # every pupil, demo county too
    assert out.getvalue().startswith("新开视力预警随访 ")
    assert mine().get().due_on == dt.date(2025, 12, 31)


def test_a_late_notice_gives_the_parents_two_weeks_and_keeps_the_deadline(followup):
    from edubrain.vision.notices import MIN_NOTICE_DAYS, reply_by

    due = followup.due_on
    assert MIN_NOTICE_DAYS == 14
    assert reply_by(followup, due - dt.timedelta(days=14)) == due  # in time: the follow-up's deadline
    assert reply_by(followup, due - dt.timedelta(days=13)) == due + dt.timedelta(days=1)
    assert reply_by(followup, due + dt.timedelta(days=30)) == due + dt.timedelta(days=44)
    followup.refresh_from_db()
    assert followup.due_on == due


def test_printing_nothing_is_refused_with_a_message(followup, head):
    r = client_for(head).post("/vision/followups/notices/", {"next": "/vision/followups/"}, follow=True)
    assert r.status_code == 200 and "请先勾选学生，或选择一个有未结案随访的班级" in r.content.decode()
    followup.refresh_from_db()
    assert (followup.status, followup.notified_on) == ("open", None)
