"""Adopting a plan (采用规划): the plan JSON (``edubrain.core.plan`` contract) becomes rows.

    create_draft(parsed, county=…, user=…, source_name=…)   store the JSON as a draft (待审核)
    adopt(plan, parsed=None, user=None)                    validate, then (re)build sections, tasks with
                                                            their 责任单位, targets and key projects (one
                                                            transaction)
    plan_json(plan)                                        the plan back as the JSON contract
    check(parsed)                                          the validation alone (raises ``PlanInvalid``)

Re-adopting after corrections updates the plan's rows in place — sections and tasks by code, projects by
number, targets by (wording, task) — and deletes what the corrected JSON no longer has, so nothing is
duplicated and rows that did not change keep their ids.

Matching: a task's 责任单位 names are linked to the registry's ``ResponsibleUnit`` under the plan's area when
exactly one unit has the same name, or the same name after a few conservative normalisations (``unit_key``:
"中共" prefix, the area's own name, 人民政府 → 政府, a leading 县). A target is linked to the indicator
``match_indicator(name, unit, category)`` finds unless the reviewer chose one (``indicator_code``: a code, or
"" for none). With a parent plan (``plan.parent``) each target points at the parent's target on the same
indicator.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from edubrain.base.audit import audit_actor
from edubrain.base.orgtree import OrgUnit
from edubrain.core.indicators.catalogue import CATALOGUE, match_indicator
from edubrain.plans.compute import sync_catalogue
from edubrain.plans.models import (
    Indicator,
    KeyProject,
    Plan,
    PlanSection,
    PlanTarget,
    PlanTask,
    TaskUnit,
)
from edubrain.registry.models import ResponsibleUnit

COMPARATORS = {c.value for c in PlanTarget.Comparator}
NATURES = {n.value for n in PlanTarget.Nature}
UNIT_SPLIT = re.compile(r"[、，,；;／/\s]+")
YEAR_RANGE = (1949, 2100)
ERRORS_LISTED = 50


class PlanInvalid(Exception):
    """The plan JSON cannot be stored or adopted; ``errors`` lists every problem in Chinese."""

    def __init__(self, errors: list[str], heading: str = "规划未能采用，请先修改以下问题") -> None:
        self.errors = errors
        shown = errors[:ERRORS_LISTED]
        more = f"\n……另有 {len(errors) - len(shown)} 处问题" if len(errors) > len(shown) else ""
        self.message = f"{heading}（共 {len(errors)} 处）：\n" + "\n".join(
            f"{i}. {e}" for i, e in enumerate(shown, 1)
        )
        self.message += more
        super().__init__(self.message)


# ---------------------------------------------------------------- validation


@dataclass
class CleanPlan:
    """The plan JSON checked and normalised: what ``adopt`` writes."""

    title: str
    issuer: str
    doc_number: str
    start_year: int
    end_year: int
    sections: list[dict[str, Any]] = field(default_factory=list)  # flat, tree order: code, title, parent
    tasks: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    unparsed: list[Any] = field(default_factory=list)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> float | None:
    """A finite number (int, float or numeric text), else None. Booleans are not numbers."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _year(value: Any) -> int | None:
    number = _number(value)
    if number is None or number != int(number) or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        return None
    return int(number)


def split_units(value: Any) -> list[str]:
    """责任单位 names, lead first, without blanks or repeats: a list, or one text with 、 or commas."""
    items = value if isinstance(value, list | tuple) else [value]
    names: list[str] = []
    for item in items:
        for name in UNIT_SPLIT.split(_text(item)):
            if name and name not in names:
                names.append(name)
    return names


def _items(parsed: dict[str, Any], key: str, errors: list[str], label: str) -> list[dict[str, Any]]:
    value = parsed.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors.append(f"“{key}”应为{label}的列表")
        return []
    return value


