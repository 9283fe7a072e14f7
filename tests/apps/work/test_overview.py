"""工作推进 overview (work:index and work.overview) by role, on the demo county: the numbers equal hand
counts from the models; deadline boundaries (the due day itself is not late, the day after is)."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from edubrain.demo.work import DEMO_TODAY
from edubrain.work import overview
from edubrain.work import report_queries as rq
from edubrain.work.models import Finding, ProgressReport, ProjectTrack, ReportingCycle


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def figures(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-figure="(\w+)" data-value="(\d+)"', html)}


def hand_counts(reports, findings, tracks, on: dt.date) -> dict[str, int]:
    open_reports = [r for r in reports if r.cycle.status == "open"]
    delayed = 0
    for t in tracks:
        late_step = any(m.planned_on < on and m.done_on is None for m in t.project.milestones.all())
        delayed += t.status != "done" and (late_step or (t.end_on is not None and t.end_on < on))
    return {
        "due": len(open_reports),
        "reported": sum(r.status in ("submitted", "returned", "accepted") for r in open_reports),
        "waiting": sum(r.status == "submitted" for r in open_reports),
        "returned": sum(r.status == "returned" for r in open_reports),
        "overdue_reports": sum(
            r.status in ("pending", "draft") and r.cycle.due_on < on for r in open_reports
        ),
        "open_findings": sum(f.status != "closed" for f in findings),
        "awaiting_recheck": sum(f.status == "fixed" for f in findings),
        "overdue_findings": sum(f.status in ("open", "reopened") and f.deadline < on for f in findings),
        "building": sum(t.status == "building" for t in tracks),
        "delayed": delayed,
    }


def test_bureau_page_numbers_equal_hand_counts(demo):
    on = timezone.localdate()
    reports = list(ProgressReport.objects.select_related("cycle"))
    findings = list(Finding.objects.all())
    tracks = list(ProjectTrack.objects.select_related("project").prefetch_related("project__milestones"))
    want = hand_counts(reports, findings, tracks, on)
    for name in ("admin", "leader"):
        response = client_for(demo.users[name]).get("/work/")
        assert response.status_code == 200
        html = response.content.decode()
        assert figures(html) == want, name
        assert 'id="unit-table"' in html and "rate-chart-data" in html and "vendor/echarts.min.js" in html
    assert want["due"] > 0 and want["overdue_findings"] > 0


def test_demo_day_numbers(demo):
    """On the demo's own day: two units late with 2026上半年, 5–8 overdue 整改, 3–4 delayed projects."""
    data = overview.summary(demo.users["admin"], DEMO_TODAY)
    late_units = (
        ProgressReport.objects.filter(cycle__name="2026年上半年", status__in=("pending", "draft"))
        .values("org_unit")
        .distinct()
    )
    assert (
        data["reports"]["overdue"]
        == ProgressReport.objects.filter(cycle__name="2026年上半年", status__in=("pending", "draft")).count()
    )
    assert late_units.count() == 2
    assert 5 <= data["findings"]["overdue"] <= 8
    assert 3 <= data["projects"]["delayed"] <= 4


def test_unit_table_of_the_default_cycle_worst_first(demo):
    user = demo.users["admin"]
    context = overview.page(user, DEMO_TODAY)
    cycle = context["cycle"]
    assert cycle.name == "2026年上半年"  # the latest cycle whose due date has passed
    rows = context["unit_rows"]
    rates = [r["rate"] for r in rows]
    assert rates == sorted(rates)
    for row in rows[:5]:
        mine = list(ProgressReport.objects.filter(cycle=cycle, org_unit_id=row["id"]))
        on_time = sum(
            r.first_submitted_at is not None
            and timezone.localtime(r.first_submitted_at).date() <= cycle.due_on
            for r in mine
        )
        assert row["due"] == len(mine)
        assert row["on_time"] == on_time
        assert row["rate"] == round(100 * on_time / len(mine), 1)
        assert row["overdue"] == sum(r.status in ("pending", "draft") for r in mine)
    assert rows[0]["overdue"] > 0  # the late units come first
    chart = context["chart"]
    assert chart["yAxis"]["data"][-1] == rows[0]["name"]  # horizontal bars, worst at the top


def test_cycle_choice_and_unknown_cycle(demo):
    client = client_for(demo.users["admin"])
    first = ReportingCycle.objects.get(name="2024年下半年")
    html = client.get("/work/", {"cycle": first.pk}).content.decode()
    assert "各责任单位填报情况 · 2024年下半年" in html
    default = overview.default_cycle(list(rq.cycles_for(demo.users["admin"])), timezone.localdate())
    for bad in ("abc", "999999"):
        html = client.get("/work/", {"cycle": bad}).content.decode()
        assert f"各责任单位填报情况 · {default.name}" in html


