"""The parser on plans written in other layouts than the county's: 第一章/第一节 with "1、" tasks and a
table one row per line (现状 | 目标 | 指标性质, 发展水平 / 优质资源 groups with merged cells, "99%以上",
"≥98", "12.3年以上", nested 其中：小学 / 初中); a plan with no table and targets only in the prose; a table
with 序号 and 单位 columns and unreadable rows; 责任单位 in its several forms; file encodings; and garbage,
which must never crash the parser."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edubrain.core.plan.lexicon import cn_number, five_year_period
from edubrain.core.plan.parser import PlanReadError, parse_file, parse_text
from edubrain.core.plan.units import find_units

CHAPTERS = """临江市人民政府文件
临政发〔2022〕8号
临江市人民政府
关于印发临江市“十四五”教育发展规划的通知

临江市“十四五”教育发展规划

第一章 发展基础
“十三五”期间，全市学前三年毛入园率达到92%，新建幼儿园20所。

第二章 主要目标
表1 临江市“十四五”教育发展主要指标
类别\t指标\t现状\t目标\t指标性质
发展水平\t学前三年毛入园率（%）\t92\t99%以上\t约束性
\t九年义务教育巩固率（%）\t97.5\t≥98\t约束性
\t其中：小学\t99.1\t99.5\t预期性
\t初中\t96\t97\t预期性
\t劳动年龄人口平均受教育年限（年）\t11.6\t12.3年以上\t预期性
优质资源\t省级示范幼儿园（所）\t12\t20\t预期性
\t近视率（%）\t55\t50\t约束性

第三章 重点任务
第一节 推进学前教育普及普惠
1、扩大普惠资源。新建、改扩建幼儿园30所，普惠性幼儿园覆盖率稳定在90%以上。责任单位：市教育局、市发展改革委、市财政局。
2、提升保教质量。开展幼儿园保教质量评估，到2023年省级示范园比例达到30%。
（牵头单位：市教育局；配合单位：市卫生健康委、市妇联）
第二节 义务教育优质均衡
1、消除大班额。全面消除56人以上大班额，学前三年毛入园率、九年义务教育巩固率分别达到99%、98%。（市教育局牵头，市财政局、市住建局配合）
"""


def test_chapters_sections_and_tasks():
    plan = parse_text(CHAPTERS)
    assert (plan["title"], plan["issuer"], plan["doc_number"], plan["period"]) == (
        "临江市“十四五”教育发展规划",
        "临江市人民政府",
        "临政发〔2022〕8号",
        [2021, 2025],
    )
    assert [(s["code"], s["title"]) for s in plan["sections"]] == [
        ("第一章", "发展基础"),
        ("第二章", "主要目标"),
        ("第三章", "重点任务"),
    ]
    assert [(s["code"], s["title"]) for s in plan["sections"][2]["children"]] == [
        ("第三章.第一节", "推进学前教育普及普惠"),
        ("第三章.第二节", "义务教育优质均衡"),
    ]
    assert [(t["code"], t["title"], t["units"]) for t in plan["tasks"]] == [
        (
            "第三章.第一节.1",
            "扩大普惠资源",
            ["市教育局", "市发展改革委", "市财政局"],
        ),  # trailing, no brackets
        ("第三章.第一节.2", "提升保教质量", ["市教育局", "市卫生健康委", "市妇联"]),  # 牵头；配合, next line
        ("第三章.第二节.1", "消除大班额", ["市教育局", "市财政局", "市住建局"]),  # （A牵头，B、C配合）
    ]
    assert plan["tasks"][1]["text"].endswith("（牵头单位：市教育局；配合单位：市卫生健康委、市妇联）")


def test_chapters_table_one_row_per_line():
    plan = parse_text(CHAPTERS)
    rows = [t for t in plan["targets"] if t["origin"] == "table"]
    got = [
        (t["indicator"], t["category"], t["unit"], t["baseline"], t["target"], t["comparator"], t["nature"])
        for t in rows
    ]
    assert got == [
        ("学前三年毛入园率", "发展水平", "%", 92, 99, ">=", "约束性"),
        ("九年义务教育巩固率", "发展水平", "%", 97.5, 98, ">=", "约束性"),  # the merged 类别 cell inherits
        ("九年义务教育巩固率（小学）", "发展水平", "%", 99.1, 99.5, ">=", "预期性"),
        ("九年义务教育巩固率（初中）", "发展水平", "%", 96, 97, ">=", "预期性"),
        ("劳动年龄人口平均受教育年限", "发展水平", "年", 11.6, 12.3, ">=", "预期性"),
        ("省级示范幼儿园", "优质资源", "所", 12, 20, ">=", "预期性"),
        ("近视率", "优质资源", "%", 55, 50, "<=", "约束性"),  # lower is better
    ]
    # 现状 | 目标 carry no year: the year before the period and its last year
    assert {(t["baseline_year"], t["target_year"]) for t in rows} == {(2020, 2025)}
    assert [t.get("parent") for t in rows[2:4]] == ["九年义务教育巩固率", "九年义务教育巩固率"]


def test_chapters_prose_targets_and_facts():
    plan = parse_text(CHAPTERS)
    prose = [(t["indicator"], t["target"], t["unit"], t["comparator"], t["target_year"], t["task_code"])
             for t in plan["targets"] if t["origin"] == "text"]  # fmt: skip
    assert prose == [
        ("新建、改扩建幼儿园", 30, "所", ">=", 2025, "第三章.第一节.1"),
        ("普惠性幼儿园覆盖率", 90, "%", ">=", 2025, "第三章.第一节.1"),
        ("省级示范园比例", 30, "%", ">=", 2023, "第三章.第一节.2"),  # "到2023年"
        ("学前三年毛入园率", 99, "%", ">=", 2025, "第三章.第二节.1"),  # 分别达到 99%、98%
        ("九年义务教育巩固率", 98, "%", ">=", 2025, "第三章.第二节.1"),
    ]
    # 第一章 发展基础 states facts of the past plan: no targets from it; a class-size definition is reported
    assert not any("92" in t["source"] for t in plan["targets"] if t["origin"] == "text")
    assert plan["unparsed"] == [
        {"text": "全面消除56人以上大班额", "reason": "像是目标，但无法确定指标名称，未作为目标"}
    ]


NO_TABLE = """临川县教育事业发展规划（2021—2025年）