def _flatten_sections(
    nodes: list[Any], parent: str | None, out: list[dict[str, Any]], errors: list[str]
) -> None:
    for node in nodes:
        if not isinstance(node, dict):
            errors.append("“sections”中的每个章节应为对象（code、title、children）")
            continue
        code, title = _text(node.get("code")), _text(node.get("title"))
        where = f"章节“{code or title or '（空）'}”"
        if not code:
            errors.append(f"{where}：缺少编号")
        elif len(code) > 40:
            errors.append(f"{where}：编号不能超过 40 个字")
        if not title:
            errors.append(f"{where}：缺少标题")
        elif len(title) > 200:
            errors.append(f"{where}：标题不能超过 200 个字")
        out.append({"code": code, "title": title[:200], "parent": parent})
        children = node.get("children") or []
        if not isinstance(children, list):
            errors.append(f"{where}：children 应为列表")
            children = []
        _flatten_sections(children, code or parent, out, errors)


def _code_parent(code: str, known: set[str]) -> str | None:
    """The longest dotted prefix of ``code`` that is a known section: "二.(一).3" → "二.(一)" → "二"."""
    parts = code.split(".")
    for n in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in known:
            return prefix
    return None


def _check_header(parsed: dict[str, Any], errors: list[str]) -> tuple[str, str, str, int, int]:
    title, issuer, doc_number = (_text(parsed.get(k)) for k in ("title", "issuer", "doc_number"))
    if not title:
        errors.append("缺少规划名称（title）")
    limits = ((title, "规划名称", 200), (issuer, "印发机关", 100), (doc_number, "文号", 60))
    for value, label, limit in limits:
        if len(value) > limit:
            errors.append(f"{label}不能超过 {limit} 个字")
    period = parsed.get("period")
    start = end = None
    if isinstance(period, list | tuple) and len(period) == 2:
        start, end = _year(period[0]), _year(period[1])
    if start is None or end is None:
        errors.append("缺少规划期（period：起止年份，如 [2021, 2025]）")
    elif start > end:
        errors.append(f"规划期起始年份 {start} 晚于目标年份 {end}")
    return title, issuer, doc_number, start or 0, end or 0


def _check_tasks(parsed: dict[str, Any], errors: list[str]) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, raw in enumerate(_items(parsed, "tasks", errors, "任务"), 1):
        code, title = _text(raw.get("code")), _text(raw.get("title"))
        where = f"任务第 {i} 条（{code or '无编号'}{'：' + title[:20] if title else ''}）"
        if not code:
            errors.append(f"{where}：缺少编号（code）")
        elif code in seen:
            errors.append(f"{where}：编号 {code} 重复")
        elif len(code) > 40:
            errors.append(f"{where}：编号不能超过 40 个字")
        seen.add(code)
        if not title:
            errors.append(f"{where}：缺少任务名称（title）")
        elif len(title) > 200:
            errors.append(f"{where}：任务名称不能超过 200 个字")
        units = split_units(raw.get("units") or [])
        for name in units:
            if len(name) > 60:
                errors.append(f"{where}：责任单位“{name[:20]}…”不能超过 60 个字")
        tasks.append({"code": code, "title": title, "text": _text(raw.get("text")), "units": units})
    return tasks


