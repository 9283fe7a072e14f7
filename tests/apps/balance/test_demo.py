"""The demo county shows a realistic 优质均衡 and 普及普惠 picture (demo.balance)."""

from __future__ import annotations

import polars as pl

from edubrain.accounts.models import User
from edubrain.balance import queries
from edubrain.core.balance.indicators import DEFAULT_OPTIONS


def admin_selection(demo):
    user = User.objects.get(username="admin")
    return user, queries.Selection(demo.county)


def test_some_schools_fail_and_most_pass(demo):
    user, sel = admin_selection(demo)
    schools = queries.balance(user, sel, queries.latest_year()).evaluation.schools
    verdicts = schools["是否达标"].value_counts().to_dicts()
    counts = {r["是否达标"]: r["count"] for r in verdicts}
    assert counts.get("否", 0) >= 1
    assert counts.get("是", 0) > counts.get("否", 0)
    failing = schools.filter(pl.col("是否达标") == "否")
    assert (failing["达标指标数"] >= 4).all()  # one or two indicators short, not a wreck


def test_a_cv_is_near_its_limit(demo):
    user, sel = admin_selection(demo)
    cvs = queries.balance(user, sel, queries.latest_year()).evaluation.cvs.filter(
        pl.col("差异系数").is_not_null()
    )
    distance = (cvs["差异系数"] - cvs["学段"].replace_strict({"小学": 0.50, "初中": 0.45})).abs()
    assert distance.min() <= 0.05
    assert DEFAULT_OPTIONS.primary_cv_limit == 0.50


def test_preschool_passes_nationally_but_not_every_plan_target(demo):
    user, sel = admin_selection(demo)
    data = queries.preschool(user, sel, queries.latest_year())
    verdicts = data["verdicts"]
    national = verdicts.filter((pl.col("level") == "national") & (pl.col("unit_id") == demo.county.pk))
    assert national["status"].to_list() == ["达标"]
    plan = verdicts.filter(pl.col("level") == "plan")
    assert "未达标" in plan["status"].to_list()
    towns = data["checks"].filter(pl.col("unit_id") != demo.county.pk)
    assert towns["unit"].n_unique() >= 2
    # the towns miss a plan target somewhere, and pass the national 普惠/公办 checks
    assert not towns.filter((pl.col("level") == "plan") & (pl.col("status") == "未达标")).is_empty()
    national = towns.filter((pl.col("level") == "national") & (pl.col("indicator") != "gross_enrolment_rate"))
    assert set(national["status"].to_list()) == {"达标"}
    # no town 3–5 岁 population in the demo: 毛入园率 不可评估, with a births-based estimate for reference
    gross = towns.filter(pl.col("indicator") == "gross_enrolment_rate")
    assert set(gross["status"].to_list()) == {"不可评估"}
    assert gross["reason"].str.contains("按出生人口粗略估算").any()
