"""站内通知 (in-app notifications): one call writes one notification per recipient, set-based, skipping
ones already sent (same user and ``key``). Services call ``notify`` inside their transaction; the daily job
(``edubrain work daily``) adds the deadline and overdue reminders and e-mails the digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from edubrain.accounts.models import Role
from edubrain.base.orgtree import OrgUnit
from edubrain.work.models import Notification

BUREAU_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF)


def users_of(org_units: Iterable[OrgUnit | int]) -> QuerySet[Any]:
    """The active users attached to these units (a 责任单位's reporters, a school's administrators)."""
    ids = [u if isinstance(u, int) else u.pk for u in org_units]
    return get_user_model().objects.filter(is_active=True, org_unit_id__in=ids)


def bureau_users(area: OrgUnit) -> QuerySet[Any]:
    """The bureau staff of an area (the county of a plan or an inspection round) and of the areas above."""
    above = [int(p) for p in area.path.strip("/").split("/") if p]
    return get_user_model().objects.filter(is_active=True, role__in=BUREAU_ROLES, org_unit_id__in=above)


def notify(
    users: Iterable[Any],
    kind: str,
    title: str,
    *,
    body: str = "",
    url: str = "",
    key: str = "",
    at: Any = None,
) -> int:
    """Write one notification per user; with ``key``, users who already hold one with that key are
    skipped (a reminder is sent once). Returns the number written."""
    at = at or timezone.now()
    ids = sorted({u if isinstance(u, int) else u.pk for u in users})
    if key:
        done = set(Notification.objects.filter(user_id__in=ids, key=key).values_list("user_id", flat=True))
        ids = [i for i in ids if i not in done]
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=i,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:300],
                key=key[:120],
                created_at=at,
            )
            for i in ids
        ]
    )
    return len(ids)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