def _check_target(i: int, raw: dict[str, Any], task_codes: set[str], errors: list[str]) -> dict[str, Any]:
    name = _text(raw.get("indicator"))
    where = f"目标第 {i} 条（{name or '无指标名称'}）"
    if not name:
        errors.append(f"{where}：缺少指标名称（indicator）")
    elif len(name) > 200:
        errors.append(f"{where}：指标名称不能超过 200 个字")
    target = _number(raw.get("target"))
    if target is None:
        shown = _text(raw.get("target"))
        errors.append(f"{where}：缺少目标值（target）" if not shown else f"{where}：目标值“{shown}”不是数字")
    baseline = _number(raw.get("baseline"))
    if baseline is None and _text(raw.get("baseline")):
        errors.append(f"{where}：基期值“{_text(raw.get('baseline'))}”不是数字")
    years = {}
    for key, label in (("baseline_year", "基期年份"), ("target_year", "目标年份")):
        years[key] = _year(raw.get(key))
        if years[key] is None and _text(raw.get(key)):
            errors.append(f"{where}：{label}“{_text(raw.get(key))}”不是有效年份")
    comparator = _text(raw.get("comparator")) or PlanTarget.Comparator.AT_LEAST
    if comparator not in COMPARATORS:
        errors.append(f"{where}：比较方式“{comparator}”无效，应为 {'、'.join(sorted(COMPARATORS))} 之一")
    nature = _text(raw.get("nature"))
    if nature and nature not in NATURES:
        errors.append(f"{where}：属性“{nature}”无效，应为“预期性”或“约束性”")
    category, unit = _text(raw.get("category")), _text(raw.get("unit"))
    if len(category) > 40:
        errors.append(f"{where}：类别不能超过 40 个字")
    if len(unit) > 20:
        errors.append(f"{where}：单位不能超过 20 个字")
    task_code = _text(raw.get("task_code"))
    if task_code and task_code not in task_codes:
        errors.append(f"{where}：所属任务编号 {task_code} 不在任务列表中")
    clean = {
        "indicator": name,
        "category": category,
        "unit": unit,
        "baseline_year": years["baseline_year"],
        "baseline": baseline,
        "target_year": years["target_year"],
        "target": target,
        "comparator": comparator,
        "nature": nature,
        "task_code": task_code,
        "source": _text(raw.get("source")),
    }
    if "indicator_code" in raw:  # the reviewer's choice; "" or None: no indicator
        code = _text(raw.get("indicator_code"))
        if code and code not in CATALOGUE:
            errors.append(f"{where}：指标代码 {code} 不在指标目录中")
        clean["indicator_code"] = code
    return clean


def _check_projects(parsed: dict[str, Any], errors: list[str]) -> list[dict[str, Any]]:
    projects: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, raw in enumerate(_items(parsed, "projects", errors, "重点项目"), 1):
        name = _text(raw.get("name"))
        where = f"重点项目第 {i} 条（{name or '无名称'}）"
        number = _number(raw.get("number"))
        if number is None or number != int(number) or not 0 < number < 32768:
            errors.append(f"{where}：序号应为正整数")
            number = 0
        elif int(number) in seen:
            errors.append(f"{where}：序号 {int(number)} 重复")
        seen.add(int(number))
        if not name:
            errors.append(f"{where}：缺少项目名称")
        elif len(name) > 200:
            errors.append(f"{where}：项目名称不能超过 200 个字")
        projects.append({"number": int(number), "name": name, "content": _text(raw.get("content"))})
    return projects


def check(parsed: Any) -> CleanPlan:
    """The plan JSON checked for adoption, or ``PlanInvalid`` listing every problem."""
    if not isinstance(parsed, dict):
        raise PlanInvalid(["规划数据应为 JSON 对象（含 title、period、sections、tasks、targets、projects）"])
    errors: list[str] = []
    title, issuer, doc_number, start, end = _check_header(parsed, errors)
    sections: list[dict[str, Any]] = []
    raw_sections = parsed.get("sections") or []
    if isinstance(raw_sections, list):
        _flatten_sections(raw_sections, None, sections, errors)
    else:
        errors.append("“sections”应为章节的列表")
    codes = [s["code"] for s in sections if s["code"]]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(f"章节编号 {code} 重复")
    known = set(codes)
    for s in sections:  # a flat list: the tree comes from the codes
        if s["parent"] is None and s["code"]:
            s["parent"] = _code_parent(s["code"], known)
    tasks = _check_tasks(parsed, errors)
    task_codes = {t["code"] for t in tasks if t["code"]}
    targets = [
        _check_target(i, raw, task_codes, errors)
        for i, raw in enumerate(_items(parsed, "targets", errors, "目标"), 1)
    ]
    projects = _check_projects(parsed, errors)
    unparsed = parsed.get("unparsed") or []
    if not isinstance(unparsed, list):
        errors.append("“unparsed”应为列表")
        unparsed = []
    if errors:
        raise PlanInvalid(errors)
    return CleanPlan(title, issuer, doc_number, start, end, sections, tasks, targets, projects, unparsed)


# ---------------------------------------------------------------- draft


