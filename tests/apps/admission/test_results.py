"""录取结果: the public results page (masked, only once published), the published draw files (download =
stored document; the CLI re-runs them to the same admitted list), the staff results (scoped, unmasked for
those who may see personal data) and the draws page."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from edubrain.admission import placing
from edubrain.admission.models import Application, Draw
from edubrain.core.enrollment import lottery
from edubrain.core.ids import mask_id_number, mask_name

from .conftest import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world):
    """School 0 (3 places): 5 applicants of the first tier (a draw); 1 at school 2; 3 for the private (2)."""
    apps = [make_application(world, area=world.areas[0], status="approved") for _ in range(5)]
    apps.append(make_application(world, area=world.areas[4], status="approved"))
    apps += [
        make_application(world, area=world.areas[5], status="approved", choice_school=world.private)
        for _ in range(3)
    ]
    world.round.status = "closed"
    world.round.save()
    placing.run_placement(world.round, world.bureau, seed="20270720-公证处")
    world.extra["apps"] = apps
    return world


def publish(world):
    placing.publish(world.round, world.bureau)


def test_public_results_are_404_until_published(placed):
    url = reverse("enroll:results", args=[placed.round.pk])
    assert Client().get(url).status_code == 404
    draw = Draw.objects.filter(round=placed.round).first()
    assert Client().get(reverse("enroll:draw", args=[draw.pk])).status_code == 404
    assert Client().get(reverse("enroll:round-draws", args=[placed.round.pk])).status_code == 404
    publish(placed)
    assert Client().get(url).status_code == 200


def test_public_results_mask_names_and_id_numbers(placed):
    publish(placed)
    url = reverse("enroll:results", args=[placed.round.pk])
    admitted = Application.objects.filter(round=placed.round, status="admitted")
    assert admitted.count() == 9  # 3 at school 0, 2 reassigned, 1 at school 2, 2 private, 1 back to zone
    for school in [*placed.schools, placed.private]:
        html = Client().get(url, {"school": school.code}).content.decode()
        assert f'data-school="{school.code}"' in html
        here = admitted.filter(admitted_school=school)
        assert f"录取 {here.count()} 人" in html
        for app in admitted:
            assert app.child_name not in html and app.child_id_number not in html
            listed = app.admitted_school_id == school.pk
            assert (mask_id_number(app.child_id_number) in html) == listed
            assert (f'data-receipt="{app.receipt_no}"' in html) == listed
            if listed:
                assert mask_name(app.child_name) in html


def test_public_results_without_a_school_list_counts_only(placed):
    """The overview (a phone's first view) carries every school's count and draws but no names."""
    publish(placed)
    html = Client().get(reverse("enroll:results", args=[placed.round.pk])).content.decode()
    for school in [*placed.schools, placed.private]:
        assert f'data-school="{school.code}"' in html
        count = Application.objects.filter(round=placed.round, admitted_school=school).count()
        assert f"录取 {count} 人" in html
    assert "data-receipt=" not in html
    assert html.count('class="draw-json"') == Draw.objects.filter(round=placed.round).count()


def test_draw_download_is_the_stored_document_and_the_cli_recomputes_it(placed, tmp_path):
    publish(placed)
    draw = Draw.objects.get(round=placed.round, school=placed.schools[0])
    response = Client().get(reverse("enroll:draw", args=[draw.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert placed.schools[0].code in response["Content-Disposition"]
    document = json.loads(response.content.decode("utf-8"))
    assert document == draw.document
    path = tmp_path / "派位.json"
    path.write_bytes(response.content)
    out, err = io.StringIO(), io.StringIO()
    assert lottery.lottery_command([str(path)], stdout=out, stderr=err) == 0, err.getvalue()
    assert "与公布结果一致" in out.getvalue()
    won = Application.objects.filter(admitted_school=placed.schools[0], admitted_via="lottery")
    assert won.count() == 3
    for receipt in won.values_list("receipt_no", flat=True):
        assert receipt in out.getvalue()


def test_a_tampered_draw_file_is_caught_by_the_cli(placed, tmp_path):
    publish(placed)
    draw = Draw.objects.get(round=placed.round, school=placed.schools[0])
    document = json.loads(Client().get(reverse("enroll:draw", args=[draw.pk])).content)
    losers = {c["receipt"] for c in document["candidates"]} - {a["receipt"] for a in document["admitted"]}
    document["admitted"][0]["receipt"] = sorted(losers)[0]
    path = tmp_path / "改.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    assert lottery.lottery_command([str(path)], stdout=out, stderr=io.StringIO()) == 1
    assert "与公布结果不一致" in out.getvalue()


def test_round_document_holds_every_draw_and_verifies(placed):
    publish(placed)
    response = Client().get(reverse("enroll:round-draws", args=[placed.round.pk]))
    document = json.loads(response.content)
    assert document["format"] == "edubrain-lottery-round"
    assert len(document["draws"]) == Draw.objects.filter(round=placed.round).count() == 2
    assert all(v.matches for v in lottery.verify(document))


def login(world, user):
    client = Client()
    client.force_login(user)
    return client


def test_staff_results_a_school_sees_its_own_list(placed):
    url = reverse("admission:results", args=[placed.round.pk])
    html = login(placed, placed.heads[0]).get(url).content.decode()
    assert f'data-school="{placed.schools[0].code}"' in html
    assert f'data-school="{placed.schools[2].code}"' not in html
    mine = Application.objects.filter(admitted_school=placed.schools[0])
    other = Application.objects.filter(admitted_school=placed.schools[2])
    assert all(a.child_id_number in html for a in mine)  # a school administrator sees its children in full
    assert not any(a.receipt_no in html for a in other)


def test_staff_results_the_bureau_sees_all_unmasked_bureau_staff_masked(placed):
    url = reverse("admission:results", args=[placed.round.pk])
    full = login(placed, placed.bureau).get(url).content.decode()
    masked = login(placed, placed.staff).get(url).content.decode()
    for app in Application.objects.filter(round=placed.round, status="admitted"):
        assert app.child_id_number in full
        assert app.child_id_number not in masked and mask_id_number(app.child_id_number) in masked
    for school in placed.schools:
        assert f'data-school="{school.code}"' in full


def test_draws_page_lists_each_draw_with_its_file_once_published(placed):
    url = reverse("admission:draws", args=[placed.round.pk])
    html = login(placed, placed.bureau).get(url).content.decode()
    draws = Draw.objects.filter(round=placed.round)
    assert 'id="draw-table"' in html and "edubrain enrollment lottery" in html
    for draw in draws:
        assert f'data-draw="{draw.pk}"' in html and draw.seed in html
    assert "draw-json" not in html
    publish(placed)
    html = login(placed, placed.bureau).get(url).content.decode()
    for draw in draws:
        assert reverse("enroll:draw", args=[draw.pk]) in html


def test_staff_pages_need_a_login_and_the_round_in_scope(placed, django_user_model):
    url = reverse("admission:results", args=[placed.round.pk])
    assert Client().get(url).status_code == 302
    from edubrain.accounts.models import Role
    from factories import CountyFactory, UserFactory

    stranger = UserFactory(
        username="adm_other",
        role=Role.BUREAU_ADMIN,
        org_unit=CountyFactory(division_code="379902", name="邻县"),
    )
    assert login(placed, stranger).get(url).status_code == 404
    assert login(placed, stranger).get(reverse("admission:draws", args=[placed.round.pk])).status_code == 404
