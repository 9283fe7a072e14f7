"""审核: who may review, 要求补充材料 / 审核通过 / 审核不通过 and every refusal; each decision writes its
event (with the reviewer), texts the parent and leaves an AuditLog row for the application."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from edubrain.admission import review, sms
from edubrain.admission.models import Application, ApplicationEvent
from edubrain.base.audit import AuditLog

from .conftest import make_application

pytestmark = pytest.mark.django_db


def fresh(app) -> Application:
    return Application.objects.get(pk=app.pk)


def audit_rows(app, user):
    return AuditLog.objects.filter(
        model="admission.Application", object_id=str(app.pk), user=user, action="update"
    )


def test_who_may_review(world):
    app = make_application(world, area=world.areas[0])  # school 0
    private_app = make_application(world, area=world.areas[2], choice_school=world.private)
    assert review.may_review(world.bureau, app)
    assert review.may_review(world.staff, app)
    assert review.may_review(world.heads[0], app)
    assert not review.may_review(world.heads[1], app)
    assert not review.may_review(world.private_head, app)
    assert not review.may_review(world.leader, app)
    assert review.may_review(world.private_head, private_app)
    assert not review.may_review(world.heads[1], private_app)  # the zone school does not review it


def test_request_more(world):
    app = make_application(world)
    review.request_more(app, world.heads[0], "  户口本照片不清楚  ", ["hukou", "permit", "hukou"])
    app = fresh(app)
    assert app.status == Application.Status.MORE
    assert app.status_note == "户口本照片不清楚（请补充：户口本、居住证）"
    event = app.events.get()
    assert (event.action, event.actor, event.note) == ("request", world.heads[0], app.status_note)
    message = sms.last_to(app.phone)
    assert message is not None and "需要补充材料" in message.text and "户口本照片不清楚" in message.text
    assert audit_rows(app, world.heads[0]).exists()


def test_request_more_without_kinds(world):
    app = make_application(world)
    review.request_more(app, world.bureau, "请补充房产证明")
    assert fresh(app).status_note == "请补充房产证明"


@pytest.mark.parametrize(
    ("reason", "ok"), [("", False), ("   ", False), ("理" * 200, True), ("理" * 201, False)]
)
def test_reason_required_and_at_most_200(world, reason, ok):
    app = make_application(world)
    if ok:
        review.request_more(app, world.bureau, reason)
        assert fresh(app).status == "more"
        return
    with pytest.raises(ValidationError) as exc:
        review.request_more(app, world.bureau, reason)
    assert "原因" in exc.value.message_dict["reason"][0]
    assert fresh(app).status == "submitted"
    assert not app.events.exists()
    assert sms.last_to(app.phone) is None


def test_unknown_document_kind_refused(world):
    app = make_application(world)
    with pytest.raises(ValidationError) as exc:
        review.request_more(app, world.bureau, "原因", ["passport"])
    assert "passport" in exc.value.message_dict["kinds"][0]


@pytest.mark.parametrize("status", ["more", "approved", "rejected", "admitted", "withdrawn"])
def test_request_more_only_from_submitted(world, status):
    app = make_application(world, status=status)
    with pytest.raises(ValidationError) as exc:
        review.request_more(app, world.bureau, "原因")
    assert "只有“待审核”的申请可以要求补充材料" in exc.value.message_dict["status"][0]


def test_approve_keeps_tier_and_texts_parent(world):
    app = make_application(world, tier="hukou")
    review.approve(app, world.heads[0])
    app = fresh(app)
    assert (app.status, app.tier, app.status_note) == ("approved", "hukou", "")
    assert app.decided_at is not None
    event = app.events.get()
    assert (event.action, event.actor) == ("approve", world.heads[0])
    assert "已审核通过" in sms.last_to(app.phone).text
    assert audit_rows(app, world.heads[0]).exists()


def test_approve_with_another_tier_and_note(world):
    app = make_application(world, tier="hukou_property")
    review.approve(app, world.bureau, tier="migrant", note="房产证为他人名下")
    app = fresh(app)
    assert app.tier == "migrant"
    assert app.status_note == "招生类别由“户籍与房产一致”改为“随迁子女（居住证）”；房产证为他人名下"
    assert app.events.get().note == app.status_note


def test_approve_unknown_tier_refused(world):
    app = make_application(world)
    with pytest.raises(ValidationError) as exc:
        review.approve(app, world.bureau, tier="vip")
    assert "vip" in exc.value.message_dict["tier"][0]
    assert fresh(app).status == "submitted"
    assert not app.events.exists()


@pytest.mark.parametrize(("length", "ok"), [(199, True), (200, True), (201, False)])
def test_approve_note_length(world, length, ok):
    app = make_application(world)
    if ok:
        review.approve(app, world.bureau, note="注" * length)
        assert fresh(app).status == "approved"
    else:
        with pytest.raises(ValidationError):
            review.approve(app, world.bureau, note="注" * length)


def test_approve_from_more_refused(world):
    app = make_application(world, status="more")
    with pytest.raises(ValidationError) as exc:
        review.approve(app, world.bureau)
    assert "当前为“需补充材料”" in exc.value.message_dict["status"][0]


@pytest.mark.parametrize("status", ["submitted", "more"])
def test_reject(world, status):
    app = make_application(world, status=status)
    review.reject(app, world.heads[0], "不在本县居住")
    app = fresh(app)
    assert (app.status, app.status_note) == ("rejected", "不在本县居住")
    event = app.events.get()
    assert (event.action, event.actor, event.note) == ("reject", world.heads[0], "不在本县居住")
    assert "审核未通过：不在本县居住" in sms.last_to(app.phone).text
    assert audit_rows(app, world.heads[0]).exists()


def test_reject_needs_a_reason_and_a_live_state(world):
    app = make_application(world)
    with pytest.raises(ValidationError) as exc:
        review.reject(app, world.bureau, "")
    assert "请填写审核不通过的原因" in exc.value.message_dict["reason"][0]
    approved = make_application(world, status="approved")
    with pytest.raises(ValidationError) as exc:
        review.reject(approved, world.bureau, "原因")
    assert "审核通过" in exc.value.message_dict["status"][0]


@pytest.mark.parametrize("round_status", ["placed", "published"])
def test_no_decision_once_placed(world, round_status):
    app = make_application(world)
    world.round.status = round_status
    world.round.save()
    for decide in (
        lambda: review.approve(app, world.bureau),
        lambda: review.reject(app, world.bureau, "原因"),
        lambda: review.request_more(app, world.bureau, "原因"),
    ):
        with pytest.raises(ValidationError) as exc:
            decide()
        assert "不能再" in exc.value.message_dict["status"][0]
    assert fresh(app).status == "submitted"


def test_closed_round_still_reviewed(world):
    world.round.status = "closed"
    world.round.save()
    app = make_application(world)
    review.approve(app, world.bureau)
    assert fresh(app).status == "approved"


@pytest.mark.parametrize("who", ["leader", "other_head", "private_head"])
def test_others_refused(world, who):
    user = {"leader": world.leader, "other_head": world.heads[1], "private_head": world.private_head}[who]
    app = make_application(world)
    for decide in (
        lambda: review.approve(app, user),
        lambda: review.reject(app, user, "原因"),
        lambda: review.request_more(app, user, "原因"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    assert fresh(app).status == "submitted"
    assert not ApplicationEvent.objects.filter(application=app).exists()


def test_computed_tier(world):
    assert review.computed_tier(make_application(world, tier="hukou")) == "hukou"
    app = make_application(world, tier="other", residence_permit=True)
    assert review.computed_tier(app) == "migrant"
    app = make_application(world, tier="other", policy_category="烈士子女")
    assert review.computed_tier(app) == "hukou_property"
