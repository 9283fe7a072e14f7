"""招生批次 (admission rounds): creating a round with its defaults, opening and closing it, and the bureau's
edits of its 招生计划 (quotas), 招生类别 (tiers) and 优抚对象 categories.

A new round copies the 招生片区 and 招生计划 of the county's latest earlier round of the same stage; without
one, every open school that teaches the entry grade gets a quota of (last year's entry-grade classes, at
least 1) × the standard class size (45 小学, 50 初中).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from edubrain.accounts.models import is_bureau
from edubrain.admission.models import AdmissionRound, CatchmentArea, Quota, Stage
from edubrain.base.orgtree import OrgUnit
from edubrain.base.scoping import may_access
from edubrain.core.enrollment.eligibility import birth_cutoff, entry_grade
from edubrain.core.enrollment.tiers import DEFAULT_POLICY_CATEGORIES, DEFAULT_TIERS, Tier, tiers_from_json
from edubrain.core.errors import CoreError
from edubrain.core.places.class_size import ClassSizeOptions
from edubrain.core.stages import grade_allowed
from edubrain.registry.models import School, SchoolClass
from edubrain.registry.models_org import school_system

Status = AdmissionRound.Status

#: status → the statuses the bureau may move a round to here (已派位/已公布 belong to placement)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.OPEN,),
    Status.OPEN: (Status.CLOSED,),
    Status.CLOSED: (Status.OPEN,),
}
#: the round's settings the bureau may still edit, by what is edited
QUOTA_EDITABLE = (Status.DRAFT, Status.OPEN, Status.CLOSED)
TIERS_EDITABLE = (Status.DRAFT, Status.OPEN)
MAX_PLACES = 9999
MAX_CATEGORY_LENGTH = 40


def may_manage(user: Any, round_: AdmissionRound) -> bool:
    """The bureau over the round's county manages it (settings, 片区, placement); leaders and schools read."""
    return is_bureau(user) and may_access(user, round_)


def require_round_admin(user: Any, round_: AdmissionRound, what: str = "设置招生批次") -> None:
    """``PermissionDenied`` ("只有教育局工作人员可以{what}") unless ``may_manage``."""
    if not may_manage(user, round_):
        raise PermissionDenied(f"只有教育局工作人员可以{what}")


def tiers_json(tiers: tuple[Tier, ...] | list[Tier]) -> list[dict[str, str]]:
    return [{"code": t.code, "label": t.label} for t in tiers]


def stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def _check_new_round(county: OrgUnit, year: Any, stage: str, opens_on: Any, closes_on: Any) -> None:
    errors: dict[str, str] = {}
    if stage not in Stage.values:
        errors["stage"] = "请选择学段（小学一年级或初中一年级）"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "入学年份应为 2000 到 2100 之间的四位年份"
    if not isinstance(opens_on, dt.date):
        errors["opens_on"] = "请填写报名开始日期（年-月-日）"
    if not isinstance(closes_on, dt.date):
        errors["closes_on"] = "请填写报名截止日期（年-月-日）"
    elif isinstance(opens_on, dt.date) and closes_on < opens_on:
        errors["closes_on"] = (
            f"报名截止日期（{closes_on:%Y-%m-%d}）不能早于报名开始日期（{opens_on:%Y-%m-%d}）"
        )
    if not errors and AdmissionRound.objects.filter(county=county, year=year, stage=stage).exists():
        errors["year"] = f"{county.name}{year}年{stage_label(stage)}招生批次已经存在"
    if errors:
        raise ValidationError(errors)


def _schools_open_in(county: OrgUnit, year: int) -> QuerySet[School]:
    return School.objects.filter(org_unit__path__startswith=county.path).filter(
        Q(closed_year__isnull=True) | Q(closed_year__gt=year)
    )


