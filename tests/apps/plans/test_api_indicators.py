"""规划监测 API, indicators: the catalogue and the stored values of one indicator — scoped (a school
administrator sees their own school's values only), filtered, paginated and documented in OpenAPI."""

from __future__ import annotations

from django.test import Client

from edubrain.core.indicators.catalogue import CATALOGUE_LIST

from . import support_dashboard as support
from .support_dashboard import api_client, get_json

world = support.world  # fixture
GOOD = "fitness_excellent_good_rate"


def test_catalogue(world):
    rows = get_json(api_client(world.users.school), "/api/indicators")
    codes = [r["code"] for r in rows]
    assert codes[: len(CATALOGUE_LIST)] == [d.code for d in CATALOGUE_LIST]
    good = next(r for r in rows if r["code"] == GOOD)
    assert (good["name"], good["unit"], good["kind"], good["higher_is_better"]) == (
        "学生体质健康优良率",
        "%",
        "computed",
        True,
    )
    myopia = next(r for r in rows if r["code"] == "myopia_rate")
    assert myopia["higher_is_better"] is False


def test_values_are_scoped_to_the_school(world):
    page = get_json(api_client(world.users.school), f"/api/indicators/{GOOD}/values")
    assert page["count"] == 2
    assert [(v["org_unit_name"], v["year"], v["value"]) for v in page["items"]] == [
        ("监测小学甲", 2023, 57),
        ("监测小学甲", 2024, 58),
    ]
    assert (
        page["items"][0]["provenance"] == "体质测试成绩 2024学年" and page["items"][0]["source"] == "computed"
    )


def test_values_of_the_county_with_filters(world):
    client = api_client(world.users.leader)
    everything = get_json(client, f"/api/indicators/{GOOD}/values", page_size=500)
    names = {v["org_unit_name"] for v in everything["items"]}
    assert "测试他县" not in names and {"测试监测县", "监测镇甲", "监测幼儿园丁"} <= names
    county = get_json(client, f"/api/indicators/{GOOD}/values", org_unit=world.county.pk)
    assert [v["year"] for v in county["items"]] == [2021, 2022, 2023, 2024]
    schools = get_json(client, f"/api/indicators/{GOOD}/values", year=2024, kind="school")
    assert {v["org_unit_name"] for v in schools["items"]} == {
        "监测小学甲",
        "监测小学乙",
        "监测初中丙",
        "监测幼儿园丁",
    }
    empty = next(v for v in schools["items"] if v["org_unit_name"] == "监测幼儿园丁")
    assert empty["value"] is None and empty["note"] == "无实测学生" and empty["org_unit_kind"] == "school"
    page = get_json(client, f"/api/indicators/{GOOD}/values", page=2, page_size=3, year=2024)
    assert page["page"] == 2 and len(page["items"]) == 3


def test_values_refusals(world):
    school = api_client(world.users.school)
    get_json(school, f"/api/indicators/{GOOD}/values", expect=404, org_unit=world.primary_b.org_unit_id)
    get_json(school, f"/api/indicators/{GOOD}/values", expect=404, org_unit=world.county.pk)
    get_json(school, "/api/indicators/no_such_indicator/values", expect=404)
    get_json(school, f"/api/indicators/{GOOD}/values", expect=422, kind="planet")
    get_json(school, f"/api/indicators/{GOOD}/values", expect=422, page_size=501)
    assert Client().get(f"/api/indicators/{GOOD}/values").status_code == 401


def test_openapi_documents_the_plan_routes(db):
    spec = Client().get("/api/openapi.json").json()
    for path in (
        "/api/plans",
        "/api/plans/{id}",
        "/api/plans/{id}/targets",
        "/api/indicators",
        "/api/indicators/{code}/values",
    ):
        assert path in spec["paths"], path
        operation = spec["paths"][path]["get"]
        assert operation["tags"] == ["规划监测"] and operation["summary"] and operation["description"]
    params = {p["name"] for p in spec["paths"]["/api/indicators/{code}/values"]["get"]["parameters"]}
    assert {"org_unit", "year", "kind", "page", "page_size"} <= params
