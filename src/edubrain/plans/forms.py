"""Forms of the plan import pages: the upload, the review (header + formsets of targets, tasks and key
projects, converted to and from the plan JSON) and the manual indicator values."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q

from edubrain.base.orgtree import OrgKind, OrgUnit, path_ids
from edubrain.core.indicators.catalogue import CATALOGUE_LIST
from edubrain.plans.adopt import split_units, target_indicator_code
from edubrain.plans.models import Plan, PlanTarget

ALLOWED_SUFFIXES = (".txt", ".docx")
ACCEPT = ",".join(ALLOWED_SUFFIXES)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
AREA_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY)
UNIT_JOIN = "、"


def max_upload_bytes() -> int:
    return int(getattr(settings, "EDUBRAIN", {}).get("PLAN_MAX_BYTES", DEFAULT_MAX_BYTES))


class PlanUploadForm(forms.Form):
    """上传规划文件 (.txt or .docx) for one area the user governs."""

    file = forms.FileField(
        label="规划文件",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="支持 .txt（UTF-8 或 GBK 编码）和 Word .docx 文件",
        error_messages={"required": "请选择要上传的规划文件", "empty": "上传的文件是空的"},
    )
    org_unit = forms.ModelChoiceField(
        label="规划区域",
        queryset=OrgUnit.objects.none(),
        empty_label=None,
        error_messages={"required": "请选择规划区域", "invalid_choice": "请选择您管理范围内的区域"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = OrgUnit.objects.visible_to(user).filter(kind__in=AREA_KINDS).order_by("path")
        self.fields["org_unit"].queryset = areas
        if user.org_unit_id and areas.filter(pk=user.org_unit_id).exists():
            self.fields["org_unit"].initial = user.org_unit_id

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix == ".doc":
            raise forms.ValidationError("不支持旧版 Word（.doc）文件，请在 Word 中“另存为” .docx 后上传")
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("只支持 .txt 或 .docx 文件")
        limit = max_upload_bytes()
        if upload.size > limit:
            size, most = upload.size / 1024 / 1024, limit / 1024 / 1024
            raise forms.ValidationError(f"文件太大（{size:.1f} MB），规划文件不能超过 {most:.0f} MB")
        return upload


# ---------------------------------------------------------------- review: header


def parent_candidates(plan: Plan, user: Any) -> Any:
    """Plans a plan may serve: those of the areas above it (a city or province plan) and any other plan
    the user sees, never itself."""
    above = path_ids(plan.org_unit.path)[:-1]
    visible = Plan.objects.visible_to(user).values("pk")
    return (
        Plan.objects.filter(Q(org_unit_id__in=above) | Q(pk__in=visible))
        .exclude(pk=plan.pk)
        .select_related("org_unit")
        .order_by("-start_year", "title")
    )


class PlanHeaderForm(forms.Form):
    title = forms.CharField(label="规划名称", max_length=200, required=False)
    issuer = forms.CharField(label="印发机关", max_length=100, required=False)
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    start_year = forms.IntegerField(label="起始年份", min_value=1949, max_value=2100, required=False)
    end_year = forms.IntegerField(label="目标年份", min_value=1949, max_value=2100, required=False)
    parent = forms.ModelChoiceField(
        label="上级规划",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="无（不关联上级规划）",
        help_text="如本规划落实市级规划，选择后各目标将关联上级规划中同一指标的目标",
    )

    def __init__(self, *args: Any, plan: Plan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_candidates(plan, user)
        self.fields["parent"].label_from_instance = lambda p: (
            f"{p.title}（{p.org_unit.name}，{p.start_year}—{p.end_year}，{p.get_status_display()}）"
        )

    @staticmethod
    def initial_for(plan: Plan) -> dict[str, Any]:
        parsed = plan.parsed or {}
        period = parsed.get("period") if isinstance(parsed.get("period"), list) else [None, None]
        return {
            "title": parsed.get("title") or plan.title,
            "issuer": parsed.get("issuer") or "",
            "doc_number": parsed.get("doc_number") or "",
            "start_year": period[0] if len(period) == 2 else None,
            "end_year": period[1] if len(period) == 2 else None,
            "parent": plan.parent_id,
        }

    def apply(self, parsed: dict[str, Any]) -> None:
        data = self.cleaned_data
        parsed["title"], parsed["issuer"] = data["title"].strip(), data["issuer"].strip()
        parsed["doc_number"] = data["doc_number"].strip()
        parsed["period"] = (
            [data["start_year"], data["end_year"]] if data["start_year"] and data["end_year"] else None
        )


# ---------------------------------------------------------------- review: rows


def indicator_choices() -> list[tuple[str, str]]:
    return [("", "（未匹配）")] + [
        (d.code, f"{d.name}{f'（{d.unit}）' if d.unit else ''}{' · 人工填报' if d.kind == 'manual' else ''}")
        for d in CATALOGUE_LIST
    ]


class RowForm(forms.Form):
    """A formset row: blank extra rows and rows marked for deletion are left out of the JSON."""

    def wanted(self) -> bool:
        return self.has_changed() and not self.cleaned_data.get("DELETE", False)


class TargetForm(RowForm):
    indicator = forms.CharField(label="指标（原文）", max_length=200, required=False)
    category = forms.CharField(label="类别", max_length=40, required=False)
    unit = forms.CharField(label="单位", max_length=20, required=False)
    baseline_year = forms.IntegerField(label="基期年份", min_value=1949, max_value=2100, required=False)
    baseline = forms.FloatField(label="基期值", required=False)
    target_year = forms.IntegerField(label="目标年份", min_value=1949, max_value=2100, required=False)
    target = forms.FloatField(label="目标值", required=False)
    comparator = forms.ChoiceField(label="比较方式", choices=PlanTarget.Comparator.choices)
    nature = forms.ChoiceField(label="属性", choices=[("", "—"), *PlanTarget.Nature.choices], required=False)
    indicator_code = forms.ChoiceField(label="对应指标", choices=(), required=False)
    task_code = forms.CharField(label="所属任务", max_length=40, required=False)
    source = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = indicator_choices()
        self.fields["comparator"].initial = PlanTarget.Comparator.AT_LEAST

    @staticmethod
    def initial_for(target: dict[str, Any]) -> dict[str, Any]:
        keys = ("indicator", "category", "unit", "baseline_year", "baseline", "target_year", "target")
        initial = {k: target.get(k) for k in keys}
        initial.update(
            comparator=target.get("comparator") or PlanTarget.Comparator.AT_LEAST,
            nature=target.get("nature") or "",
            indicator_code=target_indicator_code(target) or "",
            task_code=target.get("task_code") or "",
            source=target.get("source") or "",
        )
        return initial

    def to_json(self, original: dict[str, Any] | None) -> dict[str, Any]:
        d = self.cleaned_data
        item = dict(original or {})  # keeps keys a producer added that the page does not edit
        item.update(
            indicator=d["indicator"].strip(),
            category=d["category"].strip(),
            unit=d["unit"].strip(),
            baseline_year=d["baseline_year"],
            baseline=d["baseline"],
            target_year=d["target_year"],
            target=d["target"],
            comparator=d["comparator"],
            nature=d["nature"] or None,
            task_code=d["task_code"].strip() or None,
            source=d["source"] if original is None else original.get("source", d["source"]),
            indicator_code=d["indicator_code"],
        )
        if original is None and not d["indicator_code"]:
            del item["indicator_code"]  # a new row without a choice: matched by its name on adoption
        return item


class TaskForm(RowForm):
    code = forms.CharField(label="编号", max_length=40, required=False)
    title = forms.CharField(label="任务", max_length=200, required=False)
    units = forms.CharField(
        label="责任单位",
        required=False,
        help_text="多个单位用顿号或逗号分隔，第一个为牵头单位",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    text = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(task: dict[str, Any]) -> dict[str, Any]:
        return {
            "code": task.get("code") or "",
            "title": task.get("title") or "",
            "units": UNIT_JOIN.join(split_units(task.get("units") or [])),
            "text": task.get("text") or "",
        }

    def to_json(self, original: dict[str, Any] | None) -> dict[str, Any]:
        d = self.cleaned_data
        item = dict(original or {})
        item.update(
            code=d["code"].strip(), title=d["title"].strip(), units=split_units(d["units"]), text=d["text"]
        )
        return item


class ProjectForm(RowForm):
    number = forms.IntegerField(label="序号", min_value=1, max_value=32767, required=False)
    name = forms.CharField(label="项目名称", max_length=200, required=False)
    content = forms.CharField(
        label="主要内容", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )

    @staticmethod
    def initial_for(project: dict[str, Any]) -> dict[str, Any]:
        return {k: project.get(k) for k in ("number", "name", "content")}

    def to_json(self, original: dict[str, Any] | None) -> dict[str, Any]:
        d = self.cleaned_data
        item = dict(original or {})
        item.update(number=d["number"], name=d["name"].strip(), content=d["content"].strip())
        return item


TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True)
TaskFormSet = forms.formset_factory(TaskForm, extra=1, can_delete=True)
ProjectFormSet = forms.formset_factory(ProjectForm, extra=1, can_delete=True)

# (JSON key, formset class, form prefix)
ROW_FORMSETS: tuple[tuple[str, Any, str], ...] = (
    ("targets", TargetFormSet, "targets"),
    ("tasks", TaskFormSet, "tasks"),
    ("projects", ProjectFormSet, "projects"),
)


def review_forms(plan: Plan, user: Any, data: Any = None) -> dict[str, Any]:
    """The header form and the three formsets, bound to ``data`` or filled from ``plan.parsed``."""
    parsed = plan.parsed or {}
    forms_: dict[str, Any] = {
        "header": PlanHeaderForm(
            data, plan=plan, user=user, initial=PlanHeaderForm.initial_for(plan), prefix="header"
        )
    }
    for key, formset_class, prefix in ROW_FORMSETS:
        rows = [r for r in parsed.get(key) or [] if isinstance(r, dict)]
        initial = [formset_class.form.initial_for(r) for r in rows]
        forms_[key] = formset_class(data, initial=initial, prefix=prefix)
    return forms_


def corrected_json(plan: Plan, forms_: dict[str, Any]) -> dict[str, Any]:
    """``plan.parsed`` with the reviewer's corrections (the forms must be valid). Sections, ``unparsed`` and
    keys the page does not show are kept; row ``i`` keeps the extra keys of the JSON's row ``i``."""
    parsed = dict(plan.parsed or {})
    forms_["header"].apply(parsed)
    for key, _, _ in ROW_FORMSETS:
        originals = [r for r in parsed.get(key) or [] if isinstance(r, dict)]
        rows = []
        for i, form in enumerate(forms_[key].forms):
            if form.wanted() or (i < len(originals) and not form.cleaned_data.get("DELETE", False)):
                rows.append(form.to_json(originals[i] if i < len(originals) else None))
        parsed[key] = rows
    return parsed


