"""Schools (学校), 学区, 教育集团, place capacity, and 责任单位."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import ScopedManager
from edubrain.base.validation import ValidatedModel, validate_school_code
from edubrain.core.stages import grade_allowed
from edubrain.registry.choices import GRADE_CHOICES, GroupKind, Locality, Ownership, Rating, SchoolType


def school_system() -> str:
    """The county's 学制 ("6-3" or "5-4") from settings.EDUBRAIN["SCHOOL_SYSTEM"]."""
    return str(getattr(settings, "EDUBRAIN", {}).get("SCHOOL_SYSTEM", "6-3"))


def _check_kind(errors: dict[str, str], field: str, unit: OrgUnit | None, *kinds: str) -> None:
    if unit is not None and unit.kind not in kinds:
        names = "、".join(OrgKind(k).label for k in kinds)
        errors[field] = f"“{unit}”是{unit.get_kind_display()}，此处应为{names}"


class SchoolZone(ValidatedModel):
    """学区: a grouping of schools inside the county for joint management."""

    name = models.CharField("学区名称", max_length=100)
    county = models.ForeignKey(OrgUnit, verbose_name="所属县", on_delete=models.PROTECT, related_name="zones")
    scope_path_field = "county__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "学区"
        verbose_name_plural = "学区"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="zone_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_kind(errors, "county", self.county if self.county_id else None, OrgKind.COUNTY)
        if errors:
            raise ValidationError(errors)


