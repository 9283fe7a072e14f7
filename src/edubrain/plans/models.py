"""规划监测 (plan monitoring): the plan as data — a plan with its section tree, tasks with their 责任单位,
quantitative targets and key projects — and the indicator store (指标值) the targets are measured against.

A plan is parsed from the document (``edubrain.core.plan.parser``; JSON contract in ``core/plan/__init__``),
reviewed in the browser and *adopted*; several plans coexist (county, city, a new 十五五 plan) and a target
may point at the parent plan's target it serves. Indicator values are computed for every org unit and year by
``plans.compute`` (or entered by hand, audited, where no data exists) and stored with their provenance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import ScopedManager


class Plan(models.Model):
    """规划: one plan document of an area (``org_unit``: the county, city or province it governs)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待审核"
        ADOPTED = "adopted", "已采用"

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="规划区域", on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField("规划名称", max_length=200)
    issuer = models.CharField("印发机关", max_length=100, blank=True, default="")
    doc_number = models.CharField("文号", max_length=60, blank=True, default="")
    start_year = models.PositiveSmallIntegerField("起始年份", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("目标年份", null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级规划",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField("来源文件", max_length=200, blank=True, default="")
    parsed = models.JSONField("解析结果", default=dict, blank=True)
    unparsed = models.JSONField("未能解析的内容", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    adopted_at = models.DateTimeField("采用时间", null=True, blank=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "规划"
        verbose_name_plural = "规划"
        ordering = ["-start_year", "title"]

    def __str__(self) -> str:
        return self.title


class PlanSection(models.Model):
    """章节: 一、 → （一） → 1. ``code`` is the dotted path of the numbering, e.g. "二.(一)"."""

    plan = models.ForeignKey(Plan, verbose_name="规划", on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级章节",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField("编号", max_length=40)
    title = models.CharField("标题", max_length=200)
    order = models.PositiveIntegerField("顺序", default=0)

    scope_path_field = "plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "规划章节"
        verbose_name_plural = "规划章节"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_section_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PlanTask(models.Model):
    """重点任务: a numbered paragraph of the plan with its 责任单位 (``units``, lead first)."""

    plan = models.ForeignKey(Plan, verbose_name="规划", on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        PlanSection,
        verbose_name="所属章节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    code = models.CharField("编号", max_length=40)
    title = models.CharField("任务", max_length=200)
    text = models.TextField("全文", blank=True, default="")
    order = models.PositiveIntegerField("顺序", default=0)

    scope_path_field = "plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "规划任务"
        verbose_name_plural = "规划任务"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_task_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TaskUnit(models.Model):
    """A 责任单位 of a task: the name as the plan writes it, linked to the registry's ``ResponsibleUnit``
    when one matches; the first (``role`` lead) leads, the others co-operate."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        CO = "co", "配合"

    task = models.ForeignKey(PlanTask, verbose_name="任务", on_delete=models.CASCADE, related_name="units")
    name = models.CharField("单位名称", max_length=60)
    unit = models.ForeignKey(
        "registry.ResponsibleUnit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tasks",
    )
    role = models.CharField("角色", max_length=4, choices=Role.choices, default=Role.CO)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    scope_path_field = "task__plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "任务责任单位"
        verbose_name_plural = "任务责任单位"
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "name"], name="task_unit_name")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """指标: one entry of the indicator catalogue (``edubrain.core.indicators.catalogue``), synced to the
    database so values and targets can point at it."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", "系统计算"
        MANUAL = "manual", "人工填报"

    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("指标名称", max_length=120)
    unit = models.CharField("单位", max_length=20, blank=True, default="")
    definition = models.TextField("定义", blank=True, default="")
    numerator = models.CharField("分子", max_length=200, blank=True, default="")
    denominator = models.CharField("分母", max_length=200, blank=True, default="")
    kind = models.CharField("来源", max_length=10, choices=Kind.choices, default=Kind.COMPUTED)
    decimals = models.PositiveSmallIntegerField("小数位", default=1)
    higher_is_better = models.BooleanField("越高越好", default=True)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PlanTarget(models.Model):
    """目标: a quantitative target of the plan — from the 指标 table or a sentence of the text."""

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "不低于"
        AT_MOST = "<=", "不高于"
        EQUAL = "=", "等于"
        DECREASE_BY = "decrease_by", "每年降低不少于"
        INCREASE_BY = "increase_by", "每年提高不少于"

    class Nature(models.TextChoices):
        EXPECTED = "预期性", "预期性"
        BINDING = "约束性", "约束性"

    plan = models.ForeignKey(Plan, verbose_name="规划", on_delete=models.CASCADE, related_name="targets")
    task = models.ForeignKey(
        PlanTask,
        verbose_name="所属任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="对应指标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    indicator_name = models.CharField("指标（原文）", max_length=200)
    category = models.CharField("类别", max_length=40, blank=True, default="")
    unit = models.CharField("单位", max_length=20, blank=True, default="")
    baseline_year = models.PositiveSmallIntegerField("基期年份", null=True, blank=True)
    baseline = models.FloatField("基期值", null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("目标年份", null=True, blank=True)
    target = models.FloatField("目标值", null=True, blank=True)
    comparator = models.CharField(
        "比较方式", max_length=12, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    nature = models.CharField("属性", max_length=4, choices=Nature.choices, blank=True, default="")
    source = models.TextField("原文", blank=True, default="")
    parent_target = models.ForeignKey(
        "self",
        verbose_name="上级规划目标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_targets",
    )
    order = models.PositiveIntegerField("顺序", default=0)

    scope_path_field = "plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "规划目标"
        verbose_name_plural = "规划目标"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.indicator_name


class KeyProject(models.Model):
    """重点项目 (the plan's Table 2)."""

    plan = models.ForeignKey(Plan, verbose_name="规划", on_delete=models.CASCADE, related_name="projects")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("项目名称", max_length=200)
    content = models.TextField("建设内容", blank=True, default="")

    scope_path_field = "plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_project_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class IndicatorValue(models.Model):
    """指标值: an indicator's value for an org unit and year, with provenance. ``value`` is NULL when it
    cannot be computed (``note`` says why: no pupils, no data). Manual values record who entered them."""

    class Source(models.TextChoices):
        COMPUTED = "computed", "系统计算"
        MANUAL = "manual", "人工填报"

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="values"
    )
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    value = models.FloatField("值", null=True, blank=True)
    numerator = models.FloatField("分子", null=True, blank=True)
    denominator = models.FloatField("分母", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.COMPUTED)
    provenance = models.CharField("数据来源", max_length=300, blank=True, default="")
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path_field = "org_unit__path"
    objects = ScopedManager()
    audited = True

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        ordering = ["indicator", "year", "org_unit"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "org_unit", "year"], name="indicator_value_unique")
        ]
        indexes = [models.Index(fields=["indicator", "year"]), models.Index(fields=["org_unit", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_unit_id} {self.year}"
