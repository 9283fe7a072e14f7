"""Scoping: a school's user sees only its own school; another unit is a 404 on the pages and the API."""

from __future__ import annotations

from django.urls import reverse

from edubrain.places import inputs, queries


def test_school_user_sees_only_own_classes(world):
    user = world.users.school_a
    sel = queries.selection_for(user, None)
    assert sel.unit == world.primary_a.org_unit
    data = queries.class_overview(user, sel, 2024)
    assert data["summary"]["classes"] == 2 and data["summary"]["large_classes"] == 1
    assert {r["school"] for r in data["oversize"]} == {"甲小学"}
    frame = inputs.class_frame(user, world.county)  # even asked for the county: only the school's rows
    assert set(frame["school"]) == {"甲小学"}


def test_school_user_forecast_has_no_town_births(world):
    fi = inputs.place_data(world.users.school_a, world.primary_a.org_unit, None, "6-3")
    assert fi.data.births.is_empty()  # 镇 births lie outside a school's scope
    assert any("没有出生人口数据" in n for n in fi.notes)


def test_other_units_are_404_on_pages(client, world):
    client.force_login(world.users.school_a)
    for name in ("places:index", "places:forecast"):
        for unit in (world.primary_b.org_unit, world.county, world.town_b):
            assert client.get(reverse(name), {"unit": unit.pk}).status_code == 404, (name, unit)
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("places:index"), {"unit": world.county.pk, "format": "xlsx"}).status_code == 404


def test_other_units_are_404_on_the_api(client, world):
    client.force_login(world.users.school_a)
    for path in ("/api/places/class-size", "/api/places/forecast"):
        assert client.get(path, {"unit": world.primary_b.org_unit.pk}).status_code == 404
        assert client.get(path, {"unit": world.county.pk}).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("places:forecast"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get("/api/places/class-size").status_code == 401
