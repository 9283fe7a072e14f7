"""Read side of the staff pages (rounds, 招生计划, 招生片区, the review queue), every query scoped.

Rounds are the county's settings: the bureau and leaders see the rounds of their area (``visible_to``); a
学校管理员 sees the rounds of the county their school belongs to, but only the applications of their own
school (``Application.objects.visible_to``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from edubrain.admission.models import AdmissionRound, Application, CatchmentArea, Quota
from edubrain.base.orgtree import path_ids
from edubrain.base.scoping import user_scope_path

Status = Application.Status
PAGE_SIZE = 50
#: the status columns of the round page's table (报名数 counts every application but withdrawn ones)
COUNTED = (Status.SUBMITTED, Status.MORE, Status.APPROVED, Status.REJECTED)


def rounds_for(user: Any) -> QuerySet[AdmissionRound]:
    """The rounds a staff user sees: those of their area, or of the county above their school."""
    path = user_scope_path(user)
    if path is None:
        return AdmissionRound.objects.none()
    own = AdmissionRound.objects.visible_to(user)
    above = AdmissionRound.objects.filter(county_id__in=path_ids(path)) if path else own
    return (own | above).distinct().select_related("county")


def round_or_404(user: Any, pk: int) -> AdmissionRound:
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def applications(user: Any, round_: AdmissionRound) -> QuerySet[Application]:
    return Application.objects.visible_to(user).filter(round=round_)


def status_counts(user: Any, rounds: list[AdmissionRound]) -> dict[int, dict[str, int]]:
    """{round id: {status: count}} of the applications the user sees."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Application.objects.visible_to(user)
        .filter(round__in=rounds)
        .values_list("round_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for round_id, status, n in rows:
        counts[round_id][status] = n
    return counts


@dataclass
class RoundRow:
    round: AdmissionRound
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(n for s, n in self.counts.items() if s != Status.WITHDRAWN)

    @property
    def pending(self) -> int:
        return self.counts.get(Status.SUBMITTED, 0)


def round_rows(user: Any) -> list[RoundRow]:
    rounds = list(rounds_for(user).order_by("-year", "stage", "county__path"))
    counts = status_counts(user, rounds)
    return [RoundRow(r, counts.get(r.pk, {})) for r in rounds]


@dataclass
class QuotaRow:
    quota: Quota
    counts: dict[str, int]

    @property
    def school(self) -> Any:
        return self.quota.school

    @property
    def total(self) -> int:
        return sum(n for s, n in self.counts.items() if s != Status.WITHDRAWN)

    def n(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def submitted(self) -> int:
        return self.n(Status.SUBMITTED)

    @property
    def more(self) -> int:
        return self.n(Status.MORE)

    @property
    def approved(self) -> int:
        return self.n(Status.APPROVED) + self.n(Status.ADMITTED) + self.n(Status.NOT_ADMITTED)

    @property
    def rejected(self) -> int:
        return self.n(Status.REJECTED)


def quota_rows(user: Any, round_: AdmissionRound) -> list[QuotaRow]:
    """One row per school of the round the user sees, with its applications by status (reviewing school)."""
    quotas = list(
        Quota.objects.visible_to(user).filter(round=round_).select_related("school").order_by("school__code")
    )
    by_school: dict[int, dict[str, int]] = defaultdict(dict)
    rows = applications(user, round_).values_list("school_id", "status").annotate(n=Count("id")).order_by()
    for school_id, status, n in rows:
        by_school[school_id][status] = n
    return [QuotaRow(q, by_school.get(q.school_id, {})) for q in quotas]


def areas(round_: AdmissionRound, q: str = "") -> list[tuple[str, list[CatchmentArea]]]:
    """The round's areas grouped by 镇/街道 (the round's settings: seen by anyone who sees the round)."""
    qs = round_.areas.select_related("town", "school").annotate(n=Count("applications"))
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(town__name__icontains=q) | Q(school__name__icontains=q))
    groups: dict[str, list[CatchmentArea]] = {}
    for area in qs.order_by("town__sort_order", "town__name", "name"):
        groups.setdefault(area.town.name if area.town_id else "（未指定镇/街道）", []).append(area)
    return list(groups.items())


@dataclass
class QueueFilter:
    """The review queue's filters (状态, 学校, 类别, 报名号或姓名)."""

    status: str = ""
    school: int | None = None
    tier: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> QueueFilter:
        school = str(params.get("school", "")).strip()
        status = str(params.get("status", "")).strip()
        return cls(
            status=status if status in Status.values else "",
            school=int(school) if school.isdigit() else None,
            tier=str(params.get("tier", "")).strip()[:20],
            q=str(params.get("q", "")).strip()[:40],
        )

    def params(self) -> list[tuple[str, str]]:
        pairs = [
            ("status", self.status),
            ("school", str(self.school or "")),
            ("tier", self.tier),
            ("q", self.q),
        ]
        return [(k, v) for k, v in pairs if v]


def queue(user: Any, round_: AdmissionRound, f: QueueFilter) -> QuerySet[Application]:
    """The review queue: 待审核 first (oldest first), then the rest by submission time."""
    qs = applications(user, round_).select_related("school", "area__town", "zone_school")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.school:
        qs = qs.filter(school_id=f.school)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.q:
        qs = qs.filter(Q(receipt_no__icontains=f.q) | Q(child_name__icontains=f.q))
    pending = Case(
        When(status=Status.SUBMITTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.annotate(pending=pending).order_by("pending", "submitted_at", "id")
