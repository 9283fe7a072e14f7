"""学生体质健康通报: overview by 学段, the schools ranked per 学段 (the 年度通报 ranking of the 体质健康
pages), the change from last year (镇/街道 and the schools that rose or fell most) and the weakest items.

Figures: ``fitness.queries`` (counts, 应测, the overview and item counts) and ``fitness.ranking.ranking``,
the same functions the pages call, queried as a viewer of the county.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.base.orgtree import OrgUnit
from edubrain.core.fitness import stats
from edubrain.core.report.document import Figure, Heading, Paragraph, ReportDoc, Table
from edubrain.core.report.template import ReportTemplate
from edubrain.fitness import queries
from edubrain.fitness.indicators import EXCELLENT_GOOD, INDICATORS, PASS
from edubrain.fitness.queries import STAGE_NAMES, STAGES, Selection
from edubrain.fitness.ranking import ranking, stage_column
from edubrain.reports.common import (
    Progress,
    bar_chart,
    change_words,
    count,
    finish_doc,
    num,
    open_section,
    pct,
    placeholder_values,
    points,
    report,
    requirements,
    start_doc,
    viewer,
)

WEAK_ITEMS = 3
"""How many of the weakest items are named per 学段 (as the overview page marks three)."""
MOVERS = 5
"""How many schools that rose or fell most are named."""
STANDARD_REQUIREMENTS = [
    "强化体育课程实施。严格落实体育与健康课程课时要求，开足开齐上好体育课，保障学生每天校内、校外各1小时体育活动时间。",
    "补齐薄弱项目短板。各学校要对照本通报的薄弱项目，分学段、分年级制定专项练习计划，把耐力、力量类项目纳入大课间和课后服务。",
    "规范测试和数据上报。严格按照《国家学生体质健康标准》组织测试，做到应测尽测，确保数据真实、准确、完整。",
    "加强结果运用。测试结果纳入学校年度考核和督导评估，优良率、合格率下降的学校要深入分析原因，限期提出改进措施。",
]


def tested_share(tested: int | None, expected: int | None) -> float | None:
    """测试率 = 实测人数 ÷ 应测人数 × 100, half-up to 0.1 (``stats.rate``); None without 应测."""
    if not expected:
        return None
    value = pl.select(stats.rate(pl.lit(tested or 0), pl.lit(expected)).alias("r"))["r"][0]
    return None if value is None else float(value)


def stage_summary(user: Any, unit: OrgUnit, year: int) -> pl.DataFrame:
    """Per 学段 (and ``stage`` = None for the whole county is not here: see ``overview``): the counts,
    rates, 应测 and the change from last year — the ranking's computation without the school key."""
    sel = Selection(unit=unit)
    counted = stage_column(queries.counts(user, sel, ["grade_code"], [year - 1, year]))
    exp = stage_column(queries.expected(user, sel, year))
    summary = queries._summary_with_change(counted, ["stage"]).filter(pl.col("year") == year).drop("year")
    out = stats.add_expected(summary, exp, ["stage"])
    return out.filter(pl.col("stage").is_in(STAGES) & (pl.col("records") > 0))


def stage_items(user: Any, unit: OrgUnit, year: int) -> pl.DataFrame:
    """Item figures per 学段 (``stats.item_rates`` by stage, weakest first): the overview's item counts
    (``queries.detail``) taken per grade and summed per 学段."""
    counted = queries.counts(user, Selection(unit=unit), ["grade_code"], [year])
    grades = sorted(counted.filter(pl.col("records") > 0)["grade_code"].drop_nulls().unique().to_list())
    parts = []
    for grade in grades:
        stage = queries.stage_of(grade)
        if stage not in STAGES:
            continue
        items = queries.detail(user, Selection(unit=unit, grade=grade), year)[2]
        if items.height:
            parts.append(items.with_columns(pl.lit(stage).alias("stage")))
    if not parts:
        return pl.DataFrame()
    return stats.item_rates(pl.concat(parts), "stage")


def _stage_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    rows = {r["stage"]: r for r in frame.to_dicts()}
    return [rows[s] for s in STAGES if s in rows]


def _summary_row(name: str, row: dict[str, Any]) -> list[str]:
    return [
        name,
        count(row.get("expected")),
        count(row.get("tested")),
        num(tested_share(row.get("tested"), row.get("expected"))),
        num(row.get("excellent_rate")),
        num(row.get("excellent_good_rate")),
        points(row.get("excellent_good_rate_change")),
        num(row.get("pass_rate")),
        points(row.get("pass_rate_change")),
    ]


