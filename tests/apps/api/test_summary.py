"""/api/summary returns registry.queries.summary for the caller's scope."""

from __future__ import annotations

import pytest

from edubrain.registry.queries import latest_year, summary

from .support import get_json

KEYS = {"year", "schools", "schools_by_type", "kindergarten", "compulsory", "upper_secondary", "vocational",
        "teachers"}


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "school", "reporter"])
def test_summary_equals_the_query_for_every_role(world, clients, role):
    body = get_json(clients[role], "/api/summary", year=2024)
    assert set(body) == KEYS
    assert body == summary(world.users[role], 2024)


def test_summary_counts_the_scope(world, clients):
    county = get_json(clients["leader"], "/api/summary", year=2024)
    figures = ("schools", "kindergarten", "compulsory", "teachers")
    assert tuple(county[k] for k in figures) == (3, 1, 3, 2)
    assert county["schools_by_type"] == {"幼儿园": 1, "小学": 1, "初级中学": 1}
    school = get_json(clients["school"], "/api/summary", year=2024)
    assert tuple(school[k] for k in figures) == (1, 0, 2, 1)
    nothing = get_json(clients["reporter"], "/api/summary", year=2024)
    assert nothing["schools"] == nothing["compulsory"] == nothing["teachers"] == 0


def test_summary_defaults_to_the_latest_school_year(world, clients):
    body = get_json(clients["leader"], "/api/summary")
    assert body["year"] == latest_year()
    assert body == summary(world.users["leader"], None)


def test_summary_year_must_be_a_number(world, clients):
    response = clients["leader"].get("/api/summary", {"year": "今年"})
    assert response.status_code == 422
