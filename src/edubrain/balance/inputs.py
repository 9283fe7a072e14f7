"""Inputs of the 优质均衡 and 普及普惠 evaluations, read from the registry for one unit (county or 镇/街道)
and 学年, always through ``visible_to(user)``: GROUP BY counts for 学籍 and 教职工, one plain read of
办学条件;
no Python loop over pupils or staff.

``compulsory_inputs`` → one row per school (and stage) in the layout ``core.balance`` takes:

- 学段: 小学 (办学类型 小学), 初中 (初级中学), or 九年一贯制 / 十二年一贯制 / 完全中学 with 小学在校生数,
  初中在校生数, 高中在校生数 so the core splits the shared stock (standards.md §1.5);
- 在校生数: on-roll (在籍、转入) 学籍 of the stage's grades in the year;
- 高于规定学历教师数: 专任教师 employed in the year with 学历 above the legal minimum of the stage (§1.2 —
  小学 专科及以上, 初中 本科及以上); 县级以上骨干教师数: 专任教师 with a 骨干层级 (the registry records the
  title, not the level: every recognised 骨干教师、学科带头人、名师… counts as 县级以上); 体育艺术专任教师数:
  任教学科 体育、音乐、美术. The registry has no 任教学段, so a 一贯制 school's teachers are split between
  its stages by the same weighted-pupil share as its shared stock (core ``stage_share``) and given per stage;
- 教学及辅助用房面积, 体育运动场馆面积, 教学仪器设备值, 网络多媒体教室数: 办学条件 of the year; no row → null
  (the school is listed as 不可评估, never dropped). A school with no 专任教师 on record has null teacher
  counts.

``preschool_bundle`` → the indicator engine's ``IndicatorInputs`` for the kindergartens of the unit, so the
普及普惠 page computes 毛入园率, 公办/普惠 shares, 省一类以上 share and the 专科以上 share with the engine's
own formulas (``core.indicators``) and gets the same numbers as the plan monitoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db.models import Count, Q, QuerySet

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.units import rows_frame
from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    JUNIOR,
    NOTE,
    PRIMARY,
    PUPILS,
    SCHOOL_ID,
    SCHOOL_NAME,
    STAGE,
    BalanceOptions,
)
from edubrain.core.balance.split import (
    COMBINED_STAGES,
    COMPLETE_SECONDARY,
    NINE_YEAR,
    SENIOR,
    STAGE_PUPILS,
    TWELVE_YEAR,
    stage_share,
    stage_teacher_column,
)
from edubrain.core.indicators import inputs as spec
from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.core.stages import GRADES, PRESCHOOL, school_system_grades
from edubrain.core.stages import JUNIOR as JUNIOR_STAGE
from edubrain.core.stages import PRIMARY as PRIMARY_STAGE
from edubrain.core.stages import SENIOR as SENIOR_STAGE
from edubrain.registry.choices import ON_ROLL_STATUSES, Post
from edubrain.registry.models import Enrollment, Facility, Population, School, Staff
from edubrain.registry.models_org import school_system
from edubrain.registry.queries import enrolment_status_counts, teacher_attribute_counts

# 办学类型 → the 学段 value of its input row
SCHOOL_KINDS: dict[str, str] = {
    "primary": PRIMARY,
    "junior": JUNIOR,
    "nine_year": NINE_YEAR,
    "twelve_year": TWELVE_YEAR,
    "complete_secondary": COMPLETE_SECONDARY,
}
STAGE_NAMES = {PRIMARY_STAGE: PRIMARY, JUNIOR_STAGE: JUNIOR, SENIOR_STAGE: SENIOR}
QUALIFIED = "高于规定学历教师数"
BACKBONE = "县级以上骨干教师数"
ART_SPORT = "体育艺术专任教师数"
TEACHER_COLUMNS = (QUALIFIED, BACKBONE, ART_SPORT)
# 规定学历 (教师法): 小学 中专/中师, 初中 专科 → "above" is 专科及以上 / 本科及以上 (standards.md §1.2)
ABOVE_REQUIRED = {PRIMARY: ("college", "bachelor", "postgrad"), JUNIOR: ("bachelor", "postgrad")}
ART_SPORT_SUBJECTS = ("体育", "音乐", "美术")
FACILITY_COLUMNS = {
    "teaching_area": "教学及辅助用房面积",
    "sports_area": "体育运动场馆面积",
    "equipment_value": "教学仪器设备值",
    "multimedia_classrooms": "网络多媒体教室数",
}
SPLIT_NOTE = "未登记教师任教学段：教师按加权学生数份额拆分到各学段"
# Columns the pages use besides the core's: the school's key, org node, 镇/街道 and 城乡分类
EXTRA = ("school_pk", "org_unit_id", "town_id", "镇/街道", "locality", "school_type")


def open_in(year: int) -> Q:
    return (Q(founded_year__isnull=True) | Q(founded_year__lte=year)) & (
        Q(closed_year__isnull=True) | Q(closed_year__gt=year)
    )


def schools_in(user: Any, unit: OrgUnit) -> QuerySet[School]:
    return School.objects.visible_to(user).filter(org_unit__path__startswith=unit.path)


def _frame(rows: Iterable[Sequence[Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return rows_frame(list(rows), schema)


def _stage_of_grade() -> pl.DataFrame:
    return pl.DataFrame(
        {"grade_code": [g.code for g in GRADES], "stage": [STAGE_NAMES.get(g.stage) for g in GRADES]},
        schema={"grade_code": pl.String(), "stage": pl.String()},
    )


def stage_pupils(user: Any, unit: OrgUnit, year: int) -> pl.DataFrame:
    """school_pk → 小学在校生数, 初中在校生数, 高中在校生数 (on-roll 学籍 of the year; one GROUP BY)."""
    rows = (
        Enrollment.objects.visible_to(user)
        .filter(
            school_class__school__org_unit__path__startswith=unit.path,
            school_year__start_year=year,
            status__in=ON_ROLL_STATUSES,
        )
        .values_list("school_class__school_id", "school_class__grade_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = _frame(rows, {"school_pk": pl.Int64(), "grade_code": pl.String(), "n": pl.Int64()})
    by_stage = (
        counted.join(_stage_of_grade(), on="grade_code", how="inner")
        .filter(pl.col("stage").is_not_null())
        .group_by("school_pk")
        .agg(
            pl.col("n").filter(pl.col("stage") == s).sum().cast(pl.Float64).alias(STAGE_PUPILS[s])
            for s in (PRIMARY, JUNIOR, SENIOR)
        )
    )
    return by_stage


def teacher_counts(user: Any, unit: OrgUnit, year: int) -> pl.DataFrame:
    """school_pk → 专任教师 employed in the year counted by 学历, 骨干层级 and 任教学科 (one GROUP BY):
    teachers, college_up (专科及以上), bachelor_up (本科及以上), backbone, art_sport."""
    rows = (
        Staff.objects.visible_to(user)
        .filter(school__org_unit__path__startswith=unit.path, post=Post.TEACHER, joined_year__lte=year)
        .filter(Q(left_year__isnull=True) | Q(left_year__gt=year))
        .values_list("school_id", "education", "tier", "subject")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = _frame(
        rows,
        {
            "school_pk": pl.Int64(),
            "education": pl.String(),
            "tier": pl.String(),
            "subject": pl.String(),
            "n": pl.Int64(),
        },
    )
    n = pl.col("n")
    return counted.group_by("school_pk").agg(
        n.sum().alias("teachers"),
        n.filter(pl.col("education").is_in(ABOVE_REQUIRED[PRIMARY])).sum().alias("college_up"),
        n.filter(pl.col("education").is_in(ABOVE_REQUIRED[JUNIOR])).sum().alias("bachelor_up"),
        n.filter(pl.col("tier").fill_null("") != "").sum().alias("backbone"),
        n.filter(pl.col("subject").is_in(ART_SPORT_SUBJECTS)).sum().alias("art_sport"),
    )


def facilities(user: Any, unit: OrgUnit, year: int) -> pl.DataFrame:
    """school_pk → the four 办学条件 resources of the year (one SELECT)."""
    qs = Facility.objects.visible_to(user).filter(school__org_unit__path__startswith=unit.path, year=year)
    frame = queryset_frame(qs, ["school_id", *FACILITY_COLUMNS])
    return frame.rename({"school_id": "school_pk", **FACILITY_COLUMNS}).with_columns(
        pl.col(c).cast(pl.Float64) for c in FACILITY_COLUMNS.values()
    )


def compulsory_schools(user: Any, unit: OrgUnit, year: int) -> pl.DataFrame:
    """The visible 小学, 初中 and 一贯制 schools of the unit open in the year."""
    qs = schools_in(user, unit).filter(open_in(year), school_type__in=list(SCHOOL_KINDS))
    rows = qs.values_list(
        "id", "org_unit_id", "code", "name", "school_type", "town_id", "town__name", "locality"
    )
    return _frame(
        rows,
        {
            "school_pk": pl.Int64(),
            "org_unit_id": pl.Int64(),
            SCHOOL_ID: pl.String(),
            SCHOOL_NAME: pl.String(),
            "school_type": pl.String(),
            "town_id": pl.Int64(),
            "镇/街道": pl.String(),
            "locality": pl.String(),
        },
    )


def compulsory_inputs(
    user: Any, unit: OrgUnit, year: int, options: BalanceOptions = DEFAULT_OPTIONS
) -> pl.DataFrame:
    """One input row per school of the unit (a 一贯制 school's row carries its stage enrolments and
    per-stage teacher counts), ordered by 学校标识码; see the module docstring."""
    schools = compulsory_schools(user, unit, year)
    frame = (
        schools.join(stage_pupils(user, unit, year), on="school_pk", how="left")
        .join(teacher_counts(user, unit, year), on="school_pk", how="left")
        .join(facilities(user, unit, year), on="school_pk", how="left")
        .with_columns(pl.col(c).fill_null(0.0) for c in STAGE_PUPILS.values())
        .with_columns(pl.col("school_type").replace_strict(SCHOOL_KINDS).alias(STAGE))
    )
    stage = pl.col(STAGE)
    own_pupils = (
        pl.when(stage == PRIMARY)
        .then(pl.col(STAGE_PUPILS[PRIMARY]))
        .when(stage == JUNIOR)
        .then(pl.col(STAGE_PUPILS[JUNIOR]))
        .otherwise(pl.sum_horizontal(*(pl.col(c) for c in STAGE_PUPILS.values())))
    )
    qualified = pl.when(stage == PRIMARY).then(pl.col("college_up")).otherwise(pl.col("bachelor_up"))
    frame = frame.with_columns(
        own_pupils.alias(PUPILS),
        qualified.cast(pl.Float64).alias(QUALIFIED),
        pl.col("backbone").cast(pl.Float64).alias(BACKBONE),
        pl.col("art_sport").cast(pl.Float64).alias(ART_SPORT),
        pl.when(stage.is_in(list(COMBINED_STAGES)) & pl.col("teachers").is_not_null())
        .then(pl.lit(SPLIT_NOTE))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias(NOTE),
    )
    frame = frame.with_columns(_per_stage_teachers(frame, options))
    columns = [
        SCHOOL_ID,
        SCHOOL_NAME,
        STAGE,
        PUPILS,
        QUALIFIED,
        BACKBONE,
        ART_SPORT,
        *FACILITY_COLUMNS.values(),
        *STAGE_PUPILS.values(),
        *(stage_teacher_column(s, c) for s in (PRIMARY, JUNIOR) for c in TEACHER_COLUMNS),
        NOTE,
        *EXTRA,
    ]
    return frame.select(columns).sort(SCHOOL_ID)


def _per_stage_teachers(frame: pl.DataFrame, options: BalanceOptions) -> list[pl.Expr]:
    """小学… / 初中… teacher columns of the 一贯制 rows: the school's teachers × the stage's share (the
    qualification bar of each stage applied to the whole staff first); null on other rows."""
    stage = pl.col(STAGE)
    counts = {
        PRIMARY: {QUALIFIED: "college_up", BACKBONE: "backbone", ART_SPORT: "art_sport"},
        JUNIOR: {QUALIFIED: "bachelor_up", BACKBONE: "backbone", ART_SPORT: "art_sport"},
    }
    exprs = []
    for target in (PRIMARY, JUNIOR):
        share = pl.lit(None, dtype=pl.Float64)
        for kind, (_, evaluated) in COMBINED_STAGES.items():
            if target in evaluated:
                share = (
                    pl.when(stage == kind).then(stage_share(frame, kind, target, options)).otherwise(share)
                )
        for column, source in counts[target].items():
            exprs.append(
                (pl.col(source).cast(pl.Float64) * share).alias(stage_teacher_column(target, column))
            )
    return exprs


# ---------------------------------------------------------------- 普及普惠


def area_units(user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The visible 镇/街道 of a county (or the 镇/街道 itself), in tree order."""
    if unit.kind == OrgKind.TOWN:
        return [unit]
    return list(
        OrgUnit.objects.visible_to(user)
        .filter(kind=OrgKind.TOWN, path__startswith=unit.path)
        .order_by("path")
    )


