"""体质健康 API: the overview figures, the 年度通报 ranking, a pupil's history and the plan indicators.

Routes (mounted under /api): ``GET /fitness/summary``, ``GET /fitness/ranking``,
``GET /fitness/students/{id}``, ``GET /fitness/indicators``. Everything is scoped like the pages (a unit or
pupil outside the caller's scope is a 404) and 学籍号 is masked for roles without the right to personal data.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from edubrain.base.api import api_user
from edubrain.base.masking import show_student_number
from edubrain.base.scoping import get_visible_or_404
from edubrain.fitness import pupils as pupil_queries
from edubrain.fitness import queries
from edubrain.fitness import ranking as ranking_queries
from edubrain.fitness.forms import resolve
from edubrain.fitness.indicators import INDICATORS, indicator_values
from edubrain.fitness.queries import DENOMINATOR_RULE
from edubrain.registry.models import Student

TAG = "体质健康"
router = Router(tags=[TAG])

RATE_HELP = "百分比，保留一位小数；无实测学生时为 null"
CHANGE_HELP = "与上一学年相比的变化（百分点或分）；上一学年无数据时为 null"


class Counts(Schema):
    records: int = Field(description="成绩记录数")
    tested: int = Field(description="实测人数（有学年总分）")
    exempt: int = Field(description="免测人数（不计入分母）")
    incomplete: int = Field(description="缺项人数（不计为实测）")
    invalid: int = Field(description="数据有误人数（不计为实测）")
    excellent: int = Field(description="优秀人数")
    good: int = Field(description="良好人数")
    passed: int = Field(description="及格人数（等级为及格）")
    failed: int = Field(description="不及格人数")
    excellent_rate: float | None = Field(None, description=f"优秀率，{RATE_HELP}")
    good_rate: float | None = Field(None, description=f"良好率，{RATE_HELP}")
    excellent_good_rate: float | None = Field(None, description=f"优良率 =（优秀+良好）/实测，{RATE_HELP}")
    pass_rate: float | None = Field(None, description=f"合格率 =（优秀+良好+及格）/实测，{RATE_HELP}")
    mean_score: float | None = Field(None, description="平均学年总分（实测学生）")


class Figures(Counts):
    expected: int = Field(0, description="应测人数（本学年一年级至高三在籍学生）")
    missing: int = Field(0, description="缺测人数 = 应测 − 成绩记录数")
    excellent_rate_change: float | None = Field(None, description=CHANGE_HELP)
    good_rate_change: float | None = Field(None, description=CHANGE_HELP)
    excellent_good_rate_change: float | None = Field(None, description=CHANGE_HELP)
    pass_rate_change: float | None = Field(None, description=CHANGE_HELP)
    mean_score_change: float | None = Field(None, description=CHANGE_HELP)


class TrendOut(Counts):
    year: int = Field(description="学年起始年份")


class ItemOut(Schema):
    item: str = Field(description="项目代码")
    item_name: str = Field(description="项目名称")
    tested: int = Field(description="有该项成绩的学生数（免测除外）")
    mean_score: float | None = Field(None, description="平均单项得分")
    pass_rate: float | None = Field(None, description="单项及格率（得分 ≥ 60），%")
    excellent_rate: float | None = Field(None, description="单项优秀率（得分 ≥ 90），%")


class BinOut(Schema):
    bin: int = Field(description="分组下限（0、10、…、100）")
    label: str
    n: int = Field(description="人数")
    share: float | None = Field(None, description="占实测人数的百分比")


class SexOut(Figures):
    sex: str = Field(description="M 男、F 女")


class ChildOut(Figures):
    name: str = Field(description="下级单位名称（镇/街道、学校、年级或班级）")
    unit: int | None = Field(None, description="查询该下级时的 unit 参数")
    grade: str | None = Field(None, description="查询该下级时的 grade 参数")
    class_id: int | None = Field(None, description="查询该下级时的 class 参数（班级 id）")


class UnitOut(Schema):
    id: int = Field(description="组织机构 id（unit 参数）")
    name: str = Field(description="单位名称（含年级、班级）")
    level: str = Field(description="层级：county、town、school、grade、class")
    grade: str | None = None
    class_id: int | None = None


class SummaryOut(Schema):
    year: int | None = Field(None, description="学年起始年份")
    unit: UnitOut | None = None
    rule: str = Field(description="分母规则说明")
    figures: Figures | None = None
    trend: list[TrendOut] = Field(default_factory=list, description="历年（数据库分组统计）")
    items: list[ItemOut] = Field(default_factory=list, description="单项指标，薄弱项目在前")
    histogram: list[BinOut] = Field(default_factory=list, description="学年总分分布（10 分一组）")
    sexes: list[SexOut] = Field(default_factory=list)
    children: list[ChildOut] = Field(default_factory=list, description="下一级单位")


class RankingOut(Figures):
    stage: str = Field(description="学段：primary 小学、junior 初中、senior 高中")
    stage_name: str
    rank: int = Field(description="学段内名次（优良率、合格率、平均分依次比较）")
    school_id: int
    org_unit_id: int = Field(description="学校的组织机构 id（unit 参数）")
    school_name: str
    town_name: str | None = None


class YearOut(Schema):
    year: int
    year_name: str
    school: str
    grade_code: str
    class_name: str
    values: dict[str, float | None] = Field(description="原始成绩（字段名见体质测试导入模板；跑步为秒）")
    scores: dict[str, int | None] = Field(description="单项得分")
    bonuses: dict[str, int | None] = Field(description="附加分")
    bmi: float | None = None
    bmi_band: str
    standard_score: float | None = Field(None, description="标准分")
    bonus: int | None = Field(None, description="附加分合计")
    total_score: float | None = Field(None, description="学年总分")
    rating: str = Field(description="总分等级")
    status: str = Field(description="scored 已评分、exempt 免测、incomplete 缺项、invalid 数据有误")
    remark: str


class GraduationOut(Schema):
    """本学段（最近一次测试所在学段）的毕业成绩。"""

    stage: str | None = Field(None, description="学段：primary、junior、senior")
    stage_name: str = Field("", description="学段名称")
    graduation_score: float | None = Field(
        None, description="毕业成绩 = 本学段最后学年总分×50% + 本学段其他学年总分平均×50%"
    )
    rating: str | None = Field(None, description="毕业成绩等级")
    final_year: int = Field(description="本学段最后一次测试的学年")
    scored_years: int = Field(description="本学段有学年总分的学年数")
    final: bool = Field(description="最后一次测试是否在毕业年级（否则为按已有学年计算的暂定值）")
    status: str = Field(description="scored；exempt（最后学年免测）；incomplete（最后学年无总分）")
    remark: str | None = None


class StudentOut(Schema):
    id: int
    name: str
    student_number: str = Field(description="学籍号（无权查看个人信息的角色看到脱敏值）")
    sex: str
    school: str
    years: list[YearOut]
    graduation: GraduationOut | None = None


class IndicatorMeta(Schema):
    code: str
    name: str
    unit: str
    numerator: str
    denominator: str
    target: float
    target_year: int
    comparator: str


class IndicatorValue(Schema):
    org_unit_id: int
    year: int
    indicator: str
    value: float | None = None
    numerator: int
    denominator: int


class IndicatorsOut(Schema):
    indicators: list[IndicatorMeta]
    values: list[IndicatorValue]


def _floats(values: dict[str, Any]) -> dict[str, Any]:
    return {k: None if v is None else float(v) for k, v in values.items()}


@router.get("/fitness/summary", response=SummaryOut, summary="体质健康概况", operation_id="fitness_summary")
def summary(
    request: Any,
    year: int | None = Query(None, description="学年起始年份，默认最近有成绩的学年"),
    unit: int | None = Query(None, description="组织机构 id（县、镇/街道或学校），默认本人权限范围"),
    grade: str | None = Query(None, description="年级编号（11–33，仅与学校一起使用）"),
    klass: int | None = Query(None, alias="class", description="班级 id（仅与学校一起使用）"),
) -> Any:
    """一个单位、一个学年的体质健康统计：应测/实测/免测/缺测/缺项/数据有误，优秀率、良好率、优良率、合格率、
    平均分及与上一学年相比的变化，历年趋势，单项指标（薄弱项目在前），总分分布，分性别，下一级单位。
    免测不计入分母，缺项、数据有误不计为实测。"""
    user = api_user(request)
    params = {"year": year or "", "unit": unit or "", "grade": grade or "", "class": klass or ""}
    sel, chosen, counted = resolve(params, user)
    if sel is None or chosen is None:
        return {"rule": DENOMINATOR_RULE}
    data = queries.overview(user, sel, chosen, counted)
    children = [
        {**row, "unit": row["params"].get("unit") if row["params"] else None,
         "grade": (row["params"] or {}).get("grade"), "class_id": (row["params"] or {}).get("class")}
        for row in data["children"]
    ]
    return {
        "year": chosen,
        "unit": {"id": sel.unit.pk, "name": sel.name, "level": sel.level, "grade": sel.grade,
                 "class_id": sel.klass.pk if sel.klass else None},
        "rule": DENOMINATOR_RULE,
        "figures": data["summary"] or None,
        "trend": data["trend"], "items": data["items"], "histogram": data["histogram"],
        "sexes": [s for s in data["sexes"] if s["sex"]], "children": children,
    }


@router.get("/fitness/ranking", response=list[RankingOut], summary="体质健康年度通报（学校排名）",
            operation_id="fitness_ranking")
def ranking(
    request: Any,
    year: int | None = Query(None, description="学年起始年份，默认最近有成绩的学年"),
    by: str = Query("excellent_good_rate", description="排名依据：" + "、".join(
        f"{k} {v}" for k, v in ranking_queries.RANK_BY.items())),
) -> Any:
    """权限范围内各学校按学段（小学、初中、高中）的体质健康排名：优良率优先，其次合格率、平均分；含应测、实测、
    免测、缺测人数和与上一学年相比的变化。"""
    user = api_user(request)
    year = year if year is not None else queries.latest_year_with_data(user)
    if year is None:
        return []
    if by not in ranking_queries.RANK_BY:
        raise HttpError(422, "排名依据应为：" + "、".join(ranking_queries.RANK_BY))
    frame = ranking_queries.ranking(user, year, by)
    return frame.to_dicts() if frame.height else []


@router.get("/fitness/students/{id}", response=StudentOut, summary="学生体质健康历年成绩",
            operation_id="fitness_student")
def student(request: Any, id: int) -> Any:  # noqa: A002
    """一名学生历年的原始成绩、单项得分、标准分、附加分、学年总分、等级和备注，以及毕业成绩（两个学年以上）。
    不在权限范围内的学生返回 404。"""
    from edubrain.core.fitness.items import INPUT_COLUMNS, ITEMS
    from edubrain.fitness.services import BONUS_ITEMS

    user = api_user(request)
    pupil = get_visible_or_404(Student, user, pk=id)
    history = pupil_queries.student_history(user, pupil.pk)
    years = [
        {
            "year": m.school_year.start_year, "year_name": m.school_year.name, "school": m.school.name,
            "grade_code": m.grade_code, "class_name": m.class_name,
            "values": _floats({c: getattr(m, c) for c in INPUT_COLUMNS}),
            "scores": {i.key: getattr(m, f"{i.key}_score") for i in ITEMS},
            "bonuses": {k: getattr(m, f"{k}_bonus") for k in BONUS_ITEMS},
            "bmi": None if m.bmi is None else float(m.bmi), "bmi_band": m.bmi_band,
            "standard_score": None if m.standard_score is None else float(m.standard_score),
            "bonus": m.bonus, "total_score": None if m.total_score is None else float(m.total_score),
            "rating": m.rating, "status": m.status, "remark": m.remark,
        }
        for m in history
    ]
    return {
        "id": pupil.pk, "name": pupil.name, "student_number": show_student_number(user, pupil.student_number),
        "sex": pupil.sex, "school": pupil.school.name, "years": years,
        "graduation": pupil_queries.graduation(history),
    }


@router.get("/fitness/indicators", response=IndicatorsOut, summary="体质健康规划监测指标",
            operation_id="fitness_indicators")
def indicators(request: Any, year: int | None = Query(None, description="学年起始年份，默认全部学年")) -> Any:
    """优良率（fitness_excellent_good_rate）和合格率（fitness_pass_rate）：权限范围内的县、各镇/街道、各学校，
    含分子、分母（实测人数）；规划目标：优良率 ≥ 55%、合格率 ≥ 95%（2025年）。"""
    frame = indicator_values(api_user(request), [year] if year is not None else None)
    return {
        "indicators": [vars(i) for i in INDICATORS.values()],
        "values": frame.to_dicts() if frame.height else [],
    }

