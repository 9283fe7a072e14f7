"""Demo data of 工作推进 (work tracking), called by demo.generator.build_demo after the county has adopted
its plan; deleted by ``delete_work_demo`` from demo.reset.

The demo's "today" is ``DEMO_TODAY`` (2026-11-29); every date is fixed, so the same seed always gives the
same rows. Written set-based (bulk_create), deterministically from the seed:

- 填报周期 and 进展报告 with their 审核记录 (``demo.work_reports``);
- 重点项目推进 and 里程碑 (``demo.work_projects``);
- 督导 rounds, checklists, 整改 and 约谈/通报 (``demo.work_supervision``);
- a handful of 站内通知 for the demo users admin, reporter and school (here).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Q, QuerySet

from edubrain.base.orgtree import OrgUnit
from edubrain.demo.work_projects import build_projects
from edubrain.demo.work_reports import build_reports
from edubrain.demo.work_supervision import build_supervision
from edubrain.demo.work_texts import DEMO_TODAY, at
from edubrain.plans.models import Plan
from edubrain.work.models import (
    Attachment,
    Escalation,
    Finding,
    FindingEvent,
    FindingStatus,
    InspectionRound,
    Milestone,
    Notification,
    ProgressReport,
    ProjectTrack,
    ReportEvent,
    ReportingCycle,
    ReportStatus,
)
from edubrain.work.overview import link

__all__ = ["DEMO_TODAY", "build_work_demo", "delete_work_demo"]

SALT = 0x30_8C_11


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build_work_demo(county: OrgUnit, plan: Plan, users: dict[str, Any], seed: int) -> dict[str, int]:
    """Write the county's 工作推进 history; rows written per table (keys ``work_*``)."""
    rng = random.Random(seed * 1_000_003 + SALT)
    counts = build_reports(plan, users, rng)
    counts |= build_projects(county, plan, users, rng)
    counts |= build_supervision(county, users, rng)
    counts["work_notification"] = build_notifications(county, users)
    return counts


# ---------------------------------------------------------------- 站内通知


def build_notifications(county: OrgUnit, users: dict[str, Any]) -> int:
    """A handful of notifications for admin, reporter and school, consistent with the rows above."""
    reporter, school = users["reporter"], users["school"]
    mine = ProgressReport.objects.filter(org_unit=reporter.org_unit)
    returned = mine.filter(status=ReportStatus.RETURNED).order_by("id").first()
    accepted = mine.filter(status=ReportStatus.ACCEPTED).order_by("-reviewed_at", "id").first()
    waiting = ProgressReport.objects.filter(cycle__plan__org_unit=county, status=ReportStatus.SUBMITTED)
    findings = Finding.objects.filter(org_unit=school.org_unit)
    open_one = findings.filter(status=FindingStatus.OPEN).order_by("-found_on", "id").first()
    fixed = Finding.objects.filter(org_unit__path__startswith=county.path, status=FindingStatus.FIXED)
    overdue = Finding.objects.filter(
        org_unit__path__startswith=county.path,
        status__in=(FindingStatus.OPEN, FindingStatus.REOPENED),
        deadline__lt=DEMO_TODAY,
    )
    open_cycle = ReportingCycle.objects.filter(plan__org_unit=county).order_by("-period_start").first()
    day, admin = DEMO_TODAY, users["admin"]
    rows: list[tuple[Any, str, str, str, str, dt.datetime, bool]] = [
        (
            reporter,
            "slot",
            f"{open_cycle.name}进展报告填报任务已下达",
            f"报送期限：{cn_date(open_cycle.due_on)}",
            link("work:tasks"),
            at(dt.date(2026, 7, 1), 9),
            True,
        ),
        (
            reporter,
            "deadline",
            f"{open_cycle.name}进展报告将于{cn_date(open_cycle.due_on)}截止",
            "请及时填报并报送。",
            link("work:tasks"),
            at(day, 8),
            False,
        ),
        (
            admin,
            "submitted",
            f"有 {waiting.count()} 份进展报告待审核",
            "",
            link("work:cycles"),
            at(day, 8, 30),
            False,
        ),
        (
            admin,
            "fixed",
            f"有 {fixed.count()} 项整改已报送，待复查",
            "",
            link("work:findings"),
            at(day, 8, 31),
            False,
        ),
        (
            admin,
            "overdue",
            f"有 {overdue.count()} 项整改已逾期",
            "",
            link("work:findings"),
            at(day, 8, 32),
            True,
        ),
        (
            admin,
            "project",
            "重点项目进度提醒：部分项目里程碑已逾期",
            "",
            link("work:projects"),
            at(day, 8, 33),
            False,
        ),
    ]
    if returned is not None:
        rows.append(
            (
                reporter,
                "returned",
                f"进展报告被退回：{returned.task.title}",
                returned.review_comment,
                link("work:report", returned.pk),
                returned.reviewed_at or at(day),
                False,
            )
        )
    if accepted is not None:
        rows.append(
            (
                reporter,
                "accepted",
                f"进展报告已通过：{accepted.task.title}",
                "",
                link("work:report", accepted.pk),
                accepted.reviewed_at or at(day),
                True,
            )
        )
    if open_one is not None:
        rows.append(
            (
                school,
                "order",
                f"整改通知：{open_one.description[:40]}",
                f"整改期限：{cn_date(open_one.deadline)}",
                link("work:finding", open_one.pk),
                at(open_one.found_on, 17),
                False,
            )
        )
    for finding in findings.filter(status=FindingStatus.CLOSED).order_by("-closed_on", "id")[:2]:
        rows.append(
            (
                school,
                "recheck",
                f"复查通过，已销号：{finding.description[:40]}",
                "",
                link("work:finding", finding.pk),
                at(finding.closed_on or day, 16),
                True,
            )
        )
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                key=f"demo:{i}",
                created_at=when,
                read_at=when + dt.timedelta(hours=2) if read else None,
            )
            for i, (user, kind, title, body, url, when, read) in enumerate(rows)
        ]
    )
    return len(rows)


