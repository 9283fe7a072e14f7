"""The demo county written to the database (session fixture ``demo``: seed 7, scale 0.04)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from edubrain.accounts.models import Role
from edubrain.base.audit import AuditLog
from edubrain.base.orgtree import OrgUnit
from edubrain.demo.generator import DemoDataExists, build_demo
from edubrain.demo.writer import MODELS
from edubrain.registry.models import Enrollment, School, SchoolYear, Staff, Student
from edubrain.registry.queries import summary
from edubrain.vision.models import VisionFollowUp


def test_database_counts_equal_plan_frames(demo, small_plan):
    for key, model in MODELS.items():
        assert model._default_manager.count() == small_plan.frames[key].height, key
    planned = small_plan.counts()
    assert {k: demo.counts[k] for k in planned} == planned
    assert demo.counts["users"] == 6
    # rows the later steps write (follow-ups opened by the real service, the modules' own demo rows)
    assert demo.counts["vision_followup"] == VisionFollowUp.objects.count() > 0


def test_school_years_2020_to_2025(demo):
    assert list(SchoolYear.objects.values_list("start_year", flat=True)) == list(range(2020, 2026))


def test_summary_from_database_equals_plan(demo, small_plan):
    system = type("System", (), {"is_authenticated": True, "is_active": True, "is_superuser": True})()
    for year in range(2020, 2026):
        got = summary(system, year)
        want = small_plan.headline(year)
        assert {k: got[k] for k in want} == want, year


def test_demo_users_roles_and_scopes(demo):
    users = demo.users
    assert set(users) == {"admin", "staff", "leader", "school", "reporter", "root"}
    assert demo.password == "Edu@2025"
    for name in ("admin", "staff", "leader"):
        assert users[name].org_unit == demo.county
    assert (users["admin"].role, users["staff"].role, users["leader"].role) == (
        Role.BUREAU_ADMIN,
        Role.BUREAU_STAFF,
        Role.LEADER,
    )
    assert users["admin"].is_staff and not users["admin"].is_superuser
    assert users["school"].role == Role.SCHOOL_ADMIN
    assert users["school"].org_unit == School.objects.get(name="沂源县人民路小学").org_unit
    assert users["reporter"].role == Role.UNIT_REPORTER
    assert users["reporter"].org_unit.responsible_unit.name == "县财政局"
    assert users["root"].is_superuser
    for user in users.values():
        user.refresh_from_db()
        assert user.check_password("Edu@2025")
        if not user.is_superuser:
            user.full_clean(exclude=["password"])


def test_org_paths_consistent_in_database(demo):
    county = demo.county
    assert county.division_code == "370323" and county.parent.name == "淄博市"
    for unit in OrgUnit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == unit.path.count("/") - 2
    school = School.objects.get(name="沂源县荆山学校")
    assert school.org_unit.parent == school.town and school.town.kind == "town"


def test_sample_rows_pass_model_validation(demo):
    for student in Student.objects.order_by("id")[:30]:
        student.full_clean()
    for school in School.objects.all():
        school.full_clean()
    for member in Staff.objects.order_by("id")[::25]:
        member.full_clean()
    rows = Enrollment.objects.select_related("school_class__school", "school_class__school_year", "student")
    sample = rows.order_by("id")[::150]  # every year and status, including earlier schools of a pupil
    assert len({e.school_year_id for e in sample}) == 6
    for enrolment in sample:
        enrolment.full_clean()


def test_bulk_writes_are_audited(demo):
    logged = set(AuditLog.objects.filter(action=AuditLog.Action.BULK).values_list("model", flat=True))
    assert {"registry.Student", "registry.Staff", "registry.Enrollment"} <= logged


def test_second_build_refused_without_reset(demo):
    with pytest.raises(DemoDataExists, match="--reset"):
        build_demo(seed=7, scale=0.04)
    with pytest.raises(CommandError, match="已有"):
        call_command("demo", "--scale", "0.04", stdout=io.StringIO())


def test_reset_rebuilds_without_duplicates(demo):
    out = io.StringIO()
    call_command("demo", "--reset", "--seed", "3", "--scale", "0.02", stdout=out)
    text = out.getvalue()
    assert "打开 http://127.0.0.1:8000 登录" in text and "Edu@2025" in text and "reporter" in text
    assert OrgUnit.objects.filter(kind="county", division_code="370323").count() == 1
    assert OrgUnit.objects.filter(kind="province").count() == 1
    assert School.objects.filter(name="沂源县人民路小学").count() == 1
    assert School.objects.count() < 20


def test_reset_never_moves_id_sequences_back(demo):
    """Sequences are not transactional on PostgreSQL: a reset inside a rolled-back transaction must not
    leave them behind the ids of the rows the rollback restores."""
    from django.db.models import Max

    from edubrain.registry.models import Staff, Student
    from factories import StaffFactory, StudentFactory

    before = {m: m.objects.aggregate(m=Max("id"))["m"] for m in (Staff, Student)}
    call_command("demo", "--reset", "--seed", "3", "--scale", "0.02", stdout=io.StringIO())
    assert Student.objects.aggregate(m=Max("id"))["m"] < before[Student] or Student.objects.count() < 2000
    assert StudentFactory().id > before[Student]
    assert StaffFactory().id > before[Staff]
