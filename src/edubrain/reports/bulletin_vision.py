"""学生近视防控通报: overview (筛查人数, 总体近视率, 高度近视占比, 新发近视率, the change and the plan's
yearly decline of ≥ 1 point), every school's rate beside last year's (the table of the 视力监测 page's
xlsx export), the 镇/街道 and schools that missed the decline, and the 预警随访 per 镇/街道.

Figures: ``vision.queries`` (overview, counts, ``with_change`` → ``school_colour``) and
``vision.followup_queries``, the functions the 视力监测 pages call, queried as a viewer of the county. Rates
are printed with the two places they are stored with (the page rounds the same values to one place).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.utils import timezone

from edubrain.base.orgtree import OrgUnit
from edubrain.core.report.document import Figure, Paragraph, ReportDoc, Table
from edubrain.core.report.template import ReportTemplate
from edubrain.core.vision.school import SchoolColourOptions
from edubrain.registry.models import School
from edubrain.reports.common import (
    EMPTY,
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
from edubrain.vision import followup_queries as fq
from edubrain.vision import queries
from edubrain.vision.queries import Selection

PLACES = 2
DECLINE = SchoolColourOptions().yearly_decline
TARGET_TEXT = f"每年降低≥{DECLINE:g}个百分点"
STANDARD_REQUIREMENTS = [
    "压实近视防控责任。各学校要把近视防控纳入年度重点工作，近视率未达到降幅要求的学校要分析原因，制定整改措施。",
    "落实日常防控措施。保证学生每天2小时以上户外活动，严格控制作业总量和电子产品使用时间，规范开展眼保健操。",
    "做好预警随访。对筛查发现的预警学生及时告知家长，督促到医疗机构复查，按期反馈结果并结案，逾期未结案的要逐一跟进。",
    "规范视力筛查。每学期按《儿童青少年近视筛查规范》组织筛查，做到应筛尽筛，及时准确上报数据。",
]


def target_text(met: bool | None) -> str:
    """The page's words for the yearly decline check."""
    if met is None:
        return "无上年数据"
    return "达标" if met else "未达标"


def school_rates(user: Any, unit: OrgUnit, year: int) -> list[dict[str, Any]]:
    """Every school with screenings in ``year``: ``name``, ``town``, screened/myopic, ``rate``,
    ``previous_rate``, ``rate_change``, ``target_met``, ``colour`` — ``with_change`` over last and this year's
    counts per school (what the 镇/街道 page lists per school), highest rate first as the xlsx export
    sorts."""
    sel = Selection(unit=unit)
    counted = pl.concat([queries.counts(user, sel, ["school_id"], y) for y in (year - 1, year)])
    out = queries.with_change(counted, ["school_id"]).filter(pl.col("year") == year)
    ids = out["school_id"].drop_nulls().to_list()
    names = {
        pk: (name, town or "")
        for pk, name, town in School.objects.filter(pk__in=ids).values_list("id", "name", "town__name")
    }
    rows = [
        {**r, "name": names[r["school_id"]][0], "town": names[r["school_id"]][1]}
        for r in out.to_dicts()
        if r["school_id"] in names
    ]
    return sorted(rows, key=lambda r: (-(r["rate"] if r["rate"] is not None else -1.0), r["name"]))


def overview_section(doc: ReportDoc, year: int, s: dict[str, Any]) -> None:
    met = s.get("target_met")
    verdict = (
        "上年无可比数据，无法判断是否达到规划降幅要求"
        if met is None
        else f"{'达到' if met else '未达到'}规划“{TARGET_TEXT}”的要求"
    )
    doc.add(
        Paragraph(
            f"{year}学年全县应测学生{count(s.get('expected'))}人，有效筛查{count(s.get('screened'))}人，"
            f"筛查覆盖率{pct(s.get('coverage'), PLACES)}。",
            lead="筛查情况。",
        )
    )
    doc.add(
        Paragraph(
            f"筛查发现近视学生{count(s.get('myopic'))}人，总体近视率{pct(s.get('rate'), PLACES)}，"
            f"{change_words(s.get('rate_change'), places=PLACES)}，{verdict}。"
            f"高度近视{count(s.get('high_myopia'))}人，高度近视占比{pct(s.get('high_rate'), PLACES)}，"
            f"{change_words(s.get('high_rate_change'), places=PLACES)}。",
            lead="近视率。",
        )
    )
    onset = s.get("new_onset") or {}
    doc.add(
        Paragraph(
            f"上学年未近视的{count(onset.get('base'))}名学生中，本学年新发近视{count(onset.get('new'))}人，"
            f"新发近视率{pct(s.get('new_onset_rate'), PLACES)}，"
            f"{change_words(s.get('new_onset_change'), places=PLACES)}。",
            lead="新发近视。",
        )
    )


RATE_COLUMNS = [
    "学校",
    "镇/街道",
    "筛查人数",
    "近视人数",
    "近视率(%)",
    "上年近视率(%)",
    "增减(百分点)",
    "降幅要求",
]


def rates_section(doc: ReportDoc, year: int, schools: list[dict[str, Any]]) -> None:
    if not schools:
        doc.add(Paragraph(f"{year}学年暂无学校的视力筛查数据。"))
        return
    rows = [
        [
            r["name"],
            r["town"],
            count(r["screened"]),
            count(r["myopic"]),
            num(r["rate"], PLACES),
            num(r["previous_rate"], PLACES),
            points(r["rate_change"], PLACES),
            target_text(r["target_met"]),
        ]
        for r in schools
    ]
    doc.add(
        Table(
            columns=RATE_COLUMNS,
            rows=rows,
            caption=f"{year}学年各学校筛查性近视率（按近视率从高到低）",
            numeric=[False, False, True, True, True, True, True, False],
            widths_cm=[4.2, 2.0, 1.5, 1.5, 1.6, 1.6, 1.6, 1.6],
        )
    )


