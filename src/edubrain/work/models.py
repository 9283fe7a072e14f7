"""工作推进 (work tracking): the plan's tasks reported on by their 责任单位 each reporting cycle
(填报周期), the 18 key projects (重点项目) with milestones and spend, and 督导 — inspection rounds,
findings with their 整改 (rectification) order, the school's fix, the 复查 (re-check) and
escalations (约谈、通报、问责). Attachments (evidence, photos, documents) and in-app notifications
serve all three.

Every model is scoped (``visible_to``): a report to its 责任单位, a finding and its attachments to the
school or unit inspected, cycles, projects and rounds to the plan's or round's county.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import ScopedManager
from edubrain.base.storage import NamedStorage

USER = settings.AUTH_USER_MODEL


# --- 填报 (progress reporting) ----------------------------------------------------------------------


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "月度"
    QUARTERLY = "quarterly", "季度"
    HALF_YEARLY = "half", "半年"
    YEARLY = "yearly", "年度"


class ReportingCycle(models.Model):
    """填报周期: one reporting round of a plan (e.g. 2026年上半年); opening it creates one report slot
    (``ProgressReport``) per task and linked 责任单位."""

    class Status(models.TextChoices):
        OPEN = "open", "填报中"
        CLOSED = "closed", "已结束"

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="规划", on_delete=models.CASCADE, related_name="reporting_cycles"
    )
    name = models.CharField("周期名称", max_length=60)
    frequency = models.CharField(
        "填报频次", max_length=10, choices=Frequency.choices, default=Frequency.HALF_YEARLY
    )
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    due_on = models.DateField("报送期限")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    note = models.CharField("填报要求", max_length=500, blank=True, default="")
    opened_by = models.ForeignKey(
        USER, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)

    scope_path_field = "plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "填报周期"
        verbose_name_plural = "填报周期"
        ordering = ["-period_start", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_start", "period_end"], name="cycle_period")
        ]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    PENDING = "pending", "待填报"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


class ProgressReport(models.Model):
    """进展报告: one report slot — one task, one 责任单位 (``org_unit``, an OrgUnit of kind 责任单位), one
    cycle — with the narrative, percent complete or milestone reached, figures and the review."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name="填报周期", on_delete=models.CASCADE, related_name="reports"
    )
    task = models.ForeignKey(
        "plans.PlanTask", verbose_name="任务", on_delete=models.CASCADE, related_name="reports"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="责任单位", on_delete=models.CASCADE, related_name="progress_reports"
    )
    role = models.CharField("角色", max_length=4, default="co")  # plans.TaskUnit.Role: lead / co
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING, db_index=True
    )
    narrative = models.TextField("工作进展", blank=True, default="")
    percent = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True)
    milestone = models.CharField("已完成的节点", max_length=200, blank=True, default="")
    figures = models.TextField("主要数据", blank=True, default="")
    problems = models.TextField("存在问题及下步打算", blank=True, default="")
    contact = models.CharField("填报人及电话", max_length=60, blank=True, default="")
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField("审核意见", blank=True, default="")
    times_returned = models.PositiveSmallIntegerField("退回次数", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["cycle", "task__order", "org_unit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "task", "org_unit"], name="report_slot_unique")
        ]
        indexes = [models.Index(fields=["cycle", "status"]), models.Index(fields=["task", "cycle"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.task.code} · {self.org_unit}"


class ReportEvent(models.Model):
    """审核记录: submit, return (with the comment) and accept, in order — the report's history."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "报送"
        RETURN = "return", "退回"
        ACCEPT = "accept", "通过"

    report = models.ForeignKey(
        ProgressReport, verbose_name="进展报告", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=8, choices=Action.choices)
    comment = models.TextField("意见", blank=True, default="")
    by = models.ForeignKey(
        USER, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间")

    scope_path_field = "report__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "报告审核记录"
        verbose_name_plural = "报告审核记录"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()


# --- 重点项目 (key projects) --------------------------------------------------------------------------


class ProjectTrack(models.Model):
    """项目推进: the state of one key project — where (a school or a place), who leads, budget and
    spend (万元), dates and status; its milestones are ``Milestone`` rows."""

    class Status(models.TextChoices):
        PLANNED = "planned", "未开工"
        BUILDING = "building", "在建"
        DONE = "done", "已完工"
        PAUSED = "paused", "停工/暂缓"

    project = models.OneToOneField(
        "plans.KeyProject", verbose_name="重点项目", on_delete=models.CASCADE, related_name="track"
    )
    school = models.ForeignKey(
        "registry.School",
        verbose_name="项目学校",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_projects",
    )
    location = models.CharField("建设地点", max_length=120, blank=True, default="")
    lead_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PLANNED)
    budget = models.DecimalField("总投资（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField("已完成投资（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    start_on = models.DateField("计划开工", null=True, blank=True)
    end_on = models.DateField("计划完工", null=True, blank=True)
    finished_on = models.DateField("实际完工", null=True, blank=True)
    note = models.TextField("进展说明", blank=True, default="")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        USER, verbose_name="更新人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path_field = "project__plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "重点项目推进"
        verbose_name_plural = "重点项目推进"
        ordering = ["project__plan", "project__number"]

    def __str__(self) -> str:
        return str(self.project)


class Milestone(models.Model):
    """里程碑: a dated step of a key project (立项, 开工, 主体完工, 竣工验收, 投入使用 …)."""

    project = models.ForeignKey(
        "plans.KeyProject", verbose_name="重点项目", on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField("节点", max_length=100)
    planned_on = models.DateField("计划日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    note = models.CharField("说明", max_length=300, blank=True, default="")

    scope_path_field = "project__plan__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "项目里程碑"
        verbose_name_plural = "项目里程碑"
        ordering = ["project", "order", "planned_on", "id"]

    def __str__(self) -> str:
        return self.name


# --- 督导 (supervision) -------------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    REGULAR = "regular", "经常性督导"
    SAFETY = "safety", "安全隐患排查（一月一排查）"
    SPECIAL = "special", "专项督导"


class InspectionRound(models.Model):
    """督导轮次: one inspection over chosen schools or units (``targets``) with its checklist."""

    class Status(models.TextChoices):
        PLANNED = "planned", "未开始"
        ONGOING = "ongoing", "进行中"
        DONE = "done", "已结束"

    county = models.ForeignKey(
        OrgUnit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="inspection_rounds"
    )
    kind = models.CharField("督导类型", max_length=10, choices=InspectionKind.choices)
    name = models.CharField("名称", max_length=120)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ONGOING)
    targets = models.ManyToManyField(OrgUnit, verbose_name="督导对象", related_name="+", blank=True)
    lead_inspector = models.ForeignKey(
        USER, verbose_name="督导组长", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("督导要求", blank=True, default="")
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path_field = "county__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "督导轮次"
        verbose_name_plural = "督导轮次"
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """检查项: one line of a round's checklist (e.g. 消防通道畅通、灭火器在有效期内)."""

    inspection = models.ForeignKey(
        InspectionRound, verbose_name="督导轮次", on_delete=models.CASCADE, related_name="checklist"
    )
    code = models.CharField("编号", max_length=20)
    category = models.CharField("类别", max_length=40, blank=True, default="")
    text = models.CharField("检查内容", max_length=300)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    scope_path_field = "inspection__county__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["inspection", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "code"], name="checklist_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    MAJOR = "major", "较重"
    SERIOUS = "serious", "严重"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    FIXED = "fixed", "已整改待复查"
    REOPENED = "reopened", "复查未通过"
    CLOSED = "closed", "已销号"


class Finding(models.Model):
    """督导发现问题 and its 整改单: what the inspector found at a school or unit, the order (requirement,
    deadline, responsible person), the school's fix with evidence, the 复查 and closure."""

    inspection = models.ForeignKey(
        InspectionRound, verbose_name="督导轮次", on_delete=models.CASCADE, related_name="findings"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="被督导单位", on_delete=models.CASCADE, related_name="findings"
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name="检查项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices, default=Severity.MINOR)
    found_on = models.DateField("发现日期")
    inspector = models.ForeignKey(
        USER, verbose_name="督导人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requirement = models.TextField("整改要求", blank=True, default="")
    deadline = models.DateField("整改期限")
    responsible_person = models.CharField("整改责任人", max_length=40)
    status = models.CharField(
        "整改状态", max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN, db_index=True
    )
    fix_report = models.TextField("整改情况", blank=True, default="")
    fixed_on = models.DateField("整改完成日期", null=True, blank=True)
    fixed_by = models.ForeignKey(
        USER, verbose_name="整改报送人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recheck_on = models.DateField("复查日期", null=True, blank=True)
    recheck_note = models.TextField("复查意见", blank=True, default="")
    rechecked_by = models.ForeignKey(
        USER, verbose_name="复查人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField("销号日期", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("复查未通过次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "督导问题整改"
        verbose_name_plural = "督导问题整改"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["inspection", "org_unit"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.description[:30]}"


class FindingEvent(models.Model):
    """整改记录: order issued, fix reported, 复查 passed or failed, escalation — in order."""

    class Action(models.TextChoices):
        ORDER = "order", "下达整改"
        FIX = "fix", "报送整改"
        PASS = "pass", "复查通过，销号"
        FAIL = "fail", "复查未通过"
        ESCALATE = "escalate", "追责"

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    note = models.TextField("说明", blank=True, default="")
    by = models.ForeignKey(
        USER, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间")

    scope_path_field = "finding__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["finding", "at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()


class Escalation(models.Model):
    """追责: 约谈, 通报 or 问责 of a school or unit, usually over an overdue or repeated finding."""

    class Kind(models.TextChoices):
        TALK = "talk", "约谈"
        NOTICE = "notice", "通报"
        ACCOUNTABILITY = "account", "问责"

    org_unit = models.ForeignKey(OrgUnit, verbose_name="对象单位", on_delete=models.CASCADE, related_name="+")
    finding = models.ForeignKey(
        Finding,
        verbose_name="相关问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    kind = models.CharField("方式", max_length=8, choices=Kind.choices)
    on = models.DateField("日期")
    note = models.TextField("事由", blank=True, default="")
    by = models.ForeignKey(
        USER, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "约谈通报问责"
        verbose_name_plural = "约谈通报问责"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.org_unit}"


# --- 附件与通知 (attachments, notifications) ----------------------------------------------------------


def attachment_storage() -> NamedStorage:
    """The one storage setting: ``STORAGES["attachments"]`` (disk by default, object storage by config)."""
    return NamedStorage("attachments")


def attachment_path(instance: Attachment, filename: str) -> str:
    today = instance.uploaded_at or None
    stamp = today.strftime("%Y/%m") if today else "misc"
    return f"work/{stamp}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """附件: evidence, photos and documents of a report, a finding (the inspector's or the fix) or a key
    project. Scoped to ``org_unit`` (the report's unit, the finding's school, the project's plan area);
    type and size are checked on upload (``work.attachments``) and it is served only inside the scope."""

    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", "佐证材料"
        FINDING = "finding", "问题照片"
        FIX = "fix", "整改佐证"
        PHOTO = "photo", "现场照片"
        DOCUMENT = "document", "项目文件"

    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属单位", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进展报告",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name="问题",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    project = models.ForeignKey(
        "plans.KeyProject",
        verbose_name="重点项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    purpose = models.CharField("类别", max_length=10, choices=Purpose.choices, default=Purpose.EVIDENCE)
    file = models.FileField("文件", storage=attachment_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    extension = models.CharField("扩展名", max_length=10)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    scope_path_field = "org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """站内通知: one message to one user (new report slot, a return, a deadline, an overdue item …);
    ``key`` de-duplicates repeated reminders; ``emailed_at`` marks it sent in the daily digest."""

    class Kind(models.TextChoices):
        SLOT = "slot", "新填报任务"
        RETURNED = "returned", "报告退回"
        ACCEPTED = "accepted", "报告通过"
        SUBMITTED = "submitted", "报告待审核"
        DEADLINE = "deadline", "即将到期"
        OVERDUE = "overdue", "已逾期"
        ORDER = "order", "整改通知"
        FIXED = "fixed", "整改待复查"
        RECHECK = "recheck", "复查结果"
        ESCALATION = "escalate", "约谈通报问责"
        PROJECT = "project", "项目进度"

    user = models.ForeignKey(
        USER, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, default="")
    url = models.CharField("链接", max_length=300, blank=True, default="")
    key = models.CharField("去重键", max_length=120, blank=True, default="")
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件摘要时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_user_key"
            )
        ]

    def __str__(self) -> str:
        return self.title
