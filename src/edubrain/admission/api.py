"""网上招生 API (mounted under /api, read-only, scoped like the pages):

- ``GET /admission/rounds``: 招生批次 with application counts by status;
- ``GET /admission/applications?round=&status=&school=``: 入学申请, paginated (身份证号 and 手机号 masked for
  roles that may not see personal data);
- ``GET /admission/rounds/{id}/results``: 录取结果 per school (a school sees its own) and the not admitted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from edubrain.admission import queries, results
from edubrain.admission.models import AdmissionRound, Application
from edubrain.base.api import ApiSchema, Choice, PagePagination, Ref, api_user, choices_help, request_user
from edubrain.base.masking import may_see_personal, show_id_number
from edubrain.core.enrollment.tiers import tier_label, tiers_from_json
from edubrain.core.ids import mask_phone

TAG = "网上招生"
router = Router(tags=[TAG])


class RoundOut(ApiSchema):
    id: int
    name: str
    county: Ref
    year: int
    stage: Choice
    status: Choice
    opens_on: dt.date
    closes_on: dt.date
    seed: str = Field(description="派位种子（派位后公开）")
    placed_at: dt.datetime | None
    published_at: dt.datetime | None
    applications: int = Field(description="申请总数（含已撤回、审核未通过）")
    by_status: dict[str, int] = Field(description="各状态的申请数（代码 → 份数），仅统计权限范围内的申请")

    @staticmethod
    def resolve_applications(obj: AdmissionRound) -> int:
        return sum(obj.by_status.values())


class ApplicationOut(ApiSchema):
    id: int
    receipt_no: str
    round: Ref
    child_name: str
    child_id_number: str = Field(description="儿童身份证号（无权查看个人信息的角色看到脱敏值）")
    child_sex: Choice
    child_birth_date: dt.date
    phone: str = Field(description="家长手机号（无权查看个人信息的角色看到脱敏值）")
    area: str
    zone_school: Ref
    choice_school: Ref | None
    school: Ref = Field(description="审核学校")
    tier: Choice
    status: Choice
    status_note: str
    admitted_school: Ref | None
    admitted_via: Choice | None
    lottery_no: int | None
    submitted_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_child_id_number(obj: Application, context: Any) -> str:
        return show_id_number(request_user(context), obj.child_id_number)

    @staticmethod
    def resolve_phone(obj: Application, context: Any) -> str:
        user = request_user(context)
        return obj.phone if may_see_personal(user) else mask_phone(obj.phone)

    @staticmethod
    def resolve_area(obj: Application) -> str:
        return str(obj.area)

    @staticmethod
    def resolve_tier(obj: Application) -> dict[str, str]:
        return {"code": obj.tier, "label": tier_label(obj.tier, tiers_from_json(obj.round.tiers))}

    @staticmethod
    def resolve_admitted_via(obj: Application) -> dict[str, str] | None:
        if not obj.admitted_via:
            return None
        return {"code": obj.admitted_via, "label": obj.get_admitted_via_display()}


class ResultRowOut(Schema):
    receipt_no: str
    name: str
    id_number: str = Field(description="身份证号（无权查看个人信息的角色看到脱敏值）")
    sex: str
    tier: str
    zone_school: str
    via: str
    lottery_no: int | None
    note: str


class DrawOut(Schema):
    id: int
    tier: str
    tier_label: str
    places: int
    candidates: int
    seed: str
    digest: str


class SchoolResultOut(Schema):
    school: Ref
    school_code: str
    private: bool
    places: int
    admitted: int
    remaining: int
    students: list[ResultRowOut]
    draws: list[DrawOut]


class RoundResultsOut(Schema):
    round: Ref
    status: Choice
    schools: list[SchoolResultOut]
    not_admitted: list[ResultRowOut]


@router.get(
    "/admission/rounds", response=list[RoundOut], summary="招生批次列表", operation_id="list_admission_rounds"
)
def rounds(request: Any) -> Any:
    """当前用户可查看的招生批次（教育局看本县，学校看所在县），附权限范围内的申请数（按状态）。"""
    user = api_user(request)
    rows = list(queries.rounds_for(user).order_by("-year", "stage"))
    counts = (
        results.staff_applications(None, user)
        .filter(round__in=rows)
        .values("round_id", "status")
        .annotate(n=Count("id"))
    )
    tally: dict[int, Counter[str]] = {r.pk: Counter() for r in rows}
    for c in counts:
        tally[c["round_id"]][c["status"]] += c["n"]
    for r in rows:
        r.by_status = dict(tally[r.pk])
    return rows


@router.get(
    "/admission/applications",
    response=list[ApplicationOut],
    summary="入学申请列表",
    operation_id="list_admission_applications",
)
@paginate(PagePagination)
def applications(
    request: Any,
    round: int | None = Query(None, description="招生批次 id"),  # noqa: A002
    status: str | None = Query(None, description=choices_help("状态", Application.Status)),
    school: int | None = Query(None, description="审核学校或录取学校（学校 id）"),
) -> Any:
    """当前用户权限范围内的入学申请（学校看到本校审核的和录取到本校的申请）；分页返回。"""
    rows = results.staff_applications(None, api_user(request)).select_related(
        "round", "area__town", "zone_school", "choice_school", "school", "admitted_school"
    )
    if round is not None:
        rows = rows.filter(round_id=round)
    if status:
        if status not in Application.Status.values:
            allowed = "、".join(f"{c} {t}" for c, t in Application.Status.choices)
            raise HttpError(422, f"状态“{status}”无效，应为：{allowed}")
        rows = rows.filter(status=status)
    if school is not None:
        rows = rows.filter(school_id=school) | rows.filter(admitted_school_id=school)
    return rows.order_by("round_id", "receipt_no")


@router.get(
    "/admission/rounds/{round_id}/results",
    response=RoundResultsOut,
    summary="录取结果",
    operation_id="admission_round_results",
)
def round_results(request: Any, round_id: int) -> Any:
    """各学校的录取名单（学校只看到本校）、电脑派位和未录取名单；无权查看个人信息的角色看到脱敏的身份证号。"""
    user = api_user(request)
    rnd = queries.round_or_404(user, round_id)
    schools, refused = results.staff_results(rnd, user)
    return {
        "round": {"id": rnd.pk, "name": rnd.name},
        "status": {"code": rnd.status, "label": rnd.get_status_display()},
        "schools": [
            {
                "school": {"id": s.school.pk, "name": s.school.name},
                "school_code": s.school.code,
                "private": s.private,
                "places": s.places,
                "admitted": s.admitted,
                "remaining": s.remaining,
                "students": [vars(r) for r in s.rows],
                "draws": [
                    {
                        "id": d.pk,
                        "tier": d.tier,
                        "tier_label": results.draw_tier_label(d),
                        "places": d.places,
                        "candidates": d.candidates,
                        "seed": d.seed,
                        "digest": d.digest,
                    }
                    for d in s.draws
                ],
            }
            for s in schools
        ],
        "not_admitted": [vars(r) for r in refused],
    }