def test_submission_on_the_due_day_is_on_time_the_day_after_is_late(demo):
    cycle = ReportingCycle.objects.get(name="2025年下半年")
    report = ProgressReport.objects.filter(cycle=cycle, status="accepted").order_by("id").first()
    tz = timezone.get_current_timezone()

    def on_time_of(when: dt.datetime) -> int:
        ProgressReport.objects.filter(pk=report.pk).update(first_submitted_at=when)
        rows = overview.unit_rows(demo.users["admin"], cycle, DEMO_TODAY)
        return next(r for r in rows if r["id"] == report.org_unit_id)["on_time"]

    due = cycle.due_on
    last_moment = dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=tz)
    before = on_time_of(last_moment - dt.timedelta(days=1))
    assert on_time_of(last_moment) == before
    assert on_time_of(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)) == before - 1


def test_report_overdue_boundary(demo):
    cycle = ReportingCycle.objects.get(name="2026年下半年")
    admin = demo.users["admin"]
    unreported = ProgressReport.objects.filter(cycle__status="open", status__in=("pending", "draft"))
    in_cycle = unreported.filter(cycle=cycle).count()
    others = unreported.exclude(cycle=cycle).count()  # 2026上半年: long past due
    assert overview.report_counts(admin, cycle.due_on - dt.timedelta(days=1))["overdue"] == others
    assert overview.report_counts(admin, cycle.due_on)["overdue"] == others
    assert overview.report_counts(admin, cycle.due_on + dt.timedelta(days=1))["overdue"] == others + in_cycle


def test_finding_overdue_boundary(demo):
    finding = Finding.objects.filter(org_unit=demo.users["school"].org_unit, status="open").first()
    school = demo.users["school"]

    def overdue(on: dt.date) -> int:
        return overview.summary(school, on)["findings"]["overdue"]

    base = overdue(finding.deadline - dt.timedelta(days=1))
    assert overdue(finding.deadline) == base
    assert overdue(finding.deadline + dt.timedelta(days=1)) == base + 1


def test_reporter_sees_own_slots_returned_first(demo):
    reporter = demo.users["reporter"]
    response = client_for(reporter).get("/work/")
    html = response.content.decode()
    ids = [int(i) for i in re.findall(r'data-report="(\d+)"', html)]
    mine = ProgressReport.objects.filter(org_unit=reporter.org_unit, cycle__status="open")
    assert sorted(ids) == sorted(mine.values_list("id", flat=True))
    statuses = re.findall(r'data-report="\d+" data-status="(\w+)"', html)
    assert statuses[0] == "returned"
    assert 'id="unit-table"' not in html and 'id="overdue-findings"' not in html
    assert figures(html)["due"] == mine.count()


def test_school_sees_own_open_findings(demo):
    school = demo.users["school"]
    html = client_for(school).get("/work/").content.decode()
    ids = {int(i) for i in re.findall(r'data-finding="(\d+)"', html)}
    want = set(
        Finding.objects.filter(org_unit=school.org_unit).exclude(status="closed").values_list("id", flat=True)
    )
    assert ids == want and len(want) >= 2
    assert 'id="unit-table"' not in html and "data-report=" not in html


def test_overdue_list_top_ten_oldest_first(demo):
    rows = overview.page(demo.users["admin"], DEMO_TODAY)["overdue_findings"]
    assert 0 < len(rows) <= 10
    deadlines = [r["finding"].deadline for r in rows]
    assert deadlines == sorted(deadlines)
    assert all(r["late"] and r["overdue_days"] == (DEMO_TODAY - r["finding"].deadline).days > 0 for r in rows)


def callout_numbers(client) -> dict[str, int]:
    html = client.get("/").content.decode()
    assert 'id="work-callout"' in html
    return {k: int(v) for k, v in re.findall(r'data-work="(\w+)">(\d+)<', html)}


def test_home_callout_for_the_bureau(demo):
    data = overview.summary(demo.users["admin"])
    assert callout_numbers(client_for(demo.users["admin"])) == {
        "overdue_reports": data["reports"]["overdue"],
        "overdue_findings": data["findings"]["overdue"],
        "delayed_projects": data["projects"]["delayed"],
    }


def test_home_callout_for_a_reporter_and_a_school(demo):
    reporter, school = demo.users["reporter"], demo.users["school"]
    mine = ProgressReport.objects.filter(org_unit=reporter.org_unit, cycle__status="open")
    assert callout_numbers(client_for(reporter)) == {
        "overdue_reports": mine.filter(
            status__in=("pending", "draft"), cycle__due_on__lt=timezone.localdate()
        ).count(),
        "returned_reports": mine.filter(status="returned").count(),
    }
    ours = Finding.objects.filter(org_unit=school.org_unit)
    assert callout_numbers(client_for(school)) == {
        "overdue_findings": ours.filter(
            status__in=("open", "reopened"), deadline__lt=timezone.localdate()
        ).count(),
        "open_findings": ours.exclude(status="closed").count(),
    }


def test_no_callout_without_work_data(demo):
    from factories import CountyFactory, UserFactory

    outsider = UserFactory(username="work_outsider", role="bureau_admin", org_unit=CountyFactory())
    assert overview.callout(outsider) is None
    assert 'id="work-callout"' not in client_for(outsider).get("/").content.decode()
