"""身份证号 (and the 学籍号 that embeds it) are masked unless the role may see personal data."""

import pytest
from django.urls import reverse

from edubrain.core.ids import mask_id_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_bureau_staff_and_leader_see_masked_ids(login, county, role):
    client = login(getattr(county.users, role))
    student = county.renmin_pupils[0]
    for url in (reverse("registry:student-list"), reverse("registry:student-detail", args=[student.pk])):
        html = client.get(url).content.decode()
        assert student.id_number not in html
        assert mask_id_number(student.id_number) in html
    staff_html = client.get(reverse("registry:staff-list")).content.decode()
    assert county.teacher.id_number not in staff_html
    assert mask_id_number(county.teacher.id_number) in staff_html


@pytest.mark.parametrize("role", ["admin", "school"])
def test_admins_see_full_ids(login, county, role):
    client = login(getattr(county.users, role))
    student = county.renmin_pupils[0]
    for url in (reverse("registry:student-list"), reverse("registry:student-detail", args=[student.pk])):
        assert student.id_number in client.get(url).content.decode()


def test_masked_roles_search_by_exact_id_only(login, county):
    client = login(county.users.staff)
    student = county.renmin_pupils[0]
    url = reverse("registry:student-list")
    assert student.name in client.get(url, {"q": student.id_number, "year": ""}).content.decode()
    # partial numbers do not match (no guessing digits through the search box)
    html = client.get(url, {"q": student.id_number[:10], "year": ""}).content.decode()
    assert 'data-total="0"' in html


def test_address_hidden_for_masked_roles(login, county):
    student = county.renmin_pupils[0]
    student.address = "南麻街道人民路 8 号"
    student.save()
    url = reverse("registry:student-detail", args=[student.pk])
    assert "人民路 8 号" not in login(county.users.leader).get(url).content.decode()
    assert "人民路 8 号" in login(county.users.admin).get(url).content.decode()