def default_quotas(county: OrgUnit, stage: str, year: int) -> list[tuple[School, int, int]]:
    """(school, places, classes) for every open public/private school of the county teaching the entry grade;
    classes = its entry-grade classes in the latest school year on record (at least 1)."""
    system = school_system()
    grade = entry_grade(stage, system)
    schools = [
        s
        for s in _schools_open_in(county, year).order_by("code")
        if s.ownership in ("public", "private") and grade_allowed(s.school_type, grade, system)
    ]
    classes = SchoolClass.objects.filter(school__in=schools, grade_code=grade)
    latest = classes.aggregate(y=Max("school_year__start_year"))["y"]
    counts = dict(
        classes.filter(school_year__start_year=latest)
        .values_list("school_id")
        .annotate(n=Count("id"))
        .values_list("school_id", "n")
    )
    size = ClassSizeOptions().standards[stage]
    result = []
    for school in schools:
        n = max(int(counts.get(school.pk, 0)), 1)
        result.append((school, n * size, n))
    return result


def _source_round(county: OrgUnit, year: int, stage: str) -> AdmissionRound | None:
    return (
        AdmissionRound.objects.filter(county=county, stage=stage, year__lt=year)
        .order_by("-year", "-pk")
        .first()
    )


def create_round(
    county: OrgUnit,
    *,
    year: int,
    stage: str,
    opens_on: dt.date,
    closes_on: dt.date,
    user: Any,
    name: str = "",
    copy_from: AdmissionRound | None = None,
) -> AdmissionRound:
    """A new round (未开始) of the county: its name, 出生日期截止 (小学), default tiers and categories,
    and the areas and quotas copied from ``copy_from`` (or the latest earlier round of the same stage) or
    defaulted."""
    if not is_bureau(user) or not may_access(user, county):
        raise PermissionDenied("只有教育局工作人员可以新建招生批次")
    _check_new_round(county, year, stage, opens_on, closes_on)
    name = (name or "").strip() or f"{year}年{county.name}{stage_label(stage)}招生"
    if len(name) > 100:
        raise ValidationError({"name": "名称不能超过 100 个字"})
    source = copy_from if copy_from is not None else _source_round(county, year, stage)
    if source is not None and (source.county_id != county.pk or source.stage != stage):
        raise ValidationError({"copy_from": "只能复制本县（区）同一学段的招生批次"})
    with transaction.atomic():
        round_ = AdmissionRound.objects.create(
            county=county,
            year=year,
            stage=stage,
            name=name,
            opens_on=opens_on,
            closes_on=closes_on,
            birth_cutoff=birth_cutoff(year) if stage == Stage.PRIMARY else None,
            tiers=tiers_json(DEFAULT_TIERS),
            policy_categories=list(DEFAULT_POLICY_CATEGORIES),
            created_by=user if getattr(user, "pk", None) else None,
        )
        if source is not None:
            _copy_settings(source, round_)
        else:
            Quota.objects.bulk_create(
                Quota(round=round_, school=s, places=places, classes=n)
                for s, places, n in default_quotas(county, stage, year)
            )
    return round_


def _copy_settings(source: AdmissionRound, target: AdmissionRound) -> None:
    """The source round's areas and quotas, leaving out schools closed by the target's year."""
    open_ids = set(_schools_open_in(target.county, target.year).values_list("pk", flat=True))
    CatchmentArea.objects.bulk_create(
        CatchmentArea(round=target, town_id=a.town_id, name=a.name, kind=a.kind, school_id=a.school_id)
        for a in source.areas.all()
        if a.school_id in open_ids
    )
    Quota.objects.bulk_create(
        Quota(round=target, school_id=q.school_id, places=q.places, classes=q.classes)
        for q in source.quotas.all()
        if q.school_id in open_ids
    )


def set_status(round_: AdmissionRound, status: str, user: Any) -> AdmissionRound:
    """开始报名 / 结束报名 / 重新开放报名 (draft→open, open→closed, closed→open)."""
    require_round_admin(user, round_)
    current = Status(round_.status)
    if status not in Status.values:
        raise ValidationError({"status": f"未知的状态“{status}”"})
    target = Status(status)
    if target not in TRANSITIONS.get(current, ()):
        if current in (Status.PLACED, Status.PUBLISHED):
            raise ValidationError({"status": f"招生批次{current.label}，不能再改为“{target.label}”"})
        raise ValidationError({"status": f"招生批次当前为“{current.label}”，不能改为“{target.label}”"})
    if target == Status.OPEN:
        if not round_.areas.exists():
            raise ValidationError({"status": "还没有招生片区，请先导入或添加招生片区再开始报名"})
        if not round_.quotas.filter(places__gt=0).exists():
            raise ValidationError({"status": "还没有学校的计划招生数，请先设置招生计划再开始报名"})
    round_.status = target
    round_.save(update_fields=["status"])
    return round_


