"""Vision screening (视力筛查): uncorrected acuity, lens test (串镜) and refractive-error flag per eye."""

from __future__ import annotations

from django.db import models

from edubrain.base.scoping import ScopedManager


class LensResult(models.TextChoices):
    NONE = "", "未查"
    PLUS = "+", "+（远视倾向）"
    MINUS = "-", "−（近视倾向）"
    EVEN = "=", "不变"


class VisionScreening(models.Model):
    """视力筛查记录: acuity on the 5-point scale (4.0–5.3); decimal readings (0.1–1.5) are converted, the raw
    text is kept as written."""

    student = models.ForeignKey(
        "registry.Student", verbose_name="学生", on_delete=models.CASCADE, related_name="vision"
    )
    school_year = models.ForeignKey(
        "registry.SchoolYear", verbose_name="学年", on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "registry.School", verbose_name="学校", on_delete=models.CASCADE, related_name="vision"
    )
    screened_on = models.DateField("筛查日期", null=True, blank=True)
    left_acuity = models.DecimalField("左眼裸眼视力", max_digits=2, decimal_places=1, null=True, blank=True)
    right_acuity = models.DecimalField("右眼裸眼视力", max_digits=2, decimal_places=1, null=True, blank=True)
    left_acuity_raw = models.CharField("左眼裸眼视力（原值）", max_length=10, blank=True, default="")
    right_acuity_raw = models.CharField("右眼裸眼视力（原值）", max_length=10, blank=True, default="")
    left_lens = models.CharField("左眼串镜", max_length=1, choices=LensResult.choices, blank=True, default="")
    right_lens = models.CharField(
        "右眼串镜", max_length=1, choices=LensResult.choices, blank=True, default=""
    )
    left_refractive = models.BooleanField("左眼屈光不正", null=True, blank=True)
    right_refractive = models.BooleanField("右眼屈光不正", null=True, blank=True)
    glasses = models.BooleanField("戴镜", null=True, blank=True)
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
        verbose_name = "视力筛查记录"
        verbose_name_plural = "视力筛查记录"
        ordering = ["school_year", "school", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year", "screened_on"],
                name="vision_one_per_date",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.school_year_id} {self.screened_on or ''}"
