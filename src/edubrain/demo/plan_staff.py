"""教职工 plan: staff per school sized from classes, with retirements and new hires 2020—2025.

Qualification shares of 专任教师 are calibrated to Table 1 through who is employed when (``joined_year`` /
``left_year``): see ``qualifications.calibrate_share``. Head teachers (班主任) are drawn per class and year.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from edubrain.core.stages import KINDERGARTEN, SPECIAL, VOCATIONAL
from edubrain.demo.catalog import RURAL, YEARS, SchoolSpec, school_code
from edubrain.demo.people import IdMaker, NameMaker, adult_birth_date

# 专任教师 per class, by school type (乡村小学 get more per class: small classes, full curriculum).
TEACHERS_PER_CLASS = {
    KINDERGARTEN: 2.0,
    "primary": 2.2,
    "junior": 3.5,
    "nine_year": 2.7,
    "senior_high": 3.7,
    VOCATIONAL: 3.2,
    SPECIAL: 2.8,
}
FEMALE_SHARE = {
    KINDERGARTEN: 0.96,
    "primary": 0.72,
    "junior": 0.56,
    "nine_year": 0.62,
    "senior_high": 0.46,
    VOCATIONAL: 0.45,
    SPECIAL: 0.75,
}
POSTS = ("teacher", "admin", "support", "worker")


@dataclass
class Person:
    pid: int
    school: int
    post: str
    male: bool
    birth: dt.date
    joined: int
    left: int | None = None
    attrs: dict[str, object] = field(default_factory=dict)

    def active(self, year: int) -> bool:
        return self.joined <= year and (self.left is None or self.left > year)


def staff_needed(spec: SchoolSpec, classes: int) -> dict[str, int]:
    if classes == 0:
        return dict.fromkeys(POSTS, 0)
    per_class = TEACHERS_PER_CLASS[spec.school_type] + (0.4 if spec.locality == RURAL else 0.0)
    return {
        "teacher": max(2, round(classes * per_class)),
        "admin": 1 + classes // 15,
        "support": classes // 18,
        "worker": max(1, classes // 12) if spec.school_type != KINDERGARTEN else max(1, classes // 3),
    }


class StaffSim:
    def __init__(self, schools: list[SchoolSpec], classes: pl.DataFrame, rng: random.Random) -> None:
        self.schools, self.rng = schools, rng
        counts = classes.group_by("school_id", "school_year").len().iter_rows()
        self.classes = {(sid - 1, year): n for sid, year, n in counts}
        self.people: list[Person] = []

    def retire_age(self, male: bool) -> int:
        return 60 if male else 55

    def hire(self, school: int, post: str, year: int, initial: bool) -> Person:
        rng = self.rng
        stype = self.schools[school].school_type
        male = rng.random() > FEMALE_SHARE[stype]
        if initial:
            age = min(int(rng.triangular(22, self.retire_age(male), 42)), self.retire_age(male) - 1)
            joined = min(year, year - age + 22 + rng.randint(0, 3))
        else:
            age, joined = rng.randint(22, 28), year
        person = Person(len(self.people) + 1, school, post, male, adult_birth_date(rng, year - age), joined)
        retire = person.birth.year + self.retire_age(male)
        if retire <= YEARS[-1]:
            person.left = retire
        self.people.append(person)
        return person

    def run(self) -> None:
        rng = self.rng
        staff_of: dict[tuple[int, str], list[Person]] = defaultdict(list)
        for year in YEARS:
            for spec in self.schools:
                need = staff_needed(spec, self.classes.get((spec.idx, year), 0))
                for post in POSTS:
                    active = [p for p in staff_of[(spec.idx, post)] if p.active(year)]
                    if year > YEARS[0]:  # 调动、辞职: 中职专任教师流动较多
                        quit_rate = 0.07 if post == "teacher" and spec.school_type == VOCATIONAL else 0.02
                        for p in [p for p in active if rng.random() < quit_rate]:
                            p.left = year
                            active.remove(p)
                    surplus = len(active) - need[post]
                    if surplus > 0:
                        for p in rng.sample(active, surplus):
                            p.left = year
                    for _ in range(-surplus):
                        staff_of[(spec.idx, post)].append(self.hire(spec.idx, post, year, year == YEARS[0]))


def assign_head_teachers(sim: StaffSim, classes: pl.DataFrame) -> list[int | None]:
    """班主任 per class: active 专任教师 of the school, the same teachers tending to keep the role."""
    rng = sim.rng
    key = {p.pid: rng.random() for p in sim.people}
    teachers: dict[int, list[Person]] = defaultdict(list)
    for p in sim.people:
        if p.post == "teacher":
            teachers[p.school].append(p)
    heads: list[int | None] = []
    pool_cache: dict[tuple[int, int], list[Person]] = {}
    used: dict[tuple[int, int], int] = defaultdict(int)
    for school_id, year in classes.select("school_id", "school_year").iter_rows():
        k = (school_id - 1, year)
        if k not in pool_cache:
            pool_cache[k] = sorted((p for p in teachers[k[0]] if p.active(year)), key=lambda p: key[p.pid])
        pool = pool_cache[k]
        if not pool or used[k] >= len(pool):
            heads.append(None)
            continue
        person = pool[used[k]]
        used[k] += 1
        person.attrs["head_years"] = [*person.attrs.get("head_years", []), year]
        heads.append(person.pid)
    return heads


def staff_frame(sim: StaffSim, ids: IdMaker, names: NameMaker) -> pl.DataFrame:
    rng = sim.rng
    seq: dict[int, int] = defaultdict(int)
    rows = []
    for p in sim.people:
        spec = sim.schools[p.school]
        seq[p.school] += 1
        last_year = (p.left - 1) if p.left else YEARS[-1]
        a = p.attrs
        rows.append(
            {
                "id": p.pid,
                "school_id": p.school + 1,
                "staff_number": f"{school_code(p.school)[-4:]}{seq[p.school]:04d}",
                "name": names(p.male),
                "id_number": ids(p.birth, p.male, ids.region(rng.random() < 0.15)),
                "sex": "M" if p.male else "F",
                "birth_date": p.birth,
                "post": p.post,
                "subject": a.get("subject", ""),
                "education": a["education"],
                "preschool_major": bool(a.get("preschool_major", False)),
                "title": a.get("title", ""),
                "tier": a.get("tier", ""),
                "dual_qualified": bool(a.get("dual", False)),
                "professional_course": bool(a.get("professional", False)),
                "head_teacher": last_year in a.get("head_years", []),
                "has_bianzhi": spec.ownership == "public"
                and rng.random() < (0.93 if p.joined <= 2020 else 0.85),
                "joined_year": p.joined,
                "left_year": p.left,
            }
        )
    return pl.DataFrame(rows, schema_overrides={"birth_date": pl.Date, "left_year": pl.Int64})


def training_frame(sim: StaffSim) -> pl.DataFrame:
    """年度培训学时: about 72 hours a year (360 per five-year cycle), rising slowly; a few missing."""
    rng = sim.rng
    cols: dict[str, list] = {"staff_id": [], "school_year": [], "hours": []}
    for p in sim.people:
        for year in YEARS:
            if p.active(year) and rng.random() < 0.97:
                hours = max(0.0, min(240.0, rng.gauss(72 + 4 * (year - 2020), 20)))
                cols["staff_id"].append(p.pid)
                cols["school_year"].append(year)
                cols["hours"].append(round(hours * 2) / 2)
    frame = pl.DataFrame(cols)
    return frame.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))
