"""Users, roles (角色) and API tokens.

A user's scope is one OrgUnit: the county for bureau roles, the school for a school administrator, the
责任单位 node for a responsible-unit reporter. ``scoping.visible_to`` reads ``scope_unit``.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from edubrain.base.orgtree import OrgKind, OrgUnit


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", "教育局管理员"
    BUREAU_STAFF = "bureau_staff", "教育局工作人员"
    LEADER = "leader", "领导（只读）"
    SCHOOL_ADMIN = "school_admin", "学校管理员"
    UNIT_REPORTER = "unit_reporter", "责任单位填报员"


ROLE_UNIT_KINDS: dict[str, tuple[str, ...]] = {
    Role.BUREAU_ADMIN: (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY),
    Role.BUREAU_STAFF: (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY),
    Role.LEADER: (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY),
    Role.SCHOOL_ADMIN: (OrgKind.SCHOOL,),
    Role.UNIT_REPORTER: (OrgKind.UNIT,),
}
PERSONAL_DATA_ROLES = {Role.BUREAU_ADMIN, Role.SCHOOL_ADMIN}
WRITE_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SCHOOL_ADMIN, Role.UNIT_REPORTER}


class User(AbstractUser):
    """用户: a person with one role over one org unit."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.BUREAU_STAFF)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        super().clean()
        if self.is_superuser:
            return
        if self.org_unit_id is None:
            raise ValidationError({"org_unit": "请为用户指定所属机构"})
        if not self.role_matches_unit():
            kinds = "、".join(OrgKind(k).label for k in ROLE_UNIT_KINDS[self.role])
            raise ValidationError(
                {
                    "org_unit": f"角色“{self.get_role_display()}”的所属机构应为：{kinds}"
                    f"（“{self.org_unit}”是{self.org_unit.get_kind_display()}）"
                }
            )

    def role_matches_unit(self) -> bool:
        """Whether the org unit's kind fits the role (a school administrator at a school, …)."""
        if self.org_unit_id is None:
            return False
        return self.org_unit.kind in ROLE_UNIT_KINDS.get(self.role, ())

    def scope_unit(self) -> OrgUnit | None:
        """The node the user sees below; None (nothing) if the role does not fit the unit — a school
        administrator wrongly attached to the county must not see the whole county."""
        if not self.is_active or not self.role_matches_unit():
            return None
        return self.org_unit

    def may_see_personal_data(self) -> bool:
        if not self.is_active:
            return False
        return self.is_superuser or self.role in PERSONAL_DATA_ROLES

    def may_write(self) -> bool:
        if not self.is_active:
            return False
        return self.is_superuser or self.role in WRITE_ROLES

    @property
    def role_label(self) -> str:
        return "系统管理员" if self.is_superuser else self.get_role_display()


AREA_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY)
BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})


def is_bureau(user: Any) -> bool:
    """教育局: an active administrator or staff member of a county, city or province (or the system
    administrator) — the people who run plans, indicators, reporting cycles, inspections and reports. A
    bureau role attached to a school or unit is not the bureau (its scope is empty)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    if user.role not in BUREAU_ROLES:
        return False
    unit = user.scope_unit()
    return unit is not None and unit.kind in AREA_KINDS


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """API 令牌: only the SHA-256 of the key is stored; the key is shown once when created."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64, blank=True, default="")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(key), prefix=key[:8])
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        token = cls.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None or not token.user.is_active:
            return None
        return token.user
