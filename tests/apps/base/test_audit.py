"""Audit trail: Student/Staff writes are logged with changed fields, ID numbers masked, the acting user."""

from __future__ import annotations

import pytest

from edubrain.base.audit import AuditLog, audit_actor, record_bulk
from edubrain.core.ids import mask_id_number
from edubrain.registry.models import School, Student
from factories import SchoolFactory, StaffFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _start():
    """Only this test's log rows count (the demo county wrote its own)."""
    global START
    START = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


START = 0


def logs(model_label: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(model=model_label, id__gt=START).order_by("id"))


def test_create_is_logged_with_masked_id():
    student = StudentFactory()
    (log,) = logs("registry.Student")
    assert log.action == AuditLog.Action.CREATE and log.object_id == str(student.pk)
    assert log.changes["id_number"] == [None, mask_id_number(student.id_number)]
    assert log.changes["name"] == [None, student.name]
    assert student.id_number not in str(log.changes) and student.id_number not in log.summary
    assert log.user is None


def test_update_logs_only_changed_fields_and_actor():
    student = StudentFactory()
    user = UserFactory()
    with audit_actor(user):
        student.name = "改名"
        student.save()
    update = logs("registry.Student")[-1]
    assert update.action == AuditLog.Action.UPDATE and update.user == user
    assert set(update.changes) == {"name"}
    assert update.changes["name"][1] == "改名"


def test_id_number_change_masked_both_sides():
    student = StudentFactory(student_number="LZ" + "9" * 17)
    old = student.id_number
    new = old[:14] + "0031"
    from edubrain.core.ids import id_check_digit

    new = new[:17] + id_check_digit(new[:17])
    student.id_number = new
    student.save()
    change = logs("registry.Student")[-1].changes["id_number"]
    assert change == [mask_id_number(old), mask_id_number(new)]
    assert old not in str(change) and new not in str(change)


def test_no_row_when_nothing_changed():
    student = StudentFactory()
    before = AuditLog.objects.count()
    student.save()
    Student.objects.get(pk=student.pk).save()
    assert AuditLog.objects.count() == before


def test_string_date_is_not_a_change():
    student = StudentFactory()
    before = AuditLog.objects.count()
    student.birth_date = student.birth_date.isoformat()
    student.save()
    assert AuditLog.objects.count() == before


def test_delete_is_logged():
    staff = StaffFactory()
    pk = staff.pk
    user = UserFactory()
    with audit_actor(user):
        staff.delete()
    log = logs("registry.Staff")[-1]
    assert log.action == AuditLog.Action.DELETE and log.object_id == str(pk) and log.user == user
    assert log.changes["id_number"][0] == mask_id_number(staff.id_number)


def test_staff_create_and_update():
    staff = StaffFactory()
    staff.left_year = 2024
    staff.save()
    create, update = logs("registry.Staff")
    assert create.action == "create" and update.action == "update"
    assert update.changes == {"left_year": [None, "2024"]}


def test_unaudited_models_write_no_rows():
    SchoolFactory()
    assert not logs(School._meta.label)


def test_anonymous_actor_not_recorded():
    from django.contrib.auth.models import AnonymousUser

    with audit_actor(AnonymousUser()):
        StudentFactory()
    assert logs("registry.Student")[-1].user is None


def test_actor_is_reset_after_block():
    user = UserFactory()
    with audit_actor(user):
        pass
    StudentFactory()
    assert logs("registry.Student")[-1].user is None


def test_record_bulk():
    user = UserFactory()
    with audit_actor(user):
        log = record_bulk(Student, 120)
    assert log.action == "bulk" and log.changes == {"count": 120} and log.user == user
    assert log.summary == "批量写入 120 条"


def test_student_number_masked_in_log():
    student = StudentFactory()
    log = logs("registry.Student")[0]
    assert log.changes["student_number"] == [None, mask_id_number(student.student_number)]
    assert student.student_number not in log.summary
