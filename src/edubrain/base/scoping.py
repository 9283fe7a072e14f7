"""Scoping (数据权限): the one place that decides which rows a user may see.

Each scoped model declares ``scope_path_field``: the lookup from the row to its OrgUnit ``path``.
``Model.objects.visible_to(user)`` keeps the rows whose org path starts with the user's scope path.
Generic views and the API base call nothing else, so no page or endpoint can forget it.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def user_scope_path(user: Any) -> str | None:
    """The org path a user sees below; '' means everything (superuser); None means nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    if getattr(user, "is_superuser", False):
        return ""
    scope = getattr(user, "scope_unit", None)
    unit = scope() if callable(scope) else scope
    path = getattr(unit, "path", None)
    # A node whose path was never computed must not widen the scope to everything ('').
    if not path:
        return None
    return str(path)


class ScopedQuerySet(models.QuerySet):
    """QuerySet with ``visible_to(user)``."""

    def visible_to(self, user: Any) -> ScopedQuerySet:
        path = user_scope_path(user)
        if path is None:
            return self.none()
        if path == "":
            return self
        field = getattr(self.model, "scope_path_field", None)
        if not field:
            raise TypeError(f"{self.model.__name__} declares no scope_path_field")
        return self.filter(**{f"{field}__startswith": path})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def instance_scope_path(instance: models.Model) -> str | None:
    """Follow the model's ``scope_path_field`` on one (possibly unsaved) object to its org path."""
    field = getattr(type(instance), "scope_path_field", None)
    if not field:
        return None
    value: Any = instance
    for part in field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return str(value)


def may_access(user: Any, instance: models.Model) -> bool:
    """Whether ``instance`` lies inside the user's scope (the single-object form of ``visible_to``)."""
    scope = user_scope_path(user)
    if scope is None:
        return False
    if scope == "":
        return True
    path = instance_scope_path(instance)
    return bool(path) and str(path).startswith(scope)


def get_visible_or_404(model: type[models.Model], user: Any, **lookup: Any) -> Any:
    """Fetch one object the user may see, or raise Http404 — never reveals that a hidden row exists."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(model.objects.visible_to(user), **lookup)  # type: ignore[attr-defined]