def _header_fields(parsed: dict[str, Any], source_name: str) -> dict[str, Any]:
    """The plan row's header from the JSON, leniently: a draft is stored even when the parser missed the
    title or the period (0 until the reviewer fills it in)."""
    period = parsed.get("period")
    start = end = None
    if isinstance(period, list | tuple) and len(period) == 2:
        start, end = _year(period[0]), _year(period[1])
    return {
        "title": (_text(parsed.get("title")) or source_name or "未命名规划")[:200],
        "issuer": _text(parsed.get("issuer"))[:100],
        "doc_number": _text(parsed.get("doc_number"))[:60],
        "start_year": start,
        "end_year": end,
    }


def _check_shape(parsed: Any) -> None:
    if not isinstance(parsed, dict):
        raise PlanInvalid(["规划数据应为 JSON 对象"], heading="规划数据格式不对")
    errors: list[str] = []
    for key in ("sections", "tasks", "targets", "projects", "unparsed"):
        value = parsed.get(key)
        if value is not None and not isinstance(value, list):
            errors.append(f"“{key}”应为列表")
        elif (
            key in ("tasks", "targets", "projects") and value and not all(isinstance(v, dict) for v in value)
        ):
            errors.append(f"“{key}”中的每一项应为对象")
    if errors:
        raise PlanInvalid(errors, heading="规划数据格式不对")


def create_draft(parsed: dict[str, Any], *, county: OrgUnit, user: Any = None, source_name: str = "") -> Plan:
    """Store the plan JSON as a draft (待审核) of ``county`` (the plan's area: a county, city or province)."""
    _check_shape(parsed)
    return Plan.objects.create(
        org_unit=county,
        status=Plan.Status.DRAFT,
        source_name=source_name[:200],
        parsed=parsed,
        unparsed=list(parsed.get("unparsed") or []),
        created_by=user if getattr(user, "pk", None) else None,
        **_header_fields(parsed, source_name),
    )


def save_draft(plan: Plan, parsed: dict[str, Any]) -> Plan:
    """Keep the reviewer's corrections in ``plan.parsed`` (the header follows the JSON)."""
    _check_shape(parsed)
    plan.parsed = parsed
    plan.unparsed = list(parsed.get("unparsed") or [])
    for name, value in _header_fields(parsed, plan.source_name).items():
        setattr(plan, name, value)
    plan.save()
    return plan


# ---------------------------------------------------------------- matching


def unit_key(name: str, area: str = "") -> str:
    """A 责任单位 name reduced for comparison within one area (a county plan's 沂源县): no blanks, no "中共",
    the area's own name shortened to its level ("沂源县" → "县", "沂源" → ""), 人民政府 → 政府, then a leading
    县 of that level dropped: "中共沂源县委教育工委" and "县委教育工委" both give "委教育工委",
    "沂源县教育和体育局" and "县教育和体育局" both "教育和体育局". Names of other areas (淄博市…) are kept
    as written, so a city's bureau never meets the county's."""
    key = re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")").removeprefix("中共")
    level = area[-1] if len(area) > 2 and area[-1] in "省市县区旗" else ""
    if level:
        key = key.replace(area, level).replace(area[:-1], "")
    key = key.replace("人民政府", "政府")
    if level and len(key) > 3 and key.startswith(level):
        key = key[1:]
    return key


class UnitMatcher:
    """Names → the registry's 责任单位 under one area: the same name, else a unique normalised match."""

    def __init__(self, area: OrgUnit) -> None:
        units = list(ResponsibleUnit.objects.filter(org_unit__path__startswith=area.path).order_by("pk"))
        self.area = area.name
        self.by_name = {u.name: u for u in units}
        keyed: dict[str, list[ResponsibleUnit]] = defaultdict(list)
        for u in units:
            keyed[unit_key(u.name, self.area)].append(u)
        self.by_key = {k: v[0] for k, v in keyed.items() if len(v) == 1}

    def match(self, name: str) -> ResponsibleUnit | None:
        return self.by_name.get(name) or self.by_key.get(unit_key(name, self.area))


