"""毛入园率 and 高中阶段毛入学率: pupils of any age / population of the stage's ages × 100; county population
or the sum of its 镇/街道; null + note without population."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.enrolment import area_population, gross_rates
from edubrain.core.indicators.inputs import IndicatorInputs

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [101, 102, 301],
        "town_id": [TOWN_A, TOWN_B, TOWN_A],
        "school_type": ["kindergarten", "kindergarten", "senior_high"],
    }
)
ENROLMENTS = pl.DataFrame(
    [
        (101, 2024, "01", "enrolled", 300),
        (102, 2024, "02", "enrolled", 100),
        (102, 2024, "03", "out", 9),
        (301, 2024, "31", "enrolled", 450),
    ],
    schema=["org_unit_id", "year", "grade_code", "status", "n"],
    orient="row",
)


def population(rows):
    return pl.DataFrame(rows, schema=["org_unit_id", "year", "age", "population"], orient="row")


def compute(pop):
    bundle = IndicatorInputs(
        COUNTY, (2024,), (TOWN_A, TOWN_B), schools=SCHOOLS, enrolments=ENROLMENTS, population=population(pop)
    )
    return {
        (r["indicator"], r["org_unit_id"]): (r["value"], r["numerator"], r["denominator"], r["note"])
        for r in gross_rates(bundle).to_dicts()
    }


def test_county_rates_from_county_population():
    pop = [(COUNTY, 2024, a, 150) for a in (3, 4, 5)] + [(COUNTY, 2024, a, 160) for a in (15, 16, 17)]
    pop += [(COUNTY, 2024, 6, 9999), (COUNTY, 2024, 18, 9999)]  # other ages are not counted
    got = compute(pop)
    assert got[("preschool_gross_rate", COUNTY)] == (pytest.approx(400 / 450 * 100), 400.0, 450.0, "")
    assert got[("upper_secondary_gross_rate", COUNTY)] == (pytest.approx(450 / 480 * 100), 450.0, 480.0, "")


def test_town_without_population_is_null_with_a_note():
    got = compute([(COUNTY, 2024, a, 150) for a in (3, 4, 5)])
    assert got[("preschool_gross_rate", TOWN_A)] == (None, 300.0, None, "缺少3—5岁人口数据")
    assert got[("upper_secondary_gross_rate", COUNTY)] == (None, 450.0, None, "缺少15—17岁人口数据")


def test_towns_with_population_and_the_county_from_their_sum():
    pop = [(TOWN_A, 2024, a, 100) for a in (3, 4, 5)] + [(TOWN_B, 2024, a, 40) for a in (3, 4, 5)]
    got = compute(pop)
    assert got[("preschool_gross_rate", TOWN_A)][:3] == (100.0, 300.0, 300.0)
    assert got[("preschool_gross_rate", TOWN_B)][:3] == (pytest.approx(100 / 120 * 100), 100.0, 120.0)
    assert got[("preschool_gross_rate", COUNTY)][:3] == (pytest.approx(400 / 420 * 100), 400.0, 420.0)


def test_gross_rate_may_exceed_100():
    got = compute([(COUNTY, 2024, a, 100) for a in (3, 4, 5)])
    assert got[("preschool_gross_rate", COUNTY)][0] == pytest.approx(400 / 300 * 100)


def test_an_area_counts_only_with_every_age_given():
    bundle = IndicatorInputs(
        COUNTY,
        (2024,),
        (TOWN_A,),
        population=population(
            [
                (COUNTY, 2024, 3, 10),
                (COUNTY, 2024, 4, 10),
                (TOWN_A, 2024, 3, 5),
                (TOWN_A, 2024, 4, 5),
                (TOWN_A, 2024, 5, 5),
            ]
        ),
    )
    got = {r["org_unit_id"]: r["den"] for r in area_population(bundle, range(3, 6)).to_dicts()}
    assert got == {TOWN_A: 15.0, COUNTY: 15.0}  # the county's own rows lack age 5: the towns' sum is used
