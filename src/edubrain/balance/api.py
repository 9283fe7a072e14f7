"""均衡发展 API (mounted under /api), scoped like the pages: a unit outside the caller's scope is a 404.

GET /balance/schools?unit=&year=      优质均衡: per-school results (学校达标) and the stage summary
GET /balance/cvs?unit=&year=          优质均衡: 差异系数 per 学段 and indicator
GET /balance/gaps?unit=&year=         优质均衡: what the failing schools lack
GET /balance/preschool?unit=&year=    普及普惠: every check per 镇/街道 and county, with the verdicts
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
from ninja import Query, Router
from ninja.errors import HttpError

from edubrain.balance import queries
from edubrain.balance.queries import Selection
from edubrain.base.api import api_user
from edubrain.core.balance.indicators import INDICATORS
from edubrain.core.balance.layout import CV_SHEET, SCHOOL_SHEET, contract_sheets

TAG = "均衡发展"
router = Router(tags=[TAG])
UNIT = Query(None, description="单位（县或镇/街道）编号，默认本人所属单位")
YEAR = Query(None, description="学年起始年份，默认最近学年")


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dicts()]


def _resolve(request: Any, unit: int | None, year: int | None) -> tuple[Any, Selection, int]:
    user = api_user(request)
    try:
        sel = queries.selection_for(user, unit)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    chosen = year or queries.latest_year()
    if sel is None or chosen is None:
        raise HttpError(404, "没有可查看的单位或学年")
    return user, sel, chosen


def _head(sel: Selection, year: int) -> dict[str, Any]:
    return {"unit": {"id": sel.unit.pk, "name": sel.name, "level": sel.level}, "year": year}


@router.get(
    "/balance/schools",
    response=dict[str, Any],
    summary="优质均衡：学校达标情况",
    operation_id="balance_schools",
)
def schools(request: Any, unit: int | None = UNIT, year: int | None = YEAR) -> Any:
    """每所小学、初中（一贯制学校分学段）的七项资源配置指标值、各项是否达标、达标指标数、是否达标（6项达标且其余不低于
    85%）和备注（不可评估的原因），列名与 `edubrain balance evaluate` 输出的“学校达标”工作表相同；
    以及分学段汇总。"""
    user, sel, chosen = _resolve(request, unit, year)
    result = queries.balance(user, sel, chosen)
    return {
        **_head(sel, chosen),
        "rule": queries.RULE,
        "summary": queries.stage_summary(result.evaluation),
        "indicators": [
            {"key": i.key, "name": i.name, "unit": i.unit, "primary": i.primary, "junior": i.junior}
            for i in INDICATORS
        ],
        "schools": records(contract_sheets(result.evaluation)[SCHOOL_SHEET]),
    }


@router.get("/balance/cvs", response=dict[str, Any], summary="优质均衡：差异系数", operation_id="balance_cvs")
def cvs(request: Any, unit: int | None = UNIT, year: int | None = YEAR) -> Any:
    """分学段、分指标的差异系数（按在校生数加权）：学段、指标、县均值、差异系数、限值、是否达标、备注（与“差异系数”
    工作表相同），另附标准差、接近限值（与限值相差不超过0.005）和参与计算的学校数。"""
    user, sel, chosen = _resolve(request, unit, year)
    ev = queries.balance(user, sel, chosen).evaluation
    return {**_head(sel, chosen), "sheet": CV_SHEET, "cvs": records(ev.cvs)}


@router.get(
    "/balance/gaps", response=dict[str, Any], summary="优质均衡：未达标学校缺口", operation_id="balance_gaps"
)
def gaps(request: Any, unit: int | None = UNIT, year: int | None = YEAR) -> Any:
    """每所未达标学校（学段）低于标准值的指标：现值、标准值和缺口（需增加的教师数、面积㎡、设备值元或教室间数）。"""
    user, sel, chosen = _resolve(request, unit, year)
    return {**_head(sel, chosen), "gaps": records(queries.balance(user, sel, chosen).gaps)}


@router.get(
    "/balance/preschool",
    response=dict[str, Any],
    summary="普及普惠：分单位评估",
    operation_id="balance_preschool",
)
def preschool(request: Any, unit: int | None = UNIT, year: int | None = YEAR) -> Any:
    """县和各镇/街道的学前三年毛入园率、普惠性幼儿园覆盖率、公办园在园幼儿占比（国家标准）及规划目标（公办园占比≥65%、
    普惠覆盖率≥90%、省一类以上幼儿园占比≥60%、专任教师专科以上学历≥85%）的值、分子分母、是否达标和不可评估原因，
    以及每个单位按国家标准、规划目标的总体结论。"""
    user, sel, chosen = _resolve(request, unit, year)
    if sel.unit.kind == "school":
        raise HttpError(404, "普及普惠按县和镇/街道评估")
    data = queries.preschool(user, sel, chosen)
    return {
        **_head(sel, chosen),
        "checks": records(data["checks"]),
        "verdicts": records(data["verdicts"]),
        "skipped": data["skipped"],
    }