def target_indicator_code(target: dict[str, Any]) -> str | None:
    """The indicator a target is linked to: the reviewer's choice when made, else the catalogue match."""
    if "indicator_code" in target:
        return _text(target.get("indicator_code")) or None
    name, unit, category = (_text(target.get(k)) for k in ("indicator", "unit", "category"))
    return match_indicator(name, unit or None, category or None)


def ensure_catalogue(codes: set[str] | None = None) -> dict[str, Indicator]:
    """The catalogue's Indicator rows by code (synced by ``plans.compute.sync_catalogue`` when missing)."""
    wanted = set(CATALOGUE) if codes is None else set(codes)
    have = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
    if wanted - set(have):
        sync_catalogue()
        have = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
    return have


# ---------------------------------------------------------------- adoption


def adopt(plan: Plan, parsed: dict[str, Any] | None = None, user: Any = None) -> Plan:
    """Validate the plan JSON (``parsed``, else the draft's) and write it as the plan's rows; status 已采用.

    One transaction: a ``PlanInvalid`` (every problem listed in Chinese) leaves the database untouched. The
    plan is read as stored (save a new ``parent`` first) and updated in place."""
    data = plan.parsed if parsed is None else parsed
    clean = check(data)
    actor = audit_actor(user) if getattr(user, "pk", None) else nullcontext()
    with transaction.atomic(), actor:
        Plan.objects.select_for_update().filter(pk=plan.pk).exists()  # lock the row
        plan.refresh_from_db()  # the stored plan (parent, area), in the caller's object
        codes = {c for c in (target_indicator_code(t) for t in clean.targets) if c}
        indicators = ensure_catalogue(codes) if codes else {}
        plan.title, plan.issuer, plan.doc_number = clean.title, clean.issuer, clean.doc_number
        plan.start_year, plan.end_year = clean.start_year, clean.end_year
        plan.parsed, plan.unparsed = data, clean.unparsed
        plan.status, plan.adopted_at = Plan.Status.ADOPTED, timezone.now()
        plan.save()
        sections = _sync_sections(plan, clean.sections)
        tasks = _sync_tasks(plan, clean.tasks, sections)
        _sync_units(tasks, clean.tasks, UnitMatcher(plan.org_unit))
        _sync_targets(plan, clean.targets, tasks, indicators)
        _sync_projects(plan, clean.projects)
        link_parent_targets(plan)
        for child in Plan.objects.filter(parent=plan):
            link_parent_targets(child)
    return plan


def _save_if_changed(obj: Any, values: dict[str, Any]) -> None:
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.save()


def _sync_sections(plan: Plan, sections: list[dict[str, Any]]) -> dict[str, PlanSection]:
    existing = {s.code: s for s in plan.sections.all()}
    kept: dict[str, PlanSection] = {}
    for order, s in enumerate(sections):
        obj = existing.get(s["code"]) or PlanSection(plan=plan, code=s["code"])
        parent = kept.get(s["parent"]) if s["parent"] else None
        values = {"title": s["title"], "parent_id": parent.pk if parent else None, "order": order}
        _save_if_changed(obj, values)
        kept[s["code"]] = obj
    PlanSection.objects.filter(plan=plan).exclude(pk__in=[s.pk for s in kept.values()]).delete()
    return kept


def _sync_tasks(
    plan: Plan, tasks: list[dict[str, Any]], sections: dict[str, PlanSection]
) -> dict[str, PlanTask]:
    existing = {t.code: t for t in plan.tasks.all()}
    known = set(sections)
    kept: dict[str, PlanTask] = {}
    for order, t in enumerate(tasks):
        obj = existing.get(t["code"]) or PlanTask(plan=plan, code=t["code"])
        section_code = _code_parent(t["code"], known) or (t["code"] if t["code"] in known else None)
        section = sections.get(section_code) if section_code else None
        values = {
            "title": t["title"],
            "text": t["text"],
            "order": order,
            "section_id": section.pk if section else None,
        }
        _save_if_changed(obj, values)
        kept[t["code"]] = obj
    PlanTask.objects.filter(plan=plan).exclude(pk__in=[t.pk for t in kept.values()]).delete()
    return kept


