"""The API over the demo county, as its demo accounts see it (password Edu@2025)."""

from __future__ import annotations

import pytest
from django.test import Client

from edubrain.accounts.models import User
from edubrain.registry.models import School, Student
from edubrain.registry.queries import latest_year, summary

from .support import api_client, get_json

pytest.importorskip("edubrain.demo.generator")


def demo_client(username: str) -> Client:
    return api_client(User.objects.get(username=username))


def test_leader_sees_every_school_of_the_county(demo):
    in_county = School.objects.filter(org_unit__path__startswith=demo.county.path).count()
    assert in_county > 10
    assert get_json(demo_client("leader"), "/api/schools")["count"] == in_county


def test_school_account_sees_only_renminlu_primary(demo):
    client = demo_client("school")
    schools = get_json(client, "/api/schools")["items"]
    assert [s["name"] for s in schools] == ["沂源县人民路小学"]
    students = get_json(client, "/api/students", page_size=500)
    expected = Student.objects.filter(school__name="沂源县人民路小学").count()
    assert students["count"] == expected > 0
    assert {s["school"]["name"] for s in students["items"]} == {"沂源县人民路小学"}
    assert all("*" not in s["id_number"] for s in students["items"])  # school admins see personal data


def test_reporter_sees_no_school(demo):
    client = demo_client("reporter")
    assert get_json(client, "/api/schools")["count"] == 0
    assert get_json(client, "/api/students")["count"] == 0
    assert [u["name"] for u in get_json(client, "/api/responsible-units")["items"]] == ["县财政局"]


def test_leader_sees_masked_id_numbers(demo):
    items = get_json(demo_client("leader"), "/api/students", page_size=20)["items"]
    assert items and all("**********" in s["id_number"] for s in items if s["id_number"])


def test_summary_matches_the_home_page_figures(demo):
    leader = User.objects.get(username="leader")
    body = get_json(demo_client("leader"), "/api/summary")
    assert body == summary(leader, latest_year())
    assert body["compulsory"] > 0 and body["kindergarten"] > 0


def test_demo_password_login_reads_the_api(demo):
    client = Client()
    assert client.login(username="staff", password=demo.password)
    assert get_json(client, "/api/me")["role"]["code"] == "bureau_staff"


def test_a_full_page_of_demo_students_takes_four_queries(demo, django_assert_max_num_queries):
    client = demo_client("admin")
    client.get("/api/me")
    with django_assert_max_num_queries(4):
        body = get_json(client, "/api/students", page_size=500)
    assert len(body["items"]) == min(500, body["count"]) and body["count"] > 500
