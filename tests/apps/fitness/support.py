"""API clients for the fitness tests: a fresh token per user, JSON with the status checked."""

from __future__ import annotations

from typing import Any

from django.test import Client

from edubrain.accounts.models import ApiToken


def api_client(user: Any) -> Client:
    _, key = ApiToken.issue(user, name="体质健康测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def get_json(client: Client, url: str, expect: int = 200, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == expect, response.content.decode()
    return response.json()