def county_of(unit: OrgUnit) -> OrgUnit | None:
    return next((u for u in unit.ancestors() if u.kind == OrgKind.COUNTY), None)


def preschool_bundle(user: Any, unit: OrgUnit, year: int) -> IndicatorInputs:
    """The engine's input bundle for the unit's kindergartens (and other schools with 学前 classes) in one
    学年: schools, preschool 学籍 counts, 专任教师 counts and the 3–5 岁 population of the county and its
    镇/街道 — the same frames ``plans.indicator_inputs.build_inputs`` reads, restricted to what the user
    sees."""
    county = county_of(unit) or unit
    towns = area_units(user, unit)
    schools = queryset_frame(schools_in(user, unit), list(spec.SCHOOLS))
    preschool = school_system_grades(school_system())[PRESCHOOL]
    enrolled = enrolment_status_counts(
        Enrollment.objects.visible_to(user)
        .filter(
            school_class__school__org_unit__path__startswith=unit.path,
            school_year__start_year=year,
            school_class__grade_code__in=preschool,
        )
    )
    staff = teacher_attribute_counts(
        Staff.objects.visible_to(user).filter(
            school__org_unit__path__startswith=unit.path, school__school_type="kindergarten"
        )
    )
    areas = [county.pk, *(t.pk for t in towns)] if unit.kind == OrgKind.COUNTY else [t.pk for t in towns]
    population = queryset_frame(
        Population.objects.visible_to(user).filter(org_unit_id__in=areas, year=year, age__in=[3, 4, 5]),
        ["org_unit_id", "year", "age", "population", "source"],
    )
    return IndicatorInputs(
        county_id=county.pk,
        years=(year,),
        towns=tuple(t.pk for t in towns),
        schools=schools,
        enrolments=_frame(enrolled, spec.ENROLMENTS),
        staff=_frame(staff, spec.STAFF),
        population=population,
        school_system=school_system(),
    )
