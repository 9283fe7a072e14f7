"""The indicator catalogue: every indicator the plan monitoring knows, by stable code.

Each ``IndicatorDef`` names the indicator (Chinese name, unit), says how it is defined (numerator and
denominator in words, from ``shared/reference/standards.md`` where the method is national) and whether the
platform computes it from its data (``computed``) or it is entered by hand (``manual``). ``aliases`` are the
ways plans write it, used by ``match_indicator`` to link a parsed target to its indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit: str
    aliases: tuple[str, ...] = ()
    definition: str = ""
    numerator: str = ""
    denominator: str = ""
    kind: str = "computed"  # or "manual"
    decimals: int = 1
    higher_is_better: bool = True


CATALOGUE_LIST: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "preschool_enrolment",
        "幼儿园在园人数",
        "万人",
        ("幼儿园在园人数", "在园幼儿数", "学前教育在园幼儿"),
        decimals=2,
    ),
    IndicatorDef(
        "preschool_gross_rate", "学前三年毛入园率", "%", ("学前三年毛入园率", "学前教育毛入园率", "毛入园率")
    ),
    IndicatorDef(
        "compulsory_enrolment", "义务教育在校生", "万人", ("义务教育在校生", "义务教育在校生数"), decimals=2
    ),
    IndicatorDef(
        "compulsory_retention_rate",
        "九年义务教育巩固率",
        "%",
        ("九年义务教育巩固率", "义务教育巩固率", "巩固率"),
    ),
    IndicatorDef(
        "upper_secondary_enrolment",
        "高中阶段教育在校生",
        "万人",
        ("高中阶段教育在校生", "高中阶段在校生"),
        decimals=2,
    ),
    IndicatorDef(
        "vocational_enrolment",
        "中职在校生",
        "万人",
        ("中职在校生", "中等职业教育在校生", "其中：中职在校生"),
        decimals=2,
    ),
    IndicatorDef(
        "upper_secondary_gross_rate",
        "高中阶段教育毛入学率",
        "%",
        ("高中阶段教育毛入学率", "高中阶段毛入学率"),
    ),
    IndicatorDef(
        "preschool_teacher_major_share",
        "幼儿园学前教育专业毕业专任教师比例",
        "%",
        ("幼儿园学前教育专业毕业专任教师比例",),
    ),
    IndicatorDef(
        "compulsory_teacher_bachelor_share",
        "义务教育阶段本科及以上学历专任教师比例",
        "%",
        ("义务教育阶段本科及以上学历专任教师比例", "义务教育专任教师本科以上学历比例"),
    ),
    IndicatorDef(
        "urban_rural_bachelor_ratio",
        "城市与农村义务教育学校专任教师本科以上学历比例之比",
        "",
        ("城市与农村义务教育学校专任教师本科以上学历比例之比",),
        decimals=2,
        higher_is_better=False,
    ),
    IndicatorDef(
        "senior_teacher_master_share",
        "高中阶段教育专任教师中硕士研究生以上学历比例",
        "%",
        ("高中阶段教育专任教师中硕士研究生以上学历比例", "高中专任教师硕士以上学历比例"),
    ),
    IndicatorDef(
        "vocational_dual_teacher_share",
        "中职“双师型”教师占专任专业教师比例",
        "%",
        ("中职院校“双师型”教师占专任专业教师比例", "中职“双师型”教师占专任专业教师比例", "双师型教师比例"),
    ),
    IndicatorDef(
        "adult_schooling_years",
        "劳动年龄人口平均受教育年限",
        "年",
        ("劳动年龄人口平均受教育年限", "新增劳动力平均受教育年限"),
        kind="manual",
    ),
    IndicatorDef(
        "public_kindergarten_share",
        "公办幼儿园在园幼儿占比",
        "%",
        ("公办幼儿园在园幼儿占比", "公办园在园幼儿占比", "公办园在园幼儿比例"),
    ),
    IndicatorDef(
        "inclusive_kindergarten_coverage",
        "普惠性幼儿园覆盖率",
        "%",
        ("普惠性幼儿园覆盖率", "普惠性幼儿园在园幼儿占比"),
    ),
    IndicatorDef(
        "first_class_kindergarten_share",
        "省一类以上幼儿园占比",
        "%",
        ("省一类以上幼儿园占比",),
        kind="manual",
    ),
    IndicatorDef(
        "preschool_teacher_college_share",
        "幼儿教师专科及以上学历占比",
        "%",
        ("幼儿教师专科及以上学历占比", "幼儿园专任教师专科以上学历比例"),
    ),
    IndicatorDef(
        "fitness_excellent_good_rate",
        "学生体质健康优良率",
        "%",
        ("学生体质健康测试优良率", "体质健康优良率", "优良率"),
    ),
    IndicatorDef(
        "fitness_pass_rate", "学生体质健康合格率", "%", ("学生体质健康测试合格率", "体质健康合格率", "合格率")
    ),
    IndicatorDef(
        "myopia_rate",
        "儿童青少年总体近视率",
        "%",
        ("总体近视率", "近视率", "儿童青少年总体近视率"),
        higher_is_better=False,
    ),
    IndicatorDef(
        "large_class_count",
        "大班额班级数",
        "个",
        ("大班额", "大班额班级数"),
        decimals=0,
        higher_is_better=False,
    ),
    IndicatorDef(
        "super_large_class_count",
        "超大班额班级数",
        "个",
        ("超大班额", "超大班额班级数"),
        decimals=0,
        higher_is_better=False,
    ),
    IndicatorDef(
        "education_expenditure",
        "一般公共预算教育支出",
        "万元",
        ("一般公共预算教育支出", "教育财政支出"),
        decimals=0,
    ),
    IndicatorDef(
        "per_pupil_expenditure",
        "生均一般公共预算教育经费",
        "元",
        ("生均一般公共预算教育经费", "按在校学生人数平均的一般公共预算教育支出"),
        decimals=0,
    ),
    IndicatorDef(
        "teacher_research_share",
        "掌握教科研基本流程的一线教师占比",
        "%",
        ("掌握教科研基本流程的一线教师", "一线教师掌握教科研基本流程"),
        kind="manual",
    ),
    IndicatorDef(
        "research_backbone_share",
        "成长为教科研骨干力量的一线教师占比",
        "%",
        ("成长为教科研骨干力量的一线教师", "教科研骨干"),
        kind="manual",
    ),
)
CATALOGUE: dict[str, IndicatorDef] = {d.code: d for d in CATALOGUE_LIST}


def _norm(text: str) -> str:
    """Name without blanks, brackets with units, quotes and "其中：" — what matching compares."""
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    text = re.sub(r"[\s“”\"'‘’：:]|其中", "", text)
    return text


def match_indicator(name: str, unit: str | None = None, category: str | None = None) -> str | None:
    """The code of the indicator a plan's wording names, or None. ``category`` is the table's 类别 column
    (义务教育 + 在校生 → 义务教育在校生): tried first, prefixed to the name. Exact (normalised) alias matches
    win; otherwise the longest alias contained in the name. ``unit`` breaks ties (万人 vs %)."""
    if category:
        found = _match(_norm(category) + _norm(name), unit)
        if found:
            return found
    return _match(_norm(name), unit)


def _match(wanted: str, unit: str | None) -> str | None:
    if not wanted:
        return None
    exact = [d for d in CATALOGUE_LIST if wanted in {_norm(a) for a in (d.name, *d.aliases)}]
    if exact:
        return _pick(exact, unit).code
    best: tuple[int, IndicatorDef] | None = None
    for d in CATALOGUE_LIST:
        for alias in (d.name, *d.aliases):
            a = _norm(alias)
            if len(a) >= 2 and a in wanted and (best is None or len(a) > best[0]):
                best = (len(a), d)
    return best[1].code if best else None


def _pick(candidates: list[IndicatorDef], unit: str | None) -> IndicatorDef:
    if unit:
        same = [d for d in candidates if d.unit == unit]
        if same:
            return same[0]
    return candidates[0]
