"""数据附件 (data annex): one xlsx holding the figures behind the reports of a county and year.

    build_annex(org_unit, year, progress=None) -> bytes

Sheets: 说明 (what each sheet holds, when and from where), one sheet per indicator of the catalogue with
values in the county (every org unit × year up to ``year``, from the indicator store
``plans.IndicatorValue``), then the modules: 体质健康 (the 年度通报 ranking of ``year``), 视力 (every school's
近视率 and the yearly decline check), 任务进展 (the reports of the cycles of ``year``), 重点项目 and 整改台账
(the findings of ``year``). Every module sheet is the frame its page exports, read as a viewer of the county.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from django.db.models import Q
from django.utils import timezone

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.io.writers import sheet_name, write_tables
from edubrain.fitness.ranking import ranking
from edubrain.plans.dashboard import plans_for
from edubrain.plans.models import Indicator, IndicatorValue, Plan
from edubrain.registry.models import School
from edubrain.reports.bulletin_vision import school_rates, target_text
from edubrain.reports.common import Progress, date_text, report, viewer
from edubrain.work import projects
from edubrain.work.models import ReportingCycle
from edubrain.work.report_exports import ledger_frame
from edubrain.work.supervision_queries import EXPORT_COLUMNS, RegisterFilter, register, register_frame

LEVELS = {str(value): str(label) for value, label in OrgKind.choices}
VALUE_COLUMNS = ["单位", "层级", "代码", "年份", "值", "计量单位", "分子", "分母", "来源", "说明"]
FITNESS_COLUMNS = [
    ("stage_name", "学段"),
    ("rank", "名次"),
    ("school_name", "学校"),
    ("town_name", "镇/街道"),
    ("expected", "应测人数"),
    ("tested", "实测人数"),
    ("exempt", "免测人数"),
    ("missing", "缺测人数"),
    ("excellent_rate", "优秀率(%)"),
    ("excellent_good_rate", "优良率(%)"),
    ("pass_rate", "合格率(%)"),
    ("mean_score", "平均分"),
    ("excellent_good_rate_change", "优良率变化(百分点)"),
    ("pass_rate_change", "合格率变化(百分点)"),
    ("mean_score_change", "平均分变化"),
]
"""The columns of the 体质健康 page's 年度通报 xlsx."""
MODULE_SHEETS = {
    "体质健康": "{year}学年各学校分学段体质健康测试结果（年度通报排名，按优良率排序）",
    "视力": "{year}学年各学校筛查性近视率、上年近视率、变化及“每年降低≥1个百分点”是否达标",
    "任务进展": "{year}年各填报周期的任务进展填报情况（每个任务、每个责任单位一行）",
    "重点项目": "规划重点项目的实施进度、投资和节点情况（截至生成日期）",
    "整改台账": "{year}年督导发现问题的整改情况（按发现日期统计）",
}


def _unit_codes(units: list[int]) -> dict[int, tuple[str, str, str, str]]:
    """Org unit id → (name, level, 行政区划代码 or 学校标识码, path)."""
    schools = dict(School.objects.filter(org_unit_id__in=units).values_list("org_unit_id", "code"))
    out = {}
    for pk, name, kind, division, path in OrgUnit.objects.filter(pk__in=units).values_list(
        "pk", "name", "kind", "division_code", "path"
    ):
        out[pk] = (name, LEVELS.get(kind, kind), schools.get(pk) or division or "", path)
    return out


