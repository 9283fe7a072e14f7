"""初中一年级 rounds: only a primary graduate of the county (学籍: the graduating grade in the school year
before the round, at a school of the round's county) may apply; the 毕业小学 is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from edubrain.admission.models import AdmissionRound, Application, CatchmentArea, Stage
from factories import EnrollmentFactory, SchoolClassFactory, SchoolYearFactory, StudentFactory

from .conftest import YEAR, photo
from .test_parent_support import PHONE, form, sign_in

pytestmark = pytest.mark.django_db
BORN = dt.date(YEAR - 12, 5, 1)


@pytest.fixture
def junior(world):
    rnd = AdmissionRound.objects.create(
        county=world.county,
        year=YEAR,
        stage=Stage.JUNIOR,
        name=f"{YEAR}年测试县初中一年级招生",
        opens_on=world.round.opens_on,
        closes_on=world.round.closes_on,
        status=AdmissionRound.Status.OPEN,
        tiers=world.round.tiers,
        policy_categories=world.round.policy_categories,
    )
    area = CatchmentArea.objects.create(
        round=rnd, town=world.towns[0], name="初中片区", school=world.schools[0]
    )
    return rnd, area


def _pupil(school, start_year, grade):
    student = StudentFactory(school=school, birth_date=BORN, sex="M")
    klass = SchoolClassFactory(
        school=school, school_year=SchoolYearFactory(start_year=start_year), grade_code=grade
    )
    EnrollmentFactory(student=student, school_class=klass, school_year=klass.school_year)
    return student


def _post(client, world, junior, id_number):
    rnd, area = junior
    data = form(
        world, child_id_number=id_number, area=str(area.pk), doc_hukou=[photo()], doc_property=[photo()]
    )
    from django.urls import reverse

    return client.post(reverse("enroll:apply", args=[rnd.pk]), data)


def test_graduate_of_the_county_applies(client, world, junior, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SCHOOL_SYSTEM": "6-3"}
    pupil = _pupil(world.schools[1], YEAR - 1, "16")
    response = _post(sign_in(client), world, junior, pupil.id_number)
    assert response.status_code == 302
    app = Application.objects.get(phone=PHONE)
    assert app.graduate_school == world.schools[1] and app.receipt_no.startswith("27J")


@pytest.mark.parametrize(
    ("start_year", "grade", "system"),
    [(YEAR - 2, "16", "6-3"), (YEAR - 1, "15", "6-3"), (YEAR, "16", "6-3"), (YEAR - 1, "16", "5-4")],
)
def test_not_a_graduate_this_year_refused(client, world, junior, settings, start_year, grade, system):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SCHOOL_SYSTEM": system}
    pupil = _pupil(world.schools[1], start_year, grade)
    response = _post(sign_in(client), world, junior, pupil.id_number)
    assert response.status_code == 400
    assert "本县学籍系统中没有该儿童" in response.content.decode()
    assert not Application.objects.filter(phone=PHONE).exists()


def test_five_four_system_graduates_from_grade_five(client, world, junior, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SCHOOL_SYSTEM": "5-4"}
    pupil = _pupil(world.schools[0], YEAR - 1, "15")
    assert _post(sign_in(client), world, junior, pupil.id_number).status_code == 302


def test_child_unknown_to_the_registry_refused(client, world, junior):
    from factories import make_id_number

    response = _post(sign_in(client), world, junior, make_id_number(321, BORN, True))
    assert "本县学籍系统中没有该儿童" in response.content.decode()


def test_graduate_of_another_county_refused(client, world, junior):
    from factories import CountyFactory, SchoolFactory, TownFactory

    elsewhere = SchoolFactory(town=TownFactory(parent=CountyFactory(division_code="379903", name="邻县")))
    pupil = _pupil(elsewhere, YEAR - 1, "16")
    response = _post(sign_in(client), world, junior, pupil.id_number)
    assert "本县学籍系统中没有该儿童" in response.content.decode()
