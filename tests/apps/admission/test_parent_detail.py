"""An application's page: status (results hidden until published), note, documents, timeline (reviewers
shown as 学校/教育局, never a name); 补充材料 back to 待审核; 撤回 and re-apply; cheap for polling."""

from __future__ import annotations

import pytest
from django.urls import reverse

from edubrain.admission import apply, events
from edubrain.admission.models import AdmissionRound, Application, ApplicationEvent

from .conftest import child_id, make_application, photo
from .test_parent_support import PHONE, post_application, sign_in

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def parent(client):
    return sign_in(client)


def _page(client, app):
    response = client.get(reverse("enroll:detail", args=[app.receipt_no]))
    assert response.status_code == 200
    return response.content.decode()


def _asked_for_more(world, app, reason="户口本照片不清晰，请重新拍摄户主页"):
    app.status, app.status_note = Status.MORE, reason
    app.save()
    events.record(app, ApplicationEvent.Action.REQUEST, actor=world.heads[0], note=reason)


def test_page_shows_receipt_status_schools_documents_and_timeline(parent, world):
    post_application(parent, world)
    app = Application.objects.get(phone=PHONE)
    events.record(app, ApplicationEvent.Action.REQUEST, actor=world.heads[0], note="请补充")
    events.record(app, ApplicationEvent.Action.APPROVE, actor=world.bureau, note="")
    page = _page(parent, app)
    assert f'id="receipt-no">{app.receipt_no}<' in page
    assert 'id="status" class="badge badge-lg status-submitted" data-status="submitted"' in page
    assert "等待测试实验小学审核" in page
    assert "户口本.png" in page and "房产证.png" in page
    assert "提交申请" in page and "家长" in page and "学校" in page and "教育局" in page
    assert world.heads[0].username not in page and world.bureau.username not in page
    assert 'id="withdraw-submit"' in page and 'id="supplement-form"' not in page


def test_detail_is_cheap(parent, world, django_assert_max_num_queries):
    app = make_application(world, phone=PHONE)
    events.record(app, ApplicationEvent.Action.SUBMIT)
    events.record(app, ApplicationEvent.Action.REQUEST, actor=world.heads[0], note="x")
    with django_assert_max_num_queries(5):
        _page(parent, app)


def test_supplement_flow(parent, world):
    app = make_application(world, phone=PHONE)
    _asked_for_more(world, app)
    page = _page(parent, app)
    assert 'data-status="more"' in page and "户口本照片不清晰，请重新拍摄户主页" in page
    assert 'id="supplement-form"' in page and 'name="kind"' in page and 'id="supplement-files"' in page
    url = reverse("enroll:supplement", args=[app.receipt_no])
    response = parent.post(url, {"kind": "hukou", "files": [photo("新户口本.png"), photo("户主页.png")]})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.status_note == ""
    docs = list(app.documents.values_list("kind", "supplement"))
    assert docs == [("hukou", True), ("hukou", True)]
    assert app.events.order_by("-id").first().action == ApplicationEvent.Action.SUPPLEMENT
    assert "已补充材料2张" in _page(parent, app)


def test_supplement_with_a_bad_file_changes_nothing(parent, world):
    app = make_application(world, phone=PHONE)
    _asked_for_more(world, app)
    url = reverse("enroll:supplement", args=[app.receipt_no])
    response = parent.post(
        url, {"kind": "hukou", "files": [photo("ok.png"), photo("bad.png", b"%PDF-1.4 x")]}
    )
    app.refresh_from_db()
    assert app.status == Status.MORE and not app.documents.exists()
    assert "“bad.png”" in parent.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("kind", "files", "message"), [("hukou", [], "请选择要上传的照片"), ("x", None, "材料类型")]
)
def test_supplement_needs_a_kind_and_files(parent, world, kind, files, message):
    app = make_application(world, phone=PHONE)
    _asked_for_more(world, app)
    url = reverse("enroll:supplement", args=[app.receipt_no])
    response = parent.post(url, {"kind": kind, "files": [photo()] if files is None else files}, follow=True)
    assert message in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.MORE


