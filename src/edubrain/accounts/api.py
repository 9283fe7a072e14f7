"""Accounts API: resolving API tokens, and ``/api/me`` (who am I, with which role and scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from ninja import Router

from edubrain.accounts.models import ApiToken, User, hash_token
from edubrain.base.api import ApiSchema, Choice, Ref, api_user

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def authenticate_token(key: str) -> User | None:
    """The active user owning this API key, or None. ``last_used`` is written at most once a minute."""
    token = ApiToken.objects.select_related("user__org_unit").filter(key_hash=hash_token(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        stale = Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used=now)
    return token.user


class MeOut(ApiSchema):
    id: int
    username: str
    full_name: str
    role: Choice
    role_label: str
    is_superuser: bool
    org_unit: Ref | None
    may_see_personal_data: bool

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()

    @staticmethod
    def resolve_may_see_personal_data(obj: User) -> bool:
        return obj.may_see_personal_data()


router = Router(tags=["当前用户"])


@router.get("/me", response=MeOut, summary="当前用户", operation_id="get_me")
def me(request: Any) -> User:
    """当前登录用户（或令牌所属用户）的角色与数据权限范围。"""
    return api_user(request)
