"""The input bundle of the indicator formulas: a few small frames, built by one GROUP BY query each from the
database (``edubrain.plans.indicator_inputs``) or by hand in a test.

Every org unit is referred to by its OrgUnit id (``org_unit_id``: the school's own node, ``town_id`` its
镇/街道). Years are 学年 start years for pupils, teachers, classes and facilities, calendar years for finance,
population and 受教育年限 (see each indicator's ``year_basis``). Frames may be given with only the columns a
test needs: missing columns are added as nulls (counts ``n`` as 1) and every column is cast to its schema.

    schools      org_unit_id, town_id, school_type, ownership (public/private), is_puhui, rating,
                 locality (urban/town/rural), founded_year, closed_year
    enrolments   org_unit_id, year, grade_code, status, n          (学籍 records counted per status)
    classes      org_unit_id, year, grade_code, size               (one row per class; size = on-roll pupils)
    staff        org_unit_id, joined_year, left_year, education, preschool_major, dual_qualified,
                 professional_course, n                            (专任教师 only, counted per attributes)
    population   org_unit_id, year, age, population, source        (county or 镇/街道, single years of age)
    finance      org_unit_id, year, general_budget                 (元)
    schooling    org_unit_id, year, years, source                  (平均受教育年限 from the statistics bureau)
    facilities   org_unit_id, year, broadband_mbps
    module_values  indicator, org_unit_id, year, value, numerator, denominator   (computed by other modules:
                 体质健康 优良率/合格率)
    screenings   org_unit_id, year, myopia, n                      (validly classified 视力筛查 pupils per
                 school, 学年 and 筛查性近视 yes/no; distinct pupils within each cell)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

# 学籍状态 (the registry's EnrollmentStatus values).
ENROLLED, TRANSFERRED_IN, TRANSFERRED_OUT, GRADUATED = "enrolled", "in", "out", "graduated"
ON_ROLL = (ENROLLED, TRANSFERRED_IN)
PUBLIC = "public"
URBAN = "urban"
FIRST_CLASS_RATINGS = ("prov_model", "prov_1")  # 省级示范, 省一类

Schema = dict[str, pl.DataType]

SCHOOLS: Schema = {
    "org_unit_id": pl.Int64(),
    "town_id": pl.Int64(),
    "school_type": pl.String(),
    "ownership": pl.String(),
    "is_puhui": pl.Boolean(),
    "rating": pl.String(),
    "locality": pl.String(),
    "founded_year": pl.Int64(),
    "closed_year": pl.Int64(),
}
ENROLMENTS: Schema = {
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "grade_code": pl.String(),
    "status": pl.String(),
    "n": pl.Int64(),
}
CLASSES: Schema = {
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "grade_code": pl.String(),
    "size": pl.Int64(),
}
STAFF: Schema = {
    "org_unit_id": pl.Int64(),
    "joined_year": pl.Int64(),
    "left_year": pl.Int64(),
    "education": pl.String(),
    "preschool_major": pl.Boolean(),
    "dual_qualified": pl.Boolean(),
    "professional_course": pl.Boolean(),
    "n": pl.Int64(),
}
POPULATION: Schema = {
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "age": pl.Int64(),
    "population": pl.Int64(),
    "source": pl.String(),
}
FINANCE: Schema = {"org_unit_id": pl.Int64(), "year": pl.Int64(), "general_budget": pl.Float64()}
SCHOOLING: Schema = {
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "years": pl.Float64(),
    "source": pl.String(),
}
FACILITIES: Schema = {"org_unit_id": pl.Int64(), "year": pl.Int64(), "broadband_mbps": pl.Int64()}
MODULE_VALUES: Schema = {
    "indicator": pl.String(),
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "value": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
}
SCREENINGS: Schema = {
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "myopia": pl.Boolean(),
    "n": pl.Int64(),
}
# What every formula returns: one row per indicator, org unit and year.
OUTPUT: Schema = {
    "indicator": pl.String(),
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "value": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "note": pl.String(),
}


def conform(frame: pl.DataFrame | None, schema: Schema) -> pl.DataFrame:
    """``frame`` with exactly the schema's columns, in order and cast; absent columns are null (``n``: 1)."""
    if frame is None:
        return pl.DataFrame(schema=schema)
    columns = []
    for name, dtype in schema.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype))
        elif name == "n":
            columns.append(pl.lit(1, dtype=dtype).alias(name))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns)


def empty(schema: Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


@dataclass(frozen=True)
class IndicatorInputs:
    """Everything the formulas read, for one county (``county_id``) and its 镇/街道 (``towns``)."""

    county_id: int
    years: tuple[int, ...]
    towns: tuple[int, ...] = ()
    schools: pl.DataFrame = field(default_factory=lambda: empty(SCHOOLS))
    enrolments: pl.DataFrame = field(default_factory=lambda: empty(ENROLMENTS))
    classes: pl.DataFrame = field(default_factory=lambda: empty(CLASSES))
    staff: pl.DataFrame = field(default_factory=lambda: empty(STAFF))
    population: pl.DataFrame = field(default_factory=lambda: empty(POPULATION))
    finance: pl.DataFrame = field(default_factory=lambda: empty(FINANCE))
    schooling: pl.DataFrame = field(default_factory=lambda: empty(SCHOOLING))
    facilities: pl.DataFrame = field(default_factory=lambda: empty(FACILITIES))
    module_values: pl.DataFrame = field(default_factory=lambda: empty(MODULE_VALUES))
    screenings: pl.DataFrame = field(default_factory=lambda: empty(SCREENINGS))
    school_system: str = "6-3"

    def __post_init__(self) -> None:
        schemas = {
            "schools": SCHOOLS,
            "enrolments": ENROLMENTS,
            "classes": CLASSES,
            "staff": STAFF,
            "population": POPULATION,
            "finance": FINANCE,
            "schooling": SCHOOLING,
            "facilities": FACILITIES,
            "module_values": MODULE_VALUES,
            "screenings": SCREENINGS,
        }
        for name, schema in schemas.items():
            object.__setattr__(self, name, conform(getattr(self, name), schema))
        object.__setattr__(self, "years", tuple(sorted({int(y) for y in self.years})))
        object.__setattr__(self, "towns", tuple(int(t) for t in self.towns))

    @property
    def year_frame(self) -> pl.DataFrame:
        return pl.DataFrame({"year": list(self.years)}, schema={"year": pl.Int64()})

    def enrolment_years(self) -> set[int]:
        """学年 with any 学籍 record in the county."""
        return set(self.enrolments.filter(pl.col("n") > 0)["year"].unique().to_list())

    def unit_ids(self) -> set[int]:
        """The county, its 镇/街道 and its schools."""
        return {self.county_id, *self.towns, *self.schools["org_unit_id"].to_list()}