def test_supplement_only_when_asked(parent, world):
    app = make_application(world, phone=PHONE, status=Status.APPROVED)
    response = parent.post(
        reverse("enroll:supplement", args=[app.receipt_no]),
        {"kind": "hukou", "files": [photo()]},
        follow=True,
    )
    assert "不需要补充材料" in response.content.decode()
    assert not app.documents.exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.MORE, Status.APPROVED])
def test_withdraw_then_apply_again(parent, world, status):
    post_application(parent, world)
    app = Application.objects.get(phone=PHONE)
    Application.objects.filter(pk=app.pk).update(status=status)
    response = parent.post(reverse("enroll:withdraw", args=[app.receipt_no]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN
    assert app.events.order_by("-id").first().action == ApplicationEvent.Action.WITHDRAW
    assert 'data-status="withdrawn"' in _page(parent, app)
    assert post_application(parent, world).status_code == 302
    assert Application.objects.filter(phone=PHONE, child_id_number=child_id(1)).count() == 2


@pytest.mark.parametrize(
    ("status", "round_status"),
    [
        (Status.REJECTED, AdmissionRound.Status.OPEN),
        (Status.ADMITTED, AdmissionRound.Status.PLACED),
        (Status.APPROVED, AdmissionRound.Status.PLACED),
    ],
)
def test_no_withdrawal_after_a_decision_or_placement(parent, world, status, round_status):
    AdmissionRound.objects.filter(pk=world.round.pk).update(status=round_status)
    app = make_application(world, phone=PHONE, status=status)
    assert 'id="withdraw-submit"' not in _page(parent, app)
    response = parent.post(reverse("enroll:withdraw", args=[app.receipt_no]), follow=True)
    assert "已不能撤回" in response.content.decode()
    app.refresh_from_db()
    assert app.status == status


# --- results hidden until published --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("round_status", "app_status", "shown"),
    [
        (AdmissionRound.Status.CLOSED, Status.ADMITTED, "approved"),
        (AdmissionRound.Status.PLACED, Status.ADMITTED, "approved"),
        (AdmissionRound.Status.PLACED, Status.NOT_ADMITTED, "approved"),
        (AdmissionRound.Status.PUBLISHED, Status.ADMITTED, "admitted"),
        (AdmissionRound.Status.PUBLISHED, Status.NOT_ADMITTED, "not_admitted"),
        (AdmissionRound.Status.PUBLISHED, Status.REJECTED, "rejected"),
        (AdmissionRound.Status.OPEN, Status.MORE, "more"),
    ],
)
def test_parent_status(world, round_status, app_status, shown):
    world.round.status = round_status
    world.round.save()
    app = make_application(world, status=app_status)
    app.round = world.round
    assert apply.parent_status(app)[0] == shown
    assert apply.parent_status(app)[1] == Status(shown).label


def test_result_not_on_the_page_before_publication(parent, world):
    AdmissionRound.objects.filter(pk=world.round.pk).update(status=AdmissionRound.Status.PLACED)
    app = make_application(world, phone=PHONE, status=Status.ADMITTED, admitted_school=world.schools[1])
    page = _page(parent, app)
    assert 'data-status="approved"' in page
    assert 'id="result"' not in page and world.schools[1].name not in page


def test_admitted_after_publication(parent, world):
    AdmissionRound.objects.filter(pk=world.round.pk).update(status=AdmissionRound.Status.PUBLISHED)
    app = make_application(world, phone=PHONE, status=Status.ADMITTED, admitted_school=world.schools[1])
    page = _page(parent, app)
    assert 'data-status="admitted"' in page
    assert f'id="result">{world.schools[1].name}<' in page


def test_not_admitted_after_publication_shows_the_next_step(parent, world):
    AdmissionRound.objects.filter(pk=world.round.pk).update(status=AdmissionRound.Status.PUBLISHED)
    app = make_application(world, phone=PHONE, status=Status.NOT_ADMITTED)
    page = _page(parent, app)
    assert 'data-status="not_admitted"' in page and 'id="result">未录取<' in page
    assert "统筹安排" in page


def test_my_applications_lists_only_mine(parent, world):
    mine = make_application(world, phone=PHONE)
    theirs = make_application(world, phone="13700000000")
    page = parent.get(reverse("enroll:mine")).content.decode()
    assert f'data-receipt="{mine.receipt_no}"' in page and theirs.receipt_no not in page
