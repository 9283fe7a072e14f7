"""学生与学籍 plan: a cohort simulation over the school years 2020—2025.

Each year every on-roll student moves up one grade (same Student, new Enrollment): 大班 → 一年级 at a primary
school near home, 六年级 → 初一 (staying in a 九年一贯制 school), 初三 → 普通高中 or 中职, 高三 leaves. The
on-roll totals per (track, grade) are held to ``targets.grade_targets``: surplus pupils leave the county,
shortfalls are filled with new intakes (在籍) or transfers in (转入). A few extra rows per grade carry the
statuses 转出, 休学, 辍学, 毕业 (not on roll).
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from edubrain.core.stages import (
    JUNIOR,
    NINE_YEAR,
    PRESCHOOL,
    PRIMARY,
    SENIOR,
    SENIOR_HIGH,
    SPECIAL,
    VOCATIONAL,
)
from edubrain.demo.catalog import URBAN, YEARS, SchoolSpec
from edubrain.demo.targets import GRADES, TRACK_GRADES, grade_targets

ENROLLED, TRANSFERRED_IN, OUT, SUSPENDED, DROPPED, GRADUATED = (
    "enrolled",
    "in",
    "out",
    "suspended",
    "dropped",
    "graduated",
)
ON_ROLL = (ENROLLED, TRANSFERRED_IN)
STAGE_OF_INDEX = [PRESCHOOL] * 3 + [PRIMARY] * 6 + [JUNIOR] * 3 + [SENIOR] * 3
ENTRY = {"kg": 0, "cmp": 3, "gen": 12, "voc": 12, "spe": 0}
FINAL_INDEXES = {2, 8, 11, 14}  # 大班, 六年级, 初三, 高三
# Extra, off-roll rows per on-roll pupil: (status, share, grade indexes it applies to).
EXTRAS = (
    (OUT, 0.004, range(0, 15)),
    (SUSPENDED, 0.002, range(3, 15)),
    (DROPPED, 0.0005, range(9, 15)),
    (GRADUATED, 0.003, FINAL_INDEXES),
)


@dataclass
class Pupil:
    """A student created by the simulation (the person; attributes are drawn later)."""

    sid: int
    year: int  # school year of first enrolment
    grade: int  # grade index at first enrolment
    school: int


@dataclass
class Simulation:
    schools: list[SchoolSpec]
    rng: random.Random
    scale: float
    pupils: list[Pupil] = field(default_factory=list)
    # enrolment rows: (sid, year, school idx, grade index, status)
    rows: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    _pickers: dict[tuple[str, str, int, int], tuple[list[int], list[float]]] = field(default_factory=dict)

    def track_of(self, spec: SchoolSpec) -> str:
        t = spec.school_type
        return {SPECIAL: "spe", VOCATIONAL: "voc", SENIOR_HIGH: "gen"}.get(
            t, "kg" if PRESCHOOL in spec.weights else "cmp"
        )

    def picker(self, track: str, stage: str, year: int, town: int = -1) -> tuple[list[int], list[float]]:
        """Open schools of a track teaching a stage (optionally in one 镇/街道) with cumulative weights."""
        key = (track, stage, year, town)
        if key not in self._pickers:
            cands = [
                s
                for s in self.schools
                if self.track_of(s) == track
                and stage in s.weights
                and s.open_in(year)
                and (town < 0 or s.town == town)
            ]
            self._pickers[key] = ([s.idx for s in cands], list(accumulate(s.weights[stage] for s in cands)))
        return self._pickers[key]

    def choose(self, track: str, stage: str, year: int, town: int = -1) -> int:
        idx, cum = self.picker(track, stage, year, town)
        if not idx:
            idx, cum = self.picker(track, stage, year)
        if not idx:
            raise RuntimeError(f"{year}学年没有开设该学段的学校：{track}/{stage}")
        return idx[bisect(cum, self.rng.random() * cum[-1])]

    def new_pupil(self, year: int, grade: int, school: int) -> int:
        sid = len(self.pupils) + 1
        self.pupils.append(Pupil(sid, year, grade, school))
        return sid

    def home_school(self, track: str, k: int, year: int, school: int) -> int:
        """The school a continuing pupil attends in ``year`` at grade index ``k``."""
        spec = self.schools[school]
        stage = STAGE_OF_INDEX[k]
        if track == "cmp" and k == 3:  # 大班 → 一年级: a primary school near home
            near = 0.85 if spec.locality != URBAN else 0.95
            return self.choose(track, stage, year, spec.town if self.rng.random() < near else -1)
        if track == "cmp" and k == 9 and spec.school_type != NINE_YEAR:  # 六年级 → 初一
            return self.choose(track, stage, year, spec.town if self.rng.random() < 0.8 else -1)
        while not spec.open_in(year) and spec.successor is not None:  # 撤并: 学生随迁到接收学校
            spec = self.schools[spec.successor]
        return spec.idx

    def advance(
        self,
        current: dict[tuple[str, int], list[tuple[int, int]]],
        year: int,
        targets: dict[tuple[str, int], int],
    ) -> dict[tuple[str, int], list[tuple[int, int]]]:
        pools: dict[tuple[str, int], list[tuple[int, int]]] = {key: [] for key in targets}
        senior_entry: list[int] = []
        for (track, k), members in current.items():
            nk = k + 1
            if nk > 14:
                continue
            if track == "cmp" and nk == 12:
                senior_entry.extend(sid for sid, _ in members)
                continue
            ntrack = "cmp" if track == "kg" and nk == 3 else track
            pools[(ntrack, nk)].extend(
                (sid, self.home_school(ntrack, nk, year, school)) for sid, school in members
            )
        self.rng.shuffle(senior_entry)
        n_gen, n_voc = targets[("gen", 12)], targets[("voc", 12)]
        for track, chunk in (("gen", senior_entry[:n_gen]), ("voc", senior_entry[n_gen : n_gen + n_voc])):
            pools[(track, 12)].extend((sid, self.choose(track, SENIOR, year)) for sid in chunk)
        return pools

    def fill(
        self, year: int, track: str, k: int, pool: list[tuple[int, int]], n: int
    ) -> list[tuple[int, int]]:
        rng = self.rng
        rng.shuffle(pool)
        keep, excess = pool[:n], pool[n:]
        for sid, school in keep:
            self.rows.append((sid, year, school, k, ENROLLED))
        stage = STAGE_OF_INDEX[k]
        for _ in range(n - len(keep)):
            school = self.choose(track, stage, year)
            fresh = year == YEARS[0] or k == ENTRY[track]
            status = ENROLLED if fresh and rng.random() > 0.005 else TRANSFERRED_IN
            sid = self.new_pupil(year, k, school)
            keep.append((sid, school))
            self.rows.append((sid, year, school, k, status))
        for status, share, grades in EXTRAS:
            if k not in grades:
                continue
            for _ in range(int(n * share + rng.random())):
                if excess and status != GRADUATED:
                    sid, school = excess.pop()
                else:
                    school = self.choose(track, stage, year)
                    sid = self.new_pupil(year, k, school)
                self.rows.append((sid, year, school, k, status))
        return keep

    def run(self) -> None:
        current: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for year in YEARS:
            targets = grade_targets(year, self.scale)
            pools = self.advance(current, year, targets) if current else {key: [] for key in targets}
            current = {key: self.fill(year, key[0], key[1], pools[key], n) for key, n in targets.items()}


def simulate(schools: list[SchoolSpec], rng: random.Random, scale: float) -> Simulation:
    sim = Simulation(schools, rng, scale)
    sim.run()
    return sim


def grade_code(k: int) -> str:
    return GRADES[k]


__all__ = ["ON_ROLL", "Pupil", "Simulation", "TRACK_GRADES", "grade_code", "simulate"]