一、发展目标
到2025年，学前三年毛入园率、义务教育巩固率、高中阶段毛入学率分别达到95%、98%和92%。义务教育阶段学生近视率控制在45%以内。学生体质健康合格率由2020年的88%提高到2025年的95%。大班额比例下降到5%以下。
二、主要任务
（一）学前教育
（1）扩充学前资源，公办园在园幼儿占比达到50%以上，普惠性幼儿园覆盖率不低于85%。责任部门：县教育局、县财政局
（2）加强幼儿园教师队伍建设，每年培训幼儿教师不少于500人次。
（二）职业教育
（1）建设3个省级品牌专业，培育“双师型”教师100名。
（2）学生体质健康优良率和合格率均达到90%以上。
（3）全县教育经费支出确保逐年只增不减，生均经费不低于全省平均水平。
三、保障措施
落实“1+X”证书制度，完成“十四五”规划各项任务，执行《教育法》第12条规定。
"""


def test_plan_without_table():
    plan = parse_text(NO_TABLE)
    assert plan["title"] == "临川县教育事业发展规划（2021—2025年）" and plan["period"] == [2021, 2025]
    assert plan["issuer"] == "" and plan["doc_number"] == "" and plan["projects"] == []
    assert [t["code"] for t in plan["tasks"]] == [
        "二.(一).(1)",
        "二.(一).(2)",
        "二.(二).(1)",
        "二.(二).(2)",
        "二.(二).(3)",
    ]
    assert plan["tasks"][0]["units"] == ["县教育局", "县财政局"]
    got = [
        (t["indicator"], t["baseline"], t["target"], t["unit"], t["comparator"], t["task_code"])
        for t in plan["targets"]
    ]
    assert got == [
        ("学前三年毛入园率", None, 95, "%", ">=", None),
        ("义务教育巩固率", None, 98, "%", ">=", None),
        ("高中阶段毛入学率", None, 92, "%", ">=", None),
        ("义务教育阶段学生近视率", None, 45, "%", "<=", None),
        ("学生体质健康合格率", 88, 95, "%", ">=", None),  # 由2020年的88%提高到2025年的95%
        ("大班额比例", None, 5, "%", "<=", None),
        ("公办园在园幼儿占比", None, 50, "%", ">=", "二.(一).(1)"),
        ("普惠性幼儿园覆盖率", None, 85, "%", ">=", "二.(一).(1)"),
        ("每年培训幼儿教师", None, 500, "人次", ">=", "二.(一).(2)"),
        ("建设省级品牌专业", None, 3, "个", ">=", "二.(二).(1)"),
        ("培育“双师型”教师", None, 100, "名", ">=", "二.(二).(1)"),
        ("学生体质健康优良率", None, 90, "%", ">=", "二.(二).(2)"),  # 优良率和合格率均达到90%
        ("学生体质健康合格率", None, 90, "%", ">=", "二.(二).(2)"),
        ("教育经费支出", None, 0, "", "increase_by", "二.(二).(3)"),  # 逐年只增不减: judged year by year
    ]
    assert plan["targets"][4]["baseline_year"] == 2020
    assert [u["text"] for u in plan["unparsed"]] == ["生均经费不低于全省平均水平"]


NUMBERED_TABLE = """南岭市教育局
南教发〔2022〕15号
南岭市“十四五”教育事业发展规划
序号\t指标\t单位\t2020年\t2025年\t属性
1\t学前三年毛入园率\t%\t88\t≥95\t约束性
2\t义务教育巩固率\t%\t96.5\t98\t约束性
3\t校园安全责任事故\t起\t0\t0\t约束性
4\t智慧校园覆盖率\t%\t60\t全覆盖\t预期性
5\t特殊教育入学率\t%\t90\t\t预期性

