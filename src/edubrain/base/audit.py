"""Audit trail (操作留痕) of changes to personal data.

A model opts in with ``audited = True``; every save and delete through the ORM writes an AuditLog row with
the changed fields (old → new, ID numbers masked). Bulk writes call ``record_bulk`` themselves.
The acting user comes from ``audit_actor`` (set by middleware for web requests, by services otherwise).
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from edubrain.core.ids import mask_id_number

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_actor", default=None)
SENSITIVE_FIELDS = {"id_number"}


@contextmanager
def audit_actor(user: Any):
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
    object_id = models.CharField("记录", max_length=64, blank=True, db_index=True)
    summary = models.CharField("摘要", max_length=255, blank=True)
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
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _current_user_id() -> Any:
    user = _actor.get()
    return getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None


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
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_old = _field_values(old) if old else None  # type: ignore[attr-defined]


@receiver(post_save)
def _log_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any) -> None:
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
        summary=str(instance)[:255],
        changes=changes,
    )


@receiver(post_delete)
def _log_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if not getattr(sender, "audited", False):
        return
    AuditLog.objects.create(
        user_id=_current_user_id(),
        action=AuditLog.Action.DELETE,
        model=sender._meta.label,
        object_id=str(instance.pk),
        summary=str(instance)[:255],
    )
