"""GET /api/vision/summary: the page's figures, scoped."""

from __future__ import annotations

from django.test import Client

from edubrain.accounts.models import ApiToken

from .test_pages import fast_password_hashing, vis  # noqa: F401


def client_for(user) -> Client:
    _, key = ApiToken.issue(user, name="视力测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_summary_for_the_county(vis):  # noqa: F811
    response = client_for(vis.users.leader).get("/api/vision/summary", {"unit": vis.county.pk, "year": 2025})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["summary"]["screened"] == 6 and data["summary"]["rate"] == 50.0
    assert {c["name"] for c in data["children"]} == {"视力镇甲", "视力镇乙"}


def test_summary_is_scoped(vis):  # noqa: F811
    client = client_for(vis.users.junior)
    assert client.get("/api/vision/summary", {"unit": vis.county.pk}).status_code == 404
    data = client.get("/api/vision/summary").json()
    assert data["unit"]["name"] == "视力初中" and data["summary"]["screened"] == 2