# ---------------------------------------------------------------- manual values


RATIO_WORDS = ("之比", "毛入")  # ratios and gross rates: a percentage that may pass 100


def range_for(unit: str, name: str = "") -> tuple[float, float | None]:
    """The sensible range of a hand-entered value: a share 0—100 %, a ratio or gross rate in % 0—200,
    平均受教育年限 0—25 年, anything else ≥ 0."""
    if unit == "%":
        return (0.0, 200.0) if any(w in name for w in RATIO_WORDS) else (0.0, 100.0)
    if unit == "年":
        return 0.0, 25.0
    return 0.0, None


class ManualValuesForm(forms.Form):
    """One text field per (indicator, year): ``v-<code>-<year>``; blank clears a manual value."""

    def __init__(self, *args: Any, indicators: list[Any], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators, self.years = indicators, years
        for ind in indicators:
            for year in years:
                self.fields[self.key(ind.code, year)] = forms.CharField(
                    required=False, max_length=30, label=f"{ind.name} {year}年"
                )

    @staticmethod
    def key(code: str, year: int) -> str:
        return f"v-{code}-{year}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for ind in self.indicators:
            low, high = range_for(ind.unit, ind.name)
            for year in self.years:
                name = self.key(ind.code, year)
                text = (data.get(name) or "").strip().replace("．", ".").rstrip("%％").strip()
                if not text:
                    data[name] = None
                    continue
                where = f"“{ind.name}”{year}年"
                try:
                    value = float(text)
                except ValueError:
                    self.add_error(name, f"{where}：“{data.get(name)}”不是数字，请输入如 62.5 的数值")
                    continue
                if value != value or value in (float("inf"), float("-inf")):
                    self.add_error(name, f"{where}：请输入有限的数值")
                elif value < low or (high is not None and value > high):
                    span = f"{low:g} 到 {high:g}" if high is not None else f"不小于 {low:g}"
                    self.add_error(name, f"{where}：{value:g}{ind.unit} 不在合理范围内（应在 {span}）")
                else:
                    data[name] = value
        return data
