"""Scoping: a school administrator sees only their school; a user of another county gets 404 for this
county's units, on the pages and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.balance import inputs


def test_school_admin_sees_only_their_school(bal):
    frame = inputs.compulsory_inputs(bal.users.school, bal.county, 2024)
    assert frame["学校标识码"].to_list() == ["3910000002"]


def test_school_admin_page_opens_on_their_school(client, bal):
    client.force_login(bal.users.school)
    response = client.get(reverse("balance:index"), {"year": 2024})
    assert response.status_code == 200
    body = response.content.decode()
    assert "均衡小学乙" in body and "均衡小学甲" not in body


@pytest.mark.parametrize("name", ["balance:index", "balance:preschool"])
def test_units_outside_scope_are_404(client, bal, name):
    client.force_login(bal.users.school)
    assert client.get(reverse(name), {"unit": bal.county.pk}).status_code == 404
    assert client.get(reverse(name), {"unit": bal.p1.org_unit.pk}).status_code == 404
    client.force_login(bal.users.other)
    assert client.get(reverse(name), {"unit": bal.county.pk}).status_code == 404
    assert client.get(reverse(name), {"unit": bal.town_a.pk}).status_code == 404


@pytest.mark.parametrize("path", ["/api/balance/schools", "/api/balance/cvs", "/api/balance/preschool"])
def test_api_outside_scope_is_404(client, bal, path):
    client.force_login(bal.users.other)
    assert client.get(path, {"unit": bal.county.pk, "year": 2024}).status_code == 404


def test_what_if_cannot_reach_schools_outside_scope(client, bal):
    client.force_login(bal.users.school)
    response = client.post(
        reverse("balance:index"),
        {"year": 2024, "school": "3910000001|小学", "add_L4": "100"},
    )
    assert response.status_code == 200
    assert "所选学校不在当前范围内" in response.content.decode()
