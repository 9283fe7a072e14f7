"""Query filters and page-number pagination of the list endpoints."""

from __future__ import annotations

import pytest

from .support import get_json, ids


@pytest.fixture
def admin(clients):
    return clients["admin"]


def test_school_filters(world, admin):
    a, k, b = world.school_a.id, world.kindergarten_a.id, world.school_b.id
    assert ids(get_json(admin, "/api/schools", town=world.town_b.id)) == {b}
    assert ids(get_json(admin, "/api/schools", town=world.town_a.id)) == {a, k}
    assert ids(get_json(admin, "/api/schools", school_type="kindergarten")) == {k}
    assert ids(get_json(admin, "/api/schools", ownership="private")) == {b}
    assert ids(get_json(admin, "/api/schools", locality="urban")) == {b}
    assert ids(get_json(admin, "/api/schools", zone=world.school_a.zone_id)) == {a}
    assert ids(get_json(admin, "/api/schools", q="幼儿园")) == {k}
    assert ids(get_json(admin, "/api/schools", q="3199000003")) == {b}
    assert ids(get_json(admin, "/api/schools", town=world.town_a.id, school_type="primary")) == {a}


def test_school_choice_fields_carry_code_and_label(world, admin):
    school = get_json(admin, f"/api/schools/{world.school_b.id}")
    assert school["school_type"] == {"code": "junior", "label": "初级中学"}
    assert school["ownership"] == {"code": "private", "label": "民办"}
    assert school["locality"] == {"code": "urban", "label": "城区"}
    assert school["rating"] == {"code": "prov_1", "label": "省一类"}
    assert school["town"] == {"id": world.town_b.id, "name": "乙街道"}
    detail = get_json(admin, f"/api/schools/{world.school_a.id}")
    assert detail["capacities"] == [{"grade_code": {"code": "11", "label": "一年级"}, "places": 90}]


