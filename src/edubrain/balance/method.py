"""The other parts of the 优质均衡 method (standards.md §1.6–1.8): 政府保障程度, 教育质量, 社会认可度.

Each item is listed with its requirement; where the registry holds the data it is computed here (学校规模,
班额, 5年360学时培训, 初中三年巩固率 — the last with the indicator engine's own cohort formula) and marked
已计算 with its value and verdict, else 需人工填报.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db.models import Count, Q, Sum

from edubrain.balance import inputs
from edubrain.balance.queries import Selection
from edubrain.base.frames import queryset_frame
from edubrain.base.units import rows_frame
from edubrain.core.indicators.enrolment import cohort_retention, types_teaching
from edubrain.core.indicators.inputs import SCHOOLS as SCHOOL_SCHEMA
from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.core.places.class_size import classify_classes, school_size
from edubrain.core.stages import JUNIOR, PRIMARY, school_system_grades
from edubrain.registry.choices import ON_ROLL_STATUSES, Post
from edubrain.registry.models import Enrollment, Staff, StaffTraining
from edubrain.registry.models_org import school_system
from edubrain.registry.queries import enrolment_status_counts

COMPUTED, MANUAL = "已计算", "需人工填报"
TRAINING_HOURS, TRAINING_YEARS = 360, 5

# (part, code, requirement, threshold text) of the items without registry data
MANUAL_ITEMS = (
    ("政府保障程度", "G1", "县域义务教育学校规划布局合理，符合国家规定", "佐证材料"),
    (
        "政府保障程度",
        "G2",
        "城乡学校建设标准、教师编制标准、生均公用经费基准定额、基本装备配置标准统一",
        "佐证材料",
    ),
    (
        "政府保障程度",
        "G3",
        "每12个班配备音乐、美术专用教室各1间以上",
        "音乐≥96㎡、美术≥90㎡（登记中无专用教室数据）",
    ),
    ("政府保障程度", "G6", "不足100名学生的村小学和教学点按100名学生核定公用经费", "预算资料"),
    ("政府保障程度", "G7", "特殊教育学校生均公用经费", "≥ 6000元"),
    ("政府保障程度", "G8", "教师平均工资收入水平不低于当地公务员平均工资收入水平", "工资资料"),
    ("政府保障程度", "G10", "在核定编制总额和岗位总量内统筹分配各校编制和岗位", "佐证材料"),
    ("政府保障程度", "G11", "每年交流轮岗教师比例；骨干教师占交流轮岗教师比例", "≥ 10%；≥ 20%"),
    ("政府保障程度", "G12", "专任教师持教师资格证上岗率", "= 100%"),
    ("政府保障程度", "G13", "城区和镇区公办小学、初中就近划片入学比例", "小学100%，初中≥95%"),
    ("政府保障程度", "G14", "优质高中招生名额分配比例", "≥ 50%，向农村初中倾斜"),
    ("政府保障程度", "G15", "符合条件的随迁子女在公办学校和政府购买服务的民办学校就读比例", "≥ 85%"),
    ("教育质量", "Q2", "全县残疾儿童少年入学率", "≥ 95%"),
    ("教育质量", "Q3", "所有学校制定章程，实现学校管理与教学信息化", "佐证材料"),
    ("教育质量", "Q4", "教师培训经费占公用经费预算总额的比例", "每校≥ 5%"),
    ("教育质量", "Q5", "教师能熟练运用信息化手段组织教学，设施设备利用率较高", "佐证材料"),
    ("教育质量", "Q6", "所有学校德育工作、校园文化建设水平达到良好以上", "佐证材料"),
    ("教育质量", "Q7", "课程开齐开足，教学秩序规范，综合实践活动有效开展", "佐证材料"),
    ("教育质量", "Q8", "无过重课业负担", "佐证材料"),
    ("教育质量", "Q9", "国家义务教育质量监测各学科学业水平达到Ⅲ级以上，校际差异率低于0.15", "监测报告"),
    ("社会认可度", "S1", "社会认可度（学生、家长、教师、校长、人大代表、政协委员等问卷）", "≥ 85%"),
)


def _item(part: str, code: str, name: str, threshold: str, value: str, passed: bool | None) -> dict[str, Any]:
    return {
        "part": part,
        "code": code,
        "name": name,
        "threshold": threshold,
        "status": COMPUTED,
        "value": value,
        "passed": passed,
    }


def size_of_schools(frame: pl.DataFrame) -> dict[str, Any]:
    """G4: schools whose 义务教育段 pupils exceed 2000 (小学、初中) or 2500 (一贯制) — ``core.places``'s
    ``school_size``, as on the 班额 page."""
    pupils = pl.col("小学在校生数").fill_null(0) + pl.col("初中在校生数").fill_null(0)
    sized = school_size(frame.select("学校名称", "school_type", pupils.alias("pupils")))
    over = sized.filter(pl.col("over_size_limit").fill_null(False))
    names = "、".join(over["学校名称"].to_list()[:5])
    value = f"超规模学校 {over.height} 所" + (f"：{names}" if names else "")
    return _item(
        "政府保障程度", "G4", "学校规模", "小学、初中≤2000人；一贯制≤2500人", value, over.height == 0
    )


def class_sizes(user: Any, sel: Selection, year: int) -> dict[str, Any]:
    """G5: every class of 小学 ≤ 45, 初中 ≤ 50 pupils, counted per class (one GROUP BY; the standard sizes
    and the per-class test of ``core.places.classify_classes``)."""
    grades = school_system_grades(school_system())
    rows = (
        Enrollment.objects.visible_to(user)
        .filter(
            school_class__school__org_unit__path__startswith=sel.unit.path,
            school_class__school__school_type__in=list(inputs.SCHOOL_KINDS),
            school_year__start_year=year,
            status__in=ON_ROLL_STATUSES,
            school_class__grade_code__in=[*grades[PRIMARY], *grades[JUNIOR]],
        )
        .values_list("school_class_id", "school_class__grade_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    classes = rows_frame(list(rows), {"id": pl.Int64(), "grade_code": pl.String(), "size": pl.Int64()})
    over = int(classify_classes(classes)["over_standard"].fill_null(False).sum())
    value = f"超标班额 {over} 个（共 {classes.height} 个班）" if classes.height else "无班级数据"
    return _item(
        "政府保障程度",
        "G5",
        "班额",
        "小学每班≤45人，初中每班≤50人",
        value,
        over == 0 if classes.height else None,
    )


def training(user: Any, sel: Selection, year: int) -> dict[str, Any]:
    """G9: 专任教师 of the compulsory schools employed in the year with ≥ 360 training hours over the five
    学年 ending with it."""
    teachers = (
        Staff.objects.visible_to(user)
        .filter(
            school__org_unit__path__startswith=sel.unit.path,
            school__school_type__in=list(inputs.SCHOOL_KINDS),
            post=Post.TEACHER,
            joined_year__lte=year,
        )
        .filter(Q(left_year__isnull=True) | Q(left_year__gt=year))
    )
    total = teachers.count()
    hours = (
        StaffTraining.objects.visible_to(user)
        .filter(
            staff__in=teachers,
            school_year__start_year__gt=year - TRAINING_YEARS,
            school_year__start_year__lte=year,
        )
        .values("staff_id")
        .annotate(h=Sum("hours"))
        .filter(h__gte=TRAINING_HOURS)
        .count()
    )
    if not total:
        value, passed = "无专任教师数据", None
    else:
        value, passed = f"{hours * 100 / total:.1f}%（{hours}/{total}人）", hours == total
    return _item("政府保障程度", "G9", f"教师5年{TRAINING_HOURS}学时培训完成率", "= 100%", value, passed)


def junior_retention(user: Any, sel: Selection, year: int) -> dict[str, Any]:
    """Q1: 初中三年巩固率 of the unit by the indicator engine's cohort formula (``cohort_retention``)."""
    grades = school_system_grades(school_system())[JUNIOR]
    span = len(grades) - 1
    rows = enrolment_status_counts(
        Enrollment.objects.visible_to(user)
        .filter(
            school_class__school__org_unit__path__startswith=sel.unit.path,
            school_year__start_year__gte=year - span,
            school_year__start_year__lte=year,
            school_class__grade_code__in=grades,
        )
    )
    county = inputs.county_of(sel.unit) or sel.unit
    bundle = IndicatorInputs(
        county_id=county.pk,
        years=(year,),
        schools=queryset_frame(inputs.schools_in(user, sel.unit), list(SCHOOL_SCHEMA)),
        enrolments=pl.DataFrame(
            list(rows),
            schema={
                "org_unit_id": pl.Int64(),
                "year": pl.Int64(),
                "grade_code": pl.String(),
                "status": pl.String(),
                "n": pl.Int64(),
            },
            orient="row",
        ),
        school_system=school_system(),
    )
    result = cohort_retention(bundle, "junior_retention_rate", grades, types_teaching(JUNIOR), "初一")
    row = result.filter(pl.col("org_unit_id") == county.pk).to_dicts()
    value_num = row[0]["value"] if row else None
    value = f"{value_num:.2f}%" if value_num is not None else (row[0]["note"] if row else "无数据")
    passed = None if value_num is None else value_num >= 95
    return _item("教育质量", "Q1", "初中三年巩固率", "≥ 95%", value, passed)


def method_parts(user: Any, sel: Selection, year: int, frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Every item of §1.6–1.8 in the method's order: computed ones with value and verdict."""
    computed = {
        "G4": size_of_schools(frame),
        "G5": class_sizes(user, sel, year),
        "G9": training(user, sel, year),
        "Q1": junior_retention(user, sel, year),
    }
    manual = {
        code: {
            "part": part,
            "code": code,
            "name": name,
            "threshold": threshold,
            "status": MANUAL,
            "value": "",
            "passed": None,
        }
        for part, code, name, threshold in MANUAL_ITEMS
    }
    items = {**manual, **computed}
    order = [f"G{i}" for i in range(1, 16)] + [f"Q{i}" for i in range(1, 10)] + ["S1"]
    return [items[c] for c in order if c in items]
