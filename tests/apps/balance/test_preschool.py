"""普及普惠: the page's figures are the indicator engine's (plans monitoring), per 镇/街道 and county."""

from __future__ import annotations

import polars as pl
import pytest
from django.urls import reverse

from edubrain.accounts.models import User
from edubrain.balance import queries
from edubrain.core.indicators.formulas import compute
from edubrain.plans.indicator_inputs import build_inputs

PAIRS = {
    "gross_enrolment_rate": "preschool_gross_rate",
    "puhui_coverage": "inclusive_kindergarten_coverage",
    "public_share": "public_kindergarten_share",
    "provincial_class1_share": "first_class_kindergarten_share",
    "college_teacher_share": "preschool_teacher_college_share",
}


def test_page_values_equal_the_indicator_engine(demo):
    user = User.objects.get(username="admin")
    year = queries.latest_year()
    checks = queries.preschool(user, queries.Selection(demo.county), year)["checks"]
    engine = compute(build_inputs(demo.county, [year]), list(PAIRS.values())).filter(pl.col("year") == year)
    expected = {(r["indicator"], r["org_unit_id"]): r["value"] for r in engine.to_dicts()}
    compared = 0
    for row in checks.filter(pl.col("indicator").is_in(list(PAIRS))).to_dicts():
        value = expected.get((PAIRS[row["indicator"]], row["unit_id"]))
        if value is None:
            assert row["value"] is None
            continue
        assert row["value"] == pytest.approx(round(value, 2)), row
        compared += 1
    assert compared >= 10


def test_page_lists_units_and_verdicts(client, demo):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(reverse("balance:preschool"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="preschool-chart"' in body and "普惠性幼儿园覆盖率" in body
    units = response.context["units"]
    assert units[0]["name"] == demo.county.name and units[0]["national"]["status"] == "达标"
    assert len(units) >= 3


def test_town_selection_lists_only_that_town(client, demo):
    user = User.objects.get(username="admin")
    town = queries.inputs.area_units(user, demo.county)[0]
    client.force_login(user)
    response = client.get(reverse("balance:preschool"), {"unit": town.pk})
    assert [u["name"] for u in response.context["units"]] in ([town.name], [])


def test_school_user_is_told_preschool_is_per_area(client, demo):
    client.force_login(User.objects.get(username="school"))
    response = client.get(reverse("balance:preschool"))
    assert response.status_code == 200 and response.context["not_area"]
