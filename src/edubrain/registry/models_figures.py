"""Yearly figures: facilities per school (办学条件), county finance (教育经费), births, population."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import ScopedManager
from edubrain.base.validation import ValidatedModel
from edubrain.registry.models_org import School

_NON_NEG = [MinValueValidator(0)]
_AREA_KINDS = (OrgKind.COUNTY, OrgKind.TOWN)


def _check_unit_kind(unit_id: int | None, unit: OrgUnit | None, *kinds: str) -> None:
    if unit_id and unit is not None and unit.kind not in kinds:
        names = "、".join(OrgKind(k).label for k in kinds)
        raise ValidationError({"org_unit": f"“{unit}”是{unit.get_kind_display()}，此处应为{names}"})


def _money(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=16, decimal_places=2, validators=_NON_NEG)


def _area(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=2, validators=_NON_NEG, default=0)


class Facility(ValidatedModel):
    """办学条件: one school's facilities at the start of a school year (calendar year ``year``)."""

    school = models.ForeignKey(
        School, verbose_name="学校", on_delete=models.CASCADE, related_name="facilities"
    )
    year = models.PositiveSmallIntegerField("年份")
    land_area = _area("占地面积（㎡）")
    building_area = _area("校舍建筑面积（㎡）")
    teaching_area = _area("教学及辅助用房面积（㎡）")
    sports_area = _area("体育运动场馆面积（㎡）")
    equipment_value = models.DecimalField(
        "教学仪器设备值（元）", max_digits=14, decimal_places=2, validators=_NON_NEG, default=0
    )
    books = models.PositiveIntegerField("图书（册）", default=0)
    multimedia_classrooms = models.PositiveIntegerField("网络多媒体教室（间）", default=0)
    computers = models.PositiveIntegerField("计算机（台）", default=0)
    broadband_mbps = models.PositiveIntegerField("出口带宽（Mbps）", default=0)

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "办学条件"
        verbose_name_plural = "办学条件"
        ordering = ["school", "year"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="facility_one_per_year")]

    def __str__(self) -> str:
        return f"{self.school} {self.year}年"

    def clean(self) -> None:
        if (
            self.building_area is not None
            and self.teaching_area is not None
            and self.teaching_area > self.building_area
        ):
            raise ValidationError(
                {
                    "teaching_area": f"教学及辅助用房面积（{self.teaching_area}㎡）不能大于校舍建筑面积"
                    f"（{self.building_area}㎡）"
                }
            )


class Finance(ValidatedModel):
    """教育经费: 一般公共预算教育支出 of a county for a calendar year, with the split by stage (元)."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="行政区",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.COUNTY},
    )
    year = models.PositiveSmallIntegerField("年份")
    general_budget = _money("一般公共预算教育支出（元）")
    preschool = _money("其中：学前教育（元）")
    primary = _money("其中：小学（元）")
    junior = _money("其中：初中（元）")
    senior = _money("其中：普通高中（元）")
    vocational = _money("其中：中等职业教育（元）")
    special = _money("其中：特殊教育（元）")

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "教育经费"
        verbose_name_plural = "教育经费"
        ordering = ["org_unit", "year"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="finance_one_per_year")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年教育经费"

    def clean(self) -> None:
        _check_unit_kind(self.org_unit_id, self.org_unit if self.org_unit_id else None, OrgKind.COUNTY)
        parts = [self.preschool, self.primary, self.junior, self.senior, self.vocational, self.special]
        if self.general_budget is not None and all(p is not None for p in parts):
            total = sum(parts)
            if total > self.general_budget:
                raise ValidationError(
                    {
                        "general_budget": f"分学段经费之和（{total}元）不能大于"
                        f"一般公共预算教育支出（{self.general_budget}元）"
                    }
                )


class Births(ValidatedModel):
    """出生人口 of one 镇/街道 in a calendar year."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="镇/街道", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    births = models.PositiveIntegerField("出生人数")
    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "出生人口"
        verbose_name_plural = "出生人口"
        ordering = ["org_unit", "year"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="births_one_per_year")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年出生 {self.births}"

    def clean(self) -> None:
        _check_unit_kind(self.org_unit_id, self.org_unit if self.org_unit_id else None, *_AREA_KINDS)


class Population(ValidatedModel):
    """常住人口 by single year of age (denominator of enrolment ratios), with its source."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="行政区", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    age = models.PositiveSmallIntegerField("年龄", validators=[MaxValueValidator(120)])
    population = models.PositiveIntegerField("人数")
    source = models.CharField("数据来源", max_length=40, blank=True, default="统计局")
    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "分年龄人口"
        verbose_name_plural = "分年龄人口"
        ordering = ["org_unit", "year", "age"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year", "age"], name="population_one_per_age")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年 {self.age}岁 {self.population}"

    def clean(self) -> None:
        _check_unit_kind(self.org_unit_id, self.org_unit if self.org_unit_id else None, *_AREA_KINDS)


class SchoolingYears(ValidatedModel):
    """劳动年龄人口平均受教育年限 (16–59 岁) as supplied by the statistics bureau."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="行政区", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    years = models.DecimalField(
        "平均受教育年限（年）",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(25)],
    )
    source = models.CharField("数据来源", max_length=40, blank=True, default="统计局")
    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "平均受教育年限"
        verbose_name_plural = "平均受教育年限"
        ordering = ["org_unit", "year"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="schooling_one_per_year")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年 {self.years}"

    def clean(self) -> None:
        _check_unit_kind(self.org_unit_id, self.org_unit if self.org_unit_id else None, *_AREA_KINDS)