def _target_words(key: str, value: float | None) -> str:
    indicator = INDICATORS[{"excellent_good_rate": EXCELLENT_GOOD, "pass_rate": PASS}[key]]
    reached = indicator.reached(value)
    if reached is None:
        return ""
    sign = "≥" if indicator.comparator == ">=" else "≤"
    goal = f"{indicator.target_year}年规划目标（{sign}{indicator.target:g}{indicator.unit}）"
    return f"{'已达到' if reached else '尚未达到'}{goal}"


def overview_section(doc: ReportDoc, year: int, summary: dict[str, Any], stages: pl.DataFrame) -> None:
    s = summary
    rate = tested_share(s.get("tested"), s.get("expected"))
    doc.add(
        Paragraph(
            f"{year}学年全县应测学生{count(s.get('expected'))}人，实测{count(s.get('tested'))}人，测试率{pct(rate)}"
            f"（免测{count(s.get('exempt'))}人，缺测{count(s.get('missing'))}人）。",
            lead="测试人数。",
        )
    )
    eg, passed = s.get("excellent_good_rate"), s.get("pass_rate")
    doc.add(
        Paragraph(
            f"全县学生体质健康优良率{pct(eg)}，{change_words(s.get('excellent_good_rate_change'))}，"
            f"{_target_words('excellent_good_rate', eg) or '无规划目标可比'}；"
            f"合格率{pct(passed)}，{change_words(s.get('pass_rate_change'))}，"
            f"{_target_words('pass_rate', passed) or '无规划目标可比'}；"
            f"优秀率{pct(s.get('excellent_rate'))}，{change_words(s.get('excellent_rate_change'))}；"
            f"平均分{num(s.get('mean_score'))}分。",
            lead="总体水平。",
        )
    )
    rows = [_summary_row(STAGE_NAMES[r["stage"]], r) for r in _stage_rows(stages)]
    rows.append(_summary_row("全县", s))
    doc.add(
        Table(
            columns=[
                "学段",
                "应测人数",
                "实测人数",
                "测试率(%)",
                "优秀率(%)",
                "优良率(%)",
                "优良率增减(百分点)",
                "合格率(%)",
                "合格率增减(百分点)",
            ],
            rows=rows,
            caption=f"{year}学年全县分学段体质健康测试情况",
            numeric=[False, *([True] * 8)],
            widths_cm=[1.6, 1.7, 1.7, 1.7, 1.7, 1.7, 1.8, 1.7, 1.8],
        )
    )


RANK_COLUMNS = [
    "名次",
    "学校",
    "镇/街道",
    "应测人数",
    "实测人数",
    "优良率(%)",
    "合格率(%)",
    "优良率增减(百分点)",
]


def ranking_section(doc: ReportDoc, year: int, ranked: pl.DataFrame) -> None:
    if ranked.height == 0:
        doc.add(Paragraph(f"{year}学年暂无学校上报体质健康测试成绩。"))
        return
    for stage in STAGES:
        part = ranked.filter(pl.col("stage") == stage)
        if part.height == 0:
            continue
        doc.add(Heading(f"{STAGE_NAMES[stage]}学段", 2))
        rows = [
            [
                str(r["rank"]),
                r["school_name"] or "",
                r["town_name"] or "",
                count(r["expected"]),
                count(r["tested"]),
                num(r["excellent_good_rate"]),
                num(r["pass_rate"]),
                points(r["excellent_good_rate_change"]),
            ]
            for r in part.to_dicts()
        ]
        doc.add(
            Table(
                columns=RANK_COLUMNS,
                rows=rows,
                caption=f"{year}学年{STAGE_NAMES[stage]}学段各学校测试结果",
                numeric=[True, False, False, True, True, True, True, True],
                widths_cm=[1.2, 4.4, 2.0, 1.5, 1.5, 1.6, 1.6, 1.8],
            )
        )


def movers(ranked: pl.DataFrame, rising: bool, limit: int = MOVERS) -> list[dict[str, Any]]:
    """The schools (any 学段) whose 优良率 rose (or fell) most from last year, largest change first."""
    if ranked.height == 0:
        return []
    change = pl.col("excellent_good_rate_change")
    part = ranked.filter(change > 0 if rising else change < 0)
    part = part.sort([change, "school_name"], descending=[rising, False])
    return part.head(limit).to_dicts()


def _mover_text(rows: list[dict[str, Any]]) -> str:
    return "、".join(
        f"{r['school_name']}（{r['stage_name']}，{points(r['excellent_good_rate_change'])}个百分点）"
        for r in rows
    )


