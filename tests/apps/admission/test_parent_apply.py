"""报名: a parent files an application end to end — documents stored, 报名号, text message, first event,
招生类别, the zone school (enroll:zone and, without JS, after a validation error) — and every missing or
inconsistent field is named in Chinese."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from edubrain.admission import sms
from edubrain.admission.models import AdmissionRound, Application, ApplicationEvent
from edubrain.admission.receipts import ALPHABET

from .conftest import photo, png_bytes
from .test_parent_support import PHONE, apply_url, form, post_application, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(client):
    return sign_in(client)


def test_form_lists_areas_by_town_and_the_private_school(parent, world):
    page = parent.get(apply_url(world)).content.decode()
    for town in world.towns:
        assert f'<optgroup label="{town.name}">' in page
    assert world.areas[0].name in page and world.private.name in page
    for name in ("child_name", "child_id_number", "guardian_id_number", "doc_hukou", "policy_category"):
        assert f'id="{name}"' in page
    assert 'id="zone-school"' in page and 'id="submit-application"' in page


def test_application_end_to_end(parent, world, admission_files):
    response = post_application(parent, world)
    app = Application.objects.get(phone=PHONE)
    assert response.status_code == 302
    assert response["Location"] == reverse("enroll:detail", args=[app.receipt_no])
    assert re.fullmatch(rf"27P[{ALPHABET}]{{7}}", app.receipt_no)
    assert (app.child_sex, app.child_birth_date) == ("M", dt.date(2021, 3, 15))
    assert app.tier == "hukou_property"
    assert app.zone_school == world.schools[0] and app.school == world.schools[0]
    assert app.status == Application.Status.SUBMITTED and app.choice_school is None
    docs = {d.kind: d for d in app.documents.all()}
    assert set(docs) == {"hukou", "property"}
    assert docs["hukou"].sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert docs["hukou"].file.read() == png_bytes() and not docs["hukou"].supplement
    assert list(app.events.values_list("action", "actor")) == [(ApplicationEvent.Action.SUBMIT, None)]
    text = sms.last_to(PHONE).text
    assert app.receipt_no in text and "已提交" in text
    page = parent.get(response["Location"]).content.decode()
    assert app.receipt_no in page and 'data-status="submitted"' in page


@pytest.mark.parametrize(
    ("facts", "docs", "tier"),
    [
        ({"hukou_in_area": "on"}, {}, "hukou"),
        ({"property_in_area": "on"}, {"doc_property": [photo("房产证.jpg", png_bytes())]}, None),
        ({"residence_permit": "on"}, {"doc_permit": [photo("居住证.png")]}, "migrant"),
        ({}, {}, "other"),
    ],
)
def test_tier_from_the_facts(parent, world, facts, docs, tier):
    data = form(world, hukou_in_area=None, property_in_area=None, doc_property=None) | facts | docs
    response = parent.post(apply_url(world), data)
    if tier is None:  # a .jpg whose content is a PNG is refused: content must match the extension
        assert response.status_code == 400
        assert "文件内容与扩展名 .jpg 不符" in response.content.decode()
        return
    assert response.status_code == 302
    assert Application.objects.get(phone=PHONE).tier == tier


def test_policy_category_puts_the_child_in_the_first_tier(parent, world):
    category = world.round.policy_categories[0]
    response = post_application(
        parent, world, hukou_in_area=None, policy_category=category, doc_policy=[photo("证明.png")]
    )
    assert response.status_code == 302
    app = Application.objects.get(phone=PHONE)
    assert app.tier == world.round.tiers[0]["code"] and app.policy_category == category


def test_private_school_choice_makes_it_the_reviewing_school(parent, world):
    post_application(parent, world, choice_school=str(world.private.pk))
    app = Application.objects.get(phone=PHONE)
    assert app.choice_school == world.private and app.school == world.private
    assert app.zone_school == world.schools[0]


def test_a_public_school_is_not_a_private_choice(parent, world):
    response = post_application(parent, world, choice_school=str(world.schools[1].pk))
    assert response.status_code == 400 and "所选民办学校不在本次招生的学校中" in response.content.decode()


def test_zone_json(client, world):
    url = reverse("enroll:zone", args=[world.round.pk])
    data = client.get(url, {"area": world.areas[4].pk}).json()
    assert data == {"school": world.schools[2].name, "school_code": world.schools[2].code}
    for bad in ("x", "²", "9" * 30, ""):
        assert client.get(url, {"area": bad}).status_code == 404
    other_round_area = world.areas[0].pk
    assert (
        client.get(
            reverse("enroll:zone", args=[world.round.pk + 999]), {"area": other_round_area}
        ).status_code
        == 404
    )


def test_zone_school_shown_without_js_after_an_error(parent, world):
    response = post_application(parent, world, area=str(world.areas[2].pk), child_name="")
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(rf'id="zone-school">\s*{world.schools[1].name}', page)
    assert "请填写儿童姓名" in page
    assert 'value="幸福小区3号楼2单元401"' in page  # what was typed is kept


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"doc_hukou": None}, "请上传户口本照片"),
        ({"doc_property": None}, "请上传房产证照片"),
        ({"residence_permit": "on"}, "请上传居住证照片"),
        ({"policy_category": "烈士子女"}, "请上传优抚证明照片"),
        ({"policy_category": "县领导子女"}, "优抚对象类别“县领导子女”不在本次招生公布的类别中"),
        ({"guardian_relation": "邻居"}, "请选择监护人与儿童的关系"),
        ({"guardian_id_number": ""}, "请填写监护人身份证号"),
        ({"guardian2_name": "李梅"}, "请选择第二监护人与儿童的关系"),
        ({"guardian2_name": "李梅", "guardian2_relation": "母亲"}, "请填写第二监护人身份证号"),
        ({"address": ""}, "请填写详细住址"),
        ({"area": ""}, "请选择居住的社区/村/小区"),
        ({"child_name": "张" * 41}, "儿童姓名不能超过40个字"),
    ],
)
def test_each_missing_or_wrong_field_is_named(parent, world, overrides, field_message):
    response = post_application(parent, world, **overrides)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Application.objects.filter(phone=PHONE).exists()


def test_all_errors_at_once(parent, world):
    response = post_application(parent, world, child_name="", guardian_name="", address="", doc_hukou=None)
    page = response.content.decode()
    for message in ("请填写儿童姓名", "请填写监护人姓名", "请填写详细住址", "请上传户口本照片"):
        assert message in page


def test_complete_second_guardian_is_kept(parent, world):
    from .conftest import adult_id

    post_application(
        parent, world, guardian2_name="李梅", guardian2_relation="母亲", guardian2_id_number=adult_id(77)
    )
    app = Application.objects.get(phone=PHONE)
    assert (app.guardian2_name, app.guardian2_relation, app.guardian2_id_number) == (
        "李梅",
        "母亲",
        adult_id(77),
    )


def test_guardian_cannot_be_the_child(parent, world):
    data = form(world)
    response = post_application(parent, world, guardian_id_number=data["child_id_number"])
    assert "监护人身份证号不能与儿童身份证号相同" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "open_"),
    [
        ({"status": AdmissionRound.Status.CLOSED}, False),
        ({"status": AdmissionRound.Status.DRAFT}, False),
        ({"closes_on": "yesterday"}, False),
        ({"closes_on": "today"}, True),
        ({"opens_on": "tomorrow"}, False),
        ({"opens_on": "today"}, True),
    ],
)
def test_only_an_open_round_takes_applications(parent, world, change, open_):
    today = timezone.localdate()
    days = {
        "yesterday": today - dt.timedelta(days=1),
        "today": today,
        "tomorrow": today + dt.timedelta(days=1),
    }
    for key, value in change.items():
        setattr(world.round, key, days.get(value, value))
    world.round.save()
    response = post_application(parent, world)
    assert response.status_code == (302 if open_ else 403)
    assert Application.objects.filter(phone=PHONE).exists() is open_
