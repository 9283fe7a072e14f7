"""身份证号 is shown in full only to roles that may see personal data (bureau or school admin, superuser)."""

from __future__ import annotations

import pytest

from edubrain.core.ids import mask_id_number
from factories import UserFactory

from .support import api_client, get_json

FULL = ["admin", "school"]
MASKED = ["staff", "leader"]


def by_id(page):
    return {item["id"]: item for item in page["items"]}


@pytest.mark.parametrize("role", FULL)
def test_personal_data_roles_see_full_id_numbers(world, clients, role):
    ming = world.students["ming"]
    item = by_id(get_json(clients[role], "/api/students"))[ming.id]
    assert item["id_number"] == ming.id_number and len(item["id_number"]) == 18
    assert item["student_number"] == ming.student_number
    detail = get_json(clients[role], f"/api/students/{ming.id}")
    assert detail["id_number"] == ming.id_number
    assert detail["address"] == "ming家庭住址"
    teacher = world.staff["teacher_a"]
    assert by_id(get_json(clients[role], "/api/staff"))[teacher.id]["id_number"] == teacher.id_number


@pytest.mark.parametrize("role", MASKED)
def test_other_roles_see_masked_id_numbers_and_no_address(world, clients, role):
    students = by_id(get_json(clients[role], "/api/students"))
    assert len(students) == 4
    for student in world.students.values():
        shown = students[student.id]["id_number"]
        assert shown == mask_id_number(student.id_number) != student.id_number
        assert shown.startswith(student.id_number[:4]) and "*" * 10 in shown
        # a G-学籍号 is "G" + 身份证号, so it is masked too
        number = students[student.id]["student_number"]
        assert number == mask_id_number(student.student_number) != student.student_number
    detail = get_json(clients[role], f"/api/students/{world.students['ming'].id}")
    assert detail["id_number"] == mask_id_number(world.students["ming"].id_number)
    assert detail["address"] is None
    for member in world.staff.values():
        shown = by_id(get_json(clients[role], "/api/staff"))[member.id]["id_number"]
        assert shown == mask_id_number(member.id_number) != member.id_number


def test_a_superuser_sees_full_id_numbers(world):
    root = api_client(UserFactory(username="t_root", is_superuser=True, org_unit=None))
    ming = world.students["ming"]
    assert get_json(root, f"/api/students/{ming.id}")["id_number"] == ming.id_number


def test_an_empty_id_number_stays_empty(world, clients):
    kid = world.students["kid"]
    kid.id_number = None
    kid.save()
    for role in ("admin", "leader"):
        assert get_json(clients[role], f"/api/students/{kid.id}")["id_number"] == ""
