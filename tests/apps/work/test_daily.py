"""每日提醒与邮件摘要: reminders at, just before and just after each deadline, to the right people, once;
the digest (one mail per user, marked e-mailed, users without an address skipped); the command."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.management import CommandError, call_command

from edubrain.accounts.models import Role
from edubrain.plans.models import KeyProject, Plan, PlanTask
from edubrain.work import daily
from edubrain.work.models import (
    Finding,
    InspectionRound,
    Milestone,
    Notification,
    ProgressReport,
    ProjectTrack,
    ReportingCycle,
)
from edubrain.work.notify import bureau_users, notify
from factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2031, 7, 10)
DAY = dt.timedelta(days=1)
_periods = itertools.count()


@pytest.fixture
def world(demo):
    plan = Plan.objects.get(org_unit=demo.county, status=Plan.Status.ADOPTED)
    users = demo.users
    return {
        "plan": plan,
        "county": demo.county,
        "task": PlanTask.objects.filter(plan=plan).order_by("order").first(),
        "unit": users["reporter"].org_unit,
        "school_unit": users["school"].org_unit,
        "users": users,
        # the county's bureau (admin, staff and the demo's root account)
        "bureau": set(bureau_users(demo.county).values_list("username", flat=True)),
    }


def slot(world, due: dt.date, status: str = "pending", cycle_status: str = "open") -> ProgressReport:
    n = next(_periods)
    start = dt.date(2040 + n, 1, 1)
    cycle = ReportingCycle.objects.create(
        plan=world["plan"],
        name=f"测试周期{n}",
        period_start=start,
        period_end=start + 30 * DAY,
        due_on=due,
        status=cycle_status,
    )
    return ProgressReport.objects.create(
        cycle=cycle, task=world["task"], org_unit=world["unit"], role="lead", status=status
    )


def finding(world, deadline: dt.date, status: str = "open") -> Finding:
    rnd = InspectionRound.objects.create(
        county=world["county"], kind="safety", name="测试排查", start_on=TODAY - 30 * DAY, end_on=TODAY
    )
    return Finding.objects.create(
        inspection=rnd,
        org_unit=world["school_unit"],
        description="灭火器过期",
        found_on=TODAY - 20 * DAY,
        deadline=deadline,
        responsible_person="王校长",
        status=status,
    )


def holders(key: str) -> set[str]:
    return set(Notification.objects.filter(key=key).values_list("user__username", flat=True))


def test_report_slots_due_soon_and_overdue(world):
    at_horizon = slot(world, TODAY + 3 * DAY)
    beyond = slot(world, TODAY + 4 * DAY)
    due_today = slot(world, TODAY, status="draft")
    yesterday = slot(world, TODAY - DAY, status="returned")
    submitted = slot(world, TODAY - DAY, status="submitted")
    closed = slot(world, TODAY - DAY, cycle_status="closed")
    daily.remind(TODAY)
    assert holders(f"report-due:{at_horizon.pk}") == {"reporter"}
    assert holders(f"report-due:{beyond.pk}") == set()
    assert holders(f"report-due:{due_today.pk}") == {"reporter"}  # the due day itself is not late
    assert holders(f"report-overdue:{due_today.pk}") == set()
    assert holders(f"report-overdue:{yesterday.pk}") == {"reporter"} | world["bureau"]
    assert holders(f"report-due:{yesterday.pk}") == set()
    for other in (submitted, closed):
        assert not Notification.objects.filter(
            key__endswith=f":{other.pk}", key__startswith="report"
        ).exists()
    note = Notification.objects.get(key=f"report-overdue:{yesterday.pk}", user__username="reporter")
    assert note.kind == "overdue" and note.url == f"/work/reports/{yesterday.pk}/"
    assert "已逾期" in note.title and f"{TODAY - DAY:%Y-%m-%d}" in note.title


def test_findings_due_soon_and_overdue(world):
    soon = finding(world, TODAY + 3 * DAY)
    later = finding(world, TODAY + 4 * DAY)
    today = finding(world, TODAY, status="reopened")
    late = finding(world, TODAY - DAY)
    fixed = finding(world, TODAY - DAY, status="fixed")
    daily.remind(TODAY)
    assert holders(f"finding-due:{soon.pk}") == {"school"}
    assert holders(f"finding-due:{later.pk}") == set()
    assert holders(f"finding-due:{today.pk}") == {"school"}
    assert holders(f"finding-overdue:{today.pk}") == set()
    assert holders(f"finding-overdue:{late.pk}") == {"school"} | world["bureau"]
    assert holders(f"finding-overdue:{fixed.pk}") == holders(f"finding-due:{fixed.pk}") == set()
    assert (
        Notification.objects.filter(key=f"finding-overdue:{late.pk}").first().url
        == f"/work/findings/{late.pk}/"
    )


def test_overdue_milestones_go_to_the_bureau(world):
    projects = list(KeyProject.objects.filter(plan=world["plan"]).order_by("number")[:2])
    ProjectTrack.objects.update_or_create(project=projects[0], defaults={"status": "building"})
    ProjectTrack.objects.update_or_create(project=projects[1], defaults={"status": "done"})
    past = Milestone.objects.create(project=projects[0], name="开工", planned_on=TODAY - DAY)
    on_day = Milestone.objects.create(project=projects[0], name="封顶", planned_on=TODAY)
    reached = Milestone.objects.create(
        project=projects[0], name="立项", planned_on=TODAY - DAY, done_on=TODAY
    )
    finished = Milestone.objects.create(project=projects[1], name="验收", planned_on=TODAY - DAY)
    daily.remind(TODAY)
    assert holders(f"milestone-overdue:{past.pk}") == world["bureau"] >= {"admin", "staff"}
    for other in (on_day, reached, finished):
        assert holders(f"milestone-overdue:{other.pk}") == set()


def test_remind_is_idempotent(world):
    slot(world, TODAY + DAY)
    slot(world, TODAY - DAY)
    finding(world, TODAY - 5 * DAY)
    first = daily.remind(TODAY)
    assert first["deadline"] >= 1 and first["overdue"] >= 3 + 1  # unit + two bureau users, and the school
    count = Notification.objects.count()
    assert daily.remind(TODAY) == {"deadline": 0, "overdue": 0}
    assert Notification.objects.count() == count


def test_remind_days_setting(world, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "WORK_REMIND_DAYS": 1}
    near, far = slot(world, TODAY + DAY), slot(world, TODAY + 2 * DAY)
    daily.remind(TODAY)
    assert holders(f"report-due:{near.pk}") == {"reporter"} and holders(f"report-due:{far.pk}") == set()


@pytest.fixture
def mailed_users():
    county = CountyFactory()
    a = UserFactory(
        role=Role.BUREAU_STAFF, org_unit=county, email="a@example.cn", last_name="张", first_name="三"
    )
    b = UserFactory(role=Role.BUREAU_STAFF, org_unit=county, email="b@example.cn")
    silent = UserFactory(role=Role.BUREAU_STAFF, org_unit=county, email="")
    gone = UserFactory(role=Role.BUREAU_STAFF, org_unit=county, email="gone@example.cn", is_active=False)
    return a, b, silent, gone


def test_digest_one_mail_per_user_then_marked(mailed_users, mailoutbox, settings):
    settings.SITE_URL = "https://edu.example.cn"
    a, b, silent, gone = mailed_users
    notify([a], "deadline", "报告即将到期", url="/work/")
    notify([a, b, silent, gone], "overdue", "整改已逾期", url="/work/")
    result = daily.digest(TODAY)
    mine = {m.to[0]: m for m in mailoutbox if m.to[0].endswith("@example.cn")}
    assert set(mine) == {"a@example.cn", "b@example.cn"}
    assert len([m for m in mailoutbox if m.to == ["a@example.cn"]]) == 1
    body = mine["a@example.cn"].body
    assert "张三" in body and "报告即将到期" in body and "整改已逾期" in body
    first = Notification.objects.get(user=a, title="报告即将到期")
    assert f"https://edu.example.cn/work/notifications/{first.pk}/" in body
    assert "2 条通知" in mine["a@example.cn"].subject
    assert result["skipped"] >= 1 and result["emails"] >= 2
    assert not Notification.objects.filter(user__in=[a, b], emailed_at__isnull=True).exists()
    assert Notification.objects.filter(user__in=[silent, gone], emailed_at__isnull=True).count() == 2
    again = len(mailoutbox)
    assert daily.digest(TODAY)["emails"] == 0
    assert len(mailoutbox) == again


def test_command_daily_and_digest(world, mailed_users, mailoutbox):
    slot(world, TODAY - DAY)
    notify([mailed_users[0]], "slot", "新填报任务", url="/work/")
    out = io.StringIO()
    call_command("work", "daily", "--date", TODAY.isoformat(), "--no-email", stdout=out)
    assert "新增提醒：即将到期" in out.getvalue() and "未发送邮件摘要" in out.getvalue()
    assert not mailoutbox
    out = io.StringIO()
    call_command("work", "daily", "--date", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "新增提醒：即将到期 0 条，已逾期 0 条" in text  # already reminded by the first run
    # the demo accounts have addresses too: one mail per user holding notifications not yet e-mailed
    assert f"邮件摘要：发送 {len(mailoutbox)} 封" in text and "未填写邮箱" in text
    assert [m.to for m in mailoutbox if m.to[0].endswith("@example.cn")] == [["a@example.cn"]]
    assert len({tuple(m.to) for m in mailoutbox}) == len(mailoutbox)
    out = io.StringIO()
    call_command("work", "digest", stdout=out)
    assert "发送 0 封" in out.getvalue()


def test_command_refuses_a_bad_date_in_chinese(db):
    with pytest.raises(CommandError) as exc:
        call_command("work", "daily", "--date", "2031-02-30", stdout=io.StringIO())
    assert "日期“2031-02-30”无效，应为 年-月-日" in str(exc.value)
