"""网上招生 API: rounds with counts, applications (scoped, paginated, 身份证号 masked by role), results."""

from __future__ import annotations

import pytest
from django.test import Client

from edubrain.admission import placing
from edubrain.core.ids import mask_id_number

from .conftest import make_application

pytestmark = pytest.mark.django_db


def get(user, path):
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def apps(world):
    return [
        make_application(world, area=world.areas[0], status="approved"),
        make_application(world, area=world.areas[0], status="submitted"),
        make_application(world, area=world.areas[2], status="approved"),
        make_application(world, area=world.areas[4], status="approved", choice_school=world.private),
    ]


def test_rounds_with_counts_by_status(world, apps):
    rows = get(world.bureau, "/api/admission/rounds")
    [mine] = [r for r in rows if r["id"] == world.round.pk]
    assert mine["by_status"] == {"approved": 3, "submitted": 1} and mine["applications"] == 4
    assert mine["status"] == {"code": "open", "label": "报名中"}
    [theirs] = [r for r in get(world.heads[0], "/api/admission/rounds") if r["id"] == world.round.pk]
    assert theirs["by_status"] == {"approved": 1, "submitted": 1}


def test_applications_masked_by_role_and_scoped(world, apps):
    path = f"/api/admission/applications?round={world.round.pk}"
    full = get(world.bureau, path)
    assert full["count"] == 4
    by_receipt = {a["receipt_no"]: a for a in full["items"]}
    assert by_receipt[apps[0].receipt_no]["child_id_number"] == apps[0].child_id_number
    assert by_receipt[apps[0].receipt_no]["tier"] == {"code": "hukou_property", "label": "户籍与房产一致"}
    masked = get(world.leader, path)
    assert masked["count"] == 4
    for item in masked["items"]:
        assert "*" in item["child_id_number"] and "*" in item["phone"]
    assert {i["child_id_number"] for i in masked["items"]} == {
        mask_id_number(a.child_id_number) for a in apps
    }
    school = get(world.heads[0], path)
    assert {i["receipt_no"] for i in school["items"]} == {apps[0].receipt_no, apps[1].receipt_no}
    private = get(world.private_head, path)
    assert [i["receipt_no"] for i in private["items"]] == [apps[3].receipt_no]


def test_applications_filters_and_pagination(world, apps):
    base = f"/api/admission/applications?round={world.round.pk}"
    assert get(world.bureau, base + "&status=submitted")["count"] == 1
    assert get(world.bureau, base + f"&school={world.schools[1].pk}")["count"] == 1
    page = get(world.bureau, base + "&page_size=3&page=2")
    assert (page["count"], len(page["items"]), page["page"]) == (4, 1, 2)
    client = Client()
    client.force_login(world.bureau)
    bad = client.get(base + "&status=nonsense")
    assert bad.status_code == 422 and "状态" in bad.json()["detail"]


def test_results_by_role(world, apps):
    apps[1].status = "approved"
    apps[1].save()
    world.round.status = "closed"
    world.round.save()
    placing.run_placement(world.round, world.bureau, seed="s")
    path = f"/api/admission/rounds/{world.round.pk}/results"
    full = get(world.bureau, path)
    codes = {s["school_code"]: s for s in full["schools"]}
    assert codes[world.schools[0].code]["admitted"] == 2 and codes[world.private.code]["admitted"] == 1
    ids = {s["id_number"] for s in codes[world.schools[0].code]["students"]}
    assert ids == {apps[0].child_id_number, apps[1].child_id_number}
    leader = get(world.leader, path)
    for school in leader["schools"]:
        assert all("*" in s["id_number"] for s in school["students"])
    head = get(world.heads[0], path)
    assert [s["school_code"] for s in head["schools"]] == [world.schools[0].code]


def test_anonymous_gets_401_and_an_unknown_round_404(world):
    assert Client().get("/api/admission/rounds").status_code == 401
    client = Client()
    client.force_login(world.bureau)
    assert client.get("/api/admission/rounds/999999/results").status_code == 404


def test_openapi_lists_the_admission_endpoints(db):
    from openapi_spec_validator import validate

    schema = Client().get("/api/openapi.json").json()
    validate(schema)
    for path in (
        "/api/admission/rounds",
        "/api/admission/applications",
        "/api/admission/rounds/{round_id}/results",
    ):
        assert path in schema["paths"]