def indicator_sheets(org_unit: OrgUnit, year: int) -> dict[str, tuple[Indicator, pl.DataFrame]]:
    """One frame per indicator with values in the county up to ``year`` (sheet name → indicator, frame):
    rows in the org tree's order (county, 镇/街道, schools), then by year."""
    qs = IndicatorValue.objects.filter(Q(org_unit__path__startswith=org_unit.path), year__lte=year).order_by()
    with_values = set(qs.filter(value__isnull=False).values_list("indicator_id", flat=True).distinct())
    rows = list(
        qs.filter(indicator_id__in=with_values).values_list(
            "indicator_id",
            "org_unit_id",
            "year",
            "value",
            "numerator",
            "denominator",
            "source",
            "provenance",
            "note",
        )
    )
    units = _unit_codes(sorted({r[1] for r in rows}))
    sources = dict(IndicatorValue.Source.choices)
    by_indicator: dict[int, list[tuple[Any, ...]]] = {}
    for r in rows:
        by_indicator.setdefault(r[0], []).append(r)
    out: dict[str, tuple[Indicator, pl.DataFrame]] = {}
    taken = {sheet_name(s).lower() for s in ("说明", *MODULE_SHEETS)}
    for indicator in Indicator.objects.filter(pk__in=with_values).order_by("code"):
        records = sorted(by_indicator[indicator.pk], key=lambda r: (units[r[1]][3], r[2]))
        frame = pl.DataFrame(
            [
                (
                    units[r[1]][0],
                    units[r[1]][1],
                    units[r[1]][2],
                    r[2],
                    r[3],
                    indicator.unit,
                    r[4],
                    r[5],
                    " ".join(x for x in (str(sources.get(r[6], r[6])), r[7]) if x),
                    r[8],
                )
                for r in records
            ],
            schema={
                "单位": pl.String,
                "层级": pl.String,
                "代码": pl.String,
                "年份": pl.Int64,
                "值": pl.Float64,
                "计量单位": pl.String,
                "分子": pl.Float64,
                "分母": pl.Float64,
                "来源": pl.String,
                "说明": pl.String,
            },
            orient="row",
        )
        name = _unique(sheet_name(indicator.name), taken)
        out[name] = (indicator, frame)
    return out


def _unique(name: str, taken: set[str]) -> str:
    """An Excel sheet name not yet used (names compare without case); "…(2)" when it is."""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"({n})"
        candidate = name[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def fitness_sheet(user: Any, year: int) -> pl.DataFrame:
    frame = ranking(user, year)
    if frame.height == 0:
        return pl.DataFrame(schema={label: pl.String for _, label in FITNESS_COLUMNS})
    return frame.select(pl.col(key).alias(label) for key, label in FITNESS_COLUMNS)


def vision_sheet(user: Any, org_unit: OrgUnit, year: int) -> pl.DataFrame:
    rows = school_rates(user, org_unit, year)
    return pl.DataFrame(
        {
            "学校": [r["name"] for r in rows],
            "镇/街道": [r["town"] for r in rows],
            "筛查人数": [r["screened"] for r in rows],
            "近视人数": [r["myopic"] for r in rows],
            "高度近视人数": [r["high_myopia"] for r in rows],
            "总体近视率(%)": [r["rate"] for r in rows],
            "高度近视占比(%)": [r["high_rate"] for r in rows],
            "上年近视率(%)": [r["previous_rate"] for r in rows],
            "比上年(百分点)": [r["rate_change"] for r in rows],
            "每年降低≥1个百分点": [target_text(r["target_met"]) for r in rows],
            "预警颜色": [r["colour"] or "" for r in rows],
        },
        schema_overrides={
            "筛查人数": pl.Int64,
            "近视人数": pl.Int64,
            "高度近视人数": pl.Int64,
            "总体近视率(%)": pl.Float64,
            "高度近视占比(%)": pl.Float64,
            "上年近视率(%)": pl.Float64,
            "比上年(百分点)": pl.Float64,
        },
    )


def county_plan(user: Any, org_unit: OrgUnit) -> Plan | None:
    """The county's adopted plan (else its newest)."""
    return plans_for(user).filter(org_unit=org_unit).first() or plans_for(user).first()


def progress_sheet(user: Any, org_unit: OrgUnit, year: int) -> pl.DataFrame:
    plan = county_plan(user, org_unit)
    if plan is None:
        return pl.DataFrame(schema={"填报周期": pl.String})
    today = timezone.localdate()
    cycles = (
        ReportingCycle.objects.filter(plan=plan)
        .filter(Q(period_start__year=year) | Q(period_end__year=year))
        .order_by("period_start", "id")
    )
    parts = [ledger_frame(user, c, today).select(pl.lit(c.name).alias("填报周期"), pl.all()) for c in cycles]
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema={"填报周期": pl.String})
    return pl.concat(parts, how="diagonal_relaxed")


