"""义务教育入学网上办 (online enrollment): rounds, 招生片区, 招生计划, applications, documents, draws.

A 招生批次 (``AdmissionRound``) is one year and stage (小学一年级 / 初中一年级) of one county. Its 招生片区
(``CatchmentArea``: which 社区/村/小区 belong to which public school) and 招生计划 (``Quota``: each school's
places, private schools included — 公民同招) belong to the round. Parents apply without an account (phone
number + one-time code, ``PhoneCode``); an ``Application`` is reviewed by its school (or the bureau), every
step is an ``ApplicationEvent`` and, being personal data, audited (``audited = True``). Placement writes the
admitted school and, where a tier was oversubscribed, one published ``Draw`` (电脑派位) per school and tier.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import ScopedManager
from edubrain.base.storage import NamedStorage
from edubrain.base.validation import validate_id_number
from edubrain.registry.models import School


class Stage(models.TextChoices):
    PRIMARY = "primary", "小学一年级"
    JUNIOR = "junior", "初中一年级"


class AdmissionRound(models.Model):
    """招生批次: one county's enrollment of one year (the autumn of ``year``) and stage."""

    class Status(models.TextChoices):
        DRAFT = "draft", "未开始"
        OPEN = "open", "报名中"
        CLOSED = "closed", "报名结束"
        PLACED = "placed", "已派位"
        PUBLISHED = "published", "已公布"

    county = models.ForeignKey(OrgUnit, verbose_name="县（区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("入学年份")
    stage = models.CharField("学段", max_length=10, choices=Stage.choices)
    name = models.CharField("名称", max_length=100)
    opens_on = models.DateField("报名开始")
    closes_on = models.DateField("报名截止")
    review_until = models.DateField("审核截止", null=True, blank=True)
    #: 小学: the child must be born on or before this day (满6周岁 by 31 August of ``year``)
    birth_cutoff = models.DateField("出生日期截止", null=True, blank=True)
    #: 类别 in priority order: [{"code": "hukou_property", "label": "户籍与房产一致"}, …]
    #: (core.enrollment.tiers)
    tiers = models.JSONField("招生类别（按优先顺序）", default=list, blank=True)
    #: 优抚对象 categories a parent may claim (each needs a 证明 upload and is placed in the first tier)
    policy_categories = models.JSONField("优抚对象类别", default=list, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    seed = models.CharField("派位种子", max_length=100, blank=True, default="")
    placed_at = models.DateTimeField("派位时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    notice = models.TextField("招生公告", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path_field = "county__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "招生批次"
        verbose_name_plural = "招生批次"
        ordering = ["-year", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "stage"], name="admission_round_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CatchmentArea(models.Model):
    """招生片区（施教区）: one 社区/村/小区 of a 镇/街道 and the public school whose zone it is this round."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "社区"
        VILLAGE = "village", "村"
        ESTATE = "estate", "小区"

    round = models.ForeignKey(
        AdmissionRound, verbose_name="招生批次", on_delete=models.CASCADE, related_name="areas"
    )
    town = models.ForeignKey(
        OrgUnit, verbose_name="镇/街道", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("社区/村/小区", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    school = models.ForeignKey(School, verbose_name="对口学校", on_delete=models.PROTECT, related_name="+")

    scope_path_field = "round__county__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "招生片区"
        verbose_name_plural = "招生片区"
        ordering = ["round", "town__sort_order", "town__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "town", "name"], name="admission_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.town.name}{self.name}" if self.town_id else self.name


class Quota(models.Model):
    """招生计划: a school's planned places (and classes) in a round; private schools too (公民同招)."""

    round = models.ForeignKey(
        AdmissionRound, verbose_name="招生批次", on_delete=models.CASCADE, related_name="quotas"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField("计划招生数")
    classes = models.PositiveSmallIntegerField("计划班数", default=0)

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "招生计划"
        verbose_name_plural = "招生计划"
        ordering = ["round", "school__code"]
        constraints = [models.UniqueConstraint(fields=["round", "school"], name="admission_quota_unique")]

    def __str__(self) -> str:
        return f"{self.school}：{self.places}"


class Application(models.Model):
    """入学申请: one child in one round. At most one *live* application per child and round."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        MORE = "more", "需补充材料"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "审核未通过"
        ADMITTED = "admitted", "已录取"
        NOT_ADMITTED = "not_admitted", "未录取"
        WITHDRAWN = "withdrawn", "已撤回"

    class Via(models.TextChoices):
        TIER = "tier", "按类别录取"
        LOTTERY = "lottery", "电脑派位"
        PRIVATE = "private", "民办学校录取"
        PRIVATE_LOTTERY = "private_lottery", "民办学校电脑派位"
        REASSIGNED = "reassigned", "统筹调剂"

    round = models.ForeignKey(
        AdmissionRound, verbose_name="招生批次", on_delete=models.PROTECT, related_name="applications"
    )
    receipt_no = models.CharField("报名号", max_length=20, unique=True)
    phone = models.CharField("手机号", max_length=11, db_index=True)
    child_name = models.CharField("儿童姓名", max_length=40)
    child_id_number = models.CharField("儿童身份证号", max_length=18, validators=[validate_id_number])
    child_sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    child_birth_date = models.DateField("出生日期")
    guardian_name = models.CharField("监护人姓名", max_length=40)
    guardian_relation = models.CharField("与儿童关系", max_length=10)
    guardian_id_number = models.CharField("监护人身份证号", max_length=18, validators=[validate_id_number])
    guardian2_name = models.CharField("监护人二姓名", max_length=40, blank=True, default="")
    guardian2_relation = models.CharField("监护人二关系", max_length=10, blank=True, default="")
    guardian2_id_number = models.CharField("监护人二身份证号", max_length=18, blank=True, default="")
    area = models.ForeignKey(
        CatchmentArea, verbose_name="居住片区", on_delete=models.PROTECT, related_name="applications"
    )
    address = models.CharField("详细住址", max_length=200)
    hukou_in_area = models.BooleanField("户籍在片区", default=False)
    property_in_area = models.BooleanField("房产在片区", default=False)
    residence_permit = models.BooleanField("持居住证（随迁子女）", default=False)
    policy_category = models.CharField("优抚对象类别", max_length=40, blank=True, default="")
    #: 初中: the county primary school the child graduates from (found in the registry)
    graduate_school = models.ForeignKey(
        School, verbose_name="毕业小学", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    zone_school = models.ForeignKey(
        School, verbose_name="对口学校", on_delete=models.PROTECT, related_name="+"
    )
    choice_school = models.ForeignKey(
        School, verbose_name="报名民办学校", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: the school that reviews it: the chosen private school, else the zone school
    school = models.ForeignKey(
        School, verbose_name="审核学校", on_delete=models.PROTECT, related_name="admission_applications"
    )
    tier = models.CharField("招生类别", max_length=20)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    status_note = models.CharField("说明", max_length=300, blank=True, default="")
    admitted_school = models.ForeignKey(
        School, verbose_name="录取学校", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    admitted_via = models.CharField("录取方式", max_length=16, choices=Via.choices, blank=True, default="")
    lottery_no = models.PositiveIntegerField("派位序号", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()
    audited = True

    LIVE = (
        Status.SUBMITTED,
        Status.MORE,
        Status.APPROVED,
        Status.ADMITTED,
        Status.NOT_ADMITTED,
    )

    class Meta:
        verbose_name = "入学申请"
        verbose_name_plural = "入学申请"
        ordering = ["round", "receipt_no"]
        indexes = [models.Index(fields=["round", "status"]), models.Index(fields=["round", "school"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "child_id_number"],
                condition=~Q(status__in=["rejected", "withdrawn"]),
                name="admission_one_live_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no} {self.child_name}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


def document_storage() -> NamedStorage:
    """The attachments storage (``STORAGES["attachments"]``: disk under var/ by default)."""
    return NamedStorage("attachments")


def document_path(instance: ApplicationDocument, filename: str) -> str:
    stamp = instance.uploaded_at.strftime("%Y/%m") if instance.uploaded_at else "misc"
    return f"admission/{stamp}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class ApplicationDocument(models.Model):
    """证明材料: a photo of the 户口本, 房产证/租赁合同, 居住证 … (images only, checked by content)."""

    class Kind(models.TextChoices):
        HUKOU = "hukou", "户口本"
        PROPERTY = "property", "房产证"
        LEASE = "lease", "租赁合同"
        PERMIT = "permit", "居住证"
        BIRTH = "birth", "出生医学证明"
        POLICY = "policy", "优抚证明"
        OTHER = "other", "其他材料"

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("材料", max_length=10, choices=Kind.choices)
    file = models.FileField("文件", storage=document_storage, upload_to=document_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    extension = models.CharField("扩展名", max_length=10)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    supplement = models.BooleanField("补充材料", default=False)
    uploaded_at = models.DateTimeField("上传时间")

    scope_path_field = "application__school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ApplicationEvent(models.Model):
    """审核记录: each step of an application — by the parent (``actor`` empty) or a reviewer."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交申请"
        SUPPLEMENT = "supplement", "补充材料"
        REQUEST = "request", "要求补充材料"
        APPROVE = "approve", "审核通过"
        REJECT = "reject", "审核不通过"
        WITHDRAW = "withdraw", "撤回申请"
        ADMIT = "admit", "录取"
        NOT_ADMIT = "not_admit", "未录取"

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    note = models.TextField("说明", blank=True, default="")

    scope_path_field = "application__school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_action_display()}"

    @property
    def actor_label(self) -> str:
        return "家长" if self.actor_id is None else str(self.actor)


class Draw(models.Model):
    """电脑派位: one draw (a school, and the tier that exceeded its places) with its published inputs.

    ``document`` is the published JSON (core.enrollment.lottery): anyone can re-run it with
    ``edubrain enrollment lottery FILE.json`` and get the same admitted list."""

    round = models.ForeignKey(
        AdmissionRound, verbose_name="招生批次", on_delete=models.CASCADE, related_name="draws"
    )
    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="+")
    tier = models.CharField("类别", max_length=20, blank=True, default="")
    places = models.PositiveIntegerField("派位名额")
    candidates = models.PositiveIntegerField("参加派位人数")
    seed = models.CharField("种子", max_length=200)
    document = models.JSONField("公布数据")
    digest = models.CharField("SHA-256", max_length=64)
    drawn_at = models.DateTimeField("派位时间")

    scope_path_field = "round__county__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "电脑派位"
        verbose_name_plural = "电脑派位"
        ordering = ["round", "school__code", "id"]

    def __str__(self) -> str:
        return f"{self.school} {self.tier}"


class PhoneCode(models.Model):
    """短信验证码: the SHA-256 of a one-time code sent to a parent's phone; rows also count requests for
    rate limiting."""

    phone = models.CharField("手机号", max_length=11)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField("发送时间", db_index=True)
    expires_at = models.DateTimeField("过期时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    ip = models.CharField("IP", max_length=45, blank=True, default="")

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["phone", "created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


def live_statuses() -> tuple[str, ...]:
    return tuple(str(s) for s in Application.LIVE)
