"""The org tree (组织机构树): county → 镇/街道 → school, plus 责任单位 nodes, with a materialised path.

Every scoped row reaches one OrgUnit; scoping is a prefix match on ``path`` (see scoping.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

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
        "行政区划代码", max_length=12, blank=True, db_index=True, validators=[validate_division_code]
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.pk and f"{PATH_SEP}{self.pk}{PATH_SEP}" in (self.parent.path or ""):
            raise ValidationError({"parent": "上级机构不能是本机构或其下级"})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = self.compute_path()
        if new_path != self.path:
            old = self.path
            self.path = new_path
            self.depth = new_path.count(PATH_SEP) - 2
            OrgUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old:
                self._move_descendants(old, new_path)

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else PATH_SEP
        return f"{prefix}{self.pk}{PATH_SEP}"

    def _move_descendants(self, old: str, new: str) -> None:
        for child in OrgUnit.objects.filter(path__startswith=old).exclude(pk=self.pk):
            child.path = new + child.path[len(old):]
            child.depth = child.path.count(PATH_SEP) - 2
            OrgUnit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def descendants(self, include_self: bool = True) -> models.QuerySet[OrgUnit]:
        qs = OrgUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self) -> list[OrgUnit]:
        ids = [int(p) for p in self.path.strip(PATH_SEP).split(PATH_SEP) if p]
        by_id = OrgUnit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)