class School(ValidatedModel):
    """学校 (including 幼儿园); one OrgUnit node of kind school under its 镇/街道."""

    org_unit = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="school", editable=False)
    code = models.CharField("学校标识码", max_length=10, unique=True, validators=[validate_school_code])
    name = models.CharField("学校名称", max_length=100, db_index=True)
    short_name = models.CharField("简称", max_length=40, blank=True, default="")
    school_type = models.CharField("办学类型", max_length=24, choices=SchoolType.choices, db_index=True)
    ownership = models.CharField("举办者", max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    is_puhui = models.BooleanField("普惠性幼儿园", null=True, blank=True, help_text="仅幼儿园填写")
    rating = models.CharField("等级", max_length=16, choices=Rating.choices, blank=True, default="")
    locality = models.CharField("城乡分类", max_length=8, choices=Locality.choices, default=Locality.RURAL)
    town = models.ForeignKey(
        OrgUnit,
        verbose_name="所在镇/街道",
        on_delete=models.PROTECT,
        related_name="schools_in_town",
        limit_choices_to={"kind": OrgKind.TOWN},
    )
    zone = models.ForeignKey(
        SchoolZone,
        verbose_name="学区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools",
    )
    address = models.CharField("地址", max_length=200, blank=True, default="")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField("建校年份", null=True, blank=True)
    closed_year = models.PositiveSmallIntegerField("撤并年份", null=True, blank=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "学校"
        verbose_name_plural = "学校"
        ordering = ["org_unit__path"]

    def __str__(self) -> str:
        return self.name

    @property
    def type_label(self) -> str:
        return self.get_school_type_display()

    def clean(self) -> None:
        if self.code:
            self.code = self.code.strip()
        errors: dict[str, str] = {}
        if self.town_id and self.town.kind != OrgKind.TOWN:
            errors["town"] = "所在镇/街道必须是“镇/街道”类型的机构"
        if self.zone_id and self.town_id and self.zone.county_id != self.town.parent_id:
            errors["zone"] = f"学区“{self.zone}”不属于学校所在镇/街道的上级县（区）"
        if self.founded_year and self.closed_year and self.closed_year <= self.founded_year:
            errors["closed_year"] = "撤并年份应晚于建校年份"
        if self.is_puhui is not None and self.school_type != SchoolType.kindergarten:
            errors["is_puhui"] = "只有幼儿园填写“普惠性幼儿园”"
        if self.latitude is not None and not (-90 <= self.latitude <= 90):
            errors["latitude"] = "纬度应在 -90 到 90 之间"
        if self.longitude is not None and not (-180 <= self.longitude <= 180):
            errors["longitude"] = "经度应在 -180 到 180 之间"
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the school's org node under its 镇/街道 with the same name (one transaction: a failed save
        leaves no orphan node behind)."""
        with transaction.atomic():
            if self.org_unit_id is None:
                self.org_unit = OrgUnit.objects.create(kind=OrgKind.SCHOOL, name=self.name, parent=self.town)
            elif self.org_unit.parent_id != self.town_id or self.org_unit.name != self.name:
                self.org_unit.parent = self.town
                self.org_unit.name = self.name
                self.org_unit.save()
            super().save(*args, **kwargs)

    def allows_grade(self, grade_code: str) -> bool:
        """Whether this type of school has this grade under the county's 学制."""
        return grade_allowed(self.school_type, grade_code, school_system())


class SchoolCapacity(ValidatedModel):
    """学位容量: approved places per grade (for 学位预警)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="capacities"
    )
    grade_code = models.CharField("年级", max_length=2, choices=GRADE_CHOICES)
    places = models.PositiveIntegerField("学位数")
    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "学位容量"
        verbose_name_plural = "学位容量"
        constraints = [models.UniqueConstraint(fields=["school", "grade_code"], name="capacity_unique_grade")]

    def __str__(self) -> str:
        return f"{self.school} {self.get_grade_code_display()} {self.places}"

    def clean(self) -> None:
        if self.school_id and self.grade_code and not self.school.allows_grade(self.grade_code):
            raise ValidationError(
                {
                    "grade_code": f"{self.school.name}是{self.school.type_label}，"
                    f"不设{self.get_grade_code_display()}"
                }
            )


class EducationGroup(ValidatedModel):
    """教育集团 (1+X): a core school (城区核心校) and member schools (乡镇分校); the core school is never
    also a member (checked in ``clean`` and whenever members are added)."""

    name = models.CharField("集团名称", max_length=100, unique=True)
    kind = models.CharField("集团类型", max_length=16, blank=True, default="", choices=GroupKind.choices)
    core_school = models.ForeignKey(
        School, verbose_name="核心校", on_delete=models.PROTECT, related_name="groups_led"
    )
    members = models.ManyToManyField(School, verbose_name="成员校", related_name="groups", blank=True)
    founded_year = models.PositiveSmallIntegerField("成立年份", null=True, blank=True)
    scope_path_field = "core_school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "教育集团"
        verbose_name_plural = "教育集团"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.pk and self.core_school_id and self.members.filter(pk=self.core_school_id).exists():
            raise ValidationError(
                {"core_school": f"核心校“{self.core_school}”已是本集团成员校，不能同时作为核心校"}
            )

    @property
    def size(self) -> int:
        """1 + X: the core school and its members."""
        return 1 + self.members.count() if self.pk else 1


@receiver(m2m_changed, sender=EducationGroup.members.through)
def _refuse_core_as_member(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    """Adding the core school as a member is refused, from either side of the relation."""
    if action != "pre_add" or not pk_set:
        return
    if not reverse and instance.core_school_id in pk_set:
        raise ValidationError({"members": f"核心校“{instance.core_school}”不能同时是本集团成员校"})
    if reverse and EducationGroup.objects.filter(pk__in=pk_set, core_school=instance).exists():
        raise ValidationError({"members": f"“{instance}”是该集团的核心校，不能同时是其成员校"})


class ResponsibleUnit(ValidatedModel):
    """责任单位: a department named in the plan as responsible for tasks (县委教育工委, 县财政局, …)."""

    org_unit = models.OneToOneField(
        OrgUnit, on_delete=models.PROTECT, related_name="responsible_unit", editable=False
    )
    name = models.CharField("单位名称", max_length=60)
    county = models.ForeignKey(OrgUnit, verbose_name="所属县", on_delete=models.PROTECT, related_name="+")
    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["org_unit__sort_order", "name"]
        # every county has its own 县财政局
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="responsible_unit_county_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_kind(errors, "county", self.county if self.county_id else None, OrgKind.COUNTY)
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the unit's org node under its county with the same name."""
        with transaction.atomic():
            if self.org_unit_id is None:
                self.org_unit = OrgUnit.objects.create(kind=OrgKind.UNIT, name=self.name, parent=self.county)
            elif self.org_unit.parent_id != self.county_id or self.org_unit.name != self.name:
                self.org_unit.parent = self.county
                self.org_unit.name = self.name
                self.org_unit.save()
            super().save(*args, **kwargs)
