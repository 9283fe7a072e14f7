"""派位 (placement) on the test county: tiers fill in order, an oversubscribed tier is drawn (the published
draw re-runs to the admitted rows), private schools by lottery with the losers back in their zone pool,
reassignment to the nearest school with places, the refusals, re-running and publishing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from edubrain.admission import placing, sms
from edubrain.admission.models import AdmissionRound, Application, ApplicationEvent, Draw, Quota
from edubrain.base.audit import AuditLog
from edubrain.core.enrollment import lottery

from .conftest import make_application

pytestmark = pytest.mark.django_db

ADMITTED, NOT_ADMITTED = Application.Status.ADMITTED, Application.Status.NOT_ADMITTED


def close(world, status=AdmissionRound.Status.CLOSED):
    world.round.status = status
    world.round.save()
    return world.round


def approved(world, area, tier="hukou_property", n=1, **fields):
    return [make_application(world, area=area, status="approved", tier=tier, **fields) for _ in range(n)]


def state(app):
    app.refresh_from_db()
    return app.status, app.admitted_school_id, app.admitted_via


@pytest.fixture
def crowded(world):
    """School 0 (3 places): 2 of the first tier + 3 of 户籍 for the last place (a draw); school 1 (2 places):
    1 applicant; school 2 (40): 3 who chose the private school (2 places: a draw) + 1."""
    s0, s1, s2 = world.schools
    top = approved(world, world.areas[0], n=2)
    hukou = approved(world, world.areas[1], tier="hukou", n=3)
    one = approved(world, world.areas[2])
    private = approved(world, world.areas[4], n=3, choice_school=world.private)
    plain = approved(world, world.areas[5], tier="migrant")
    close(world)
    return {"top": top, "hukou": hukou, "one": one, "private": private, "plain": plain}


def test_tiers_fill_in_order_and_the_oversubscribed_tier_is_drawn(world, crowded):
    summary = placing.run_placement(world.round, world.bureau, seed="公证-20270720-8841")
    s0, s1, s2 = world.schools
    for app in crowded["top"]:
        assert state(app) == (ADMITTED, s0.pk, "tier")
    draw = Draw.objects.get(round=world.round, school=s0)
    assert (draw.tier, draw.places, draw.candidates) == ("hukou", 1, 3)
    assert draw.seed == f"公证-20270720-8841|{s0.code}|hukou"
    assert draw.digest == lottery.digest(draw.document)
    [verified] = lottery.verify(draw.document)
    assert verified.matches is True
    won = Application.objects.filter(admitted_school=s0, admitted_via="lottery")
    assert [r for _, r, _ in verified.admitted] == list(won.values_list("receipt_no", flat=True))
    assert won.get().lottery_no == 1
    assert summary.draws == 2 and summary.admitted == 10 and summary.not_admitted == 0
    assert summary.by_via == {"tier": 5, "lottery": 1, "private_lottery": 2, "reassigned": 2}


def test_losers_of_a_draw_go_to_the_nearest_school_with_places_in_draw_order(world, crowded):
    placing.run_placement(world.round, world.bureau, seed="s")
    s0, s1, s2 = world.schools
    order = lottery.draw_order(f"s|{s0.code}|hukou", sorted(a.receipt_no for a in crowded["hukou"]))
    by_receipt = {a.receipt_no: a for a in crowded["hukou"]}
    # school 1 (1.4 km away) has one place left, school 2 (18 km) the rest
    assert state(by_receipt[order[1]]) == (ADMITTED, s1.pk, "reassigned")
    assert state(by_receipt[order[2]]) == (ADMITTED, s2.pk, "reassigned")
    assert state(crowded["one"][0]) == (ADMITTED, s1.pk, "tier")


def test_private_school_oversubscribed_is_a_lottery_and_the_loser_returns_to_the_zone(world, crowded):
    placing.run_placement(world.round, world.bureau, seed="s")
    draw = Draw.objects.get(round=world.round, school=world.private)
    assert (draw.tier, draw.places, draw.candidates) == ("", 2, 3)
    [verified] = lottery.verify(draw.document)
    winners = {r for _, r, _ in verified.admitted}
    for app in crowded["private"]:
        expected = (
            (ADMITTED, world.private.pk, "private_lottery")
            if app.receipt_no in winners
            else (ADMITTED, world.schools[2].pk, "tier")
        )
        assert state(app) == expected
    assert state(crowded["plain"][0]) == (ADMITTED, world.schools[2].pk, "tier")


@pytest.mark.parametrize(("applicants", "draws"), [(1, 0), (2, 0), (3, 1)])
def test_a_draw_only_when_a_tier_exceeds_the_remaining_places(world, applicants, draws):
    approved(world, world.areas[2], n=applicants)  # school 1: 2 places
    close(world)
    placing.run_placement(world.round, world.bureau, seed="s")
    assert Draw.objects.filter(round=world.round).count() == draws
    at_home = Application.objects.filter(round=world.round, admitted_school=world.schools[1])
    assert at_home.count() == min(applicants, 2)


def test_private_school_at_its_places_admits_all_without_a_draw(world):
    apps = approved(world, world.areas[4], n=2, choice_school=world.private)
    close(world)
    placing.run_placement(world.round, world.bureau, seed="s")
    assert not Draw.objects.filter(round=world.round).exists()
    assert [state(a) for a in apps] == [(ADMITTED, world.private.pk, "private")] * 2


def test_unplaced_applicants_get_the_next_step(world):
    Quota.objects.filter(round=world.round, school=world.schools[2]).update(places=0)
    apps = approved(world, world.areas[2], n=6)  # school 1: 2 places; school 0: 3 free; school 2: none
    close(world)
    summary = placing.run_placement(world.round, world.bureau, seed="s")
    assert (summary.admitted, summary.not_admitted) == (5, 1)
    [left] = [a for a in apps if state(a)[0] == NOT_ADMITTED]
    assert left.admitted_school_id is None and left.admitted_via == ""
    assert left.status_note == placing.NEXT_STEP
    assert Application.objects.filter(pk__in=[a.pk for a in apps], admitted_via="reassigned").count() == 3


def test_every_outcome_is_an_event_and_the_bulk_write_is_audited(world, crowded):
    placing.run_placement(world.round, world.bureau, seed="s")
    admitted = crowded["top"][0]
    event = ApplicationEvent.objects.get(application=admitted, action="admit")
    assert event.actor_id == world.bureau.pk and world.schools[0].name in event.note
    placed = Application.objects.filter(round=world.round, status__in=[ADMITTED, NOT_ADMITTED])
    events = ApplicationEvent.objects.filter(
        application__round=world.round, action__in=["admit", "not_admit"]
    )
    assert events.count() == placed.count() == 10
    assert AuditLog.objects.filter(model="admission.Application", action="bulk", user=world.bureau).exists()
    world.round.refresh_from_db()
    assert world.round.status == "placed" and world.round.seed == "s" and world.round.placed_at


@pytest.mark.parametrize("pending", ["submitted", "more"])
def test_refused_while_applications_await_review(world, pending):
    approved(world, world.areas[0])
    make_application(world, status=pending)
    make_application(world, status=pending)
    close(world)
    with pytest.raises(ValidationError) as err:
        placing.run_placement(world.round, world.bureau)
    assert "尚有2份申请未审核完毕" in err.value.messages[0]
    assert not Application.objects.filter(round=world.round, status=ADMITTED).exists()


def test_rejected_and_withdrawn_do_not_block_or_take_part(world):
    rejected = make_application(world, status="rejected")
    withdrawn = make_application(world, status="withdrawn")
    close(world)
    placing.run_placement(world.round, world.bureau, seed="s")
    assert state(rejected)[0] == "rejected" and state(withdrawn)[0] == "withdrawn"


@pytest.mark.parametrize("status", ["draft", "open", "published"])
def test_refused_in_the_wrong_status(world, status):
    approved(world, world.areas[0])
    close(world, status)
    with pytest.raises(ValidationError) as err:
        placing.run_placement(world.round, world.bureau)
    assert "报名结束" in err.value.messages[0]


@pytest.mark.parametrize("who", ["leader", "heads", "private_head"])
def test_only_the_bureau_places_and_publishes(world, who):
    user = getattr(world, who)
    user = user[0] if isinstance(user, list) else user
    close(world)
    with pytest.raises(PermissionDenied):
        placing.run_placement(world.round, user)
    close(world, "placed")
    with pytest.raises(PermissionDenied):
        placing.publish(world.round, user)


def test_a_bureau_of_another_county_neither_places_nor_publishes(world, demo):
    """The service checks the round's county, not only the role (the demo county's administrator)."""
    approved(world, world.areas[0])
    close(world)
    with pytest.raises(PermissionDenied, match="只有教育局工作人员可以派位"):
        placing.run_placement(world.round, demo.users["admin"])
    close(world, "placed")
    with pytest.raises(PermissionDenied, match="只有教育局工作人员可以公布录取结果"):
        placing.publish(world.round, demo.users["admin"])
    assert not Draw.objects.filter(round=world.round).exists()


def test_bureau_staff_may_place(world):
    approved(world, world.areas[0])
    close(world)
    assert placing.run_placement(world.round, world.staff, seed="s").admitted == 1


def test_an_empty_seed_is_a_random_one_and_a_seed_is_at_most_100_characters(world):
    close(world)
    assert len(placing.run_placement(world.round, world.bureau).seed) == 32
    assert placing.run_placement(world.round, world.bureau, seed="9" * 100).seed == "9" * 100
    with pytest.raises(ValidationError) as err:
        placing.run_placement(world.round, world.bureau, seed="9" * 101)
    assert "派位种子不能超过100个字符" in err.value.messages[0]


def test_rerun_before_publishing_replaces_results_and_draws(world, crowded):
    placing.run_placement(world.round, world.bureau, seed="first")
    first = set(Draw.objects.filter(round=world.round).values_list("pk", flat=True))
    placing.run_placement(world.round, world.bureau, seed="second")
    draws = Draw.objects.filter(round=world.round)
    assert draws.count() == 2 and not first & set(draws.values_list("pk", flat=True))
    assert all(d.seed.startswith("second|") for d in draws)
    for draw in draws:
        [verified] = lottery.verify(draw.document)
        admitted = Application.objects.filter(
            admitted_school=draw.school,
            lottery_no__isnull=False,
            admitted_via__in=["lottery", "private_lottery"],
        )
        assert sorted(r for _, r, _ in verified.admitted) == sorted(
            admitted.values_list("receipt_no", flat=True)
        )
    assert Application.objects.filter(round=world.round, status=ADMITTED).count() == 10


def test_publish_texts_every_placed_parent_once(world):
    Quota.objects.filter(round=world.round, school=world.schools[2]).update(places=0)
    apps = approved(world, world.areas[2], n=6)
    close(world)
    placing.run_placement(world.round, world.bureau, seed="s")
    sms.outbox.clear()
    assert placing.publish(world.round, world.bureau) == 6
    world.round.refresh_from_db()
    assert world.round.status == "published" and world.round.published_at
    assert len(sms.outbox) == 6
    for app in apps:
        app.refresh_from_db()
        [message] = [m for m in sms.outbox if m.phone == app.phone]
        if app.status == ADMITTED:
            assert app.admitted_school.name in message.text and "录取通知书" in message.text
        else:
            assert placing.NEXT_STEP in message.text
    with pytest.raises(ValidationError):
        placing.publish(world.round, world.bureau)
    with pytest.raises(ValidationError):
        placing.run_placement(world.round, world.bureau)


def test_publish_refused_before_placement(world):
    close(world)
    with pytest.raises(ValidationError) as err:
        placing.publish(world.round, world.bureau)
    assert "已派位" in err.value.messages[0]
    assert not list(sms.outbox)