# ---------------------------------------------------------------- reset


def _raw_delete(qs: QuerySet) -> int:
    return qs._raw_delete(qs.db)  # noqa: SLF001 — set-based delete without loading rows


def delete_work_demo(prefix: str) -> dict[str, int]:
    """Delete the work rows under the org-tree path prefix (raw, child tables first); rows per table."""
    plan = "plan__org_unit__path__startswith"
    area = Q(org_unit__path__startswith=prefix)
    steps: list[tuple[str, QuerySet]] = [
        (
            "work_attachment",
            Attachment.objects.filter(
                area
                | Q(report__org_unit__path__startswith=prefix)
                | Q(finding__org_unit__path__startswith=prefix)
                | Q(project__plan__org_unit__path__startswith=prefix)
            ),
        ),
        ("work_notification", Notification.objects.filter(user__org_unit__path__startswith=prefix)),
        (
            "work_escalation",
            Escalation.objects.filter(
                area
                | Q(finding__org_unit__path__startswith=prefix)
                | Q(finding__inspection__county__path__startswith=prefix)
            ),
        ),
        (
            "work_finding_event",
            FindingEvent.objects.filter(
                Q(finding__org_unit__path__startswith=prefix)
                | Q(finding__inspection__county__path__startswith=prefix)
            ),
        ),
        ("work_finding", Finding.objects.filter(area | Q(inspection__county__path__startswith=prefix))),
        (
            "work_round_target",
            InspectionRound.targets.through.objects.filter(
                Q(inspectionround__county__path__startswith=prefix) | Q(orgunit__path__startswith=prefix)
            ),
        ),
        (
            "work_checklist",
            InspectionRound.checklist.rel.related_model.objects.filter(
                inspection__county__path__startswith=prefix
            ),
        ),
        ("work_round", InspectionRound.objects.filter(county__path__startswith=prefix)),
        (
            "work_report_event",
            ReportEvent.objects.filter(
                Q(report__org_unit__path__startswith=prefix)
                | Q(report__cycle__plan__org_unit__path__startswith=prefix)
            ),
        ),
        (
            "work_report",
            ProgressReport.objects.filter(area | Q(cycle__plan__org_unit__path__startswith=prefix)),
        ),
        ("work_cycle", ReportingCycle.objects.filter(**{plan: prefix})),
        ("work_milestone", Milestone.objects.filter(project__plan__org_unit__path__startswith=prefix)),
        ("work_project", ProjectTrack.objects.filter(project__plan__org_unit__path__startswith=prefix)),
    ]
    ProjectTrack.objects.filter(
        Q(school__org_unit__path__startswith=prefix) | Q(lead_unit__path__startswith=prefix)
    ).exclude(project__plan__org_unit__path__startswith=prefix).update(school=None, lead_unit=None)
    return {name: _raw_delete(qs) for name, qs in steps}