def test_an_unknown_code_is_a_422_in_chinese(world, admin):
    response = admin.get("/api/schools", {"school_type": "university"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误"
    assert body["errors"][0]["loc"][-1] == "school_type"


def test_class_filters(world, admin):
    c = world.classes
    assert ids(get_json(admin, "/api/classes", school=world.school_a.id)) == {c["a23"].id, c["a24"].id}
    assert ids(get_json(admin, "/api/classes", year=2024)) == {c["a24"].id, c["b24"].id, c["k24"].id}
    assert ids(get_json(admin, "/api/classes", grade_code="21")) == {c["b23"].id}
    counts = {i["id"]: i["student_count"] for i in get_json(admin, "/api/classes", year=2024)["items"]}
    assert counts == {c["a24"].id: 2, c["b24"].id: 1, c["k24"].id: 1}


def test_student_filters(world, admin):
    s = {k: v.id for k, v in world.students.items()}
    assert ids(get_json(admin, "/api/students", school=world.school_a.id)) == {s["ming"], s["moved"]}
    # with a year, school means the school of that year's enrolment
    in_b_2023 = get_json(admin, "/api/students", school=world.school_b.id, year=2023)
    assert ids(in_b_2023) == {s["hong"], s["moved"]}
    assert ids(get_json(admin, "/api/students", year=2024)) == {s["ming"], s["hong"], s["moved"], s["kid"]}
    assert ids(get_json(admin, "/api/students", year=2023)) == {s["ming"], s["hong"], s["moved"]}
    assert ids(get_json(admin, "/api/students", year=2024, grade_code="12")) == {s["ming"], s["moved"]}
    assert ids(get_json(admin, "/api/students", year=2023, status="out")) == {s["moved"]}
    assert ids(get_json(admin, "/api/students", sex="M")) == {s["ming"], s["kid"]}
    assert ids(get_json(admin, "/api/students", q="小明")) == {s["ming"]}
    number = world.students["hong"].student_number
    assert ids(get_json(admin, "/api/students", q=number)) == {s["hong"]}
    assert ids(get_json(admin, "/api/students", q=number.lower())) == {s["hong"]}
    # a partial 学籍号 finds nothing: it would let a masked viewer guess ID digits
    assert ids(get_json(admin, "/api/students", q=number[-8:])) == set()
    assert get_json(admin, "/api/students", year=2024, grade_code="12")["count"] == 2


def test_staff_filters(world, admin):
    t = {k: v.id for k, v in world.staff.items()}
    assert ids(get_json(admin, "/api/staff", post="admin")) == {t["admin_b"]}
    assert ids(get_json(admin, "/api/staff", education="college")) == {t["teacher_k"]}
    assert ids(get_json(admin, "/api/staff", school=world.kindergarten_a.id)) == {t["teacher_k"]}
    assert ids(get_json(admin, "/api/staff", year=2024)) == {t["teacher_a"], t["teacher_k"]}  # 周主任 left
    assert ids(get_json(admin, "/api/staff", year=2020)) == {t["teacher_a"], t["admin_b"]}
    assert ids(get_json(admin, "/api/staff", q="陈")) == {t["teacher_a"]}
    assert ids(get_json(admin, "/api/staff", subject="学前教育")) == {t["teacher_k"]}
    item = get_json(admin, "/api/staff", post="admin")["items"][0]
    assert item["post"] == {"code": "admin", "label": "行政人员"}
    assert item["education"] == {"code": "postgrad", "label": "研究生"}


def test_yearly_figure_filters(world, admin):
    assert get_json(admin, "/api/facilities", year=2024)["count"] == 2
    only = get_json(admin, "/api/facilities", school=world.school_b.id, year=2024)["items"]
    assert len(only) == 1 and only[0]["land_area"] == 12345.5
    assert get_json(admin, "/api/finance", year=2023)["count"] == 0
    finance = get_json(admin, "/api/finance", year=2024)["items"]
    assert finance[0]["general_budget"] == 900_000_000 and finance[0]["org_unit"]["id"] == world.county.id
    births = get_json(admin, "/api/births", org_unit=world.town_b.id)["items"]
    assert [b["births"] for b in births] == [123]
    ages = get_json(admin, "/api/population", year=2024, age=7)["items"]
    assert [(p["age"], p["population"]) for p in ages] == [(7, 1100)]
    assert get_json(admin, "/api/population", year=2020)["count"] == 0


def test_org_unit_filters(world, admin):
    towns = get_json(admin, "/api/org-units", kind="town")["items"]
    assert {t["id"] for t in towns} == {world.town_a.id, world.town_b.id}
    assert towns[0]["kind"] == {"code": "town", "label": "镇/街道"}
    children = ids(get_json(admin, "/api/org-units", parent=world.town_a.id))
    assert children == {world.school_a.org_unit_id, world.kindergarten_a.org_unit_id}


def test_pages_cover_every_row_once(world, admin):
    seen = []
    for page in (1, 2, 3, 4):
        body = get_json(admin, "/api/students", page=page, page_size=1)
        assert (body["count"], body["page"], body["page_size"], len(body["items"])) == (4, page, 1, 1)
        seen += [i["id"] for i in body["items"]]
    assert sorted(seen) == sorted(s.id for s in world.students.values())
    past_the_end = get_json(admin, "/api/students", page=5, page_size=1)
    assert past_the_end["items"] == [] and past_the_end["count"] == 4


def test_page_size_defaults_to_50_and_allows_500(world, admin):
    assert get_json(admin, "/api/students")["page_size"] == 50
    assert get_json(admin, "/api/students", page_size=500)["page_size"] == 500


@pytest.mark.parametrize("params", [{"page_size": 501}, {"page_size": 0}, {"page": 0}, {"page": "x"}])
def test_out_of_range_paging_is_a_422(world, admin, params):
    response = admin.get("/api/students", params)
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误"
