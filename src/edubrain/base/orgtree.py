"""The org tree (组织机构树): county → 镇/街道 → school, plus 责任单位 nodes, with a materialised path.

Every scoped row reaches one OrgUnit; scoping is a prefix match on ``path`` (see scoping.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr

from edubrain.base.scoping import ScopedManager
from edubrain.base.validation import validate_division_code

PATH_SEP = "/"


class OrgKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWN = "town", "镇/街道"
    SCHOOL = "school", "学校"
    UNIT = "unit", "责任单位"


class OrgUnit(models.Model):
    """组织机构: one node of the tree. ``path`` is ``/<id>/<id>/…/`` from the root down to this node."""

    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    name = models.CharField("名称", max_length=100)
    division_code = models.CharField(
        "行政区划代码",
        max_length=12,
        blank=True,
        default="",
        db_index=True,
        validators=[validate_division_code],
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope_path_field = "path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save and keep ``path``/``depth`` of this node and of all its descendants right."""
        if self._parent_is_self_or_below():
            raise ValidationError({"parent": "上级机构不能是本机构或其下级"})
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = self.compute_path()
            if new_path != self.path or self.depth != _depth(new_path):
                old = self.path
                self.path, self.depth = new_path, _depth(new_path)
                OrgUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                if old and old != new_path:
                    self._move_descendants(old, new_path)

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self._parent_is_self_or_below():
            raise ValidationError({"parent": "上级机构不能是本机构或其下级"})
        allowed = PARENT_KINDS.get(self.kind)
        if allowed is not None and self.parent.kind not in allowed:
            kinds = "、".join(OrgKind(k).label for k in allowed)
            raise ValidationError(
                {
                    "parent": f"“{self.get_kind_display()}”的上级机构应为：{kinds}"
                    f"（当前为{self.parent.get_kind_display()}）"
                }
            )

    def _parent_is_self_or_below(self) -> bool:
        if not self.pk or not self.parent_id:
            return False
        parent_path = OrgUnit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
        return self.parent_id == self.pk or f"{PATH_SEP}{self.pk}{PATH_SEP}" in parent_path

    def compute_path(self) -> str:
        """The path from the stored parent (read from the database, so a stale parent object cannot lie)."""
        prefix = PATH_SEP
        if self.parent_id:
            prefix = (
                OrgUnit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or PATH_SEP
            )
        return f"{prefix}{self.pk}{PATH_SEP}"

    def _move_descendants(self, old: str, new: str) -> None:
        """One UPDATE: replace the old prefix by the new one and shift the depth of every descendant."""
        shift = _depth(new) - _depth(old)
        OrgUnit.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
            path=Concat(
                Value(new), Substr("path", len(old) + 1, Length("path")), output_field=models.CharField()
            ),
            depth=F("depth") + shift,
        )

    def descendants(self, include_self: bool = True) -> models.QuerySet[OrgUnit]:
        if not self.path:
            return OrgUnit.objects.none()
        qs = OrgUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self) -> list[OrgUnit]:
        ids = path_ids(self.path)
        by_id = OrgUnit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: OrgUnit) -> bool:
        return bool(self.path) and bool(other.path) and self.path.startswith(other.path)


def path_ids(path: str) -> list[int]:
    """``/1/5/9/`` → [1, 5, 9]: the ids of a node and the nodes above it, root first."""
    return [int(p) for p in path.strip(PATH_SEP).split(PATH_SEP) if p]


def _depth(path: str) -> int:
    """``/1/`` → 0, ``/1/5/`` → 1."""
    return max(path.count(PATH_SEP) - 2, 0)


# Which kinds of parent each kind of node may have (kinds not listed: any parent).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    OrgKind.CITY: (OrgKind.PROVINCE,),
    OrgKind.COUNTY: (OrgKind.CITY, OrgKind.PROVINCE),
    OrgKind.TOWN: (OrgKind.COUNTY,),
    OrgKind.SCHOOL: (OrgKind.TOWN, OrgKind.COUNTY),
    OrgKind.UNIT: (OrgKind.COUNTY,),
}
