"""List and detail endpoints run a fixed number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

import pytest

from edubrain.registry.models import EducationGroup
from factories import EnrollmentFactory, FacilityFactory, SchoolClassFactory, SchoolFactory, SchoolYearFactory

from .conftest import staff_member, student
from .support import get_json

EXTRA = 12
# token lookup + count + page (+ one prefetch where declared)
MAX_QUERIES = 4


@pytest.fixture
def crowded(world, clients):
    """Many rows, each with its own related rows, so an N+1 would show."""
    year = SchoolYearFactory(start_year=2024)
    schools = [
        SchoolFactory(town=world.town_a, name=f"测试拥挤学校{i}", code=f"31990001{i:02d}")
        for i in range(EXTRA)
    ]
    group = EducationGroup.objects.get(name="测试甲镇教育集团")
    group.members.add(*schools)
    for school in schools:
        klass = SchoolClassFactory(school=school, school_year=year, grade_code="13")
        head = staff_member(school)
        klass.head_teacher = head
        klass.save()
        for _ in range(2):
            EnrollmentFactory(student=student(school), school_class=klass)
        FacilityFactory(school=school, year=2024)
    client = clients["admin"]
    client.get("/api/me")  # the token's last_used is written on first use; keep it out of the counts
    return client


@pytest.mark.parametrize(
    "path, at_least",
    [
        ("/api/schools", EXTRA), ("/api/students", 2 * EXTRA), ("/api/staff", EXTRA), ("/api/classes", EXTRA),
        ("/api/facilities", EXTRA), ("/api/groups", 1), ("/api/org-units", EXTRA), ("/api/births", 2),
        ("/api/population", 2), ("/api/finance", 1), ("/api/zones", 1), ("/api/responsible-units", 1),
        ("/api/school-years", 2),
    ],
)
def test_lists_use_a_fixed_number_of_queries(crowded, django_assert_max_num_queries, path, at_least):
    with django_assert_max_num_queries(MAX_QUERIES):
        body = get_json(crowded, path, page_size=500)
    assert body["count"] >= at_least and len(body["items"]) == body["count"]


def test_group_members_come_from_one_prefetch(crowded, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        groups = get_json(crowded, "/api/groups")["items"]
    assert len(groups[0]["members"]) == EXTRA + 1


def test_student_detail_with_history_uses_a_fixed_number_of_queries(
    world, crowded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        body = get_json(crowded, f"/api/students/{world.students['moved'].id}")
    assert len(body["enrollments"]) == 2


def test_school_detail_uses_a_fixed_number_of_queries(world, crowded, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        body = get_json(crowded, f"/api/schools/{world.school_a.id}")
    assert body["zone"]["name"] == "测试第一学区" and len(body["capacities"]) == 1