def _sync_units(tasks: dict[str, PlanTask], clean: list[dict[str, Any]], matcher: UnitMatcher) -> None:
    current: dict[int, list[tuple[str, int | None, str]]] = defaultdict(list)
    for u in TaskUnit.objects.filter(task__in=list(tasks.values())).order_by("task_id", "order"):
        current[u.task_id].append((u.name, u.unit_id, u.role))
    stale: list[int] = []
    new: list[TaskUnit] = []
    for t in clean:
        task = tasks[t["code"]]
        wanted = []
        for i, name in enumerate(t["units"]):
            unit = matcher.match(name)
            role = TaskUnit.Role.LEAD if i == 0 else TaskUnit.Role.CO
            wanted.append((name, unit.pk if unit else None, role))
        if wanted == current.get(task.pk, []):
            continue
        stale.append(task.pk)
        new += [
            TaskUnit(task=task, name=name, unit_id=unit_id, role=role, order=i)
            for i, (name, unit_id, role) in enumerate(wanted)
        ]
    if stale:
        TaskUnit.objects.filter(task_id__in=stale).delete()
    TaskUnit.objects.bulk_create(new)


def _sync_targets(
    plan: Plan,
    targets: list[dict[str, Any]],
    tasks: dict[str, PlanTask],
    indicators: dict[str, Indicator],
) -> None:
    existing: dict[tuple[str, int | None], list[PlanTarget]] = defaultdict(list)
    for t in plan.targets.order_by("order", "pk"):
        existing[(t.indicator_name, t.task_id)].append(t)
    kept: list[int] = []
    for order, t in enumerate(targets):
        task = tasks.get(t["task_code"]) if t["task_code"] else None
        key = (t["indicator"], task.pk if task else None)
        obj = existing[key].pop(0) if existing[key] else PlanTarget(plan=plan)
        code = target_indicator_code(t)
        indicator = indicators.get(code) if code else None
        values = {
            "task_id": task.pk if task else None,
            "indicator_id": indicator.pk if indicator else None,
            "indicator_name": t["indicator"],
            "category": t["category"],
            "unit": t["unit"],
            "baseline_year": t["baseline_year"],
            "baseline": t["baseline"],
            "target_year": t["target_year"],
            "target": t["target"],
            "comparator": t["comparator"],
            "nature": t["nature"],
            "source": t["source"],
            "order": order,
        }
        _save_if_changed(obj, values)
        kept.append(obj.pk)
    PlanTarget.objects.filter(plan=plan).exclude(pk__in=kept).delete()


def _sync_projects(plan: Plan, projects: list[dict[str, Any]]) -> None:
    existing = {p.number: p for p in plan.projects.all()}
    kept: list[int] = []
    for p in projects:
        obj = existing.get(p["number"]) or KeyProject(plan=plan, number=p["number"])
        _save_if_changed(obj, {"name": p["name"], "content": p["content"]})
        kept.append(obj.pk)
    KeyProject.objects.filter(plan=plan).exclude(pk__in=kept).delete()


def link_parent_targets(plan: Plan) -> int:
    """Point each target at the parent plan's target on the same indicator (the same target year
    preferred); without a parent plan, clear the links. Returns how many targets are linked."""
    parents: dict[int, list[PlanTarget]] = defaultdict(list)
    if plan.parent_id:
        for t in PlanTarget.objects.filter(plan_id=plan.parent_id, indicator__isnull=False).order_by("order"):
            parents[t.indicator_id].append(t)
    linked = 0
    for target in PlanTarget.objects.filter(plan=plan).order_by("order"):
        candidates = parents.get(target.indicator_id, []) if target.indicator_id else []
        same_year = [c for c in candidates if c.target_year == target.target_year]
        chosen = (same_year or candidates or [None])[0]
        if target.parent_target_id != (chosen.pk if chosen else None):
            target.parent_target = chosen
            target.save(update_fields=["parent_target"])
        linked += chosen is not None
    return linked


