"""GET /api/places/class-size and /api/places/forecast: the page's figures as JSON."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(client, world):
    client.force_login(world.users.admin)
    return client


def test_class_size_endpoint(api, world):
    body = api.get("/api/places/class-size", {"unit": world.county.pk, "year": 2024}).json()
    assert body["unit"] == {"id": world.county.pk, "name": "班额测试县", "level": "county"}
    assert body["summary"]["large_classes"] == 2 and body["summary"]["super_large_classes"] == 1
    assert [(r["school"], r["size"], r["large_class"]) for r in body["oversize"]] == [
        ("甲初中", 66, True),
        ("甲小学", 56, True),
        ("乙小学", 46, False),
    ]
    assert {c["name"] for c in body["children"]} == {"班额镇甲", "班额镇乙"}
    assert "56人及以上" in body["rule"]


def test_forecast_endpoint_with_scenario(api, world):
    base = api.get("/api/places/forecast", {"unit": world.county.pk}).json()
    more = api.get("/api/places/forecast", {"unit": world.county.pk, "extra": 5}).json()
    zone = f"z{world.zone_1.pk}"

    def first(body):
        return next(r for r in body["rows"] if r["zone"] == zone and r["stage"] == "primary")

    assert first(more)["entrants"] - first(base)["entrants"] == pytest.approx(5)
    assert first(base)["warning"] == "红色"
    assert {"key": zone, "name": "学区一"} in base["zones"]
    assert base["method"].startswith("队列比率法")


def test_forecast_rejects_out_of_range_scenario(api, world):
    assert api.get("/api/places/forecast", {"rate": 500}).status_code == 422


def test_openapi_has_operation_ids_and_chinese_summaries(api):
    spec = api.get("/api/openapi.json").json()
    ops = {op["operationId"]: op for path in spec["paths"].values() for op in path.values()}
    assert ops["places_class_size"]["summary"] == "班额与校额情况"
    assert ops["places_forecast"]["summary"] == "学位预警预测"
