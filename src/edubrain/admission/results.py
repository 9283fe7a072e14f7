"""录取结果 (results): the admitted lists per school — public (masked, only once published) and for staff
(scoped; unmasked for those who may see personal data) — and the published 电脑派位 files.

A school sees the round of its county (a round belongs to the county, above the school's scope) and the
applications admitted to it or reviewed by it; the bureau sees the whole county.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from edubrain.admission.models import AdmissionRound, Application, Draw, Quota
from edubrain.base.masking import may_see_personal
from edubrain.base.scoping import user_scope_path
from edubrain.core.enrollment import lottery
from edubrain.core.enrollment.tiers import tier_label, tiers_from_json
from edubrain.core.ids import mask_id_number, mask_name
from edubrain.registry.models import School

Status = AdmissionRound.Status
PLACED = (Application.Status.ADMITTED, Application.Status.NOT_ADMITTED)


# ---------------------------------------------------------------- access


def visible_schools(user: Any) -> QuerySet:
    return School.objects.visible_to(user)


def staff_applications(round: AdmissionRound | None, user: Any) -> QuerySet:
    """Applications a staff member sees (of one round, or of all): reviewed by a school in scope or
    admitted to one."""
    mine = Application.objects.visible_to(user)
    rows = Application.objects.all()
    if round is not None:
        rows, mine = rows.filter(round=round), mine.filter(round=round)
    return rows.filter(Q(pk__in=mine.values("pk")) | Q(admitted_school__in=visible_schools(user)))


def published_round_or_404(pk: int) -> AdmissionRound:
    """A round whose results are public; any other (or none) is a 404."""
    return get_object_or_404(AdmissionRound, pk=pk, status=Status.PUBLISHED)


def published_draw_or_404(pk: int) -> Draw:
    return get_object_or_404(
        Draw.objects.select_related("round", "school"), pk=pk, round__status=Status.PUBLISHED
    )


# ---------------------------------------------------------------- lists


@dataclass
class Row:
    receipt_no: str
    name: str
    id_number: str
    sex: str
    via: str
    lottery_no: int | None
    tier: str
    zone_school: str
    note: str = ""


@dataclass
class SchoolResult:
    school: Any
    places: int
    private: bool
    rows: list[Row] = field(default_factory=list)
    draws: list[Draw] = field(default_factory=list)
    count: int = 0  # admitted, whether or not the list itself was loaded
    listed: bool = True  # whether ``rows`` holds the admitted list

    @property
    def admitted(self) -> int:
        return self.count

    @property
    def remaining(self) -> int:
        return max(self.places - self.count, 0)


def _row(app: Application, tiers: Any, personal: bool, public: bool) -> Row:
    return Row(
        receipt_no=app.receipt_no,
        name=mask_name(app.child_name) if public else app.child_name,
        id_number=app.child_id_number if personal else mask_id_number(app.child_id_number),
        sex=app.get_child_sex_display(),
        via=app.get_admitted_via_display(),
        lottery_no=app.lottery_no,
        tier=tier_label(app.tier, tiers),
        zone_school=app.zone_school.name if app.zone_school_id else "",
        note=app.status_note,
    )


def school_results(
    round: AdmissionRound,
    applications: QuerySet,
    *,
    personal: bool,
    public: bool = False,
    schools: QuerySet | None = None,
    lists_for: set[int] | None = None,
) -> list[SchoolResult]:
    """Per school of the round's 招生计划 (limited to ``schools`` when given): its admitted count and
    draws, and — for every school, or only those in ``lists_for`` — its admitted list, in 录取方式 then
    派位序号 then 报名号 order. 身份证号 masked unless ``personal``; names masked when ``public``."""
    tiers = tiers_from_json(round.tiers)
    quotas = Quota.objects.filter(round=round).select_related("school").order_by("school__code")
    if schools is not None:
        quotas = quotas.filter(school__in=schools)
    out = {q.school_id: SchoolResult(q.school, q.places, q.school.ownership == "private") for q in quotas}
    admitted_here = applications.filter(status=Application.Status.ADMITTED, admitted_school_id__in=list(out))
    counts = admitted_here.values_list("admitted_school_id").annotate(n=Count("id")).order_by()
    for school_id, n in counts:
        out[school_id].count = n
    listed = list(out) if lists_for is None else [pk for pk in out if pk in lists_for]
    for pk, result in out.items():
        result.listed = pk in listed
    admitted = (
        admitted_here.filter(admitted_school_id__in=listed)
        .select_related("zone_school")
        .order_by("admitted_school__code", "admitted_via", "lottery_no", "receipt_no")
    )
    for app in admitted:
        out[app.admitted_school_id].rows.append(_row(app, tiers, personal, public))
    for draw in Draw.objects.filter(round=round, school_id__in=list(out)).order_by("id"):
        out[draw.school_id].draws.append(draw)
    return list(out.values())


def not_admitted(round: AdmissionRound, applications: QuerySet, *, personal: bool) -> list[Row]:
    tiers = tiers_from_json(round.tiers)
    rows = (
        applications.filter(status=Application.Status.NOT_ADMITTED)
        .select_related("zone_school")
        .order_by("zone_school__code", "receipt_no")
    )
    return [_row(app, tiers, personal, False) for app in rows]


def public_results(round: AdmissionRound, school_code: str = "") -> list[SchoolResult]:
    """The published results: every school's counts and draws, and the admitted list of the school with
    ``school_code`` (one school at a time keeps the page light on a phone); names and 身份证号 masked."""
    lists_for = set(
        Quota.objects.filter(round=round, school__code=school_code).values_list("school_id", flat=True)
    )
    return school_results(
        round, Application.objects.filter(round=round), personal=False, public=True, lists_for=lists_for
    )


def staff_results(round: AdmissionRound, user: Any) -> tuple[list[SchoolResult], list[Row]]:
    """A school sees its own list, the bureau every school's; unmasked for ``may_see_personal``."""
    personal = may_see_personal(user)
    apps = staff_applications(round, user)
    schools = None if _whole_county(round, user) else visible_schools(user)
    return school_results(round, apps, personal=personal, schools=schools), not_admitted(
        round, apps, personal=personal
    )


def _whole_county(round: AdmissionRound, user: Any) -> bool:
    scope = user_scope_path(user)
    return scope is not None and str(round.county.path).startswith(scope)


# ---------------------------------------------------------------- draws


def draw_filename(draw: Draw) -> str:
    """派位_学校标识码_类别.json"""
    return f"派位_{draw.school.code}_{draw.tier or 'private'}.json"


def round_document(round: AdmissionRound) -> dict[str, Any]:
    """All draws of the round as one published document (``edubrain enrollment lottery`` re-runs it)."""
    draws = Draw.objects.filter(round=round).order_by("school__code", "id")
    return lottery.round_document(round.name, [d.document for d in draws])


def draws_of(round: AdmissionRound) -> list[Draw]:
    return list(Draw.objects.filter(round=round).select_related("school").order_by("school__code", "id"))


def draw_tier_label(draw: Draw) -> str:
    return str(draw.document.get("tier_label") or draw.tier or "")


__all__ = [
    "Row",
    "SchoolResult",
    "draw_filename",
    "draws_of",
    "not_admitted",
    "public_results",
    "published_draw_or_404",
    "published_round_or_404",
    "round_document",
    "school_results",
    "staff_applications",
    "staff_results",
]
