"""The whole demo county as polars frames (pure, no database): ``make_plan(seed, scale)``.

Frames use local ids starting at 1; foreign keys point at local ids of other frames (``TABLES`` lists them);
the writer shifts all of them past the ids already in the database. A ``school_year`` column holds the
学年 start year and becomes ``school_year_id``. Columns starting with ``_`` are helpers, not written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import polars as pl

from edubrain.core.figures import Headline, headline
from edubrain.demo.catalog import URBAN, build_schools, towns
from edubrain.demo.people import IdMaker, NameMaker
from edubrain.demo.plan_classes import student_frames
from edubrain.demo.plan_figures import facility_frame, finance_frame, population_frames, schooling_frame
from edubrain.demo.plan_fitness import measured_at
from edubrain.demo.plan_org import (
    capacity_frame,
    group_frames,
    org_frame,
    school_frame,
    unit_frame,
    zone_frame,
)
from edubrain.demo.plan_staff import StaffSim, assign_head_teachers, staff_frame, training_frame
from edubrain.demo.plan_students import ON_ROLL, simulate
from edubrain.demo.plan_vision import screened_at
from edubrain.demo.qualifications import assign_qualifications

# Write order and foreign keys: table → {column: referenced table}.
TABLES: dict[str, dict[str, str]] = {
    "org_unit": {"parent_id": "org_unit"},
    "zone": {"county_id": "org_unit"},
    "school": {"org_unit_id": "org_unit", "town_id": "org_unit", "zone_id": "zone"},
    "responsible_unit": {"org_unit_id": "org_unit", "county_id": "org_unit"},
    "education_group": {"core_school_id": "school"},
    "group_member": {"educationgroup_id": "education_group", "school_id": "school"},
    "capacity": {"school_id": "school"},
    "staff": {"school_id": "school"},
    "school_class": {"school_id": "school", "head_teacher_id": "staff"},
    "student": {"school_id": "school"},
    "enrollment": {"student_id": "student", "school_class_id": "school_class"},
    "fitness": {"student_id": "student", "school_id": "school"},
    "vision": {"student_id": "student", "school_id": "school"},
    "staff_training": {"staff_id": "staff"},
    "facility": {"school_id": "school"},
    "finance": {"org_unit_id": "org_unit"},
    "births": {"org_unit_id": "org_unit"},
    "population": {"org_unit_id": "org_unit"},
    "schooling_years": {"org_unit_id": "org_unit"},
}


@dataclass
class DemoPlan:
    seed: int
    scale: float
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: frame.height for name, frame in self.frames.items()}

    def enrolment_view(self) -> pl.DataFrame:
        """One row per enrolment: grade_code, school_type, school_id, school_year, status."""
        return self.frames["enrollment"].select(
            "student_id",
            "school_year",
            "school_class_id",
            "status",
            pl.col("_grade_code").alias("grade_code"),
            pl.col("_school_type").alias("school_type"),
            pl.col("_school_id").alias("school_id"),
        )

    def headline(self, year: int) -> Headline:
        """The home page's figures for a school year, computed from the frames (on-roll pupils only)."""
        rows = self.enrolment_view().filter((pl.col("school_year") == year) & pl.col("status").is_in(ON_ROLL))
        schools = self.frames["school"].filter(
            (pl.col("founded_year").is_null() | (pl.col("founded_year") <= year))
            & (pl.col("closed_year").is_null() | (pl.col("closed_year") > year))
        )
        return headline(rows, schools, self.teachers(year).height)

    def teachers(self, year: int) -> pl.DataFrame:
        """专任教师 active in the year, with their school's type and locality."""
        staff = self.frames["staff"].filter(
            (pl.col("post") == "teacher")
            & (pl.col("joined_year") <= year)
            & (pl.col("left_year").is_null() | (pl.col("left_year") > year))
        )
        schools = self.frames["school"].select(pl.col("id").alias("school_id"), "school_type", "locality")
        return staff.join(schools, on="school_id", how="left")

    def teacher_shares(self, year: int) -> dict[str, float | None]:
        """Table 1's teacher indicators for a year (same definitions as ``targets.TEACHER_TARGETS``)."""
        t = self.teachers(year)
        kg = t.filter(pl.col("school_type") == "kindergarten")
        cmp = t.filter(pl.col("school_type").is_in(["primary", "junior", "nine_year"]))
        upper = t.filter(pl.col("school_type").is_in(["senior_high", "vocational"]))
        prof = t.filter((pl.col("school_type") == "vocational") & pl.col("professional_course"))
        degree = pl.col("education").is_in(["postgrad", "bachelor"]).mean()
        urban = cmp.filter(pl.col("locality") == URBAN).select(degree).item()
        rural = cmp.filter(pl.col("locality") != URBAN).select(degree).item()
        return {  # a share is None when its group is empty (possible at small scales)
            "preschool_major": kg.select(pl.col("preschool_major").mean()).item(),
            "compulsory_bachelor": cmp.select(degree).item(),
            "urban_rural_ratio": urban / rural if urban is not None and rural else None,
            "senior_postgrad": upper.select((pl.col("education") == "postgrad").mean()).item(),
            "dual_qualified": prof.select(pl.col("dual_qualified").mean()).item(),
        }


def make_plan(seed: int = 2021, scale: float = 1.0) -> DemoPlan:
    """Build every frame of the demo county; the same seed and scale give identical frames."""
    if not 0 < scale <= 5:
        raise ValueError(f"规模系数应在 0 到 5 之间，收到 {scale}")
    rng = random.Random(seed)
    town_list = towns()
    schools = build_schools(rng, scale)
    sim = simulate(schools, rng, scale)
    classes, students, enrollments = student_frames(sim, town_list)
    staff_sim = StaffSim(schools, classes, rng)
    staff_sim.run()
    assign_qualifications(staff_sim.people, schools, rng)
    heads = assign_head_teachers(staff_sim, classes)
    classes = classes.with_columns(pl.Series("head_teacher_id", heads, dtype=pl.Int64))
    org = org_frame(town_list, schools)
    groups, members = group_frames(schools)
    births, population = population_frames(enrollments, town_list, rng, scale)
    # Staff 身份证号 must not collide with the students’ ones.
    ids = IdMaker(rng)
    ids.used.update(n[:17] for n in students["id_number"].to_list())
    frames = {
        "org_unit": org,
        "zone": zone_frame(),
        "school": school_frame(town_list, schools, rng),
        "responsible_unit": unit_frame(org),
        "education_group": groups,
        "group_member": members,
        "capacity": capacity_frame(schools, enrollments, rng),
        "staff": staff_frame(staff_sim, ids, NameMaker(rng)),
        "school_class": classes,
        "student": students,
        "enrollment": enrollments,
        "staff_training": training_frame(staff_sim),
        "facility": facility_frame(schools, enrollments, classes, rng),
        "finance": finance_frame(rng, scale),
        "births": births,
        "population": population,
        "schooling_years": schooling_frame(town_list, rng),
    }
    frames["fitness"] = measured_at(seed, frames)  # its own random stream: the frames above do not change
    frames["vision"] = screened_at(seed, frames)  # likewise
    return DemoPlan(seed, scale, {key: frames[key] for key in TABLES})