def projects_sheet(user: Any, org_unit: OrgUnit) -> pl.DataFrame:
    plan = county_plan(user, org_unit)
    rows = projects.project_rows(user, plan, timezone.localdate()) if plan is not None else []
    return projects.export_frame(rows)


def findings_sheet(user: Any, year: int) -> pl.DataFrame:
    today = timezone.localdate()
    qs = register(user, RegisterFilter(), today).filter(found_on__year=year)
    if not qs.exists():
        return pl.DataFrame(
            schema=dict.fromkeys([*EXPORT_COLUMNS.values(), "逾期天数", "约谈通报问责"], pl.String)
        )
    return register_frame(qs, today)


def _printable(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates and times as text (年-月-日), so every cell is a plain value for the xlsx writer."""
    return frame.with_columns(
        pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t in (pl.Date, pl.Datetime)
    )


def _tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Module figures are printed with at most two places (a change of 1.2000000000000002 → 1.2)."""
    return frame.with_columns(pl.col(c).round(2) for c, t in frame.schema.items() if t == pl.Float64)


def readme(
    org_unit: OrgUnit, year: int, indicators: dict[str, tuple[Indicator, pl.DataFrame]]
) -> pl.DataFrame:
    now = timezone.localtime()
    rows = [
        ("附件", f"{org_unit.name}{year}年度教育监测数据附件"),
        ("生成时间", f"{date_text(now.date())} {now:%H:%M}"),
        (
            "数据来源",
            "EduBrain 教育大脑：指标值取自规划监测指标库（已计算或人工填报并留存的指标值）；"
            "体质健康、视力、任务进展、重点项目和整改台账取自各业务模块，与系统页面的数字一致。",
        ),
        (
            "口径",
            f"指标工作表列出{year}年及以前各年度县、镇（街道）、学校的指标值；代码为行政区划代码或学校标识码。",
        ),
    ]
    for name, (indicator, frame) in indicators.items():
        definition = indicator.definition or (
            f"分子：{indicator.numerator}；分母：{indicator.denominator}" if indicator.numerator else ""
        )
        rows.append(
            (
                name,
                f"指标“{indicator.name}”（{indicator.code}，{indicator.unit or '无单位'}）"
                f"各单位各年度的值，共{frame.height}行。{definition}",
            )
        )
    rows += [(name, text.format(year=year)) for name, text in MODULE_SHEETS.items()]
    return pl.DataFrame(rows, schema={"工作表": pl.String, "内容": pl.String}, orient="row")


def build_annex(org_unit: OrgUnit, year: int, progress: Progress = None) -> bytes:
    """The annex workbook of ``org_unit`` (the county) and ``year`` as xlsx bytes."""
    user = viewer(org_unit)
    report(progress, 5, "指标值")
    indicators = indicator_sheets(org_unit, year)
    report(progress, 30, "体质健康")
    modules = {"体质健康": fitness_sheet(user, year)}
    report(progress, 45, "视力")
    modules["视力"] = vision_sheet(user, org_unit, year)
    report(progress, 60, "任务进展")
    modules["任务进展"] = progress_sheet(user, org_unit, year)
    report(progress, 75, "重点项目")
    modules["重点项目"] = projects_sheet(user, org_unit)
    report(progress, 85, "整改台账")
    modules["整改台账"] = findings_sheet(user, year)
    sheets = {"说明": readme(org_unit, year, indicators)}
    sheets.update({name: frame for name, (_i, frame) in indicators.items()})
    sheets.update({name: _tidy(frame) for name, frame in modules.items()})
    report(progress, 95, "写入工作簿")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annex.xlsx"
        write_tables({name: _printable(frame) for name, frame in sheets.items()}, path)
        data = path.read_bytes()
    report(progress, 100, "完成")
    return data


__all__ = ["build_annex", "indicator_sheets"]
