"""The county's plan (《沂源县教育事业发展“十四五”规划》, package data) parsed with no hand editing.

Counts from reading the document: 3 parts (一 总体要求, 二 重点任务, 三 组织实施) with 3 + 7 subsections; 45
tasks — 8, 7, 5, 6, 4, 6, 6 numbered paragraphs under 二's seven subsections and the three （一）–（三）
paragraphs of 三, each with its 责任单位; Table 1 holds 13 indicators (学前 2, 义务 2, 高中阶段 3 with
"其中：中职在校生", 教师队伍 5, and 劳动年龄人口平均受教育年限 spanning both first columns); Table 2 holds
18 projects; the prose states 18 quantitative targets.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from edubrain.core.indicators.catalogue import match_indicator
from edubrain.core.plan.parser import parse_file

COUNTY = Path(__file__).parents[3] / "src/edubrain/data/plans/yiyuan_2021_2025.txt"


@pytest.fixture(scope="module")
def plan():
    return parse_file(COUNTY)


def test_header(plan):
    assert plan["title"] == "沂源县教育事业发展“十四五”规划"
    assert plan["issuer"] == "沂源县人民政府"
    assert plan["doc_number"] == "源政字〔2023〕36号"
    assert plan["period"] == [2021, 2025]


def test_section_tree(plan):
    top = plan["sections"]
    assert [(s["code"], s["title"]) for s in top] == [
        ("一", "总体要求"),
        ("二", "重点任务"),
        ("三", "组织实施"),
    ]
    assert [(s["code"], s["title"]) for s in top[0]["children"]] == [
        ("一.(一)", "指导思想"),
        ("一.(二)", "基本原则"),
        ("一.(三)", "发展目标"),
    ]
    assert [(s["code"], s["title"]) for s in top[1]["children"]] == [
        ("二.(一)", "全面落实立德树人根本任务"),
        ("二.(二)", "构建高质量发展教育体系"),
        ("二.(三)", "建设高素质专业化创新型教师队伍"),
        ("二.(四)", "信息化赋能教育创新和优质均衡发展"),
        ("二.(五)", "深入推进教育改革创新"),
        ("二.(六)", "健全完善适合的教育评价体系"),
        ("二.(七)", "不断推进教育治理体系和治理能力现代化"),
    ]
    assert top[2]["children"] == []  # 三's （一）–（三） are tasks: each a paragraph with 责任单位
    assert all(c["children"] == [] for s in top for c in s["children"])


def test_tasks_per_section(plan):
    tasks = plan["tasks"]
    assert len(tasks) == 45
    assert all(t["units"] for t in tasks)
    per_section = Counter(t["code"].rsplit(".", 1)[0] for t in tasks)
    assert per_section == {
        "二.(一)": 8, "二.(二)": 7, "二.(三)": 5, "二.(四)": 6,
        "二.(五)": 4, "二.(六)": 6, "二.(七)": 6, "三": 3,
    }  # fmt: skip
    assert [t["code"] for t in tasks[:3]] == ["二.(一).1", "二.(一).2", "二.(一).3"]
    assert [t["code"] for t in tasks[-3:]] == ["三.(一)", "三.(二)", "三.(三)"]
    assert len({u for t in tasks for u in t["units"]}) == 33


def test_task_title_text_and_units(plan):
    tasks = {t["code"]: t for t in plan["tasks"]}
    first = tasks["二.(一).1"]
    assert first["title"] == "构建全学段一体化思政工作体系"
    assert first["text"].startswith("构建全学段一体化思政工作体系。全面贯彻党的教育方针")
    assert first["text"].endswith("（责任单位：县委教育工委、县委宣传部、团县委）")
    assert first["units"] == ["县委教育工委", "县委宣传部", "团县委"]
    assert tasks["二.(一).2"]["units"] == [
        "县委教育工委",
        "县委宣传部",
        "县委统战部",
        "县文化和旅游局",
        "团县委",
    ]
    assert tasks["二.(一).4"]["units"] == ["县教育和体育局", "县卫生健康局", "县市场监管局"]
    assert tasks["二.(二).4"]["units"] == [
        "县教育和体育局", "县发展改革局", "县工业和信息化局", "县财政局", "县人力资源社会保障局",
        "县自然资源局", "县住房城乡建设局", "鲁村镇", "悦庄镇",
    ]  # fmt: skip
    assert tasks["二.(四).3"]["units"] == ["县教育和体育局"]
    assert tasks["二.(六).5"]["units"] == ["县委组织部", "县教育和体育局", "县人力资源社会保障局"]
    assert tasks["二.(七).4"]["units"] == ["县委教育工委", "县政府教育督导委员会"]
    assert tasks["二.(四).1"]["title"] == "构建“互联网+教育”基础服务体系"
    assert tasks["三.(一)"]["title"] == "加强党对教育工作的全面领导"
    assert tasks["三.(一)"]["units"] == ["县委教育工委"]
    assert tasks["三.(三)"]["units"] == ["县教育和体育局", "县委宣传部"]
    assert "印发" not in tasks["三.(三)"]["text"]  # the closing 印发 line is not part of the last task


TABLE_1 = [
    # indicator, category, unit, 2020, 2025, comparator
    ("幼儿园在园人数", "学前教育", "万人", 1.7, 1.1, "<="),
    ("学前三年毛入园率", "学前教育", "%", 99.0, 99.0, ">="),
    ("在校生", "义务教育", "万人", 3.9, 4.5, ">="),
    ("巩固率", "义务教育", "%", 99.5, 99.6, ">="),
    ("在校生", "高中阶段教育", "万人", 1.37, 1.3, "<="),
    ("中职在校生", "高中阶段教育", "万人", 0.31, 0.34, ">="),
    ("毛入学率", "高中阶段教育", "%", 98.0, 98.5, ">="),
    ("幼儿园学前教育专业毕业专任教师比例", "教师队伍", "%", 64.73, 75, ">="),
    ("义务教育阶段本科及以上学历专任教师比例", "教师队伍", "%", 95.95, 97, ">="),
    ("城市与农村义务教育学校专任教师本科以上学历比例之比", "教师队伍", "", 1.07, 1.02, "<="),
    ("高中阶段教育专任教师中硕士研究生以上学历比例", "教师队伍", "%", 16, 18, ">="),
    ("中职院校“双师型”教师占专任专业教师比例", "教师队伍", "%", 60, 85, ">="),
    ("劳动年龄人口平均受教育年限", None, "年", 11.9, 12.2, ">="),
]


def test_table_1_every_row(plan):
    rows = [t for t in plan["targets"] if t["origin"] == "table"]
    got = [
        (t["indicator"], t["category"], t["unit"], t["baseline"], t["target"], t["comparator"]) for t in rows
    ]
    assert got == TABLE_1
    assert all(t["baseline_year"] == 2020 and t["target_year"] == 2025 for t in rows)
    assert all(t["nature"] == "预期性" and t["task_code"] is None for t in rows)
    assert [type(t["target"]) for t in rows[:2]] == [float, float]  # "99.0" stays 99.0; "75" is 75
    vocational = rows[5]
    assert vocational["parent"] == "在校生"  # "其中：中职在校生" is part of the row above
    assert vocational["source"] == (
        "表1 沂源县教育事业发展“十四五”主要预期目标：高中阶段教育 | 其中：中职在校生 | "
        "2020年 0.31 | 2025年 0.34 | 预期性"
    )


def test_table_1_rows_match_the_indicator_catalogue(plan):
    rows = [t for t in plan["targets"] if t["origin"] == "table"]
    codes = [match_indicator(t["indicator"], t["unit"], t["category"]) for t in rows]
    assert codes == [
        "preschool_enrolment", "preschool_gross_rate", "compulsory_enrolment", "compulsory_retention_rate",
        "upper_secondary_enrolment", "vocational_enrolment", "upper_secondary_gross_rate",
        "preschool_teacher_major_share", "compulsory_teacher_bachelor_share", "urban_rural_bachelor_ratio",
        "senior_teacher_master_share", "vocational_dual_teacher_share", "adult_schooling_years",
    ]  # fmt: skip


PROSE = [
    # indicator, unit, target, comparator, task, target_high
    ("每位学生掌握运动技能", "项", 1, ">=", "二.(一).4", 2),
    ("学生体质健康测试优良率", "%", 55, ">=", "二.(一).4", None),
    ("学生体质健康测试合格率", "%", 95, ">=", "二.(一).4", None),
    ("总体近视率", "个百分点", 1, "decrease_by", "二.(一).4", None),
    ("学生熟练掌握艺术特长", "项", 1, ">=", "二.(一).5", None),
    ("劳动教育必修课每周课时", "课时", 1, ">=", "二.(一).6", None),
    ("评选典型性劳动教育基地", "个", 10, ">=", "二.(一).6", None),
    ("公办幼儿园在园幼儿占比", "%", 65, ">=", "二.(二).1", None),
    ("普惠性幼儿园覆盖率", "%", 90, ">=", "二.(二).1", None),
    ("省一类以上幼儿园占比", "%", 60, ">=", "二.(二).1", None),
    ("幼儿教师专科及以上学历占比", "%", 85, ">=", "二.(二).1", None),
    ("一线教师掌握教科研基本流程", "%", 70, ">=", "二.(五).1", None),
    ("一线教师成长为教科研骨干力量", "%", 20, ">=", "二.(五).1", None),
    ("打造市内领先的公共实习实训基地", "个", 1, ">=", "二.(五).2", 2),
    ("实现与县域企业深度合作", "家", 3, ">=", "二.(五).2", None),
    ("创建市级高水平专业", "个", 2, ">=", "二.(五).2", None),
    ("中职专业入选省级中等职业教育特色专业", "个", 2, ">=", "二.(五).2", None),
    ("推进学校与香港学校的友好往来", "所", 5, ">=", "二.(五).4", None),
    # "两个只增不减": judged year by year (an increase of at least 0 each year)
    ("一般公共预算教育支出", "", 0, "increase_by", "二.(七).5", None),
    ("按在校学生人数平均的一般公共预算教育支出", "", 0, "increase_by", "二.(七).5", None),
]


def test_targets_in_the_prose(plan):
    prose = [t for t in plan["targets"] if t["origin"] == "text"]
    got = [
        (t["indicator"], t["unit"], t["target"], t["comparator"], t["task_code"], t.get("target_high"))
        for t in prose
    ]
    assert got == PROSE
    assert all(t["target_year"] == 2025 and t["baseline"] is None and t["nature"] is None for t in prose)
    assert len(plan["targets"]) == 13 + 20


def test_prose_target_sources(plan):
    by_name = {t["indicator"]: t for t in plan["targets"] if t["origin"] == "text"}
    fitness = (
        "完善学生体质健康测试和年度通报制度，建立体质健康管理考评体系，"
        "到2025年学生体质健康测试优良率、合格率达到55%、95%以上。"
    )
    assert by_name["学生体质健康测试优良率"]["source"] == fitness
    assert by_name["学生体质健康测试合格率"]["source"] == fitness
    assert by_name["普惠性幼儿园覆盖率"]["source"] == "全县普惠性幼儿园覆盖率达到90%以上。"
    assert by_name["总体近视率"]["source"].endswith("总体近视率每年降低不少于1个百分点。")
    assert "（责任单位" not in by_name["总体近视率"]["source"]
    assert by_name["劳动教育必修课每周课时"]["source"] == (
        "中小学校全部开设劳动教育必修课，每周不少于1课时，中小学普遍设立劳动周，鼓励开发劳动教育校本课程。"
    )


def test_numbers_that_are_not_targets(plan):
    names = " ".join(t["indicator"] for t in plan["targets"])
    sources = " ".join(t["source"] for t in plan["targets"] if t["origin"] == "text")
    for fact in ("人才金政", "四个100%", "1+X", "3+X", "5G", "2035年", "〔2022〕1号", "十五年一贯制"):
        assert fact not in sources, fact
    assert "奖励性绩效" not in names and "公务员" not in names


def test_projects(plan):
    projects = plan["projects"]
    assert [p["number"] for p in projects] == list(range(1, 19))
    names = {p["number"]: p["name"] for p in projects}
    assert names[1] == "幼儿园建设与提升工程"  # a name wrapped over two paragraphs is joined back
    assert names[3] == "义务教育薄弱环节改善与能力提升行动（2021—2025）"
    assert names[10] == "“十四五”特殊教育提升行动"
    assert names[15] == "争创全国义务教育优质均衡发展县"
    assert names[18] == "师生安全筑基固本行动"
    assert projects[0]["content"].startswith("新建南麻街道高庄社区幼儿园，改扩建沂源县历山幼儿园")
    assert projects[17]["content"].endswith("加强校园周边环境综合治理。")
    assert all(p["content"] for p in projects)


def test_unparsed(plan):
    assert plan["unparsed"] == [
        {"text": "确保义务教育教师平均工资收入水平不低于或高于当地公务员平均工资收入水平",
         "reason": "定性目标（不低于某一水平等），没有数值，未作为目标"},
        {"text": "可按照不低于50%的比例用于奖励性绩效工资分配",
         "reason": "政策规定（按一定比例分配或使用），不是发展目标，未作为目标"},
    ]  # fmt: skip
