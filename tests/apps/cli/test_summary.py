"""`edubrain summary`: the home page's headline figures on the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from edubrain.registry.choices import ON_ROLL_STATUSES
from edubrain.registry.models import Enrollment, School, SchoolYear, Staff

KEYS = {"schools", "kindergarten", "compulsory", "upper_secondary", "vocational", "teachers"}


def run(*args: str) -> str:
    out = StringIO()
    call_command("summary", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_contract_keys_and_counts_the_database(demo):
    year = SchoolYear.objects.order_by("start_year").first().start_year
    data = json.loads(run("--year", str(year), "--json"))
    assert data.keys() >= KEYS
    on_roll = Enrollment.objects.filter(school_year__start_year=year, status__in=ON_ROLL_STATUSES)
    assert data["kindergarten"] == on_roll.filter(school_class__grade_code__in=["01", "02", "03"]).count()
    compulsory = on_roll.filter(school_class__grade_code__regex=r"^(1[1-6]|2[1-4])$").count()
    assert data["compulsory"] == compulsory
    senior = on_roll.filter(school_class__grade_code__in=["31", "32", "33"])
    assert data["upper_secondary"] == senior.count()
    assert data["vocational"] == senior.filter(school_class__school__school_type="vocational").count()
    assert 0 < data["vocational"] < data["upper_secondary"]
    assert (
        data["teachers"]
        == Staff.objects.filter(post="teacher", joined_year__lte=year).exclude(left_year__lte=year).count()
    )
    assert data["schools"] == sum(data["schools_by_type"].values()) > 0
    assert data["schools"] <= School.objects.count()


def test_default_year_is_the_latest(demo):
    latest = SchoolYear.objects.order_by("-start_year").first().start_year
    assert json.loads(run("--json"))["year"] == latest


def test_years_differ(demo):
    years = list(SchoolYear.objects.order_by("start_year").values_list("start_year", flat=True))
    first, last = (json.loads(run("--year", str(y), "--json")) for y in (years[0], years[-1]))
    assert first["kindergarten"] != last["kindergarten"]


def test_text_output_is_chinese_with_the_figures(demo):
    data = json.loads(run("--json"))
    text = run()
    assert "义务教育在校生" in text and f"{data['compulsory']:,}" in text
    assert "专任教师" in text and f"{data['teachers']:,}" in text


def test_unknown_year_is_refused_in_chinese(demo):
    with pytest.raises(CommandError, match="没有 1990 学年的数据"):
        run("--year", "1990")


def test_user_scope_narrows_the_figures(demo):
    whole = json.loads(run("--json"))
    school = json.loads(run("--json", "--user", "school"))
    assert school["schools"] == 1
    assert 0 < school["compulsory"] < whole["compulsory"]
    assert school["kindergarten"] == 0
    reporter = json.loads(run("--json", "--user", "reporter"))
    assert reporter["schools"] == 0 and reporter["compulsory"] == 0


def test_unknown_user_is_refused(demo):
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        run("--user", "nobody")


def test_empty_database_says_what_to_do():
    from edubrain.registry.management.commands.summary import Command

    assert "edubrain demo" in Command._text({"year": None})
