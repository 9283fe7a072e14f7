"""Authentication: Bearer API tokens and the Django session; everything else gets a Chinese 401."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from edubrain.accounts.models import ApiToken
from edubrain.api import api

from .support import get_json

LIST_PATHS = [
    "/api/me", "/api/org-units", "/api/school-years", "/api/zones", "/api/schools", "/api/groups",
    "/api/responsible-units", "/api/classes", "/api/students", "/api/staff", "/api/facilities",
    "/api/finance", "/api/births", "/api/population", "/api/schooling-years", "/api/summary",
]


def test_a_valid_token_authenticates_as_its_user(world):
    _, key = ApiToken.issue(world.users["school"])
    me = get_json(Client(headers={"Authorization": f"Bearer {key}"}), "/api/me")
    assert me["username"] == "t_school"
    assert me["role"] == {"code": "school_admin", "label": "学校管理员"}
    assert me["org_unit"] == {"id": world.school_a.org_unit_id, "name": "测试甲镇中心小学"}


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_endpoint_refuses_a_request_without_credentials(db, path):
    response = Client().get(path)
    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer not-a-real-key", "Bearer ", "Token {key}", "Basic dXNlcjpwYXNz", "{key}"],
)
def test_a_bad_token_or_scheme_gets_401(world, header):
    _, key = ApiToken.issue(world.users["admin"])
    response = Client(headers={"Authorization": header.format(key=key)}).get("/api/schools")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("未登录或 API 令牌无效")


def test_a_token_of_an_inactive_user_gets_401(world):
    user = world.users["admin"]
    _, key = ApiToken.issue(user)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/me").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/me").status_code == 401


def test_a_revoked_token_gets_401(world):
    token, key = ApiToken.issue(world.users["admin"])
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/me").status_code == 200
    token.delete()
    assert client.get("/api/me").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world):
    token, key = ApiToken.issue(world.users["leader"])
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert token.last_used is None

    client.get("/api/me")
    token.refresh_from_db()
    first = token.last_used
    assert first is not None and timezone.now() - first < dt.timedelta(seconds=30)

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/me")
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used == first

    stale = first - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used=stale)
    client.get("/api/me")
    token.refresh_from_db()
    assert token.last_used > stale + dt.timedelta(minutes=1)


def test_a_logged_in_browser_session_may_read_the_api(world):
    client = Client()
    client.force_login(world.users["leader"])
    assert get_json(client, "/api/me")["username"] == "t_leader"
    assert get_json(client, "/api/schools")["count"] == 3


def test_the_api_declares_both_ways_in():
    kinds = {type(a).__name__ for a in api.auth}
    assert kinds == {"BearerAuth", "SessionAuth"}
    assert all(getattr(a, "csrf", True) for a in api.auth if type(a).__name__ == "SessionAuth")
