"""每日提醒与邮件摘要 (the daily job, ``edubrain work daily``): deadline and overdue reminders, then one
e-mail per user listing the notifications not yet e-mailed.

``remind(today)`` is set-based and idempotent: every reminder carries a key (``report-due:<id>``,
``report-overdue:<id>``, ``finding-due:<id>``, ``finding-overdue:<id>``, ``milestone-overdue:<id>``), so a
second run the same day — or the next day — writes nothing new for the same item and user:

- report slots (进展报告) of open cycles still 待填报/草稿/已退回: due within ``WORK_REMIND_DAYS``
  (the due day included) → the unit's users (即将到期); past the due day → the unit's users and the
  bureau (已逾期);
- findings (整改) 待整改/复查未通过: deadline within ``WORK_REMIND_DAYS`` → the school's users; past the
  deadline → the school's users and the bureau;
- milestones (项目里程碑) of unfinished projects past their planned day, not done → the bureau.

The due day itself is not overdue; the day after is.

``digest(today)`` sends each active user with an e-mail address one message (Django's mail backend;
console by default) listing their notifications not yet e-mailed, with absolute links (``SITE_URL``), and
marks them ``emailed_at``; users without an address are skipped and counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from edubrain.accounts.models import BUREAU_ROLES
from edubrain.base.orgtree import OrgUnit, path_ids
from edubrain.work.models import (
    Finding,
    FindingStatus,
    Milestone,
    Notification,
    ProgressReport,
    ProjectTrack,
    ReportingCycle,
    ReportStatus,
)
from edubrain.work.notify import Message, deliver

PENDING_REPORTS = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)
OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.REOPENED)


def remind_days() -> int:
    return int(settings.EDUBRAIN.get("WORK_REMIND_DAYS", 3))


@dataclass(frozen=True)
class Reminder:
    """One reminder about one item to the users of ``units`` (and the bureau above ``area`` if set)."""

    key: str
    kind: str
    title: str
    url: str
    units: tuple[int, ...] = ()
    area: int | None = None


# ---------------------------------------------------------------- reminders


def _reports(today: dt.date, horizon: dt.date) -> list[Reminder]:
    rows = (
        ProgressReport.objects.filter(
            cycle__status=ReportingCycle.Status.OPEN, status__in=PENDING_REPORTS, cycle__due_on__lte=horizon
        )
        .values_list(
            "id",
            "org_unit_id",
            "org_unit__name",
            "task__code",
            "task__title",
            "cycle__name",
            "cycle__due_on",
            "cycle__plan__org_unit_id",
        )
        .order_by("id")
    )
    out = []
    for pk, unit, unit_name, code, title, cycle, due, area in rows:
        url = reverse("work:report", args=[pk])
        task = f"{code} {title}".strip()
        if due >= today:
            out.append(
                Reminder(
                    f"report-due:{pk}",
                    Notification.Kind.DEADLINE,
                    f"进展报告即将到期：{task}（{cycle}，请于 {due:%Y-%m-%d} 前报送）",
                    url,
                    (unit,),
                )
            )
        else:
            out.append(
                Reminder(
                    f"report-overdue:{pk}",
                    Notification.Kind.OVERDUE,
                    f"进展报告已逾期：{unit_name} · {task}（{cycle}，应于 {due:%Y-%m-%d} 前报送）",
                    url,
                    (unit,),
                    area,
                )
            )
    return out


def _findings(today: dt.date, horizon: dt.date) -> list[Reminder]:
    rows = (
        Finding.objects.filter(status__in=OPEN_FINDINGS, deadline__lte=horizon)
        .values_list(
            "id", "org_unit_id", "org_unit__name", "description", "deadline", "inspection__county_id"
        )
        .order_by("id")
    )
    out = []
    for pk, unit, unit_name, text, deadline, area in rows:
        url = reverse("work:finding", args=[pk])
        what = text if len(text) <= 30 else text[:29] + "…"
        if deadline >= today:
            out.append(
                Reminder(
                    f"finding-due:{pk}",
                    Notification.Kind.DEADLINE,
                    f"整改即将到期：{unit_name} · {what}（整改期限 {deadline:%Y-%m-%d}）",
                    url,
                    (unit,),
                )
            )
        else:
            out.append(
                Reminder(
                    f"finding-overdue:{pk}",
                    Notification.Kind.OVERDUE,
                    f"整改已逾期：{unit_name} · {what}（整改期限 {deadline:%Y-%m-%d}）",
                    url,
                    (unit,),
                    area,
                )
            )
    return out


def _milestones(today: dt.date) -> list[Reminder]:
    rows = (
        Milestone.objects.filter(done_on__isnull=True, planned_on__lt=today)
        .exclude(project__track__status=ProjectTrack.Status.DONE)
        .values_list("id", "name", "planned_on", "project_id", "project__name", "project__plan__org_unit_id")
        .order_by("id")
    )
    return [
        Reminder(
            f"milestone-overdue:{pk}",
            Notification.Kind.OVERDUE,
            f"重点项目节点逾期：{project_name} · {name}（计划 {planned:%Y-%m-%d}）",
            reverse("work:project", args=[project]),
            (),
            area,
        )
        for pk, name, planned, project, project_name, area in rows
    ]


def _recipients(reminders: list[Reminder]) -> dict[str, set[int]]:
    """key → the ids of the active users to tell: two queries whatever the number of reminders."""
    users = get_user_model().objects.filter(is_active=True)
    units = {u for r in reminders for u in r.units}
    by_unit: dict[int, set[int]] = defaultdict(set)
    for pk, unit in users.filter(org_unit_id__in=units).values_list("id", "org_unit_id"):
        by_unit[unit].add(pk)
    areas = {r.area for r in reminders if r.area is not None}
    paths = dict(OrgUnit.objects.filter(pk__in=areas).values_list("id", "path"))
    above = {a: path_ids(paths[a]) for a in areas if a in paths}
    bureau: dict[int, set[int]] = defaultdict(set)
    staff = users.filter(role__in=BUREAU_ROLES, org_unit_id__in={i for ids in above.values() for i in ids})
    for pk, unit in staff.values_list("id", "org_unit_id"):
        bureau[unit].add(pk)
    out: dict[str, set[int]] = {}
    for r in reminders:
        ids = {u for unit in r.units for u in by_unit.get(unit, ())}
        for unit in above.get(r.area, []) if r.area is not None else []:
            ids |= bureau.get(unit, set())
        out[r.key] = ids
    return out


def _write(reminders: list[Reminder], at: Any) -> dict[str, int]:
    """Insert the reminders no user holds yet (by key), set-based; counts by kind."""
    to = _recipients(reminders)
    rows = deliver(
        [Message(frozenset(to[r.key]), r.kind, r.title, url=r.url, key=r.key) for r in reminders], at
    )
    counts: dict[str, int] = defaultdict(int)
    for n in rows:
        counts[n.kind] += 1
    return dict(counts)


def remind(today: dt.date | None = None) -> dict[str, int]:
    """Write the day's reminders; returns ``{"deadline": n, "overdue": m}`` (notifications written)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=remind_days())
    reminders = [*_reports(today, horizon), *_findings(today, horizon), *_milestones(today)]
    with transaction.atomic():
        counts = _write(reminders, timezone.now())
    return {
        "deadline": counts.get(Notification.Kind.DEADLINE, 0),
        "overdue": counts.get(Notification.Kind.OVERDUE, 0),
    }


