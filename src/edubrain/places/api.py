"""学位与班额 API (mounted under /api), scoped like the pages (a unit outside the caller's scope is a 404):

GET /places/class-size?unit=&year=                          班额/校额 of a unit and 学年
GET /places/forecast?unit=&grouping=&extra=&junior_extra=&rate=   学位预警 forecast, warnings, back-test
"""

from __future__ import annotations

from typing import Any

from ninja import Query, Router
from ninja.errors import HttpError

from edubrain.base.api import api_user
from edubrain.core.places import Scenario
from edubrain.places import queries
from edubrain.places.queries import CLASS_RULE, Selection

TAG = "学位与班额"
router = Router(tags=[TAG])


def _selection(user: Any, unit: int | None) -> Selection:
    try:
        sel = queries.selection_for(user, unit)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    if sel is None:
        raise HttpError(404, "没有可查看的单位")
    return sel


def _unit(sel: Selection) -> dict[str, Any]:
    return {"id": sel.unit.pk, "name": sel.name, "level": sel.level}


@router.get(
    "/places/class-size", response=dict[str, Any], summary="班额与校额情况", operation_id="places_class_size"
)
def class_size(
    request: Any,
    unit: int | None = Query(None, description="单位（县、镇/街道或学校）编号，默认本人所属单位"),
    year: int | None = Query(None, description="学年起始年份，默认有班级数据的最近学年"),
) -> Any:
    """班级数、平均班额、超标准班额、大班额（56人及以上）和超大班额（66人及以上）班级数及占比：历年趋势、分学段、
    下一级单位（镇/街道、学校或年级），超标准班额班级清单，以及校额或班级数超过上限的学校。"""
    user = api_user(request)
    sel = _selection(user, unit)
    frames = queries.sized_classes(user, sel)
    years = queries.class_years(frames[1])
    chosen = year if year is not None else (max(years) if years else None)
    if chosen is None:
        raise HttpError(404, "没有班级数据")
    data = queries.class_overview(user, sel, chosen, frames)
    for row in data["children"]:
        row.pop("params", None)
    oversize_fields = (
        "year",
        "school_id",
        "school",
        "town",
        "zone",
        "stage",
        "stage_label",
        "grade_code",
        "number",
        "size",
        "standard_size",
        "size_band",
        "over_standard",
        "large_class",
        "super_large_class",
    )
    data["oversize"] = [{k: r.get(k) for k in oversize_fields} for r in data["oversize"]]
    school_fields = (
        "school_id",
        "school",
        "school_type",
        "type_label",
        "pupils",
        "size_limit",
        "over_size_limit",
        "size_excess",
        "classes",
        "class_limit",
        "over_class_limit",
    )
    data["schools_over"] = [{k: r.get(k) for k in school_fields} for r in data["schools_over"]]
    return {"unit": _unit(sel), "rule": CLASS_RULE, **data}


@router.get(
    "/places/forecast", response=dict[str, Any], summary="学位预警预测", operation_id="places_forecast"
)
def forecast(
    request: Any,
    unit: int | None = Query(None, description="单位（县或镇/街道）编号，默认本人所属单位"),
    grouping: str | None = Query(
        None, description="分组：zone（学区）或 town（镇/街道），默认有学区时按学区"
    ),
    extra: float = Query(0, ge=-10_000, le=10_000, description="情景：每年每区域一年级新增人数"),
    junior_extra: float = Query(0, ge=-10_000, le=10_000, description="情景：每年每区域初一新增人数"),
    rate: float = Query(0, ge=-90, le=200, description="情景：入学比率变化（%）"),
) -> Any:
    """今后六年各学区（或镇/街道）小学一年级、初一新生和在校生预测，与招生计划数、学位总数比较的预警等级
    （绿色/黄色/红色/不可评估），预测方法说明、数据缺失说明，以及回测（用较早年份的数据预测已知年份）的误差和
    MAPE。情景参数只用于本次计算，不保存。"""
    user = api_user(request)
    sel = _selection(user, unit)
    scenario = (
        Scenario(
            name="自定义情景",
            extra_entrants=extra,
            extra_junior_entrants=junior_extra,
            entry_rate_change_pct=rate,
        )
        if (extra or junior_extra or rate)
        else None
    )
    data = queries.forecast_overview(user, sel, grouping, scenario)
    data["zones"] = [{"key": k, "name": v} for k, v in data["zones"].items()]
    return {"unit": _unit(sel), **data}
