"""Import batches (导入记录): one uploaded file, its preview counts, errors and commit outcome."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import ScopedManager


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    PREVIEWING = "previewing", "预检中"
    PREVIEWED = "previewed", "已预检"
    COMMITTING = "committing", "导入中"
    COMMITTED = "committed", "已导入"
    FAILED = "failed", "失败"
    DISCARDED = "discarded", "已放弃"


RUNNING = (ImportStatus.PREVIEWING, ImportStatus.COMMITTING)


class ImportBatch(models.Model):
    """导入记录: who imported which file (name, SHA-256, size) into which dataset, and what happened."""

    Status = ImportStatus

    dataset = models.CharField("数据集", max_length=20, db_index=True)
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64, db_index=True)
    file_size = models.BigIntegerField("文件大小（字节）", default=0)
    file_path = models.CharField("存储路径", max_length=500, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="所属机构", on_delete=models.PROTECT, related_name="import_batches"
    )
    school = models.ForeignKey(
        "registry.School",
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    sheet = models.CharField("工作表", max_length=100, blank=True, default="", help_text="留空表示全部")
    options = models.JSONField("选项", default=dict, blank=True)
    created = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)
    finished = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED, db_index=True
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    progress_text = models.CharField("进度说明", max_length=200, blank=True, default="")
    total = models.PositiveIntegerField("总行数", default=0)
    new = models.PositiveIntegerField("新增", default=0)
    changed = models.PositiveIntegerField("修改", default=0)
    unchanged = models.PositiveIntegerField("不变", default=0)
    invalid = models.PositiveIntegerField("有误", default=0)
    warnings = models.JSONField("提示", default=list, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    sample_changes = models.JSONField("修改示例", default=list, blank=True)
    file_error = models.BooleanField("文件无法读取", default=False)
    only_valid = models.BooleanField("仅导入正确行", default=False)
    message = models.TextField("说明", blank=True, default="")
    committed_rows = models.PositiveIntegerField("已写入行数", default=0)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def can_commit(self) -> bool:
        """Previewed, readable, and either no invalid row or some valid rows (to import with only_valid)."""
        if self.status != ImportStatus.PREVIEWED or self.file_error:
            return False
        return self.invalid == 0 or self.total > self.invalid

    def error_list(self) -> list[dict[str, Any]]:
        """Every error as {sheet, row, column, value, message} (row = the spreadsheet's own row number)."""
        return list(self.errors or [])

    @property
    def dataset_label(self) -> str:
        from edubrain.imports.datasets import DATASETS

        config = DATASETS.get(self.dataset)
        return config.label if config else self.dataset
