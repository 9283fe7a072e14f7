"""Demo 进展报告 (called by demo.work.build_work_demo): five half-yearly 填报周期 of the adopted plan and
one report per (task, linked 责任单位) per cycle, with its 审核记录.

- closed cycles (2024年下半年 … 2025年下半年): about 90 % accepted on time, some after one return, about
  5 % first submitted after the due day (逾期报送), about 3 % never submitted (missing, left 待填报);
- 2026年上半年 (open, due 2026-07-10): mostly accepted, a few returned awaiting resubmission (one of them
  the demo reporter's, 县财政局), a few awaiting review, two small units not reported (late);
- 2026年下半年 (open, due 2027-01-10): mostly pending or drafts, a few reported early (the demo reporter
  keeps at least one pending slot).

Narratives are built from the task title and the unit; percent complete rises by cycle (lead units
higher); contacts are fake.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from edubrain.demo.work_texts import (
    ACTIONS,
    DEFAULT_ACTION,
    DEMO_TODAY,
    GIVEN,
    NEXT_STEPS,
    RETURN_COMMENTS,
    SURNAMES,
    at,
)
from edubrain.plans.models import Plan, TaskUnit
from edubrain.work.models import ProgressReport, ReportEvent, ReportingCycle, ReportStatus

REPORTER_UNIT = "县财政局"
BUREAU_UNIT = "县教育和体育局"

# (name, period start, period end, due, closed)
CYCLES = (
    ("2024年下半年", dt.date(2024, 7, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 10), True),
    ("2025年上半年", dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 10), True),
    ("2025年下半年", dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 10), True),
    ("2026年上半年", dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 10), False),
    ("2026年下半年", dt.date(2026, 7, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 10), False),
)
CYCLE_NOTE = "请各责任单位对照规划任务，如实填报本期工作进展、完成进度、主要数据和存在问题，并上传佐证材料。"


def contact(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)} 139{rng.randrange(10**8):08d}"


@dataclass
class Slot:
    task_id: int
    topic: str
    org_unit_id: int
    unit: str
    role: str
    percent: int


def _slots(plan: Plan, rng: random.Random) -> list[Slot]:
    links = (
        TaskUnit.objects.filter(task__plan=plan, unit__isnull=False)
        .order_by("task__order", "order", "id")
        .values_list("task_id", "task__title", "unit__org_unit_id", "unit__name", "role")
    )
    return [
        Slot(task, title, unit, name, role, rng.randint(12, 28) + (10 if role == "lead" else 0))
        for task, title, unit, name, role in links
    ]


def _texts(slot: Slot, rng: random.Random, cycle: str) -> dict[str, Any]:
    template = next((t for key, t in ACTIONS if key in slot.unit), DEFAULT_ACTION)
    money = rng.randint(20, 900)
    values = {"topic": slot.topic, "money": money, "schools": rng.randint(12, 96), "n": rng.randint(2, 12)}
    narrative = f"{slot.unit}：{template.format(**values)}。{cycle}累计完成计划任务的{slot.percent}%。"
    milestone = (
        "全面完成"
        if slot.percent >= 100
        else "深化提升"
        if slot.percent >= 75
        else "全面推进"
        if slot.percent >= 40
        else "启动实施"
    )
    figures = (
        f"投入资金：{money}万元\n覆盖学校：{values['schools']}所\n受益师生：{rng.randint(800, 42000)}人次"
    )
    return {
        "narrative": narrative,
        "percent": slot.percent,
        "milestone": milestone,
        "figures": figures,
        "problems": rng.choice(NEXT_STEPS),
        "contact": contact(rng),
    }


def _late_units(slots: list[Slot], rng: random.Random) -> set[int]:
    """Two small units (one or two slots, never the demo reporter's) that have not reported 2026上半年."""
    sizes = Counter(s.org_unit_id for s in slots)
    names = {s.org_unit_id: s.unit for s in slots}
    small = sorted(u for u, n in sizes.items() if n <= 2 and names[u] not in (REPORTER_UNIT, BUREAU_UNIT))
    return set(rng.sample(small, min(2, len(small))))


def build_reports(plan: Plan, users: dict[str, Any], rng: random.Random) -> dict[str, int]:
    slots = _slots(plan, rng)
    late = _late_units(slots, rng)
    cycles = ReportingCycle.objects.bulk_create(
        [
            ReportingCycle(
                plan=plan,
                name=name,
                period_start=start,
                period_end=end,
                due_on=due,
                status=ReportingCycle.Status.CLOSED if closed else ReportingCycle.Status.OPEN,
                note=CYCLE_NOTE,
                opened_by=users["admin"],
            )
            for name, start, end, due, closed in CYCLES
        ]
    )
    reports: list[ProgressReport] = []
    events: list[list[tuple[str, dt.datetime, Any, str]]] = []
    returned_reporter = False
    last_reporter_slot = [s for s in slots if s.unit == REPORTER_UNIT][-1:]
    for index, cycle in enumerate(cycles):
        for slot in slots:
            if index:
                slot.percent = min(100, slot.percent + rng.randint(8, 18))
            if index == 3:
                force = "late" if slot.org_unit_id in late else ""
                if slot.unit == REPORTER_UNIT and not returned_reporter:
                    force, returned_reporter = "returned", True
            elif index == 4:
                force = "pending" if [slot] == last_reporter_slot else ""
            else:
                force = ""
            report, history = _report(cycle, slot, index, users, rng, force)
            reports.append(report)
            events.append(history)
    ProgressReport.objects.bulk_create(reports)
    rows = [
        ReportEvent(report=report, action=action, at=when, by=by, comment=comment)
        for report, history in zip(reports, events, strict=True)
        for action, when, by, comment in history
    ]
    ReportEvent.objects.bulk_create(rows)
    return {"work_cycle": len(cycles), "work_report": len(reports), "work_report_event": len(rows)}


def _report(
    cycle: ReportingCycle,
    slot: Slot,
    index: int,
    users: dict[str, Any],
    rng: random.Random,
    force: str,
) -> tuple[ProgressReport, list[tuple[str, dt.datetime, Any, str]]]:
    """One report slot and its history: the outcome drawn by cycle (closed, 2026上半年, 2026下半年)."""
    report = ProgressReport(cycle=cycle, task_id=slot.task_id, org_unit_id=slot.org_unit_id, role=slot.role)
    submitter = users["reporter"] if slot.unit == REPORTER_UNIT else None
    reviewer = users["admin"] if rng.random() < 0.6 else users["staff"]
    draw = rng.random()
    if force:
        outcome = force
    elif index < 3:
        outcome = (
            "missing" if draw < 0.03 else "late" if draw < 0.08 else "returned_ok" if draw < 0.15 else "ok"
        )
    elif index == 3:
        outcome = (
            "returned" if draw < 0.02 else "submitted" if draw < 0.06 else "late_ok" if draw < 0.1 else "ok"
        )
    else:
        outcome = (
            "submitted"
            if draw < 0.06
            else "accepted_early"
            if draw < 0.08
            else ("draft" if draw < 0.30 else "pending")
        )
    if outcome in ("missing", "pending") or (outcome == "late" and index == 3):
        if outcome == "late" or (outcome == "pending" and rng.random() < 0.2):
            report.status = ReportStatus.DRAFT
            report.narrative = _texts(slot, rng, cycle.name)["narrative"]
            report.percent = slot.percent
        return report, []
    for name, value in _texts(slot, rng, cycle.name).items():
        setattr(report, name, value)
    if outcome == "draft":
        report.status = ReportStatus.DRAFT
        report.figures = report.problems = ""
        return report, []
    due = cycle.due_on
    if outcome in ("late", "late_ok"):
        first = due + dt.timedelta(days=rng.randint(1, 20))
    elif index == 4:  # reported early, reviewed by today
        first = DEMO_TODAY - dt.timedelta(days=rng.randint(8, 30))
    else:
        first = due - dt.timedelta(days=rng.randint(0, 15))
    history = [("submit", at(first, rng.randint(8, 17), rng.randint(0, 59)), submitter, "")]
    day = first
    if outcome in ("returned_ok", "returned"):
        day += dt.timedelta(days=rng.randint(2, 5))
        comment = rng.choice(RETURN_COMMENTS)
        history.append(("return", at(day, 15), reviewer, comment))
        report.times_returned = 1
        report.review_comment = comment
        if outcome == "returned":
            report.status = ReportStatus.RETURNED
            _stamp(report, history, submitter, reviewer)
            return report, history
        day += dt.timedelta(days=rng.randint(2, 6))
        history.append(("submit", at(day, 9, 30), submitter, "已按审核意见补充完善。"))
    if outcome == "submitted":
        report.status = ReportStatus.SUBMITTED
        _stamp(report, history, submitter, None)
        return report, history
    day += dt.timedelta(days=rng.randint(1, 6))
    history.append(("accept", at(day, 16), reviewer, "同意。"))
    report.status = ReportStatus.ACCEPTED
    report.review_comment = "同意。"
    _stamp(report, history, submitter, reviewer)
    return report, history


def _stamp(report: ProgressReport, history: list[Any], submitter: Any, reviewer: Any) -> None:
    submits = [when for action, when, _, _ in history if action == "submit"]
    report.first_submitted_at, report.submitted_at = submits[0], submits[-1]
    report.submitted_by = submitter
    reviews = [when for action, when, _, _ in history if action != "submit"]
    if reviews and reviewer is not None:
        report.reviewed_at, report.reviewed_by = reviews[-1], reviewer
