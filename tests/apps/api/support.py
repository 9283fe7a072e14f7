"""Helpers for the API tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from edubrain.accounts.models import ApiToken, User


def api_client(user: User) -> Client:
    """A test client that sends a fresh API token of ``user``."""
    _, key = ApiToken.issue(user, name="测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def get_json(client: Client, url: str, expect: int = 200, **params: Any) -> Any:
    """GET with query parameters; assert the status code and return the decoded JSON body."""
    response = client.get(url, params)
    assert response.status_code == expect, response.content.decode()
    return response.json()


def ids(page: dict[str, Any]) -> set[int]:
    return {item["id"] for item in page["items"]}
