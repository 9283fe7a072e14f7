"""The demo county's 工作推进 rows (session demo: seed 7, scale 0.04): counts, invariants, the rows the demo
users need, determinism."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from edubrain.demo.work import DEMO_TODAY, build_work_demo, delete_work_demo
from edubrain.plans.models import KeyProject, TaskUnit
from edubrain.registry.models import School
from edubrain.work.models import (
    ChecklistItem,
    Escalation,
    Finding,
    FindingEvent,
    InspectionRound,
    Milestone,
    Notification,
    ProgressReport,
    ProjectTrack,
    ReportEvent,
    ReportingCycle,
)

MODELS = {
    "work_cycle": ReportingCycle,
    "work_report": ProgressReport,
    "work_report_event": ReportEvent,
    "work_project": ProjectTrack,
    "work_milestone": Milestone,
    "work_round": InspectionRound,
    "work_checklist": ChecklistItem,
    "work_finding": Finding,
    "work_finding_event": FindingEvent,
    "work_escalation": Escalation,
    "work_notification": Notification,
}


def plan_of(demo):
    return demo.county_plan.plan


def test_counts_printed_equal_rows(demo):
    for key, model in MODELS.items():
        assert demo.counts[key] == model.objects.count() > 0, key


def test_one_report_per_linked_task_unit_and_cycle(demo):
    cycles = list(ReportingCycle.objects.filter(plan=plan_of(demo)).order_by("period_start"))
    assert [c.name for c in cycles] == [
        "2024年下半年",
        "2025年上半年",
        "2025年下半年",
        "2026年上半年",
        "2026年下半年",
    ]
    assert [c.status for c in cycles] == ["closed"] * 3 + ["open"] * 2
    assert cycles[3].due_on == dt.date(2026, 7, 10) and cycles[4].due_on == dt.date(2027, 1, 10)
    links = TaskUnit.objects.filter(task__plan=plan_of(demo), unit__isnull=False)
    slots = {(t, u.org_unit_id, role) for t, u, role in ((x.task_id, x.unit, x.role) for x in links)}
    for cycle in cycles:
        got = set(cycle.reports.values_list("task_id", "org_unit_id", "role"))
        assert got == slots and cycle.reports.count() == len(slots)


def test_closed_cycles_terminal_and_mostly_accepted(demo):
    reports = ProgressReport.objects.filter(cycle__status="closed")
    statuses = Counter(reports.values_list("status", flat=True))
    assert set(statuses) == {"accepted", "pending"}
    assert statuses["accepted"] / reports.count() >= 0.85
    missing = reports.filter(status="pending")
    assert missing.exists() and not missing.filter(first_submitted_at__isnull=False).exists()
    assert not ReportEvent.objects.filter(report__in=missing).exists()


def test_event_histories_follow_the_state(demo):
    history: dict[int, list[str]] = {}
    for report_id, action in ReportEvent.objects.order_by("report", "at", "id").values_list(
        "report", "action"
    ):
        history.setdefault(report_id, []).append(action)
    accepted = ProgressReport.objects.filter(status="accepted")
    for report in accepted.only("id", "times_returned"):
        actions = history[report.pk]
        assert actions[0] == "submit" and actions[-1] == "accept"
        assert actions.count("return") == report.times_returned
    returned_then_accepted = [
        r for r in accepted if history[r.pk] == ["submit", "return", "submit", "accept"]
    ]
    assert returned_then_accepted
    for report in ProgressReport.objects.filter(status="returned"):
        assert history[report.pk][-1] == "return" and report.review_comment
    for report in ProgressReport.objects.filter(status="submitted"):
        assert history[report.pk][-1] == "submit"
    assert not ProgressReport.objects.filter(status__in=("pending", "draft"), id__in=list(history)).exists()


def test_some_closed_reports_first_submitted_late(demo):
    late = [
        r
        for r in ProgressReport.objects.filter(
            cycle__status="closed", first_submitted_at__isnull=False
        ).select_related("cycle")
        if r.first_submitted_at.astimezone(dt.UTC).date() > r.cycle.due_on
    ]
    assert 1 <= len(late) <= 0.12 * 3 * ProgressReport.objects.filter(cycle__name="2024年下半年").count()


def test_open_first_half_2026_has_late_units_and_pending_reviews(demo):
    cycle = ReportingCycle.objects.get(name="2026年上半年")
    rows = cycle.reports
    unreported = set(rows.filter(status__in=("pending", "draft")).values_list("org_unit_id", flat=True))
    assert len(unreported) == 2
    assert rows.filter(status="returned").count() >= 1 and rows.filter(status="submitted").count() >= 1
    assert rows.filter(status="accepted").count() / rows.count() > 0.7


def test_reporter_has_a_returned_report_and_a_pending_slot(demo):
    unit = demo.users["reporter"].org_unit
    mine = ProgressReport.objects.filter(org_unit=unit)
    assert mine.filter(status="returned").exists()
    assert mine.filter(status="pending", cycle__status="open", cycle__due_on__gt=DEMO_TODAY).exists()
    assert mine.filter(submitted_by=demo.users["reporter"]).exists()


def test_school_has_an_open_and_a_fixed_finding(demo):
    findings = Finding.objects.filter(org_unit=demo.users["school"].org_unit)
    assert findings.filter(status="open").exists()
    assert findings.filter(status="fixed", fixed_on__isnull=False, recheck_on__isnull=True).exists()


def test_findings_lifecycle_invariants(demo):
    assert not Finding.objects.filter(status="closed", recheck_on__isnull=True).exists()
    assert not Finding.objects.filter(status="closed", closed_on__isnull=True).exists()
    assert not Finding.objects.filter(status="fixed", fixed_on__isnull=True).exists()
    for finding in Finding.objects.prefetch_related("events"):
        actions = [e.action for e in finding.events.all()]
        assert actions[0] == "order"
        core = [a for a in actions if a != "escalate"]
        assert (
            core[-1]
            == {"open": "order", "fixed": "fix", "reopened": "fail", "closed": "pass"}[finding.status]
        )
        assert finding.reopen_count == actions.count("fail")
        assert finding.deadline - finding.found_on == dt.timedelta(
            days={"minor": 30, "major": 15, "serious": 7}[finding.severity]
        )
        if finding.recheck_on:
            assert finding.fixed_on and finding.recheck_on >= finding.fixed_on
    assert Finding.objects.filter(status="closed", reopen_count=1).exists()


def test_overdue_findings_and_escalations(demo):
    overdue = Finding.objects.filter(status__in=("open", "reopened"), deadline__lt=DEMO_TODAY)
    assert 5 <= overdue.count() <= 8
    kinds = Counter(Escalation.objects.values_list("kind", flat=True))
    assert 2 <= sum(kinds.values()) <= 3 and kinds["talk"] >= 1 and kinds["notice"] >= 1
    talk = Escalation.objects.get(kind="talk")
    assert talk.finding.status in ("open", "reopened")
    earlier = Finding.objects.filter(org_unit=talk.org_unit, item__category=talk.finding.item.category)
    assert earlier.filter(found_on__lt=talk.finding.found_on).exists()  # a repeated finding


def test_rounds(demo):
    kinds = Counter(InspectionRound.objects.values_list("kind", flat=True))
    assert kinds == {"safety": 11, "regular": 2, "special": 1}
    schools = School.objects.filter(org_unit__path__startswith=demo.county.path).count()
    safety = InspectionRound.objects.filter(kind="safety").first()
    assert safety.checklist.count() == 10
    assert safety.targets.count() == schools
    special = InspectionRound.objects.get(kind="special")
    assert 0 < special.targets.count() < schools  # compulsory-education schools only


def test_projects(demo):
    tracks = ProjectTrack.objects.filter(project__plan=plan_of(demo))
    assert tracks.count() == KeyProject.objects.filter(plan=plan_of(demo)).count() == 18
    assert Counter(tracks.values_list("status", flat=True)) == {
        "done": 5,
        "building": 9,
        "planned": 3,
        "paused": 1,
    }
    for track in tracks.select_related("project"):
        steps = list(track.project.milestones.order_by("order"))
        assert 4 <= len(steps) <= 6
        if track.status == "done":
            assert all(s.done_on for s in steps) and track.finished_on
    named = tracks.filter(school__isnull=False).values_list("school__name", flat=True)
    assert {"沂源县荆山学校", "淄博电子工程学校"} <= set(named)
    assert tracks.get(project__number=1).lead_unit.name == "县教育和体育局"


def test_notifications_for_the_demo_users(demo):
    for name in ("admin", "reporter", "school"):
        mine = Notification.objects.filter(user=demo.users[name])
        assert mine.filter(read_at__isnull=True).exists() and mine.filter(read_at__isnull=False).exists(), (
            name
        )


def fingerprint() -> list[tuple]:
    reports = sorted(
        ProgressReport.objects.values_list(
            "cycle__name",
            "task__code",
            "org_unit__name",
            "status",
            "percent",
            "narrative",
            "first_submitted_at",
        )
    )
    findings = sorted(
        Finding.objects.values_list(
            "inspection__name", "org_unit__name", "description", "status", "found_on", "deadline"
        )
    )
    projects = sorted(ProjectTrack.objects.values_list("project__number", "status", "budget", "start_on"))
    return reports + findings + projects


@pytest.mark.parametrize("other_seed", [8])
def test_deterministic_for_a_seed(demo, other_seed):
    before = fingerprint()
    prefix = demo.county.path.split("/")[1]
    args = (demo.county, plan_of(demo), demo.users)
    assert delete_work_demo(f"/{prefix}/")["work_report"] == len([r for r in before if len(r) == 7])
    assert ProgressReport.objects.count() == 0
    build_work_demo(*args, demo.seed)
    assert fingerprint() == before
    delete_work_demo(f"/{prefix}/")
    build_work_demo(*args, other_seed)
    assert fingerprint() != before