一、重点任务
1. 学前教育提升。新增学位3000个，普惠率提高到90%以上。牵头单位：市教育局。配合单位：市财政局、市自然资源局。
2. 教师队伍。中小学教师本科以上学历比例达到80%。
（1）实施名师工程，培养市级名师50名。
（2）每年轮岗交流教师不低于应交流人数的10%。

附表 重点项目
| 序号 | 项目名称 | 建设内容 | 建设年限 |
| 1 | 南岭一中扩建 | 新增校舍2万平方米 | 2022—2024 |
| 2 | 职教中心实训基地 | 建设实训楼一栋 | 2023—2025 |
|  |  |  |  |
"""


def test_table_with_serial_and_unit_columns_and_unreadable_rows():
    plan = parse_text(NUMBERED_TABLE)
    assert (plan["issuer"], plan["doc_number"]) == ("南岭市教育局", "南教发〔2022〕15号")
    rows = [
        (t["indicator"], t["unit"], t["baseline"], t["target"], t["comparator"]) for t in plan["targets"][:3]
    ]
    assert rows == [
        ("学前三年毛入园率", "%", 88, 95, ">="),
        ("义务教育巩固率", "%", 96.5, 98, ">="),
        ("校园安全责任事故", "起", 0, 0, "<="),
    ]
    assert plan["unparsed"] == [
        {"text": "智慧校园覆盖率 | 60 | 全覆盖", "reason": "2025年“全覆盖”不是数值"},
        {"text": "特殊教育入学率 | 90 |", "reason": "没有目标值"},
        {
            "text": "每年轮岗交流教师不低于应交流人数的10%",
            "reason": "像是目标，但无法确定指标名称，未作为目标",
        },
    ]
    assert [t["code"] for t in plan["tasks"]] == ["一.1", "一.2", "一.2.(1)", "一.2.(2)"]
    assert plan["tasks"][0]["units"] == ["市教育局", "市财政局", "市自然资源局"]
    assert plan["tasks"][1]["title"] == "教师队伍" and plan["tasks"][1]["units"] == []
    assert plan["projects"] == [
        {
            "number": 1,
            "name": "南岭一中扩建",
            "content": "新增校舍2万平方米",
            "details": {"建设年限": "2022—2024"},
        },
        {
            "number": 2,
            "name": "职教中心实训基地",
            "content": "建设实训楼一栋",
            "details": {"建设年限": "2023—2025"},
        },
    ]
    prose = [(t["indicator"], t["target"], t["unit"]) for t in plan["targets"] if t["origin"] == "text"]
    assert prose == [("新增学位", 3000, "个"), ("普惠率", 90, "%"), ("中小学教师本科以上学历比例", 80, "%"),
                     ("培养市级名师", 50, "名")]  # fmt: skip


FLAT_MISALIGNED = """东山县“十四五”教育规划
表1 主要指标
\t领域
\t指标
\t2020年
\t2025年
\t属性
\t普及
\t学前三年毛入园率（%）
义务教育巩固率（%）
高中阶段毛入学率（%）
\t90
95
\t95
97
\t约束性
约束性
\t师资
\t生师比
\t15
\t14
\t预期性


