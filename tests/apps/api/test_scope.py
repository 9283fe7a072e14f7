"""Each role sees exactly its scope; a row outside it is a 404 that reveals nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from edubrain.accounts.models import Role
from edubrain.registry.models import EducationGroup, SchoolZone
from factories import SchoolFactory, UserFactory

from .support import api_client, get_json, ids

COUNTY_ROLES = ["admin", "staff", "leader"]


def school_ids(world, *names):
    return {getattr(world, n).id for n in names}


@pytest.mark.parametrize("role", COUNTY_ROLES)
def test_county_roles_see_the_whole_county(world, clients, role):
    client = clients[role]
    everything = school_ids(world, "school_a", "kindergarten_a", "school_b")
    assert ids(get_json(client, "/api/schools")) == everything
    assert ids(get_json(client, "/api/students")) == {s.id for s in world.students.values()}
    assert ids(get_json(client, "/api/staff")) == {s.id for s in world.staff.values()}
    assert ids(get_json(client, "/api/classes")) == {c.id for c in world.classes.values()}
    assert get_json(client, "/api/facilities")["count"] == 3
    assert get_json(client, "/api/finance")["count"] == 1
    assert get_json(client, "/api/births")["count"] == 2
    assert get_json(client, "/api/population")["count"] == 2
    assert get_json(client, "/api/zones")["count"] == 1
    assert get_json(client, "/api/groups")["count"] == 1
    assert ids(get_json(client, "/api/responsible-units")) == {world.unit.id}
    units = ids(get_json(client, "/api/org-units"))
    assert world.county.id in units and world.unit.org_unit_id in units and len(units) == 7


def test_school_admin_sees_only_their_school(world, clients):
    client = clients["school"]
    assert ids(get_json(client, "/api/schools")) == {world.school_a.id}
    assert ids(get_json(client, "/api/students")) == {world.students["ming"].id, world.students["moved"].id}
    assert ids(get_json(client, "/api/staff")) == {world.staff["teacher_a"].id}
    assert ids(get_json(client, "/api/classes")) == {world.classes["a23"].id, world.classes["a24"].id}
    facilities = get_json(client, "/api/facilities")["items"]
    assert {f["school"]["id"] for f in facilities} == {world.school_a.id} and len(facilities) == 2
    assert ids(get_json(client, "/api/org-units")) == {world.school_a.org_unit_id}
    assert ids(get_json(client, "/api/groups")) == {EducationGroup.objects.get(name="测试甲镇教育集团").id}
    for path in ("/api/finance", "/api/births", "/api/population", "/api/zones", "/api/responsible-units"):
        assert get_json(client, path)["count"] == 0, path


def test_reporter_sees_no_school_and_only_their_unit(world, clients):
    client = clients["reporter"]
    for path in ("/api/schools", "/api/students", "/api/staff", "/api/classes", "/api/facilities",
                 "/api/finance", "/api/births", "/api/groups", "/api/zones"):
        page = get_json(client, path)
        assert page["count"] == 0 and page["items"] == [], path
    assert ids(get_json(client, "/api/responsible-units")) == {world.unit.id}
    assert ids(get_json(client, "/api/org-units")) == {world.unit.org_unit_id}


def test_a_user_without_an_org_unit_sees_nothing(world):
    client = api_client(UserFactory(username="t_nobody", role=Role.BUREAU_STAFF, org_unit=None))
    assert get_json(client, "/api/schools")["count"] == 0
    assert get_json(client, "/api/org-units")["count"] == 0


def test_a_superuser_sees_every_county(world):
    other = SchoolFactory(name="别县小学", code="3199000099")  # under the factories' default county
    client = api_client(UserFactory(username="t_root", is_superuser=True, org_unit=None))
    seen = ids(get_json(client, "/api/schools", page_size=500))
    assert school_ids(world, "school_a", "kindergarten_a", "school_b") | {other.id} <= seen
    assert other.id not in ids(get_json(api_client(world.users["leader"]), "/api/schools"))


def test_school_years_are_a_code_list_every_signed_in_user_reads(world, clients):
    years = {y["start_year"] for y in get_json(clients["reporter"], "/api/school-years")["items"]}
    assert {2023, 2024} <= years


@pytest.mark.parametrize(
    "role, path, visible",
    [
        ("school", "/api/schools/{school_a}", True),
        ("school", "/api/schools/{school_b}", False),
        ("school", "/api/students/{ming}", True),
        ("school", "/api/students/{hong}", False),
        ("reporter", "/api/schools/{school_a}", False),
        ("reporter", "/api/students/{ming}", False),
        ("leader", "/api/schools/{school_b}", True),
        ("leader", "/api/students/{hong}", True),
    ],
)
def test_detail_outside_the_scope_is_404(world, clients, role, path, visible):
    url = path.format(
        school_a=world.school_a.id, school_b=world.school_b.id,
        ming=world.students["ming"].id, hong=world.students["hong"].id,
    )
    response = clients[role].get(url)
    if visible:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到该记录，或您无权查看"}


def test_a_hidden_row_and_a_missing_row_answer_alike(world, clients):
    hidden = clients["school"].get(f"/api/students/{world.students['hong'].id}")
    missing = clients["school"].get("/api/students/987654321")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_enrolment_history_is_limited_to_the_scope(world, clients):
    moved = world.students["moved"].id
    full = get_json(clients["admin"], f"/api/students/{moved}")["enrollments"]
    assert [(e["year"], e["school"]["id"], e["status"]["code"]) for e in full] == [
        (2023, world.school_b.id, "out"), (2024, world.school_a.id, "in"),
    ]
    assert full[1]["school_class"] == {"id": world.classes["a24"].id, "name": "二年级(1)班"}
    assert full[1]["grade_code"] == {"code": "12", "label": "二年级"}
    own = get_json(clients["school"], f"/api/students/{moved}")["enrollments"]
    assert [(e["year"], e["school"]["id"]) for e in own] == [(2024, world.school_a.id)]


def test_group_scope_follows_the_core_school(world):
    member_admin = UserFactory(username="t_member", role=Role.SCHOOL_ADMIN, org_unit=world.school_b.org_unit)
    assert get_json(api_client(member_admin), "/api/groups")["count"] == 0
    assert SchoolZone.objects.filter(county=world.county).exists()


def test_session_and_token_see_the_same_scope(world, clients):
    session = Client()
    session.force_login(world.users["school"])
    assert ids(get_json(session, "/api/students")) == ids(get_json(clients["school"], "/api/students"))
