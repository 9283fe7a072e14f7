"""班级、学生、学籍记录 frames from the cohort simulation.

Class sizes follow the school's stage and locality: 幼儿园 ≤ 35, 小学 about 40–45, 初中 45–50, small classes
(小班额) in 乡村 schools; some urban classes are oversized (大班额 56+, a few 超大班额 66+), fewer each year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import polars as pl

from edubrain.core.stages import JUNIOR, PRESCHOOL, PRIMARY, SENIOR, SPECIAL, VOCATIONAL
from edubrain.demo.catalog import RURAL, URBAN, Town
from edubrain.demo.people import IdMaker, NameMaker, birth_date_for
from edubrain.demo.plan_students import STAGE_OF_INDEX, Simulation, grade_code

_CLASS_SIZE = {  # (stage, locality) → usual class size
    PRESCHOOL: {URBAN: 32, "town": 28, RURAL: 22},
    PRIMARY: {URBAN: 45, "town": 42, RURAL: 28},
    JUNIOR: {URBAN: 50, "town": 46, RURAL: 40},
    SENIOR: {URBAN: 50, "town": 48, RURAL: 45},
}
ETHNIC_MINORITIES = ("03", "11", "02", "08", "06", "10")


def class_size(rng: random.Random, stage: str, locality: str, school_type: str, year: int) -> int:
    """Target size of a class; urban primary/junior/senior grades are sometimes oversized."""
    if school_type == SPECIAL:
        return 10
    if school_type == VOCATIONAL:
        return 45
    size = _CLASS_SIZE[stage][locality]
    if stage != PRESCHOOL and locality == URBAN:
        p_over = max(0.05, 0.32 - 0.05 * (year - 2020))
        if rng.random() < p_over:
            return 68 if rng.random() < 0.25 else 58
    return size


def split_sizes(n: int, target: int, oversize: bool) -> list[int]:
    """Sizes of the classes of one grade: ⌈n/target⌉ classes (or ≈ n/target when oversized), near-equal."""
    k = max(1, round(n / target)) if oversize else max(1, -(-n // target))
    base, rest = divmod(n, k)
    return [base + (1 if i < rest else 0) for i in range(k)]


def assign_classes(sim: Simulation) -> tuple[pl.DataFrame, list[int]]:
    """Group enrolment rows by (year, school, grade) into classes; returns the classes and row → class id."""
    rng = sim.rng
    groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, (_sid, year, school, k, _status) in enumerate(sim.rows):
        groups[(year, school, k)].append(i)
    row_class = [0] * len(sim.rows)
    cls: dict[str, list] = {"id": [], "school_id": [], "school_year": [], "grade_code": [], "number": []}
    for (year, school, k), members in sorted(groups.items()):
        spec = sim.schools[school]
        stage = STAGE_OF_INDEX[k]
        target = class_size(rng, stage, spec.locality, spec.school_type, year)
        if stage == PRESCHOOL:
            target = min(target, 35)
        sizes = split_sizes(len(members), target, target >= 56)
        rng.shuffle(members)
        pos = 0
        for number, size in enumerate(sizes, start=1):
            cid = len(cls["id"]) + 1
            for row in members[pos : pos + size]:
                row_class[row] = cid
            pos += size
            for key, value in zip(cls, (cid, school + 1, year, grade_code(k), number), strict=True):
                cls[key].append(value)
    return pl.DataFrame(cls), row_class


def student_frames(sim: Simulation, towns: list[Town]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(classes, students, enrollments). Enrollment helper columns start with ``_`` and are not written."""
    rng = sim.rng
    classes, row_class = assign_classes(sim)
    names, ids = NameMaker(rng), IdMaker(rng)
    last_school = {sid: school for sid, _y, school, _k, _s in sim.rows}
    cols: dict[str, list] = {
        k: []
        for k in (
            "id",
            "school_id",
            "student_number",
            "id_number",
            "name",
            "sex",
            "birth_date",
            "ethnicity",
            "hukou",
            "left_behind",
            "disability",
            "financial_difficulty",
            "address",
        )
    }
    for p in sim.pupils:
        first = sim.schools[p.school]
        rural = first.locality != URBAN
        male = rng.random() < 0.515
        migrant = rng.random() < (0.03 if rural else 0.085)
        birth: dt.date = birth_date_for(rng, p.grade, p.year)
        if rng.random() < 0.015 and p.grade > 3:  # 晚入学或留级
            birth = (
                birth.replace(year=birth.year - 1) if not (birth.month == 2 and birth.day == 29) else birth
            )
        id_number = ids(birth, male, ids.region(migrant))
        town = towns[first.town]
        row = (
            p.sid,
            last_school[p.sid] + 1,
            "G" + id_number,
            id_number,
            names(male),
            "M" if male else "F",
            birth,
            "01" if rng.random() < 0.987 else rng.choice(ETHNIC_MINORITIES),
            "migrant" if migrant else "local",
            (not migrant) and rng.random() < (0.10 if rural else 0.02),
            first.school_type == SPECIAL or rng.random() < 0.006,
            rng.random() < (0.09 if rural else 0.045),
            f"山东省淄博市沂源县{town.name}",
        )
        for key, value in zip(cols, row, strict=True):
            cols[key].append(value)
    students = pl.DataFrame(cols, schema_overrides={"birth_date": pl.Date})
    enrollments = pl.DataFrame(
        {
            "id": range(1, len(sim.rows) + 1),
            "student_id": [r[0] for r in sim.rows],
            "school_year": [r[1] for r in sim.rows],
            "school_class_id": row_class,
            "status": [r[4] for r in sim.rows],
            "_school_id": [r[2] + 1 for r in sim.rows],
            "_grade_code": [grade_code(r[3]) for r in sim.rows],
            "_school_type": [sim.schools[r[2]].school_type for r in sim.rows],
        }
    )
    return classes, students, enrollments
