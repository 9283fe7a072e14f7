"""站内通知 (in-app notifications): one call writes one notification per recipient, set-based, skipping
ones already sent (same user and ``key``). Services call ``notify`` inside their transaction; the daily job
(``edubrain work daily``) adds the deadline and overdue reminders and e-mails the digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from edubrain.accounts.models import BUREAU_ROLES
from edubrain.base.orgtree import OrgUnit, path_ids
from edubrain.work.models import Notification

CHUNK = 500  # keys per lookup and rows per insert (SQLite's variable limit)


def users_of(org_units: Iterable[OrgUnit | int]) -> QuerySet[Any]:
    """The active users attached to these units (a 责任单位's reporters, a school's administrators)."""
    ids = [u if isinstance(u, int) else u.pk for u in org_units]
    return get_user_model().objects.filter(is_active=True, org_unit_id__in=ids)


def bureau_users(area: OrgUnit) -> QuerySet[Any]:
    """The bureau staff of an area (the county of a plan or an inspection round) and of the areas above."""
    return get_user_model().objects.filter(
        is_active=True, role__in=BUREAU_ROLES, org_unit_id__in=path_ids(area.path)
    )


@dataclass(frozen=True)
class Message:
    """One notification to each of ``users`` (user ids)."""

    users: frozenset[int]
    kind: str
    title: str
    body: str = ""
    url: str = ""
    key: str = ""


def deliver(messages: Sequence[Message], at: Any = None) -> list[Notification]:
    """Write every message to each of its users, set-based; a keyed message skips the users who already
    hold a notification with that key (a reminder is sent once). Returns the rows written."""
    at = at or timezone.now()
    keys = sorted({m.key for m in messages if m.key})
    held: set[tuple[int, str]] = set()
    for start in range(0, len(keys), CHUNK):
        found = Notification.objects.filter(key__in=keys[start : start + CHUNK])
        held |= set(found.values_list("user_id", "key"))
    rows = [
        Notification(
            user_id=user,
            kind=m.kind,
            title=m.title[:200],
            body=m.body,
            url=m.url[:300],
            key=m.key[:120],
            created_at=at,
        )
        for m in messages
        for user in sorted(m.users)
        if not (m.key and (user, m.key) in held)
    ]
    Notification.objects.bulk_create(rows, batch_size=CHUNK)
    return rows


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
    """Write one notification per user (``deliver`` of one message); returns the number written."""
    ids = frozenset(u if isinstance(u, int) else u.pk for u in users)
    return len(deliver([Message(ids, kind, title, body, url, key)], at))


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
