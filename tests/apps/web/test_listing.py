"""Generic list pages: search, filters, sorting, pagination, htmx partials, details."""

import re

import pytest
from django.urls import reverse

from .builders import make_school, make_students

pytestmark = pytest.mark.django_db


def total(response) -> int:
    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


def names(response) -> list[str]:
    return re.findall(r'/registry/students/\d+/">([^<G]+)</a>', response.content.decode())


def test_search_by_name_and_school_code(login, county):
    client = login(county.users.admin)
    student = county.lucun_pupils[0]
    response = client.get(reverse("registry:student-list"), {"q": student.name, "year": ""})
    assert total(response) == 1 and student.name in response.content.decode()
    response = client.get(reverse("registry:school-list"), {"q": county.lucun.code})
    assert total(response) == 1 and "测试鲁村小学" in response.content.decode()
    response = client.get(reverse("registry:school-list"), {"q": "人民路"})
    assert total(response) == 1


def test_filters(login, county):
    client = login(county.users.admin)
    town = county.towns[1].pk
    assert total(client.get(reverse("registry:school-list"), {"town": town})) == 1
    assert total(client.get(reverse("registry:school-list"), {"type": "kindergarten"})) == 1
    last, prev = str(county.last), str(county.last - 1)
    assert total(client.get(reverse("registry:student-list"), {"year": last, "grade": "01"})) == 2
    assert total(client.get(reverse("registry:student-list"), {"year": prev, "grade": "12"})) == 0
    assert total(client.get(reverse("registry:student-list"), {"year": last, "grade": "12"})) == 5
    assert total(client.get(reverse("registry:class-list"), {"year": prev})) == 2
    assert total(client.get(reverse("registry:staff-list"), {"post": "admin"})) == 1
    assert total(client.get(reverse("registry:staff-list"), {"education": "postgrad"})) == 1
    assert total(client.get(reverse("registry:staff-list"), {"status": "left"})) == 1
    assert total(client.get(reverse("registry:facility-list"), {"year": prev})) == 1


def test_default_year_filter_is_latest(login, county):
    client = login(county.users.admin)
    html = client.get(reverse("registry:class-list")).content.decode()
    assert f'<option value="{county.last}" selected>' in html
    assert total(client.get(reverse("registry:class-list"))) == 3
    assert total(client.get(reverse("registry:class-list"), {"year": ""})) == 5  # 全部


def test_bad_filter_values_are_ignored(login, county):
    client = login(county.users.admin)
    response = client.get(reverse("registry:school-list"), {"town": "abc", "type": "castle", "sort": "evil"})
    assert response.status_code == 200 and total(response) == 3
    assert client.get(reverse("registry:student-list"), {"page": "999"}).status_code == 200


def test_pagination_fifty_per_page(login, county):
    school = make_school(county.towns[0], "分页测试小学")
    make_students(school, 120)
    client = login(county.users.admin)
    url = reverse("registry:student-list")
    first = client.get(url, {"year": "", "school": school.pk})
    assert total(first) == 120
    assert len(names(first)) == 50
    html = first.content.decode()
    assert "第 1 / 3 页" in html and 'href="?year=&amp;school=' in html and "page=2" in html
    third = client.get(url, {"year": "", "school": school.pk, "page": 3})
    assert len(names(third)) == 20
    assert set(names(first)).isdisjoint(names(third))


def test_sorting(login, county):
    client = login(county.users.admin)
    url = reverse("registry:school-list")
    code = r"<td>(\d{10})</td>"
    asc = re.findall(code, client.get(url, {"sort": "code"}).content.decode())
    desc = re.findall(code, client.get(url, {"sort": "-code"}).content.decode())
    assert len(asc) == 3
    assert asc == sorted(asc) and desc == list(reversed(asc))


def test_htmx_request_returns_only_the_table(login, county):
    client = login(county.users.admin)
    url = reverse("registry:student-list")
    full = client.get(url)
    partial = client.get(url, {"q": county.renmin_pupils[0].name, "year": ""}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and "<nav class=\"mainnav\"" not in html and "list-filters" not in html
    assert '<table class="data" id="list-table">' in html and county.renmin_pupils[0].name in html
    assert "<html" in full.content.decode() and 'id="list-filters"' in full.content.decode()
    assert "HX-Request" in partial["Vary"]
    # a history restore asks for the whole page
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_search_box_uses_htmx_with_delay(login, county):
    html = login(county.users.admin).get(reverse("registry:student-list")).content.decode()
    assert re.search(r'<input type="search"[^>]*hx-get="/registry/students/"[^>]*hx-trigger="input changed '
                     r'delay:\d+ms"', html, re.S)


def test_school_detail_shows_classes_staff_and_facilities(login, county):
    client = login(county.users.school)
    html = client.get(reverse("registry:school-detail", args=[county.renmin.pk])).content.decode()
    assert county.renmin.code in html and "二年级(1)班" in html and "王老师" in html
    assert "专任教师" in html and "12,345" in html  # books in the latest year
    url = reverse("registry:school-detail", args=[county.renmin.pk])
    assert "一年级(1)班" in client.get(url, {"year": county.last - 1}).content.decode()


def test_student_detail_shows_enrolment_history(login, county):
    student = county.renmin_pupils[0]
    url = reverse("registry:student-detail", args=[student.pk])
    html = login(county.users.admin).get(url).content.decode()
    assert county.years[0].name in html and county.years[1].name in html and "一年级(1)班" in html
    assert "在籍" in html


def test_class_and_staff_detail(login, county):
    client = login(county.users.admin)
    klass = county.renmin_classes[county.years[1]]
    html = client.get(reverse("registry:class-detail", args=[klass.pk])).content.decode()
    assert "学生名单（3 人）" in html and "王老师" in html
    html = client.get(reverse("registry:staff-detail", args=[county.teacher.pk])).content.decode()
    assert "王老师" in html and "担任班主任" in html and "二年级(1)班" in html


def test_list_queries_do_not_grow_with_rows(login, county, django_assert_max_num_queries):
    school = make_school(county.towns[0], "查询测试小学")
    make_students(school, 60)
    client = login(county.users.admin)
    for name in ["registry:school-list", "registry:class-list", "registry:student-list",
                 "registry:staff-list", "registry:facility-list"]:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name), {"year": ""}).status_code == 200
