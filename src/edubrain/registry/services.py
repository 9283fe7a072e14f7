"""Write side of the registries: every create/update goes through ``full_clean()`` inside one transaction, so
model validation always runs and a refused write saves nothing. With a ``user`` the write is also checked
against the user's role and scope, and audited under that user.

    enrol_student(student, school_class, status)   one 学籍记录 for the class's school year
    save_validated(instance, user=None)            validate + save any registry object
    delete_validated(instance, user=None)          scope-checked delete
    set_group_members(group, schools, user=None)   教育集团成员校 (the core school never a member)
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from edubrain.base.audit import audit_actor
from edubrain.base.scoping import instance_scope_path, user_scope_path
from edubrain.registry.choices import EnrollmentStatus
from edubrain.registry.models import EducationGroup, Enrollment, ResponsibleUnit, School, SchoolClass, Student

M = TypeVar("M", bound=models.Model)

# New objects whose own org node does not exist yet are placed by their parent node.
_NEW_OBJECT_PARENT = {School: "town", ResponsibleUnit: "county"}


def _target_path(instance: models.Model) -> str | None:
    path = instance_scope_path(instance)
    if path:
        return path
    parent_field = _NEW_OBJECT_PARENT.get(type(instance))
    parent = getattr(instance, parent_field, None) if parent_field else None
    return getattr(parent, "path", None) or None


def check_write_scope(user: Any, instance: models.Model) -> None:
    """Raise PermissionDenied (Chinese) unless ``user`` may write ``instance``, both as stored and as it would
    be saved (nobody moves a row into or out of their scope). ``user=None`` is the system."""
    if user is None:
        return
    scope = user_scope_path(user)
    if scope is None:
        raise PermissionDenied("您的账号未启用或未指定所属机构，不能修改数据")
    if not (getattr(user, "may_write", None) and user.may_write()):
        raise PermissionDenied("您的角色为只读，不能修改数据")
    if scope == "":
        return
    paths = [_target_path(instance)]
    if instance.pk is not None:
        stored = type(instance)._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            paths.append(_target_path(stored))
    for path in paths:
        if not path or not path.startswith(scope):
            raise PermissionDenied(f"“{instance._meta.verbose_name}”不在您的管理范围内，不能修改")


def _as(user: Any) -> Any:
    return audit_actor(user) if user is not None else nullcontext()


def save_validated(instance: M, user: Any = None, *, exclude: Iterable[str] | None = None) -> M:
    """full_clean() then save, atomically; raises ValidationError (nothing saved) or PermissionDenied."""
    with transaction.atomic(), _as(user):
        check_write_scope(user, instance)
        instance.full_clean(exclude=list(exclude) if exclude else None)
        instance.save()
    return instance


def delete_validated(instance: models.Model, user: Any = None) -> None:
    with transaction.atomic(), _as(user):
        check_write_scope(user, instance)
        instance.delete()


def enrol_student(
    student: Student, school_class: SchoolClass, status: str = EnrollmentStatus.ENROLLED, user: Any = None
) -> Enrollment:
    """Record the student's class (and so the school year) with a status. Refused with a Chinese message on
    the field when the class is in another school, the student already has a class that year, …"""
    enrollment = Enrollment(
        student=student, school_class=school_class, school_year_id=school_class.school_year_id, status=status
    )
    return save_validated(enrollment, user)


def set_group_members(group: EducationGroup, schools: Iterable[School], user: Any = None) -> EducationGroup:
    """Replace the members of a 教育集团; the core school may not be one of them."""
    members = list(schools)
    if any(s.pk == group.core_school_id for s in members):
        raise ValidationError({"members": f"核心校“{group.core_school}”不能同时是本集团成员校"})
    with transaction.atomic(), _as(user):
        check_write_scope(user, group)
        group.full_clean()
        group.save()
        group.members.set(members)
    return group
