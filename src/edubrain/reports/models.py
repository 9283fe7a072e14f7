"""报告 (reports): generated documents (``ReportJob``: one run of the annual report, a 通报 or the data annex,
made in the background with progress, kept with its files) and a county's own edited templates
(``ReportTemplateText``; the defaults live in ``edubrain/data/report_templates``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import ScopedManager


class ReportKind(models.TextChoices):
    ANNUAL = "annual", "规划年度监测评估报告"
    FITNESS = "fitness", "学生体质健康通报"
    VISION = "vision", "学生近视防控通报"
    ANNEX = "annex", "数据附件（Excel）"


class ReportJob(models.Model):
    """报告生成任务: what was asked (kind, year, area), how far it got, and the files it made
    (``docx``/``pdf``/``xlsx`` paths relative to ``EDUBRAIN["REPORT_DIR"]``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("报告类型", max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="区域", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    progress_text = models.CharField("进度说明", max_length=200, blank=True, default="")
    docx_path = models.CharField("Word 文件", max_length=300, blank=True, default="")
    pdf_path = models.CharField("PDF 文件", max_length=300, blank=True, default="")
    xlsx_path = models.CharField("Excel 文件", max_length=300, blank=True, default="")
    message = models.TextField("说明", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "报告生成任务"
        verbose_name_plural = "报告生成任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}"


class ReportTemplateText(models.Model):
    """报告模板: a county's edited template of one report kind (TOML text, checked by
    ``core.report.template.parse_template`` before it is saved)."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="区域", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("报告类型", max_length=10, choices=ReportKind.choices)
    text = models.TextField("模板内容")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "报告模板"
        verbose_name_plural = "报告模板"
        constraints = [models.UniqueConstraint(fields=["org_unit", "kind"], name="report_template_unit_kind")]

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.get_kind_display()}"
