"""``edubrain fitness rescore``: stored scores are recomputed from the raw values with the current
settings."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from edubrain.fitness.models import FitnessMeasurement
from factories import SchoolFactory, SchoolYearFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measurement():
    """一年级男生 whose items sum to 89.95 (95×15% + 100×20% + 85×30% + 76×20% + BMI 100×15%), stored
    with stale scores."""
    school = SchoolFactory(name="重算测试小学")
    student = StudentFactory(school=school, sex="M", birth_date=dt.date(2018, 3, 1))
    return FitnessMeasurement.objects.create(
        student=student,
        school=school,
        school_year=SchoolYearFactory(start_year=2024),
        grade_code="11",
        height_cm=Decimal("120.5"),
        weight_kg=Decimal("22.3"),
        vital_capacity_ml=1600,
        sprint_50m_s=Decimal("10.2"),
        sit_and_reach_cm=Decimal("12.0"),
        rope_skip_1min=73,
        total_score=Decimal("1.00"),
        rating="不及格",
        status="scored",
    )


def test_rescore_recomputes_stale_scores(measurement):
    out = io.StringIO()
    call_command("fitness", "rescore", "--year", "2024", stdout=out)
    assert "已重新计算" in out.getvalue()
    measurement.refresh_from_db()
    assert (measurement.total_score, measurement.standard_score, measurement.bonus) == (
        Decimal("89.95"),
        Decimal("89.95"),
        0,
    )
    assert (measurement.rating, measurement.status, measurement.bmi, measurement.rope_skip_1min_score) == (
        "优秀",
        "scored",
        Decimal("15.4"),
        76,
    )


def test_rescore_follows_the_rating_setting(measurement, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "FITNESS_RATE_ROUNDED": False}
    call_command("fitness", "rescore", stdout=io.StringIO())
    measurement.refresh_from_db()
    assert (measurement.total_score, measurement.rating) == (Decimal("89.95"), "良好")


def test_rescore_of_another_year_leaves_the_row(measurement):
    call_command("fitness", "rescore", "--year", "2023", stdout=io.StringIO())
    measurement.refresh_from_db()
    assert (measurement.total_score, measurement.rating) == (Decimal("1.00"), "不及格")
