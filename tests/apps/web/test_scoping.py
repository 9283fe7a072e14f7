"""Every list and detail page is scoped by visible_to(user): a school admin sees only their school."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["registry:school-list", "registry:class-list", "registry:student-list", "registry:staff-list",
         "registry:facility-list"]


def total(response) -> int:
    import re

    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


@pytest.mark.parametrize("name", LISTS)
def test_school_admin_lists_only_own_school(login, county, name):
    client = login(county.users.school)
    html = client.get(reverse(name), {"year": ""}).content.decode()
    assert "测试人民路小学" in html
    assert "测试鲁村小学" not in html
    assert "测试实验幼儿园" not in html


def test_school_admin_counts(login, county):
    client = login(county.users.school)
    assert total(client.get(reverse("registry:school-list"))) == 1
    assert total(client.get(reverse("registry:student-list"), {"year": ""})) == 3
    assert total(client.get(reverse("registry:class-list"), {"year": ""})) == 2
    assert total(client.get(reverse("registry:staff-list"))) == 3  # in post; 钱老师 has left
    assert total(client.get(reverse("registry:facility-list"), {"year": ""})) == 2


def test_bureau_roles_see_the_county(login, county):
    for role in ("admin", "staff", "leader"):
        client = login(getattr(county.users, role))
        assert total(client.get(reverse("registry:school-list"))) == 3
        assert total(client.get(reverse("registry:student-list"), {"year": ""})) == 7


def test_reporter_sees_no_school_rows(login, county):
    client = login(county.users.reporter)
    for name in LISTS:
        assert total(client.get(reverse(name), {"year": ""})) == 0


def test_other_schools_detail_pages_are_404(login, county):
    client = login(county.users.school)
    other_class = county.lucun_classes[county.years[1]]
    hidden = [
        ("registry:student-detail", county.lucun_pupils[0].pk),
        ("registry:school-detail", county.lucun.pk),
        ("registry:class-detail", other_class.pk),
        ("registry:staff-detail", county.lucun.staff.first().pk),
    ]
    for name, pk in hidden:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 404, name
        assert "测试鲁村小学" not in response.content.decode()
    own = county.renmin_pupils[0]
    assert client.get(reverse("registry:student-detail", args=[own.pk])).status_code == 200


def test_filter_choices_are_scoped(login, county):
    client = login(county.users.school)
    html = client.get(reverse("registry:student-list")).content.decode()
    assert "测试鲁村镇" not in html  # neither the town nor the school appear as filter options


def test_figures_page_is_scoped(login, county):
    admin_html = login(county.users.admin).get(reverse("registry:figures")).content.decode()
    assert "10,000.00" in admin_html  # 一般公共预算教育支出 1 亿元 = 10,000 万元
    assert "812" in admin_html and "测试鲁村镇" in admin_html and "5,021" in admin_html
    school_html = login(county.users.school).get(reverse("registry:figures")).content.decode()
    assert "10,000.00" not in school_html and "812" not in school_html and "暂无数据" in school_html
