"""``edubrain indicators compute`` and ``edubrain indicators list``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from edubrain.plans.models import IndicatorValue


def run(*args):
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_compute_one_county_and_year_prints_a_summary(demo):
    text = run("compute", "--county", demo.county.division_code, "--year", "2025")
    assert text.startswith("已计算沂源县 2025年的")
    assert "写入" in text and "用时" in text and "  沂源县：有值" in text
    assert IndicatorValue.objects.filter(org_unit=demo.county, year=2025, source="computed").exists()


def test_unknown_county_is_refused(demo):
    with pytest.raises(CommandError, match="找不到行政区划代码为 999999 的县"):
        run("compute", "--county", "999999")


def test_list_shows_the_catalogue_with_kinds_and_counts(demo):
    run("compute", "--county", demo.county.division_code)
    text = run("list")
    assert "指标目录（" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("preschool_gross_rate "))
    assert "学前三年毛入园率（%）  系统计算  县、镇/街道  学年" in line
    myopia = next(x for x in text.splitlines() if x.strip().startswith("myopia_rate "))
    assert "系统计算  县、镇/街道、学校  学年" in myopia
