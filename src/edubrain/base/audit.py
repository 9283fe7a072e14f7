"""Audit trail (操作留痕) of changes to personal data.

A model opts in with ``audited = True``; every save and delete through the ORM writes an AuditLog row with
the changed fields (old → new, ID numbers masked). Bulk writes call ``record_bulk`` themselves.
The acting user comes from ``audit_actor`` (set by middleware for web requests, by services otherwise).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from edubrain.core.ids import mask_id_number

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_actor", default=None)
# Masked in the log: the 身份证号, and the 学籍号 (a "G" 学籍号 embeds the 身份证号).
SENSITIVE_FIELDS = {"id_number", "student_number"}


@contextmanager
def audit_actor(user: Any) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


class AuditLog(models.Model):
    """操作日志: who changed which personal record, when, and what."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        BULK = "bulk", "批量写入"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    model = models.CharField("数据类型", max_length=64, db_index=True)
    object_id = models.CharField("记录", max_length=64, blank=True, default="", db_index=True)
    summary = models.CharField("摘要", max_length=255, blank=True, default="")
    changes = models.JSONField("变更", default=dict, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.model} {self.object_id}"


def _shown(field: str, value: Any) -> Any:
    if value is None:
        return None
    text = str(value)
    return mask_id_number(text) if field in SENSITIVE_FIELDS else text


def _field_values(instance: models.Model) -> dict[str, Any]:
    """Concrete field values as Python types, so '2017-03-15' and date(2017, 3, 15) compare equal."""
    values: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        value = getattr(instance, f.attname)
        with suppress(Exception):  # an unconvertible value is logged as it is
            value = f.to_python(value)
        values[f.attname] = value
    return values


def _summary(instance: models.Model) -> str:
    """A model may provide ``audit_label()`` so the log never shows personal identifiers in clear."""
    label = getattr(instance, "audit_label", None)
    return str(label() if callable(label) else instance)[:255]


def _current_user_id() -> Any:
    user = _actor.get()
    return (
        getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None
    )


def record_bulk(model: type[models.Model], count: int, summary: str = "") -> AuditLog:
    return AuditLog.objects.create(
        user_id=_current_user_id(),
        action=AuditLog.Action.BULK,
        model=model._meta.label,
        summary=summary or f"批量写入 {count} 条",
        changes={"count": count},
    )


@receiver(pre_save)
def _remember_old(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any) -> None:
    if raw or not getattr(sender, "audited", False) or not instance.pk:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_old = _field_values(old) if old else None  # type: ignore[attr-defined]


@receiver(post_save)
def _log_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not getattr(sender, "audited", False):
        return
    new = _field_values(instance)
    old = getattr(instance, "_audit_old", None) or {}
    if created:
        changes = {k: [None, _shown(k, v)] for k, v in new.items() if v not in (None, "") and k != "id"}
    else:
        changes = {k: [_shown(k, old.get(k)), _shown(k, v)] for k, v in new.items() if old.get(k) != v}
        if not changes:
            return
    AuditLog.objects.create(
        user_id=_current_user_id(),
        action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
        model=sender._meta.label,
        object_id=str(instance.pk),
        summary=_summary(instance),
        changes=changes,
    )
    instance._audit_old = None  # type: ignore[attr-defined]


@receiver(post_delete)
def _log_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if not getattr(sender, "audited", False):
        return
    old = _field_values(instance)
    AuditLog.objects.create(
        user_id=_current_user_id(),
        action=AuditLog.Action.DELETE,
        model=sender._meta.label,
        object_id=str(instance.pk),
        summary=_summary(instance),
        changes={k: [_shown(k, v), None] for k, v in old.items() if v not in (None, "") and k != "id"},
    )
