"""Who may do what in 工作推进. Reading is always ``visible_to`` (scoping); these decide the writes.

- the bureau (教育局管理员/工作人员 at a county, city or province, or the system administrator) opens
  reporting cycles, edits task assignments and key projects, reviews reports, runs inspections, records
  findings, re-checks and escalations;
- a 责任单位填报员 files the reports of their own unit;
- a 学校管理员 reports the fixes of findings at their own school;
- a leader (领导) only reads.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from edubrain.accounts.models import Role, is_bureau

__all__ = ["audience", "is_bureau", "may_report_for", "own_unit", "require_bureau", "require_reporter"]
from edubrain.base.orgtree import OrgUnit


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def audience(user: Any) -> str:
    """Which 工作推进 view a user gets: "bureau" (also leaders, read-only), "reporter" or "school"."""
    if is_bureau(user) or getattr(user, "role", "") == Role.LEADER:
        return "bureau"
    views = {Role.UNIT_REPORTER: "reporter", Role.SCHOOL_ADMIN: "school"}
    return views.get(getattr(user, "role", ""), "bureau")


def own_unit(user: Any) -> OrgUnit | None:
    """The unit a reporter or school administrator writes for (None for the bureau and leaders)."""
    if not _active(user) or user.is_superuser:
        return None
    if user.role not in (Role.UNIT_REPORTER, Role.SCHOOL_ADMIN):
        return None
    unit: OrgUnit | None = user.scope_unit()
    return unit


def may_report_for(user: Any, org_unit: OrgUnit) -> bool:
    """A 责任单位 reporter (or school administrator) writes only for the unit they belong to."""
    unit = own_unit(user)
    return unit is not None and org_unit.is_within(unit)


def require_bureau(user: Any) -> None:
    if not is_bureau(user):
        raise PermissionDenied("只有教育局工作人员可以进行此操作")


def require_reporter(user: Any, org_unit: OrgUnit) -> None:
    if not may_report_for(user, org_unit):
        raise PermissionDenied(f"您只能为本单位填报，不能为“{org_unit.name}”填报")