一、任务
"""


def test_flattened_block_that_cannot_be_aligned_is_reported():
    plan = parse_text(FLAT_MISALIGNED)
    assert [
        (t["indicator"], t["category"], t["baseline"], t["target"], t["comparator"]) for t in plan["targets"]
    ] == [
        ("生师比", "师资", 15, 14, "<=")  # a decreasing value
    ]
    [bad] = plan["unparsed"]
    assert bad["reason"] == "表格行无法对齐（指标 3 个、数值 2 个）"
    assert bad["text"].startswith("表1 主要指标 普及 | 学前三年毛入园率（%） 义务教育巩固率（%）")
    assert [s["code"] for s in plan["sections"]] == ["一"]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "开展工作。（责任单位：县委教育工委、县委宣传部、团县委）",
            ["县委教育工委", "县委宣传部", "团县委"],
        ),
        (
            "开展工作。（牵头单位：县教育局；配合单位：县财政局、县人社局）",
            ["县教育局", "县财政局", "县人社局"],
        ),
        ("开展工作。（配合单位：县财政局；牵头单位：县教育局）", ["县教育局", "县财政局"]),  # lead first
        ("开展工作。责任部门：县教育局，县财政局。", ["县教育局", "县财政局"]),
        ("开展工作。（责任单位：县教育局、各镇（街道）等）", ["县教育局", "各镇（街道）"]),
        ("开展工作。（县教育局牵头，县财政局、县民政局配合）", ["县教育局", "县财政局", "县民政局"]),
        ("开展工作，无责任单位。", []),
    ],
)
def test_unit_forms(text, units):
    assert find_units(text).names == units


def test_numbering_styles_and_headings():
    text = "\n".join(
        [
            "北川县教育规划（2021-2025年）",
            "一、总体要求",
            "（一）指导思想",
            "以人民为中心。",
            "二、主要任务",
            "1. 学前教育",
            "1）扩大资源。新建幼儿园。（责任单位：县教育局）",
            "2）提高质量。开展评估。（责任单位：县教育局）",
            "2. 义务教育",
            "①推进均衡。建设学校。（责任单位：县教育局）",
            "①推进均衡（再次）。建设学校。（责任单位：县教育局）",
        ]
    )
    plan = parse_text(text)
    assert plan["period"] == [2021, 2025]
    assert [(s["code"], [c["code"] for c in s["children"]]) for s in plan["sections"]] == [
        ("一", ["一.(一)"]),
        ("二", ["二.1", "二.2"]),
    ]
    assert [t["code"] for t in plan["tasks"]] == ["二.1.1)", "二.1.2)", "二.2.①", "二.2.①~2"]
    assert plan["unparsed"][-1]["reason"] == "编号 二.2.① 重复，已记为 二.2.①~2"


@pytest.mark.parametrize(
    ("head", "period"),
    [
        ("某县教育事业发展“十三五”规划", [2016, 2020]),
        ("某县教育事业发展“十五五”规划", [2026, 2030]),
        ("某县教育事业发展规划（2021—2025年）", [2021, 2025]),
        ("某县教育事业发展规划\n本规划规划期为2022-2026年。", [2022, 2026]),
        ("某县教育事业发展规划", None),
    ],
)
def test_period_forms(head, period):
    assert parse_text(head)["period"] == period


def test_numerals():
    assert [cn_number(s) for s in ("一", "十", "十四", "二十一", "一百零五", "12", "甲")] == [
        1,
        10,
        14,
        21,
        105,
        12,
        None,
    ]
    assert five_year_period(14) == (2021, 2025) and five_year_period(1) == (1953, 1957)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_encodings(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(CHAPTERS.replace("\n", "\r\n").encode(encoding))
    assert parse_file(path) == parse_text(CHAPTERS)


def test_files_that_are_not_plans(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 ...")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 4)
    for name, message in (
        ("a.pdf", "PDF"),
        ("old.doc", ".doc"),
        ("noise.txt", "编码"),
        ("none.txt", "找不到"),
    ):
        with pytest.raises(PlanReadError, match=message):
            parse_file(tmp_path / name)


EMPTY_KEYS = {
    "title",
    "issuer",
    "doc_number",
    "period",
    "sections",
    "tasks",
    "targets",
    "projects",
    "unparsed",
}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t\n",
        "随便写的一段话。没有任何规划。100%好！",
        "表1\n\t甲\n\t乙\n",
        "表1 主要指标\n指标\t2020年\t2025年\n毛入园率（%）\t90\n\t\t\n",
        "".join(chr(random.Random(7).randint(0x20, 0x9FFF)) for _ in range(3000)),
    ],
)
def test_garbage_never_crashes(text):
    plan = parse_text(text)
    assert set(plan) == EMPTY_KEYS
    assert plan["sections"] == [] or isinstance(plan["sections"], list)
    assert all(set(u) == {"text", "reason"} for u in plan["unparsed"])


ATOMS = [
    "\t", "\n", "\n\n", " ", "表1 主要指标", "表2 重点项目", "类别", "指标", "2020年", "2025年",
    "属性", "现状", "目标", "序号", "名称", "主要内容", "预期性", "约束性", "1", "2",
    "99.5", "1.7", "—", "（万人）", "（%）", "其中：", "小学", "一、", "二、", "（一）",
    "1.", "2、", "（1）", "第一章", "第二节", "达到", "以上", "以下", "%", "个",
    "所", "每年降低", "不少于", "（责任单位：", "县教育局", "、", "）", "。", "，", "牵头单位：",
    "；配合单位：", "“", "”", "《", "》", "到2025年", "由2020年的", "提高到", "的", "率",
    "占比", "|", "  ", "评选", "十四五", "规划", "按照", "比例", "均", "分别",
    "1—2", "之比", "≥", "≤",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ATOMS), max_size=120).map("".join) | st.text(max_size=400))
def test_any_text_parses_to_the_contract(text):
    plan = parse_text(text)
    assert set(plan) == EMPTY_KEYS
    for target in plan["targets"]:
        assert target["comparator"] in (">=", "<=", "=", "decrease_by", "increase_by")
        assert isinstance(target["target"], int | float) and target["indicator"]
    codes = [t["code"] for t in plan["tasks"]]
    assert len(codes) == len(set(codes))


MILESTONES = """西河县教育事业发展“十四五”规划
表1 指标
指标\t2020年\t2023年\t2025年
劳动年龄人口平均受教育年限（年）\t11.2\t11.6\t12.3以上
高中阶段毛入学率（%）\t90\t92\t95-97
一、目标
到2025年，劳动年龄人口平均受教育年限达到12.3年以上，新增劳动力平均受教育年限提高到14年。
"""


def test_middle_year_columns_ranges_and_years_of_schooling():
    plan = parse_text(MILESTONES)
    got = [(t["indicator"], t["unit"], t["baseline_year"], t["baseline"], t["target_year"], t["target"],
            t.get("target_high"), t.get("milestones"), t["nature"]) for t in plan["targets"]]  # fmt: skip
    assert got == [
        (
            "劳动年龄人口平均受教育年限",
            "年",
            2020,
            11.2,
            2025,
            12.3,
            None,
            [{"year": 2023, "value": 11.6}],
            None,
        ),
        ("高中阶段毛入学率", "%", 2020, 90, 2025, 95, 97, [{"year": 2023, "value": 92}], None),
        ("劳动年龄人口平均受教育年限", "年", None, None, 2025, 12.3, None, None, None),
        ("新增劳动力平均受教育年限", "年", None, None, 2025, 14, None, None, None),
    ]
    assert plan["unparsed"] == []


def test_indented_paragraphs_give_the_same_plan():
    """Body paragraphs indented with a tab or with full-width spaces (common in .txt copies) are not cells."""
    county = Path(__file__).parents[3] / "src/edubrain/data/plans/yiyuan_2021_2025.txt"
    text = county.read_text(encoding="utf-8")
    for indent in ("\t", "\u3000\u3000"):
        lines, in_table = [], False
        for line in text.split("\n"):
            in_table = line.startswith("表") or (in_table and not line.startswith(("二、", "三、")))
            lines.append(line if in_table or not line.strip() else indent + line)
        assert parse_text("\n".join(lines)) == parse_file(county), repr(indent)
