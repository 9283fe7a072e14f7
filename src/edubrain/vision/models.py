"""Vision screening (视力筛查): uncorrected acuity, lens test (串镜) and refractive-error flag per eye, the
non-cycloplegic autorefraction (球镜/柱镜/轴位), correction (戴镜/角膜塑形镜) with corrected acuity,
optional axial length, and the stored classification (筛查性近视 per WS/T 663-2020, degree, 近视前期,
预警等级) computed by ``edubrain.vision.services.classify_rows`` on import and in the demo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from edubrain.base.scoping import ScopedManager


class LensResult(models.TextChoices):
    NONE = "", "未查"
    PLUS = "+", "+（远视倾向）"
    MINUS = "-", "−（近视倾向）"
    EVEN = "=", "不变"


class Correction(models.TextChoices):
    NONE = "", "未戴镜"
    GLASSES = "glasses", "框架眼镜"
    ORTHOK = "orthok", "角膜塑形镜"


class Degree(models.TextChoices):
    UNKNOWN = "", "未分类"
    NONE = "无", "无"
    LOW = "低度", "低度近视"
    MODERATE = "中度", "中度近视"
    HIGH = "高度", "高度近视"


class ClassifyStatus(models.TextChoices):
    PENDING = "", "未分类"
    CLASSIFIED = "classified", "已分类"
    INVALID = "invalid", "数据有误"


def _dioptre(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True)


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
    left_sphere = _dioptre("左眼球镜")
    left_cylinder = _dioptre("左眼柱镜")
    left_axis = models.PositiveSmallIntegerField("左眼轴位", null=True, blank=True)
    right_sphere = _dioptre("右眼球镜")
    right_cylinder = _dioptre("右眼柱镜")
    right_axis = models.PositiveSmallIntegerField("右眼轴位", null=True, blank=True)
    correction = models.CharField(
        "戴镜类型", max_length=8, choices=Correction.choices, blank=True, default=""
    )
    left_corrected = models.DecimalField(
        "左眼矫正视力", max_digits=2, decimal_places=1, null=True, blank=True
    )
    right_corrected = models.DecimalField(
        "右眼矫正视力", max_digits=2, decimal_places=1, null=True, blank=True
    )
    axial_left = models.DecimalField("左眼眼轴（mm）", max_digits=4, decimal_places=2, null=True, blank=True)
    axial_right = models.DecimalField("右眼眼轴（mm）", max_digits=4, decimal_places=2, null=True, blank=True)
    # classification (edubrain.vision.services.classify_rows)
    left_se = models.DecimalField("左眼等效球镜", max_digits=6, decimal_places=3, null=True, blank=True)
    right_se = models.DecimalField("右眼等效球镜", max_digits=6, decimal_places=3, null=True, blank=True)
    left_myopia = models.BooleanField("左眼筛查性近视", null=True, blank=True)
    right_myopia = models.BooleanField("右眼筛查性近视", null=True, blank=True)
    myopia = models.BooleanField("筛查性近视", null=True, blank=True)
    degree = models.CharField("近视程度", max_length=4, choices=Degree.choices, blank=True, default="")
    pre_myopia = models.BooleanField("近视前期", null=True, blank=True)
    warning_level = models.PositiveSmallIntegerField("预警等级", null=True, blank=True)
    status = models.CharField(
        "分类状态", max_length=10, choices=ClassifyStatus.choices, blank=True, default=""
    )
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


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "待告知家长"
    NOTIFIED = "notified", "已告知家长"
    RESULTED = "resulted", "已反馈结果"
    CLOSED = "closed", "已结案"
    SUPERSEDED = "superseded", "已由新筛查替代"


OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.NOTIFIED, FollowUpStatus.RESULTED)
# overdue: the deadline passed before the re-examination or hospital result came back
PENDING_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.NOTIFIED)


class ResultKind(models.TextChoices):
    NONE = "", "—"
    RECHECK = "recheck", "学校复查"
    HOSPITAL = "hospital", "医院就诊（转诊）"


class Outcome(models.TextChoices):
    NONE = "", "—"
    NORMAL = "normal", "未见异常"
    MYOPIA_CORRECTED = "myopia_corrected", "确诊近视，已配镜矫正"
    MYOPIA_ORTHOK = "myopia_orthok", "确诊近视，已配角膜塑形镜"
    MYOPIA_OBSERVE = "myopia_observe", "确诊近视，遵医嘱观察"
    OTHER_REFRACTIVE = "other_refractive", "其他屈光不正（远视、散光等）"
    OTHER_DISEASE = "other_disease", "其他眼病，已就诊"
    DECLINED = "declined", "家长未带孩子就诊"


class VisionFollowUp(models.Model):
    """预警随访: one warning screening (预警等级 ≥ the configured level, or a rise since the previous
    screening) followed to closure — 告家长书 to the parents, the re-examination (复查) or hospital referral
    (转诊) result, closure. Opened by ``edubrain.vision.followups.sync_followups``; at most one live
    follow-up per pupil (an older open one is superseded by a newer warning)."""

    student = models.ForeignKey(
        "registry.Student", verbose_name="学生", on_delete=models.CASCADE, related_name="vision_followups"
    )
    screening = models.OneToOneField(
        VisionScreening, verbose_name="筛查记录", on_delete=models.CASCADE, related_name="followup"
    )
    school = models.ForeignKey(
        "registry.School", verbose_name="学校", on_delete=models.CASCADE, related_name="vision_followups"
    )
    school_class = models.ForeignKey(
        "registry.SchoolClass",
        verbose_name="班级",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField("预警等级")
    previous_level = models.PositiveSmallIntegerField("上次预警等级", null=True, blank=True)
    rose = models.BooleanField("等级上升", default=False)
    reason = models.CharField("预警原因", max_length=60)
    status = models.CharField(
        "状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN, db_index=True
    )
    opened_on = models.DateField("开始日期")
    due_on = models.DateField("完成期限", db_index=True)
    notified_on = models.DateField("告知家长日期", null=True, blank=True)
    result_kind = models.CharField(
        "结果类型", max_length=10, choices=ResultKind.choices, blank=True, default=""
    )
    result_on = models.DateField("结果日期", null=True, blank=True)
    hospital = models.CharField("就诊医院", max_length=100, blank=True, default="")
    outcome = models.CharField("诊断结果", max_length=20, choices=Outcome.choices, blank=True, default="")
    note = models.CharField("说明", max_length=500, blank=True, default="")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结案人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()
    audited = True  # health data of a pupil

    class Meta:
        verbose_name = "视力预警随访"
        verbose_name_plural = "视力预警随访"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["student", "status"])]

    def __str__(self) -> str:
        return f"{self.student_id} {self.reason} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_days(self, today: Any) -> int:
        """Days past the deadline while the result is still owed (0 when not overdue)."""
        if self.status not in PENDING_STATUSES or today <= self.due_on:
            return 0
        return int((today - self.due_on).days)
