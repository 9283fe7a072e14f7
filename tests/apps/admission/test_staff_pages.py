"""网上招生 staff pages by role: the bureau manages, a school reviews only its own applications (anything
else is a 404), a leader reads without forms (POST 403); 身份证号 masked unless the role may see personal
data; documents served inline with nosniff."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edubrain.admission import areas as area_service
from edubrain.admission.models import AdmissionRound, Application, ApplicationDocument, Quota
from edubrain.core.ids import mask_id_number

from .conftest import make_application, png_bytes

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def add_document(app) -> ApplicationDocument:
    data = png_bytes()
    doc = ApplicationDocument(
        application=app,
        kind="hukou",
        name="户口本.png",
        extension=".png",
        content_type="image/png",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=timezone.now(),
    )
    doc.file.save("户口本.png", ContentFile(data), save=True)
    return doc


# ---------------------------------------------------------------- rounds list


def test_index_for_the_bureau_has_the_create_form(world):
    make_application(world)
    html = client_for(world.bureau).get(reverse("admission:index")).content.decode()
    assert 'id="round-form"' in html
    assert f'data-round="{world.round.pk}"' in html
    assert world.round.name in html


@pytest.mark.parametrize("who", ["leader", "head"])
def test_index_for_others_has_no_form(world, who):
    user = world.leader if who == "leader" else world.heads[0]
    html = client_for(user).get(reverse("admission:index")).content.decode()
    assert f'data-round="{world.round.pk}"' in html  # a school sees its county's round
    assert 'id="round-form"' not in html


def test_index_counts_only_the_schools_own_applications(world):
    make_application(world, area=world.areas[0])
    make_application(world, area=world.areas[2])
    make_application(world, area=world.areas[3], status="approved")
    bureau = client_for(world.bureau).get(reverse("admission:index")).context["rows"]
    head = client_for(world.heads[1]).get(reverse("admission:index")).context["rows"]
    by_round = {r.round.pk: r for r in bureau}
    assert by_round[world.round.pk].total == 3 and by_round[world.round.pk].pending == 2
    row = next(r for r in head if r.round.pk == world.round.pk)
    assert (row.total, row.pending, row.counts.get("approved")) == (2, 1, 1)


def test_create_round_through_the_form(world):
    data = {
        "county": world.county.pk,
        "year": "2028",
        "stage": "primary",
        "opens_on": "2028-05-01",
        "closes_on": "2028-05-20",
    }
    response = client_for(world.bureau).post(reverse("admission:index"), data)
    created = AdmissionRound.objects.get(county=world.county, year=2028, stage="primary")
    assert response.status_code == 302
    assert response["Location"] == reverse("admission:round", args=[created.pk])


def test_create_round_bad_input_shows_the_message(world):
    data = {"county": world.county.pk, "year": "2028", "stage": "primary", "opens_on": "2028-05-20"}
    data["closes_on"] = "2028-05-01"
    response = client_for(world.bureau).post(reverse("admission:index"), data)
    assert response.status_code == 400
    assert "不能早于报名开始日期" in response.content.decode()
    assert not AdmissionRound.objects.filter(county=world.county, year=2028).exists()


@pytest.mark.parametrize("who", ["leader", "head"])
def test_create_round_post_forbidden_to_others(world, who):
    user = world.leader if who == "leader" else world.heads[0]
    data = {"county": world.county.pk, "year": "2028", "stage": "primary"}
    assert client_for(user).post(reverse("admission:index"), data).status_code == 403


# ---------------------------------------------------------------- one round


def test_round_page_for_the_bureau(world):
    make_application(world, area=world.areas[0])
    make_application(world, area=world.areas[0], status="more")
    response = client_for(world.bureau).get(reverse("admission:round", args=[world.round.pk]))
    html = response.content.decode()
    assert 'id="close-round"' in html and 'id="open-round"' not in html
    assert 'id="quota-table"' in html and 'id="save-quotas"' in html
    for school in [*world.schools, world.private]:
        assert f'name="places-{school.pk}"' in html
    assert 'id="tiers-form"' in html
    assert 'id="placement-panel"' in html
    row = next(r for r in response.context["quota_rows"] if r.school == world.schools[0])
    assert (row.total, row.submitted, row.more) == (2, 1, 1)


def test_round_page_for_a_school_shows_only_its_own_row(world):
    html = client_for(world.heads[1]).get(reverse("admission:round", args=[world.round.pk])).content.decode()
    assert f'data-school="{world.schools[1].code}"' in html
    assert f'data-school="{world.schools[0].code}"' not in html
    assert 'id="close-round"' not in html and "places-" not in html and 'id="tiers-form"' not in html


def test_round_page_for_a_leader_has_no_forms(world):
    html = client_for(world.leader).get(reverse("admission:round", args=[world.round.pk])).content.decode()
    assert f'data-school="{world.schools[0].code}"' in html
    for marker in ('id="close-round"', 'id="save-quotas"', 'name="places-', 'id="tiers-form"'):
        assert marker not in html


def test_round_of_another_county_is_404(world):
    from edubrain.base.orgtree import OrgKind, OrgUnit

    other = OrgUnit.objects.create(kind=OrgKind.COUNTY, name="另一县", parent=world.county.parent)
    r = AdmissionRound.objects.create(
        county=other,
        year=2027,
        stage="primary",
        name="另一县招生",
        opens_on=dt.date(2027, 5, 1),
        closes_on=dt.date(2027, 5, 9),
    )
    assert client_for(world.bureau).get(reverse("admission:round", args=[r.pk])).status_code == 404
    assert client_for(world.heads[0]).get(reverse("admission:round", args=[r.pk])).status_code == 404


def test_close_and_reopen(world):
    c = client_for(world.bureau)
    url = reverse("admission:round-status", args=[world.round.pk])
    assert c.post(url, {"status": "closed"}).status_code == 302
    assert AdmissionRound.objects.get(pk=world.round.pk).status == "closed"
    html = c.get(reverse("admission:round", args=[world.round.pk])).content.decode()
    assert 'id="open-round"' in html
    assert c.post(url, {"status": "open"}).status_code == 302
    assert AdmissionRound.objects.get(pk=world.round.pk).status == "open"
    response = c.post(url, {"status": "open"})
    assert response.status_code == 400 and "不能改为" in response.content.decode()


def test_status_is_post_only_and_forbidden_to_leader_and_school(world):
    url = reverse("admission:round-status", args=[world.round.pk])
    assert client_for(world.bureau).get(url).status_code == 405
    assert client_for(world.leader).post(url, {"status": "closed"}).status_code == 403
    assert client_for(world.heads[0]).post(url, {"status": "closed"}).status_code == 403
    assert AdmissionRound.objects.get(pk=world.round.pk).status == "open"


def test_save_quotas(world):
    url = reverse("admission:round-quotas", args=[world.round.pk])
    s0 = world.schools[0]
    assert client_for(world.bureau).post(url, {f"places-{s0.pk}": "8"}).status_code == 302
    assert Quota.objects.get(round=world.round, school=s0).places == 8
    response = client_for(world.bureau).post(url, {f"places-{s0.pk}": "-3"})
    assert response.status_code == 400 and "0 到 9999" in response.content.decode()
    assert client_for(world.leader).post(url, {f"places-{s0.pk}": "9"}).status_code == 403
    assert Quota.objects.get(round=world.round, school=s0).places == 8


def test_save_tiers(world):
    url = reverse("admission:round-tiers", args=[world.round.pk])
    data = {"tiers": "hukou 户籍\nother 其他", "policy_categories": "烈士子女"}
    assert client_for(world.bureau).post(url, data).status_code == 302
    assert AdmissionRound.objects.get(pk=world.round.pk).tiers[0] == {"code": "hukou", "label": "户籍"}
    response = client_for(world.bureau).post(url, {"tiers": "hukou", "policy_categories": ""})
    assert response.status_code == 400 and "代码 名称" in response.content.decode()


# ---------------------------------------------------------------- 招生片区


def test_areas_page_groups_and_searches(world):
    c = client_for(world.bureau)
    url = reverse("admission:areas", args=[world.round.pk])
    response = c.get(url)
    assert [town for town, _ in response.context["groups"]] == ["测试街道", "测试镇"]
    assert 'id="area-import-form"' in response.content.decode()
    response = c.get(url, {"q": "东山村2"})
    assert response.context["count"] == 1


def test_areas_page_read_only_for_leader_and_school(world):
    for user in (world.leader, world.heads[0]):
        html = client_for(user).get(reverse("admission:areas", args=[world.round.pk])).content.decode()
        assert "幸福社区00" in html
        assert 'id="area-import-form"' not in html and 'id="area-add-form"' not in html
        url = reverse("admission:area-delete", args=[world.round.pk, world.areas[0].pk])
        assert client_for(user).post(url).status_code == 403


def test_areas_import_export_and_add_delete_through_pages(world):
    c = client_for(world.bureau)
    export = c.get(reverse("admission:areas-export", args=[world.round.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile("片区.xlsx", export.content)
    response = c.post(reverse("admission:areas-import", args=[world.round.pk]), {"file": upload})
    assert response.status_code == 302
    bad = SimpleUploadedFile("片区.csv", "镇/街道,社区/村/小区,类型,学校标识码\n火星,甲,村,1\n".encode())
    response = c.post(reverse("admission:areas-import", args=[world.round.pk]), {"file": bad})
    assert response.status_code == 400 and "第2行“镇/街道”" in response.content.decode()
    data = {"town": world.towns[0].pk, "name": "新小区", "kind": "estate", "school": world.schools[0].pk}
    assert c.post(reverse("admission:area-add", args=[world.round.pk]), data).status_code == 302
    added = world.round.areas.get(name="新小区")
    assert c.post(reverse("admission:area-delete", args=[world.round.pk, added.pk])).status_code == 302
    assert not world.round.areas.filter(name="新小区").exists()
    assert area_service.export_frame(world.round).height == 6


# ---------------------------------------------------------------- review queue


def test_queue_scoped_to_the_school(world):
    own = make_application(world, area=world.areas[2])
    other = make_application(world, area=world.areas[0])
    html = (
        client_for(world.heads[1])
        .get(reverse("admission:applications", args=[world.round.pk]))
        .content.decode()
    )
    assert f'data-receipt="{own.receipt_no}"' in html
    assert f'data-receipt="{other.receipt_no}"' not in html


def test_queue_masks_id_numbers_by_role(world):
    app = make_application(world)
    url = reverse("admission:applications", args=[world.round.pk])
    assert app.child_id_number in client_for(world.bureau).get(url).content.decode()
    assert app.child_id_number in client_for(world.heads[0]).get(url).content.decode()
    for user in (world.staff, world.leader):  # 教育局工作人员 and leaders do not see personal numbers
        html = client_for(user).get(url).content.decode()
        assert app.child_id_number not in html
        assert mask_id_number(app.child_id_number) in html


def test_queue_order_and_filters(world):
    done = make_application(world, status="approved")
    late = make_application(world)
    early = make_application(world, tier="migrant")
    Application.objects.filter(pk=early.pk).update(submitted_at=timezone.now() - dt.timedelta(days=2))
    Application.objects.filter(pk=done.pk).update(submitted_at=timezone.now() - dt.timedelta(days=5))
    c = client_for(world.bureau)
    url = reverse("admission:applications", args=[world.round.pk])
    receipts = [r["app"].receipt_no for r in c.get(url).context["rows"]]
    assert receipts == [early.receipt_no, late.receipt_no, done.receipt_no]
    assert [r["app"].pk for r in c.get(url, {"status": "approved"}).context["rows"]] == [done.pk]
    assert [r["app"].pk for r in c.get(url, {"tier": "migrant"}).context["rows"]] == [early.pk]
    assert [r["app"].pk for r in c.get(url, {"q": late.child_name}).context["rows"]] == [late.pk]
    assert [r["app"].pk for r in c.get(url, {"q": late.receipt_no[-4:]}).context["rows"]] == [late.pk]
    assert c.get(url, {"school": world.schools[1].pk}).context["rows"] == []


@pytest.mark.parametrize(("count", "pages"), [(49, 1), (50, 1), (51, 2)])
def test_queue_pages_of_50(world, count, pages):
    Application.objects.bulk_create(Application(**_fields(world, n)) for n in range(count))
    response = client_for(world.bureau).get(reverse("admission:applications", args=[world.round.pk]))
    assert response.context["page"].paginator.num_pages == pages
    assert len(response.context["rows"]) == min(count, 50)


def _fields(world, n):
    from .conftest import adult_id, child_id

    area = world.areas[0]
    return {
        "round": world.round,
        "receipt_no": f"Q{n:07d}",
        "phone": f"137{n:08d}",
        "child_name": f"批量{n}",
        "child_id_number": child_id(900000 + n),
        "child_sex": "M",
        "child_birth_date": dt.date(2021, 3, 15),
        "guardian_name": "家长",
        "guardian_relation": "父亲",
        "guardian_id_number": adult_id(900000 + n),
        "area": area,
        "address": "地址",
        "zone_school": area.school,
        "school": area.school,
        "tier": "hukou",
    }


# ---------------------------------------------------------------- one application


def test_application_page_for_the_reviewing_school(world):
    app = make_application(world)
    doc = add_document(app)
    html = client_for(world.heads[0]).get(reverse("admission:application", args=[app.pk])).content.decode()
    assert 'id="app-status" data-status="submitted"' in html
    for marker in ('id="request-form"', 'id="approve-form"', 'id="reject-form"', 'id="approve-tier"'):
        assert marker in html
    assert reverse("admission:document", args=[doc.pk]) in html
    assert app.child_id_number in html and app.phone in html
    assert '<option value="hukou_property" selected>' in html


def test_application_page_masked_and_read_only_for_leader(world):
    app = make_application(world)
    c = client_for(world.leader)
    html = c.get(reverse("admission:application", args=[app.pk])).content.decode()
    assert app.child_id_number not in html and app.guardian_id_number not in html and app.phone not in html
    assert mask_id_number(app.child_id_number) in html
    assert (
        'id="approve-form"' not in html and 'id="request-form"' not in html and 'id="reject-form"' not in html
    )
    for name in ("application-approve", "application-reject", "application-request"):
        assert c.post(reverse(f"admission:{name}", args=[app.pk]), {"reason": "x"}).status_code == 403
    assert Application.objects.get(pk=app.pk).status == "submitted"


def test_application_and_document_of_another_school_are_404(world):
    app = make_application(world, area=world.areas[0])
    doc = add_document(app)
    c = client_for(world.heads[1])
    assert c.get(reverse("admission:application", args=[app.pk])).status_code == 404
    assert c.get(reverse("admission:document", args=[doc.pk])).status_code == 404
    assert c.post(reverse("admission:application-approve", args=[app.pk])).status_code == 404
    assert Application.objects.get(pk=app.pk).status == "submitted"


def test_document_served_inline_with_nosniff(world):
    app = make_application(world)
    doc = add_document(app)
    response = client_for(world.heads[0]).get(reverse("admission:document", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == png_bytes()


def test_review_through_the_pages(world):
    app = make_application(world)
    c = client_for(world.heads[0])
    response = c.post(reverse("admission:application-request", args=[app.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写需要补充材料的原因" in response.content.decode()
    response = c.post(
        reverse("admission:application-request", args=[app.pk]), {"reason": "照片模糊", "kinds": ["hukou"]}
    )
    assert response.status_code == 302
    html = c.get(reverse("admission:application", args=[app.pk])).content.decode()
    assert 'data-status="more"' in html and 'id="approve-form"' not in html and 'id="reject-form"' in html
    assert "adm_head0" in html  # the timeline names the reviewer
    Application.objects.filter(pk=app.pk).update(status="submitted")
    response = c.post(reverse("admission:application-approve", args=[app.pk]), {"tier": "hukou", "note": ""})
    assert response.status_code == 302
    app = Application.objects.get(pk=app.pk)
    assert (app.status, app.tier) == ("approved", "hukou")


def test_decisions_are_post_only(world):
    app = make_application(world)
    assert (
        client_for(world.bureau).get(reverse("admission:application-approve", args=[app.pk])).status_code
        == 405
    )
