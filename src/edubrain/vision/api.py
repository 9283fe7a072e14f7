"""视力监测 API: ``GET /vision/summary?year=&unit=&grade=`` (mounted under /api), scoped like the page (a unit
outside the caller's scope is a 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router
from ninja.errors import HttpError

from edubrain.base.api import api_user
from edubrain.vision import followup_queries as fq
from edubrain.vision import queries
from edubrain.vision.queries import RULE

TAG = "视力监测"
router = Router(tags=[TAG])


@router.get("/vision/summary", response=dict[str, Any], summary="视力监测概况", operation_id="vision_summary")
def summary(
    request: Any,
    year: int | None = Query(None, description="学年起始年份，默认有筛查数据的最近学年"),
    unit: int | None = Query(None, description="单位（县、镇/街道或学校）编号，默认本人所属单位"),
    grade: str | None = Query(None, description="年级编号（11–33），仅在学校下有效"),
) -> Any:
    """总体近视率、高度近视占比、新发近视率、筛查覆盖率，与上一学年相比的变化和“每年降低≥1个百分点”的达标情况，
    按年级、性别和下一级单位（镇/街道、学校或年级）的近视率，以及历年趋势。"""
    user = api_user(request)
    try:
        sel = queries.selection_for(user, unit, grade)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    if sel is None:
        raise HttpError(404, "没有可查看的单位")
    chosen = year or queries.latest_year_with_data(user, sel)
    if chosen is None:
        raise HttpError(404, "没有视力筛查数据")
    data = queries.overview(user, sel, chosen)
    return {"unit": {"id": sel.unit.pk, "name": sel.name, "level": sel.level}, "rule": RULE, **data}


@router.get(
    "/vision/followups/summary",
    response=dict[str, Any],
    summary="视力预警随访情况",
    operation_id="vision_followups_summary",
)
def followups_summary(
    request: Any,
    unit: int | None = Query(None, description="单位（县、镇/街道或学校）编号，默认本人所属单位"),
) -> Any:
    """预警随访按状态的人数（未结案、待告知家长、已告知待反馈、已反馈待结案、逾期未反馈、预警等级上升、已结案），
    以及下一级单位（镇/街道或学校）的逾期、未结案和结案率。逾期：超过完成期限仍未反馈复查或就诊结果。"""
    user = api_user(request)
    try:
        sel = queries.selection_for(user, unit, None)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    if sel is None:
        raise HttpError(404, "没有可查看的单位")
    today = dt.date.today()
    return {
        "unit": {"id": sel.unit.pk, "name": sel.name, "level": sel.level},
        "date": today.isoformat(),
        "counts": fq.summary(fq.followups(user, sel), today),
        "children": [
            {k: row[k] for k in ("key", "name", "open", "overdue", "closed", "all", "closed_rate")}
            for row in fq.by_child(user, sel, today)
        ],
    }