# ---------------------------------------------------------------- digest


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def _message(user: Any, items: list[dict[str, Any]], today: dt.date, connection: Any) -> EmailMessage:
    name = f"{user.last_name}{user.first_name}" or user.username
    body = render_to_string(
        "work/digest_email.txt",
        {
            "name": name,
            "today": today,
            "items": items,
            "list_url": _absolute(reverse("work:notifications")),
        },
    )
    subject = f"【智慧教育大脑】{today:%Y-%m-%d} 工作提醒：{len(items)} 条通知"
    return EmailMessage(subject, body, to=[user.email], connection=connection)


def _pending() -> dict[int, list[dict[str, Any]]]:
    rows = (
        Notification.objects.filter(emailed_at__isnull=True, user__is_active=True)
        .exclude(Q(user__email="") | Q(user__email__isnull=True))
        .order_by("user_id", "-created_at", "-id")
        .values("id", "user_id", "kind", "title", "body", "created_at")
    )
    kinds = dict(Notification.Kind.choices)
    by_user: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        link = _absolute(reverse("work:notification", args=[r["id"]]))
        by_user[r["user_id"]].append({**r, "kind_label": kinds.get(r["kind"], r["kind"]), "link": link})
    return by_user


def _without_email() -> int:
    no_address = Q(user__email="") | Q(user__email__isnull=True)
    waiting = Notification.objects.filter(no_address, emailed_at__isnull=True, user__is_active=True)
    return waiting.values("user_id").distinct().count()


def digest(today: dt.date | None = None) -> dict[str, int]:
    """E-mail each user their notifications not yet e-mailed (one message per user); returns
    ``{"emails": users mailed, "items": notifications included, "skipped": users without an address}``."""
    today = today or timezone.localdate()
    by_user = _pending()
    users = get_user_model().objects.in_bulk(list(by_user))
    sent_ids: list[int] = []
    emails = 0
    connection = get_connection()
    try:
        for user_id, items in by_user.items():
            _message(users[user_id], items, today, connection).send()
            emails += 1
            sent_ids.extend(i["id"] for i in items)
    finally:
        _mark_emailed(sent_ids)
    return {"emails": emails, "items": len(sent_ids), "skipped": _without_email()}


def _mark_emailed(ids: Iterable[int]) -> None:
    ids = list(ids)
    now = timezone.now()
    for start in range(0, len(ids), 500):
        Notification.objects.filter(pk__in=ids[start : start + 500]).update(emailed_at=now)
