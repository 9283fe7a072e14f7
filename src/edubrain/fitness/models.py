"""Raw student-fitness measurements (国家学生体质健康标准 上报格式), one row per student and school year."""

from __future__ import annotations

from django.db import models

from edubrain.base.scoping import ScopedManager
from edubrain.registry.choices import GRADE_CHOICES


def _measure(label: str, digits: int = 6, places: int = 1) -> models.DecimalField:
    return models.DecimalField(label, max_digits=digits, decimal_places=places, null=True, blank=True)


class FitnessMeasurement(models.Model):
    """体质测试成绩: the raw values as uploaded (seconds for runs); scoring lives in the standards module."""

    student = models.ForeignKey(
        "registry.Student", verbose_name="学生", on_delete=models.CASCADE, related_name="fitness"
    )
    school_year = models.ForeignKey(
        "registry.SchoolYear", verbose_name="学年", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "registry.School", verbose_name="学校", on_delete=models.CASCADE, related_name="fitness"
    )
    grade_code = models.CharField("年级编号", max_length=2, choices=GRADE_CHOICES, blank=True, default="")
    class_name = models.CharField("班级名称", max_length=40, blank=True, default="")
    height_cm = _measure("身高（厘米）")
    weight_kg = _measure("体重（千克）")
    vital_capacity_ml = models.PositiveIntegerField("肺活量（毫升）", null=True, blank=True)
    sprint_50m_s = _measure("50米跑（秒）", 5, 1)
    sit_and_reach_cm = _measure("坐位体前屈（厘米）", 5, 1)
    rope_skip_1min = models.PositiveSmallIntegerField("一分钟跳绳（次）", null=True, blank=True)
    situps_1min = models.PositiveSmallIntegerField("一分钟仰卧起坐（次）", null=True, blank=True)
    shuttle_50x8_s = _measure("50米×8往返跑（秒）", 6, 1)
    standing_long_jump_cm = _measure("立定跳远（厘米）", 5, 1)
    pullups = models.PositiveSmallIntegerField("引体向上（次）", null=True, blank=True)
    run_800m_s = _measure("800米跑（秒）", 6, 1)
    run_1000m_s = _measure("1000米跑（秒）", 6, 1)
    exempt = models.BooleanField("免测", default=False)
    batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "体质测试成绩"
        verbose_name_plural = "体质测试成绩"
        ordering = ["school_year", "school", "grade_code", "class_name"]
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year"], name="fitness_one_per_year")
        ]
        indexes = [models.Index(fields=["school_year", "school"])]

    def __str__(self) -> str:
        return f"{self.student_id} {self.school_year_id}"
