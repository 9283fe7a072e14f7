"""The web shell on the demo county (seed 7, scale 0.04): figures, scoping and masking per demo account."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from edubrain.core.ids import mask_id_number
from edubrain.registry.models import Student
from edubrain.registry.queries import summary

pytest.importorskip("edubrain.demo.generator")

FIGURES = ["schools", "kindergarten", "compulsory", "upper_secondary", "vocational", "teachers"]
LISTS = ["registry:school-list", "registry:class-list", "registry:student-list", "registry:staff-list",
         "registry:facility-list", "registry:figures"]


def shown(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-figure="(\w+)" data-value="(\d+)"', html)}


@pytest.mark.parametrize("username", ["admin", "staff", "leader", "school", "reporter", "root"])
def test_home_and_pages_for_every_demo_account(client, demo, username):
    user = demo.users[username]
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    expected = summary(user)
    assert shown(html) == {k: expected[k] for k in FIGURES}
    for name in LISTS:
        assert client.get(reverse(name)).status_code == 200, name


def test_demo_school_admin_is_scoped(client, demo):
    user = demo.users["school"]
    client.force_login(user)
    school = user.org_unit.school
    html = client.get(reverse("registry:student-list"), {"year": ""}).content.decode()
    total = int(re.search(r'data-total="(\d+)"', html).group(1))
    assert total == Student.objects.filter(school=school).count() > 0
    schools_shown = set(re.findall(r'/registry/schools/(\d+)/"', html))
    assert schools_shown == {str(school.pk)}
    other = Student.objects.exclude(school=school).first()
    assert client.get(reverse("registry:student-detail", args=[other.pk])).status_code == 404


def test_demo_masking(client, demo):
    student = Student.objects.exclude(id_number=None).first()
    url = reverse("registry:student-detail", args=[student.pk])
    for username, full in [("staff", False), ("leader", False), ("admin", True)]:
        client.force_login(demo.users[username])
        html = client.get(url).content.decode()
        assert (student.id_number in html) is full
        assert full or mask_id_number(student.id_number) in html
