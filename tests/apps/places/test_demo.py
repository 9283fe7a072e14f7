"""The demo county (session fixture, seed 7, scale 0.04) on the 学位与班额 pages: warnings, back-test,
大班额 only in town-centre schools, and the page agreeing with the indicator engine."""

from __future__ import annotations

import math

import polars as pl
from django.urls import reverse

from edubrain.core.indicators.enrolment import class_sizes
from edubrain.places import queries
from edubrain.plans.indicator_inputs import build_inputs


def levels(data):
    return {r["warning"] for r in data["rows"]}


def test_demo_forecast_has_red_and_yellow_towns(demo):
    admin = demo.users["admin"]
    sel = queries.selection_for(admin, None)
    by_town = queries.forecast_overview(admin, sel, "town")
    assert {"红色", "黄色"} <= levels(by_town)
    by_zone = queries.forecast_overview(admin, sel, None)
    assert by_zone["grouping"] == "zone"  # the demo's schools belong to 学区
    assert levels(by_zone) & {"红色", "黄色"}


def test_demo_backtest_2024_from_2021_reports_a_finite_mape(demo):
    admin = demo.users["admin"]
    data = queries.forecast_overview(admin, queries.selection_for(admin, None), None)
    tested = data["backtest"]
    assert (tested["origin"], tested["target"]) == (2021, 2024)
    primary = tested["stages"][0]
    assert primary["stage"] == "primary" and primary["rows"]
    assert primary["mape"] is not None and math.isfinite(primary["mape"]) and 0 <= primary["mape"] < 50


def test_demo_large_classes_only_in_urban_schools_and_fewer_at_the_end(demo):
    admin = demo.users["admin"]
    _schools, _classes, counted = queries.sized_classes(admin, queries.selection_for(admin, None))
    large = counted.filter(pl.col("large_class"))
    assert large.height > 0 and set(large["locality"]) == {"urban"}
    per_year = dict(large.group_by("year").len().iter_rows())
    years = sorted(set(counted["year"]))
    assert per_year.get(years[-1], 0) < per_year[years[0]]


def test_page_counts_agree_with_the_indicator_engine(demo):
    admin = demo.users["admin"]
    county = demo.county
    data = queries.class_overview(admin, queries.selection_for(admin, county.pk), 2025)
    engine = class_sizes(build_inputs(county))
    county_rows = engine.filter(pl.col("org_unit_id") == county.pk)
    for row in data["trend"]:
        got = county_rows.filter(pl.col("year") == row["year"])
        large = got.filter(pl.col("indicator") == "large_class_count")["value"].to_list()
        very = got.filter(pl.col("indicator") == "super_large_class_count")["value"].to_list()
        assert large == [row["large_classes"]], row["year"]
        assert very == [row["super_large_classes"]], row["year"]


def test_demo_pages_render(client, demo):
    client.force_login(demo.users["admin"])
    page = client.get(reverse("places:index"))
    assert page.status_code == 200 and 'id="class-trend-chart"' in page.content.decode()
    forecast = client.get(reverse("places:forecast"))
    html = forecast.content.decode()
    assert forecast.status_code == 200 and 'id="zone-chart-0"' in html and "平均绝对百分比误差" in html
