"""School stages (学段), grade codes (年级代码) and school types (办学类型).

Grade codes follow the national 学籍 convention: 11–16 小学一至六年级, 21–24 初中一至四年级 (24 only under
五四制), 31–33 高中（含中职）一至三年级; kindergarten 小班/中班/大班 are 01/02/03 (托班 00 is not counted).
"""

from __future__ import annotations

from dataclasses import dataclass

PRESCHOOL = "preschool"
PRIMARY = "primary"
JUNIOR = "junior"
SENIOR = "senior"

STAGE_LABELS: dict[str, str] = {
    PRESCHOOL: "学前教育",
    PRIMARY: "小学",
    JUNIOR: "初中",
    SENIOR: "高中阶段",
}


@dataclass(frozen=True)
class Grade:
    code: str
    name: str
    stage: str
    order: int


GRADES: tuple[Grade, ...] = (
    Grade("01", "小班", PRESCHOOL, 1),
    Grade("02", "中班", PRESCHOOL, 2),
    Grade("03", "大班", PRESCHOOL, 3),
    Grade("11", "一年级", PRIMARY, 4),
    Grade("12", "二年级", PRIMARY, 5),
    Grade("13", "三年级", PRIMARY, 6),
    Grade("14", "四年级", PRIMARY, 7),
    Grade("15", "五年级", PRIMARY, 8),
    Grade("16", "六年级", PRIMARY, 9),
    Grade("21", "初一", JUNIOR, 10),
    Grade("22", "初二", JUNIOR, 11),
    Grade("23", "初三", JUNIOR, 12),
    Grade("24", "初四", JUNIOR, 13),
    Grade("31", "高一", SENIOR, 14),
    Grade("32", "高二", SENIOR, 15),
    Grade("33", "高三", SENIOR, 16),
)
GRADE_BY_CODE: dict[str, Grade] = {g.code: g for g in GRADES}


SCHOOL_SYSTEMS = ("6-3", "5-4")


def grade_name(code: str | None) -> str:
    """The grade's Chinese name (三年级, 初一, 高三 …); an unknown code as given."""
    grade = GRADE_BY_CODE.get(code or "")
    return grade.name if grade else (code or "")


def school_system_grades(system: str) -> dict[str, tuple[str, ...]]:
    """Grade codes of each stage under a 学制 ("6-3" or "5-4")."""
    primary: tuple[str, ...]
    junior: tuple[str, ...]
    if system == "6-3":
        primary, junior = ("11", "12", "13", "14", "15", "16"), ("21", "22", "23")
    elif system == "5-4":
        primary, junior = ("11", "12", "13", "14", "15"), ("21", "22", "23", "24")
    else:
        raise ValueError(f"未知学制“{system}”，应为 6-3 或 5-4")
    return {PRESCHOOL: ("01", "02", "03"), PRIMARY: primary, JUNIOR: junior, SENIOR: ("31", "32", "33")}


# 办学类型 → the stages a school of that type teaches.
KINDERGARTEN = "kindergarten"
PRIMARY_SCHOOL = "primary"
JUNIOR_SCHOOL = "junior"
NINE_YEAR = "nine_year"
TWELVE_YEAR = "twelve_year"
COMPLETE_SECONDARY = "complete_secondary"
SENIOR_HIGH = "senior_high"
VOCATIONAL = "vocational"
SPECIAL = "special"

SCHOOL_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    KINDERGARTEN: ("幼儿园", (PRESCHOOL,)),
    PRIMARY_SCHOOL: ("小学", (PRIMARY,)),
    JUNIOR_SCHOOL: ("初级中学", (JUNIOR,)),
    NINE_YEAR: ("九年一贯制学校", (PRIMARY, JUNIOR)),
    TWELVE_YEAR: ("十二年一贯制学校", (PRIMARY, JUNIOR, SENIOR)),
    COMPLETE_SECONDARY: ("完全中学", (JUNIOR, SENIOR)),
    SENIOR_HIGH: ("高级中学", (SENIOR,)),
    VOCATIONAL: ("中等职业学校", (SENIOR,)),
    SPECIAL: ("特殊教育学校", (PRESCHOOL, PRIMARY, JUNIOR, SENIOR)),
}


def school_type_label(school_type: str) -> str:
    return SCHOOL_TYPES[school_type][0]


def grade_allowed(school_type: str, grade_code: str, system: str | None = None) -> bool:
    """Whether a school of this type may have a class of this grade.

    Without ``system`` every grade code of the type's stages is allowed (初四 included); with a 学制
    ("6-3"/"5-4") only the grades that system has (六年级 only under 6-3, 初四 only under 5-4).
    Unknown school types and grade codes are never allowed.
    """
    grade = GRADE_BY_CODE.get(grade_code)
    spec = SCHOOL_TYPES.get(school_type)
    if grade is None or spec is None or grade.stage not in spec[1]:
        return False
    return system is None or grade_code in school_system_grades(system)[grade.stage]


def grade_stage(grade_code: str) -> str:
    return GRADE_BY_CODE[grade_code].stage
