"""Raw student-fitness measurements (国家学生体质健康标准 上报格式), one row per student and school year."""

from __future__ import annotations

from django.db import models

from edubrain.base.scoping import ScopedManager
from edubrain.core.fitness.items import RATINGS
from edubrain.core.fitness.scoring import STATUSES
from edubrain.registry.choices import GRADE_CHOICES


def _measure(label: str, digits: int = 6, places: int = 1) -> models.DecimalField:
    return models.DecimalField(label, max_digits=digits, decimal_places=places, null=True, blank=True)


def _score(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


RATING_CHOICES = [(r, r) for r in RATINGS]
STATUS_CHOICES = list(STATUSES.items())


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
    # Scores (体质健康标准 2014), computed from the values above on import and by
    # ``edubrain fitness rescore``.
    bmi = models.DecimalField("体重指数", max_digits=4, decimal_places=1, null=True, blank=True)
    bmi_band = models.CharField("体重指数等级", max_length=4, blank=True, default="")
    bmi_score = _score("体重指数得分")
    vital_capacity_score = _score("肺活量得分")
    run_50m_score = _score("50米跑得分")
    sit_and_reach_score = _score("坐位体前屈得分")
    rope_skip_1min_score = _score("一分钟跳绳得分")
    sit_up_1min_score = _score("一分钟仰卧起坐得分")
    shuttle_run_50x8_score = _score("50米×8往返跑得分")
    standing_long_jump_score = _score("立定跳远得分")
    pull_up_score = _score("引体向上得分")
    run_1000m_score = _score("1000米跑得分")
    run_800m_score = _score("800米跑得分")
    rope_skip_1min_bonus = _score("一分钟跳绳附加分")
    sit_up_1min_bonus = _score("一分钟仰卧起坐附加分")
    pull_up_bonus = _score("引体向上附加分")
    run_1000m_bonus = _score("1000米跑附加分")
    run_800m_bonus = _score("800米跑附加分")
    standard_score = models.DecimalField("标准分", max_digits=5, decimal_places=2, null=True, blank=True)
    bonus = _score("附加分")
    total_score = models.DecimalField("学年总分", max_digits=5, decimal_places=2, null=True, blank=True)
    rating = models.CharField("总分等级", max_length=3, choices=RATING_CHOICES, blank=True, default="")
    status = models.CharField("评分状态", max_length=10, choices=STATUS_CHOICES, blank=True, default="")
    remark = models.CharField("备注", max_length=500, blank=True, default="")
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
        indexes = [
            models.Index(fields=["school_year", "school"]),
            models.Index(fields=["school_year", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.school_year_id}"
