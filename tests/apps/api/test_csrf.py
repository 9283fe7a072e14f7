"""Session authentication checks CSRF for unsafe methods; token authentication does not need it.

The registry API is read-only, so a throw-away API with one POST route, built from the same auth classes,
stands in for the write endpoints to come.
"""

from __future__ import annotations

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import path
from ninja import NinjaAPI

from edubrain.accounts.api import authenticate_token
from edubrain.accounts.models import ApiToken
from edubrain.base.api import BearerAuth, SessionAuth, install_error_handlers

probe = NinjaAPI(
    urls_namespace="csrf-probe", auth=[BearerAuth(authenticate_token), SessionAuth()], docs_url=None
)
install_error_handlers(probe)


@probe.post("/echo")
def echo(request):
    return {"user": request.auth.username}


urlpatterns = [path("probe/", probe.urls)]


@pytest.fixture(autouse=True)
def _probe_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_session_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    response = client.post("/probe/echo")
    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF 校验失败：请刷新页面后重试"


def test_session_post_with_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post("/probe/echo", headers={"X-CSRFToken": secret})
    assert response.status_code == 200
    assert response.json() == {"user": "t_admin"}


def test_token_post_needs_no_csrf_token(world):
    _, key = ApiToken.issue(world.users["staff"])
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    response = client.post("/probe/echo")
    assert response.status_code == 200
    assert response.json() == {"user": "t_staff"}


def test_anonymous_post_is_401_not_403(db):
    response = Client(enforce_csrf_checks=True).post("/probe/echo")
    assert response.status_code == 401
