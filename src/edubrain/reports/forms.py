"""报告 forms: what to generate, and the template text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from edubrain.base.orgtree import OrgUnit
from edubrain.reports.models import ReportKind


def default_year() -> int:
    """The last full year (a report is written about a year that has ended)."""
    return timezone.localdate().year - 1


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000)
    county = forms.ModelChoiceField(
        label="县（区）", queryset=OrgUnit.objects.none(), empty_label=None, required=False
    )

    def __init__(self, *args: Any, counties: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": ReportKind.ANNUAL, "year": default_year()})
        super().__init__(*args, **kwargs)
        self.counties = list(counties or [])
        self.fields["county"].queryset = OrgUnit.objects.filter(pk__in=[c.pk for c in self.counties])
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(
            MaxValueValidator(this_year, message=f"年度不能晚于 {this_year} 年")
        )
        self.fields["year"].widget.attrs.update({"min": 2000, "max": this_year})
        if self.counties:
            self.initial.setdefault("county", self.counties[0].pk)

    def clean_county(self) -> OrgUnit:
        county = self.cleaned_data.get("county")
        if county is None:
            if not self.counties:
                raise forms.ValidationError("您的账号不属于任何县（区），不能生成报告")
            county = self.counties[0]
        return county


class TemplateForm(forms.Form):
    text = forms.CharField(
        label="模板内容（TOML）",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "template-text"}),
    )
