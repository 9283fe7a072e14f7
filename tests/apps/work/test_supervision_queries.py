"""督导 read side: statistics per round and per target against hand counts, the register's filters, order
and scope, the xlsx export read back, and the dashboard figures (overdue at the deadline's boundary) —
in a county of its own (the factories' 测试县), so the counts are exactly ours."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from edubrain.accounts.models import Role
from edubrain.work import supervision as sv
from edubrain.work import supervision_queries as sq
from edubrain.work.models import Finding, FindingStatus
from factories import CountyFactory, ResponsibleUnitFactory, SchoolFactory, TownFactory, UserFactory

TODAY = dt.date(2026, 4, 10)
FOUND = dt.date(2026, 3, 1)


@pytest.fixture
def county_world(db):
    county = CountyFactory()
    town = TownFactory(parent=county, name="测试镇甲")
    a = SchoolFactory(town=town, name="甲小学").org_unit
    b = SchoolFactory(town=town, name="乙小学").org_unit
    unit = ResponsibleUnitFactory(county=county, name="县测试局").org_unit
    users = {
        "bureau": UserFactory(role=Role.BUREAU_ADMIN, org_unit=county),
        "leader": UserFactory(role=Role.LEADER, org_unit=county),
        "a": UserFactory(role=Role.SCHOOL_ADMIN, org_unit=a),
        "b": UserFactory(role=Role.SCHOOL_ADMIN, org_unit=b),
    }
    r = sv.create_round(
        county,
        users["bureau"],
        kind="safety",
        name="3月安全排查",
        start_on=FOUND,
        end_on=dt.date(2026, 3, 31),
        targets=[a, b, unit],
        today=TODAY,
    )
    return {"county": county, "a": a, "b": b, "unit": unit, "users": users, "round": r}


def finding(w, unit, severity, deadline, desc="问题") -> Finding:
    return sv.record_finding(
        w["round"],
        w["users"]["bureau"],
        org_unit=w[unit],
        description=desc,
        severity=severity,
        found_on=FOUND,
        deadline=deadline,
        responsible_person="张三",
        today=TODAY,
    )


@pytest.fixture
def findings(county_world):
    """甲: closed on time, closed late, open overdue (serious), fixed waiting; 乙: open due today, reopened
    overdue by one day."""
    w = county_world
    due = dt.date(2026, 3, 20)
    out = {}
    out["on_time"] = finding(w, "a", "minor", due, "按期整改")
    out["late"] = finding(w, "a", "major", due, "逾期整改")
    out["overdue"] = finding(w, "a", "serious", due, "逾期未整改")
    out["waiting"] = finding(w, "a", "minor", due, "待复查")
    out["due_today"] = finding(w, "b", "serious", TODAY, "今天到期")
    out["reopened"] = finding(w, "b", "minor", due, "复查未通过")
    a, bureau = w["users"]["a"], w["users"]["bureau"]
    for key, fixed_on in (("on_time", due), ("late", due + dt.timedelta(days=1)), ("waiting", due)):
        sv.report_fix(out[key], a, fix_report="已整改", fixed_on=fixed_on, today=TODAY)
    for key in ("on_time", "late"):
        sv.recheck(out[key], bureau, passed=True, today=TODAY)
    sv.report_fix(out["reopened"], w["users"]["b"], fix_report="已整改", fixed_on=due, today=TODAY)
    sv.recheck(
        out["reopened"],
        bureau,
        passed=False,
        note="未整改到位",
        new_deadline=TODAY - dt.timedelta(days=1),
        on=due,
        today=TODAY,
    )
    return out


def test_round_statistics_against_hand_counts(county_world, findings):
    w = county_world
    rows = [r for r in sq.rounds(w["users"]["bureau"], TODAY) if r["round"].pk == w["round"].pk]
    assert len(rows) == 1
    r = rows[0]
    assert (r["findings"], r["closed"], r["open"], r["overdue"], r["fixed"]) == (6, 2, 4, 2, 1)
    assert (r["minor"], r["major"], r["serious"]) == (3, 1, 2)
    assert r["closed_rate"] == pytest.approx(33.3) and r["on_time_rate"] == pytest.approx(16.7)
    assert r["round"].n_targets == 3


def test_per_target_statistics_and_groups(county_world, findings):
    w = county_world
    rows = {t["unit"].name: t for t in sq.round_targets(w["round"], w["users"]["bureau"], TODAY)}
    assert set(rows) == {"甲小学", "乙小学", "县测试局"}
    a, b, unit = rows["甲小学"], rows["乙小学"], rows["县测试局"]
    assert (a["findings"], a["closed"], a["overdue"], a["late_fix"], a["closed_rate"]) == (4, 2, 1, 1, 50.0)
    assert (b["findings"], b["closed"], b["overdue"], b["serious"]) == (2, 0, 1, 1)
    assert (unit["findings"], unit["closed_rate"]) == (0, None)
    assert a["group"] == "测试镇甲" and unit["group"] == "责任单位"
    groups = dict(sq.target_choices(w["county"]))
    assert list(groups)[-1] == "责任单位" and {u.name for u in groups["测试镇甲"]} == {"甲小学", "乙小学"}


def test_dashboard_summary_and_the_deadline_boundary(county_world, findings):
    bureau = county_world["users"]["bureau"]
    summary = sq.overdue_summary(bureau, TODAY)
    assert summary == {"open": 4, "overdue": 2, "serious_overdue": 1, "awaiting_recheck": 1}
    # the next day the finding due today is overdue too (and serious)
    assert sq.overdue_summary(bureau, TODAY + dt.timedelta(days=1))["serious_overdue"] == 2
    # on the reopened one's new deadline day itself it is not overdue yet
    assert sq.overdue_summary(bureau, TODAY - dt.timedelta(days=1))["overdue"] == 1
    top = sq.overdue_findings(bureau, TODAY, limit=5)
    assert [t["id"] for t in top] == [findings["overdue"].pk, findings["reopened"].pk]
    assert [t["overdue_days"] for t in top] == [21, 1]
    assert len(sq.overdue_findings(bureau, TODAY, limit=1)) == 1
    # a school sees only its own
    assert sq.overdue_summary(county_world["users"]["b"], TODAY) == {
        "open": 2,
        "overdue": 1,
        "serious_overdue": 0,
        "awaiting_recheck": 0,
    }


def test_register_filters_order_and_scope(county_world, findings):
    w, bureau = county_world, county_world["users"]["bureau"]
    ids = [f.pk for f in sq.register(bureau, sq.RegisterFilter(inspection=w["round"].pk), TODAY)]
    assert ids[:2] == [findings["overdue"].pk, findings["reopened"].pk]  # overdue first
    assert len(ids) == 6
    only = sq.RegisterFilter(inspection=w["round"].pk, overdue=True)
    assert {f.pk for f in sq.register(bureau, only, TODAY)} == {
        findings["overdue"].pk,
        findings["reopened"].pk,
    }
    serious = sq.RegisterFilter(inspection=w["round"].pk, severity="serious", status="open")
    assert {f.pk for f in sq.register(bureau, serious, TODAY)} == {
        findings["overdue"].pk,
        findings["due_today"].pk,
    }
    by_unit = sq.RegisterFilter(org_unit=w["b"].pk)
    assert {f.pk for f in sq.register(bureau, by_unit, TODAY)} == {
        findings["due_today"].pk,
        findings["reopened"].pk,
    }
    school = {f.pk for f in sq.register(w["users"]["b"], sq.RegisterFilter(), TODAY)}
    assert school == {findings["due_today"].pk, findings["reopened"].pk}
    assert sq.register_units(w["users"]["b"]) == [(w["b"].pk, "乙小学")]
    # a school cannot open the round, but filters its register by the rounds of its own findings
    assert sq.rounds(w["users"]["b"], TODAY) == []
    assert sq.register_rounds(w["users"]["b"]) == [(w["round"].pk, "3月安全排查")]


def test_register_export_reads_back(county_world, findings):
    w, bureau = county_world, county_world["users"]["bureau"]
    sv.escalate(findings["overdue"], bureau, kind="talk", on=TODAY, note="约谈", today=TODAY)
    frame = sq.register_frame(sq.register(bureau, sq.RegisterFilter(inspection=w["round"].pk), TODAY), TODAY)
    from edubrain.core.io.writers import table_bytes

    book = load_workbook(io.BytesIO(table_bytes(frame, "xlsx", "整改台账")))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "督导轮次",
        "类型",
        "被督导单位",
        "检查项",
        "问题描述",
        "严重程度",
        "发现日期",
        "整改要求",
        "整改期限",
        "整改责任人",
        "整改状态",
        "整改完成日期",
        "复查日期",
        "复查意见",
        "逾期天数",
        "约谈通报问责",
    )
    assert len(rows) == 7
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["问题描述"] == "逾期未整改" and first["逾期天数"] == 21 and first["严重程度"] == "严重"
    assert first["类型"] == "安全隐患排查（一月一排查）" and first["整改状态"] == "待整改"
    assert first["约谈通报问责"] == f"约谈 {TODAY:%Y-%m-%d}" and first["整改期限"] == "2026-03-20"
    late = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[4] == "逾期整改")
    assert late["逾期天数"] == 1 and late["整改状态"] == "已销号" and late["整改完成日期"] == "2026-03-21"
    assert Finding.objects.get(pk=findings["late"].pk).status == FindingStatus.CLOSED