def missed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those that did not fall by the yearly decline (last year known), smallest fall first."""
    out = [r for r in rows if r.get("target_met") is False]
    return sorted(out, key=lambda r: (-(r["rate_change"] or 0.0), r["name"]))


def decline_section(
    doc: ReportDoc, year: int, s: dict[str, Any], towns: list[dict[str, Any]], schools: list[dict[str, Any]]
) -> None:
    town_missed, school_missed = missed(towns), missed(schools)
    compared = [t for t in towns if t.get("target_met") is not None]
    if s.get("target_met") is not None:
        verdict = "达到要求" if s["target_met"] else "未达到要求"
        doc.add(
            Paragraph(
                f"全县总体近视率{pct(s.get('rate'), PLACES)}，"
                f"{change_words(s.get('rate_change'), places=PLACES)}，{verdict}。"
            )
        )
    if compared:
        doc.add(
            Paragraph(
                f"{len(compared)}个镇（街道）中，{len(compared) - len(town_missed)}个达到降幅要求，"
                f"{len(town_missed)}个未达到"
                + (
                    "："
                    + "、".join(
                        f"{t['name']}（{points(t['rate_change'], PLACES)}个百分点）" for t in town_missed
                    )
                    + "。"
                    if town_missed
                    else "。"
                ),
            )
        )
    else:
        doc.add(Paragraph("各镇（街道）上年无可比数据，暂不作降幅判断。"))
    schools_compared = [r for r in schools if r.get("target_met") is not None]
    if school_missed:
        doc.add(
            Paragraph(
                f"有可比数据的{len(schools_compared)}所学校中，{len(school_missed)}所学校近视率降幅未达到"
                f"{DECLINE:g}个百分点，名单见下表。"
            )
        )
        doc.add(
            Table(
                columns=["学校", "镇/街道", "近视率(%)", "上年近视率(%)", "增减(百分点)"],
                widths_cm=[5.0, 2.6, 2.6, 2.6, 2.6],
                rows=[
                    [
                        r["name"],
                        r["town"],
                        num(r["rate"], PLACES),
                        num(r["previous_rate"], PLACES),
                        points(r["rate_change"], PLACES),
                    ]
                    for r in school_missed
                ],
                caption=f"{year}学年近视率降幅未达要求的学校",
                numeric=[False, False, True, True, True],
            )
        )
    elif schools_compared:
        doc.add(Paragraph(f"有可比数据的{len(schools_compared)}所学校近视率降幅均达到要求。"))
    if compared:
        png = bar_chart(
            f"{year}学年各镇（街道）总体近视率比上年变化",
            "百分点",
            [t["name"] for t in compared],
            [t.get("rate_change") for t in compared],
            limit=-DECLINE,
            limit_label=f"降幅要求 -{DECLINE:g}",
        )
        if png:
            doc.add(Figure(png, f"{year}学年各镇（街道）总体近视率比上年变化（百分点）"))


def followup_section(doc: ReportDoc, unit: OrgUnit, user: Any, today: dt.date) -> None:
    sel = Selection(unit=unit)
    total = fq.summary(fq.followups(user, sel), today)
    rows = fq.by_child(user, sel, today)
    closed_rate = round(total["closed"] * 100 / total["all"], 1) if total["all"] else None
    doc.add(
        Paragraph(
            f"截至{today.year}年{today.month}月{today.day}日，全县累计产生视力预警随访{total['all']}人次，"
            f"已结案{total['closed']}人次，结案率{pct(closed_rate)}；未结案{total['open']}人次，"
            f"其中逾期未反馈{total['overdue']}人次。"
        )
    )
    if not rows:
        return
    doc.add(
        Table(
            columns=["镇/街道", "随访总数", "未结案", "其中逾期", "已结案", "结案率(%)"],
            widths_cm=[3.2, 2.4, 2.4, 2.4, 2.4, 2.4],
            rows=[
                [
                    r["name"],
                    count(r["all"]),
                    count(r["open"]),
                    count(r["overdue"]),
                    count(r["closed"]),
                    num(r["closed_rate"]) if r["closed_rate"] is not None else EMPTY,
                ]
                for r in rows
            ],
            caption="各镇（街道）预警随访情况（逾期多的在前）",
            numeric=[False, True, True, True, True, True],
        )
    )


def build(org_unit: OrgUnit, year: int, template: ReportTemplate, progress: Progress = None) -> ReportDoc:
    user = viewer(org_unit)
    values = placeholder_values(org_unit, year, template)
    doc = start_doc(template, values)
    report(progress, 5, "统计全县筛查情况")
    data = queries.overview(user, Selection(unit=org_unit), year)
    schools: list[dict[str, Any]] = []
    if template.section("rates") or template.section("decline"):
        report(progress, 30, "各学校近视率")
        schools = school_rates(user, org_unit, year)
    keys = template.enabled_keys()
    for n, key in enumerate(keys):
        spec = template.section(key)
        assert spec is not None
        report(progress, 40 + 50 * n // max(1, len(keys)), spec.heading)
        if key == "requirements":
            requirements(doc, spec, values, STANDARD_REQUIREMENTS)
            continue
        open_section(doc, spec, values)
        if key == "overview":
            overview_section(doc, year, data["summary"])
        elif key == "rates":
            rates_section(doc, year, schools)
        elif key == "decline":
            decline_section(doc, year, data["summary"], data["children"], schools)
        elif key == "followup":
            followup_section(doc, org_unit, user, timezone.localdate())
    report(progress, 100, "完成")
    return finish_doc(doc, template, values)


__all__ = ["build", "missed", "school_rates", "target_text"]