def change_section(doc: ReportDoc, year: int, ranked: pl.DataFrame, towns: list[dict[str, Any]]) -> None:
    up, down = movers(ranked, True), movers(ranked, False)
    compared = (
        ranked.filter(pl.col("excellent_good_rate_change").is_not_null()).height if ranked.height else 0
    )
    rose = ranked.filter(pl.col("excellent_good_rate_change") > 0).height if ranked.height else 0
    fell = ranked.filter(pl.col("excellent_good_rate_change") < 0).height if ranked.height else 0
    doc.add(
        Paragraph(
            f"与上年度相比，有可比数据的{compared}个学校（学段）中，优良率提高的{rose}个，下降的{fell}个。"
            + (f"提高幅度较大的是：{_mover_text(up)}。" if up else "")
            + (f"下降幅度较大的是：{_mover_text(down)}。" if down else ""),
        )
    )
    if not towns:
        return
    doc.add(
        Table(
            columns=[
                "镇/街道",
                "实测人数",
                "优良率(%)",
                "优良率增减(百分点)",
                "合格率(%)",
                "合格率增减(百分点)",
            ],
            widths_cm=[3.0, 2.2, 2.4, 2.6, 2.4, 2.6],
            rows=[
                [
                    t["name"],
                    count(t.get("tested")),
                    num(t.get("excellent_good_rate")),
                    points(t.get("excellent_good_rate_change")),
                    num(t.get("pass_rate")),
                    points(t.get("pass_rate_change")),
                ]
                for t in towns
            ],
            caption=f"{year}学年各镇（街道）体质健康测试情况",
            numeric=[False, *([True] * 5)],
        )
    )
    target = INDICATORS[EXCELLENT_GOOD].target
    png = bar_chart(
        f"{year}学年各镇（街道）学生体质健康优良率",
        "%",
        [t["name"] for t in towns],
        [t.get("excellent_good_rate") for t in towns],
        limit=target,
        limit_label=f"规划目标{target:g}%",
    )
    if png:
        doc.add(Figure(png, f"{year}学年各镇（街道）学生体质健康优良率"))


ITEM_COLUMNS = ["学段", "项目", "测试人数", "平均得分", "及格率(%)", "优秀率(%)"]


def weakest_section(
    doc: ReportDoc, year: int, items: pl.DataFrame, county_items: list[dict[str, Any]]
) -> None:
    if county_items:
        weakest = county_items[:WEAK_ITEMS]
        doc.add(
            Paragraph(
                "从全县看，及格率较低的项目依次为"
                + "、".join(
                    f"{r['item_name']}（及格率{pct(r['pass_rate'])}，平均得分{num(r['mean_score'])}分）"
                    for r in weakest
                )
                + "。",
            )
        )
    if items.height == 0:
        doc.add(Paragraph(f"{year}学年暂无单项成绩数据。"))
        return
    rows = []
    for stage in STAGES:
        part = items.filter(pl.col("stage") == stage).head(WEAK_ITEMS).to_dicts()
        if not part:
            continue
        doc.add(
            Paragraph(
                f"{STAGE_NAMES[stage]}学段及格率最低的项目是"
                + "、".join(f"{r['item_name']}（{pct(r['pass_rate'])}）" for r in part)
                + "。",
            )
        )
        rows += [
            [
                STAGE_NAMES[stage],
                r["item_name"],
                count(r["tested"]),
                num(r["mean_score"]),
                num(r["pass_rate"]),
                num(r["excellent_rate"]),
            ]
            for r in part
        ]
    doc.add(
        Table(
            columns=ITEM_COLUMNS,
            rows=rows,
            caption=f"{year}学年各学段薄弱项目（及格率最低的{WEAK_ITEMS}项）",
            numeric=[False, False, True, True, True, True],
            widths_cm=[2.0, 4.6, 2.2, 2.2, 2.4, 2.4],
        )
    )


def build(org_unit: OrgUnit, year: int, template: ReportTemplate, progress: Progress = None) -> ReportDoc:
    user = viewer(org_unit)
    values = placeholder_values(org_unit, year, template)
    doc = start_doc(template, values)
    report(progress, 5, "统计全县测试情况")
    sel = Selection(unit=org_unit)
    overview = queries.overview(user, sel, year)
    ranked = pl.DataFrame()
    if template.section("ranking") or template.section("change"):
        report(progress, 30, "学校排名")
        ranked = ranking(user, year)
    for n, key in enumerate(template.enabled_keys()):
        spec = template.section(key)
        assert spec is not None
        report(progress, 40 + 50 * n // max(1, len(template.enabled_keys())), spec.heading)
        if key == "requirements":
            requirements(doc, spec, values, STANDARD_REQUIREMENTS)
            continue
        open_section(doc, spec, values)
        if key == "overview":
            overview_section(doc, year, overview["summary"], stage_summary(user, org_unit, year))
        elif key == "ranking":
            ranking_section(doc, year, ranked)
        elif key == "change":
            change_section(doc, year, ranked, overview["children"])
        elif key == "weakest":
            weakest_section(doc, year, stage_items(user, org_unit, year), overview["items"])
    report(progress, 100, "完成")
    return finish_doc(doc, template, values)


__all__ = ["build", "movers", "stage_items", "stage_summary", "tested_share"]
