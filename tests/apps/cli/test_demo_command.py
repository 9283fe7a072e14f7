"""`edubrain demo`: what `make run` calls on a machine that already has the demo county."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from edubrain.registry.models import School, Student


def test_if_missing_keeps_existing_data_and_lists_accounts(demo):
    before = (School.objects.count(), Student.objects.count())
    out = StringIO()
    call_command("demo", "--if-missing", stdout=out)
    text = out.getvalue()
    assert "演示数据已存在" in text
    assert "密码均为 Edu@2025" in text
    for name in ("admin", "staff", "leader", "school", "reporter"):
        assert f"  {name}" in text
    assert (School.objects.count(), Student.objects.count()) == before


def test_plain_demo_refuses_to_duplicate(demo):
    before = Student.objects.count()
    with pytest.raises(CommandError, match="未重复生成"):
        call_command("demo", "--scale", "0.01", stdout=StringIO())
    assert Student.objects.count() == before


def test_scale_out_of_range_is_refused(demo):
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--scale", "0", stdout=StringIO())
