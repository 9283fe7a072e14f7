"""网上招生 of the demo county (session fixture ``demo``: seed 7, scale 0.04): the published 2025 round with
its 电脑派位, the open 2027 round with work for the ``school`` account, and the reset that removes both."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from edubrain.admission import rounds
from edubrain.admission.models import (
    AdmissionRound,
    Application,
    ApplicationEvent,
    CatchmentArea,
    Draw,
    Quota,
)
from edubrain.core.enrollment import lottery
from edubrain.core.enrollment.eligibility import birth_cutoff
from edubrain.core.enrollment.tiers import DEFAULT_TIERS
from edubrain.core.ids import id_birth_date, validate_id_number
from edubrain.demo.admission import OPEN_APPLICATIONS, PLACEMENT_SEED, delete_admission_demo
from edubrain.demo.generator import DEMO_USERS, county_code
from edubrain.demo.reset import delete_demo
from edubrain.registry.models import School

Status = Application.Status


def _round(demo, year: int) -> AdmissionRound:
    return AdmissionRound.objects.get(county=demo.county, year=year, stage="primary")


@pytest.fixture
def past(demo) -> AdmissionRound:
    return _round(demo, 2025)


@pytest.fixture
def current(demo) -> AdmissionRound:
    return _round(demo, 2027)


# --- the 2025 round ----------------------------------------------------------------------------------------


def test_2025_round_published_with_the_fixed_seed(past):
    assert past.status == AdmissionRound.Status.PUBLISHED
    assert past.seed == PLACEMENT_SEED
    assert past.placed_at is not None and past.published_at is not None
    assert past.birth_cutoff == dt.date(2019, 8, 31) == birth_cutoff(2025)
    assert [t["code"] for t in past.tiers] == [t.code for t in DEFAULT_TIERS]


def test_areas_two_to_six_per_school_named_in_its_town(past):
    per_school = Counter(past.areas.values_list("school_id", flat=True))
    assert per_school and all(2 <= n <= 6 for n in per_school.values()), per_school
    quoted = set(past.quotas.values_list("school_id", flat=True))
    assert set(per_school) == quoted  # every school with places has a zone, and only those
    for area in past.areas.select_related("school", "town"):
        assert area.town_id == area.school.town_id
        assert area.name.endswith({"estate": "小区", "community": "社区", "village": "村"}[area.kind])
    urban = past.areas.filter(school__locality="urban")
    assert urban.filter(kind=CatchmentArea.Kind.ESTATE).exists()


def test_quotas_are_the_2025_first_grade_intake(past):
    from edubrain.registry.models import Enrollment

    for quota in past.quotas.select_related("school"):
        intake = Enrollment.objects.filter(
            school_year__start_year=2025, school_class__grade_code="11", school_class__school=quota.school
        )
        assert quota.places == intake.count() > 0, quota.school.name
        assert quota.classes == intake.values("school_class").distinct().count()
        assert quota.school.school_type in ("primary", "nine_year") and quota.school.ownership == "public"


def test_applications_valid_children_of_the_right_age(past):
    rows = list(
        past.applications.values_list("child_id_number", "child_birth_date", "child_sex", "tier", "phone")
    )
    assert len(rows) >= past.quotas.count() * 10
    assert len({r[0] for r in rows}) == len(rows)  # one application per child
    for id_number, birth, sex, _tier, phone in rows:
        validate_id_number(id_number)
        assert id_birth_date(id_number) == birth
        assert dt.date(2018, 9, 1) <= birth <= dt.date(2019, 8, 31)
        assert sex in ("M", "F") and len(phone) == 11 and phone.startswith("137")
    tiers = Counter(r[3] for r in rows)
    assert tiers.most_common(1)[0][0] == "hukou_property"
    assert tiers["migrant"] > 0  # 随迁子女


def test_urban_schools_oversubscribed(past):
    for quota in past.quotas.filter(school__locality="urban"):
        applied = past.applications.filter(zone_school=quota.school_id).count()
        assert applied > quota.places, quota.school_id


def test_every_admitted_application_has_a_school_with_a_quota(past):
    quoted = set(past.quotas.values_list("school_id", flat=True))
    admitted = past.applications.filter(status=Status.ADMITTED)
    assert admitted.exists()
    assert set(admitted.values_list("admitted_school_id", flat=True)) <= quoted
    assert not admitted.filter(admitted_via="").exists()
    assert not past.applications.filter(status=Status.NOT_ADMITTED, admitted_school__isnull=False).exists()
    assert not past.applications.filter(status__in=(Status.SUBMITTED, Status.MORE, Status.APPROVED)).exists()
    for quota in past.quotas.all():
        assert admitted.filter(admitted_school_id=quota.school_id).count() <= quota.places


def test_rejected_and_withdrawn_carry_their_reason(past):
    for status, action in ((Status.REJECTED, "reject"), (Status.WITHDRAWN, "withdraw")):
        apps = past.applications.filter(status=status)
        assert apps.exists(), status
        assert not apps.filter(status_note="").exists()
        events = ApplicationEvent.objects.filter(application__in=apps, action=action)
        assert events.count() == apps.count() and not events.filter(note="").exists()
    withdrawn = ApplicationEvent.objects.filter(application__round=past, action="withdraw")
    assert not withdrawn.filter(actor__isnull=False).exists()  # the parent withdrew


def test_every_application_has_its_submission_event_in_july_2025(past):
    submits = ApplicationEvent.objects.filter(application__round=past, action="submit")
    assert submits.count() == past.applications.count()
    assert not submits.filter(actor__isnull=False).exists()  # the parent
    days = {timezone.localtime(at).date() for at in submits.values_list("at", flat=True)}
    assert min(days) >= past.opens_on and max(days) <= past.closes_on


def test_a_lottery_was_drawn_and_its_published_document_verifies(past):
    draws = list(Draw.objects.filter(round=past))
    assert draws
    lotteries = past.applications.filter(admitted_via="lottery")
    assert lotteries.exists() and not lotteries.filter(lottery_no__isnull=True).exists()
    for draw in draws:
        assert draw.digest == lottery.digest(draw.document)
        assert draw.candidates > draw.places
        (verified,) = lottery.verify(draw.document)
        assert verified.matches is True
        assert verified.seed.startswith(PLACEMENT_SEED + "|")
        admitted = set(
            past.applications.filter(
                admitted_school_id=draw.school_id, admitted_via="lottery", tier=draw.tier
            ).values_list("receipt_no", flat=True)
        )
        assert {receipt for _, receipt, _ in verified.admitted} == admitted


def test_counts_in_the_build_result(demo, past, current):
    counts = demo.counts
    both = (past, current)
    assert counts["admission_round"] == 2
    assert counts["admission_area"] == CatchmentArea.objects.filter(round__in=both).count()
    assert counts["admission_application"] == Application.objects.filter(round__in=both).count()
    assert counts["admission_draw"] == Draw.objects.filter(round=past).count() > 0


# --- the open 2027 round -----------------------------------------------------------------------------------


def test_2027_round_open_today_with_the_2025_areas_and_quotas(current, past):
    today = timezone.localdate()
    assert current.status == AdmissionRound.Status.OPEN
    assert current.opens_on <= today <= current.closes_on
    assert (current.closes_on - current.opens_on).days == 7 + 60
    assert current in rounds.open_rounds(today)
    assert current.birth_cutoff == dt.date(2021, 8, 31)

    def areas(r):
        return sorted(r.areas.values_list("town_id", "name", "kind", "school_id"))

    def quotas(r):
        return sorted(Quota.objects.filter(round=r).values_list("school_id", "places", "classes"))

    assert areas(current) == areas(past) and quotas(current) == quotas(past)


def test_open_round_gives_the_school_account_work(demo, current):
    school = School.objects.get(org_unit=demo.users["school"].org_unit)
    apps = current.applications.filter(school=school)
    assert Counter(apps.values_list("status", flat=True)) == OPEN_APPLICATIONS
    assert not current.applications.exclude(school=school).exists()
    assert all(p.startswith("1380000") and len(p) == 11 for p in apps.values_list("phone", flat=True))
    more = apps.filter(status=Status.MORE)
    assert more.exists() and not more.filter(status_note="").exists()
    requests = ApplicationEvent.objects.filter(application__in=more, action="request")
    assert requests.count() == more.count()
    assert set(requests.values_list("actor", flat=True)) == {demo.users["school"].pk}
    for birth in apps.values_list("child_birth_date", flat=True):
        assert dt.date(2020, 9, 1) <= birth <= dt.date(2021, 8, 31)
    # what the school sees through scoping
    visible = Application.objects.visible_to(demo.users["school"]).filter(round=current)
    assert visible.count() == apps.count() == sum(OPEN_APPLICATIONS.values())


# --- reset -------------------------------------------------------------------------------------------------


def test_delete_admission_demo_removes_every_row(demo, past, current):
    prefix = "/" + demo.county.path.strip("/").split("/")[0] + "/"
    counts = delete_admission_demo(prefix)
    assert counts["admission_round"] == 2
    assert counts["admission_application"] == demo.counts["admission_application"]
    assert counts["admission_event"] > counts["admission_application"]
    assert not AdmissionRound.objects.filter(pk__in=(past.pk, current.pk)).exists()
    assert not Application.objects.filter(round_id__in=(past.pk, current.pk)).exists()
    assert not Draw.objects.filter(round_id=past.pk).exists()
    assert delete_admission_demo(prefix) == dict.fromkeys(counts, 0)


def test_delete_demo_deletes_admission_first(demo, past):
    delete_demo(county_code(), list(DEMO_USERS))
    connection.check_constraints()  # nothing left pointing at a deleted school, area or round
    assert not AdmissionRound.objects.filter(pk=past.pk).exists()
    assert not CatchmentArea.objects.filter(round_id=past.pk).exists()


def test_reset_rebuild_is_deterministic(demo, past):
    before = sorted(past.applications.values_list("receipt_no", "child_id_number", "tier", "status"))
    # the published documents carry the draw time; the draws themselves must be the same
    first = {(d.school.code, d.tier): d.document["admitted"] for d in Draw.objects.filter(round=past)}
    out = io.StringIO()
    call_command("demo", "--reset", "--seed", "7", "--scale", "0.04", stdout=out)
    assert "网上招生：招生批次 2 个" in out.getvalue()
    again = AdmissionRound.objects.get(county__division_code=county_code(), year=2025)
    assert sorted(again.applications.values_list("receipt_no", "child_id_number", "tier", "status")) == before
    redrawn = {(d.school.code, d.tier): d.document["admitted"] for d in Draw.objects.filter(round=again)}
    assert redrawn == first