def _count_sections(nodes: Any) -> int:
    if not isinstance(nodes, list):
        return 0
    return sum(1 + _count_sections(n.get("children")) for n in nodes if isinstance(n, dict))


def parsed_counts(parsed: dict[str, Any]) -> dict[str, int]:
    """What a plan JSON holds: sections, tasks, 责任单位 mentions, targets (and how many match an indicator),
    projects, unparsed passages."""

    def rows(key: str) -> list[dict[str, Any]]:
        value = parsed.get(key)
        return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []

    tasks, targets = rows("tasks"), rows("targets")
    return {
        "sections": _count_sections(parsed.get("sections")),
        "tasks": len(tasks),
        "units": sum(len(split_units(t.get("units") or [])) for t in tasks),
        "targets": len(targets),
        "targets_matched": sum(1 for t in targets if target_indicator_code(t)),
        "projects": len(rows("projects")),
        "unparsed": len(parsed.get("unparsed") or []) if isinstance(parsed.get("unparsed"), list) else 0,
    }


# ---------------------------------------------------------------- export


def _num(value: float | None) -> float | int | None:
    """A stored number as the document writes it: 55.0 → 55, 1.37 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON contract. An adopted plan is read from its rows (with ``category`` and the
    linked ``indicator_code`` on targets); a draft returns its stored, possibly corrected, JSON."""
    if plan.status != Plan.Status.ADOPTED:
        return dict(plan.parsed)
    sections = list(plan.sections.order_by("order"))
    children: dict[int | None, list[PlanSection]] = defaultdict(list)
    for s in sections:
        children[s.parent_id].append(s)

    def tree(parent_id: int | None) -> list[dict[str, Any]]:
        return [{"code": s.code, "title": s.title, "children": tree(s.pk)} for s in children[parent_id]]

    tasks = list(plan.tasks.order_by("order").prefetch_related("units"))
    codes = {t.pk: t.code for t in tasks}
    return {
        "title": plan.title,
        "issuer": plan.issuer,
        "doc_number": plan.doc_number,
        "period": [plan.start_year, plan.end_year],
        "sections": tree(None),
        "tasks": [
            {
                "code": t.code,
                "title": t.title,
                "text": t.text,
                "units": [u.name for u in sorted(t.units.all(), key=lambda u: u.order)],
            }
            for t in tasks
        ],
        "targets": [
            {
                "indicator": t.indicator_name,
                "category": t.category,
                "unit": t.unit,
                "baseline_year": t.baseline_year,
                "baseline": _num(t.baseline),
                "target_year": t.target_year,
                "target": _num(t.target),
                "comparator": t.comparator,
                "nature": t.nature or None,
                "task_code": codes.get(t.task_id),
                "source": t.source,
                "indicator_code": t.indicator.code if t.indicator_id else "",
            }
            for t in plan.targets.order_by("order").select_related("indicator")
        ],
        "projects": [
            {"number": p.number, "name": p.name, "content": p.content}
            for p in plan.projects.order_by("number")
        ],
        "unparsed": list(plan.unparsed or []),
    }


def summary(plan: Plan) -> dict[str, int]:
    """Counts of an adopted plan's rows: sections, tasks, units and targets (and how many are linked)."""
    units = TaskUnit.objects.filter(task__plan=plan)
    targets = PlanTarget.objects.filter(plan=plan)
    return {
        "sections": PlanSection.objects.filter(plan=plan).count(),
        "tasks": PlanTask.objects.filter(plan=plan).count(),
        "units": units.count(),
        "units_linked": units.filter(unit__isnull=False).count(),
        "unit_names": units.values("name").distinct().count(),
        "unit_names_linked": units.filter(unit__isnull=False).values("name").distinct().count(),
        "targets": targets.count(),
        "targets_linked": targets.filter(indicator__isnull=False).count(),
        "targets_with_parent": targets.filter(parent_target__isnull=False).count(),
        "projects": KeyProject.objects.filter(plan=plan).count(),
        "unparsed": len(plan.unparsed or []),
    }