def open_rounds(today: dt.date) -> QuerySet[AdmissionRound]:
    """Rounds taking applications on ``today`` (报名中 and inside the dates), for the parents' pages."""
    return (
        AdmissionRound.objects.filter(status=Status.OPEN, opens_on__lte=today, closes_on__gte=today)
        .select_related("county")
        .order_by("-year", "stage", "pk")
    )


def update_quotas(round_: AdmissionRound, user: Any, places: Mapping[int, str]) -> int:
    """Set the 计划招生数 of the round's schools from ``{school_id: text}``; all or nothing. Returns the
    number of quotas changed."""
    require_round_admin(user, round_)
    if round_.status not in QUOTA_EDITABLE:
        raise ValidationError({"places": f"招生批次{Status(round_.status).label}，不能再修改招生计划"})
    quotas = {q.school_id: q for q in round_.quotas.select_related("school")}
    errors: dict[str, str] = {}
    changed: list[Quota] = []
    for school_id, raw in places.items():
        quota = quotas.get(school_id)
        if quota is None:
            errors[f"places-{school_id}"] = "该学校不在本批次的招生计划中"
            continue
        text = str(raw).strip()
        if not text.isdigit() or int(text) > MAX_PLACES:
            errors[f"places-{school_id}"] = (
                f"{quota.school.name}：计划招生数应为 0 到 {MAX_PLACES} 之间的整数（填写的是“{text}”）"
            )
            continue
        if int(text) != quota.places:
            quota.places = int(text)
            changed.append(quota)
    if errors:
        raise ValidationError(errors)
    Quota.objects.bulk_update(changed, ["places"])
    return len(changed)


def parse_tiers(text: str) -> list[dict[str, str]]:
    """The ordered textarea ("code 名称" per line) → tiers JSON, validated by the core."""
    data: list[dict[str, str]] = []
    for no, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _, label = line.partition(" ")
        if not label.strip():
            raise ValidationError({"tiers": f"招生类别第{no}行“{line}”应为“代码 名称”，如“hukou 户籍”"})
        data.append({"code": code.strip(), "label": label.strip()})
    if not data:
        raise ValidationError({"tiers": "请至少填写一个招生类别（每行“代码 名称”，按优先顺序）"})
    try:
        tiers = tiers_from_json(data)
    except CoreError as exc:
        raise ValidationError({"tiers": f"招生类别有误：{exc.message}"}) from exc
    return tiers_json(tiers)


def parse_categories(text: str) -> list[str]:
    """优抚对象类别, one per line (blank lines ignored, duplicates refused)."""
    found: list[str] = []
    for no, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > MAX_CATEGORY_LENGTH:
            raise ValidationError(
                {"policy_categories": f"优抚对象类别第{no}行超过 {MAX_CATEGORY_LENGTH} 个字：“{line}”"}
            )
        if line in found:
            raise ValidationError({"policy_categories": f"优抚对象类别“{line}”重复"})
        found.append(line)
    return found


def update_tiers(round_: AdmissionRound, user: Any, *, tiers_text: str, categories_text: str) -> None:
    """Replace the round's tiers (in priority order) and 优抚对象 categories; only while 未开始/报名中."""
    require_round_admin(user, round_)
    if round_.status not in TIERS_EDITABLE:
        raise ValidationError({"tiers": f"招生批次{Status(round_.status).label}，不能再修改招生类别"})
    errors: dict[str, list[str]] = {}
    tiers: list[dict[str, str]] = []
    categories: list[str] = []
    try:
        tiers = parse_tiers(tiers_text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        categories = parse_categories(categories_text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    round_.tiers, round_.policy_categories = tiers, categories
    round_.save(update_fields=["tiers", "policy_categories"])


def round_tiers(round_: AdmissionRound) -> tuple[Tier, ...]:
    """The round's tiers in priority order (the defaults when the stored list is empty or broken)."""
    try:
        return tiers_from_json(round_.tiers or None)
    except CoreError:
        return DEFAULT_TIERS
