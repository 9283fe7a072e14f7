"""入学资格 (eligibility): who may apply to a round.

小学一年级: the child must be 满6周岁 by 31 August of the year of entry (born on or before that day; a round
may set its own 出生日期截止). 初中一年级: no age rule — the children are the 小学毕业生 of the zone, i.e. the
pupils of the primary's graduating grade (六年级 under 六三制, 五年级 under 五四制).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edubrain.core.errors import CoreError
from edubrain.core.ids import id_birth_date, id_sex, validate_id_number
from edubrain.core.stages import JUNIOR, PRIMARY, school_system_grades

ENTRY_AGE = 6


@dataclass(frozen=True)
class Child:
    """The facts a valid 身份证号 gives: the normalised number, birth date and sex ("M"/"F")."""

    id_number: str
    birth_date: dt.date
    sex: str


def birth_cutoff(year: int) -> dt.date:
    """The last birth date for 小学一年级 in the autumn of ``year``: 31 August, six years before."""
    return dt.date(year - ENTRY_AGE, 8, 31)


def _check_stage(stage: str) -> None:
    if stage not in (PRIMARY, JUNIOR):
        raise CoreError("enroll.stage", f"未知学段“{stage}”：应为小学一年级（primary）或初中一年级（junior）")


def check_child(id_number: str, *, stage: str, year: int, cutoff: dt.date | None, today: dt.date) -> Child:
    """Validate the child's 身份证号 and, for 小学, the age rule; return the child's facts.

    Raises CoreError: the 身份证号 codes of ``core.ids`` (format, birth date, check digit), ``enroll.stage``
    for an unknown stage, and ``enroll.too_young`` for a 小学 child born after ``cutoff`` (default
    ``birth_cutoff(year)``; a child born on the cutoff day is eligible)."""
    _check_stage(stage)
    number = validate_id_number(id_number, today)
    born = id_birth_date(number)
    if stage == PRIMARY:
        limit = cutoff or birth_cutoff(year)
        if born > limit:
            raise CoreError(
                "enroll.too_young",
                f"儿童身份证号显示出生日期为{born.year}年{born.month}月{born.day}日，未满入学年龄："
                f"{year}年秋季入读小学一年级须在{limit.year}年{limit.month}月{limit.day}日（含）以前出生",
            )
    return Child(number, born, "M" if id_sex(number) == "男" else "F")


def _grades(system: str) -> dict[str, tuple[str, ...]]:
    try:
        return school_system_grades(system)
    except ValueError:
        raise CoreError("enroll.system", f"未知学制“{system}”：应为 6-3（六三制）或 5-4（五四制）")


def graduating_grade(system: str) -> str:
    """The primary graduates' grade code: "16" (六年级) for 6-3, "15" (五年级) for 5-4."""
    return _grades(system)[PRIMARY][-1]


def entry_grade(stage: str, system: str) -> str:
    """The grade a round admits into: "11" (一年级) for primary, "21" (初一) for junior, in both systems."""
    _check_stage(stage)
    return _grades(system)[stage][0]
