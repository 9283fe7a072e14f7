"""The 均衡发展 API returns the page's figures as JSON, scoped, and documents its operations."""

from __future__ import annotations

import pytest

from edubrain.core.balance.layout import SCHOOL_COLUMNS


def test_schools_endpoint(client, bal):
    client.force_login(bal.users.admin)
    data = client.get("/api/balance/schools", {"unit": bal.county.pk, "year": 2024}).json()
    assert data["unit"]["id"] == bal.county.pk and data["year"] == 2024
    rows = {(r["学校标识码"], r["学段"]): r for r in data["schools"]}
    assert set(next(iter(rows.values()))) == set(SCHOOL_COLUMNS)
    assert rows[("3910000001", "小学")]["生均教学及辅助用房面积"] == pytest.approx(5.0)
    assert rows[("3910000002", "小学")]["是否达标"] == "否"
    primary = next(s for s in data["summary"] if s["stage"] == "小学")
    assert (primary["schools"], primary["failing"]) == (3, 1)


def test_cvs_and_gaps_endpoints(client, bal):
    client.force_login(bal.users.admin)
    cvs = client.get("/api/balance/cvs", {"unit": bal.county.pk, "year": 2024}).json()["cvs"]
    assert len(cvs) == 14 and {r["学段"] for r in cvs} == {"小学", "初中"}
    gaps = client.get("/api/balance/gaps", {"unit": bal.county.pk, "year": 2024}).json()["gaps"]
    assert {g["学校标识码"] for g in gaps} == {"3910000002"}


def test_school_admin_gets_their_school_only(client, bal):
    client.force_login(bal.users.school)
    data = client.get("/api/balance/schools", {"year": 2024}).json()
    assert {r["学校标识码"] for r in data["schools"]} == {"3910000002"}


def test_preschool_endpoint(client, bal):
    client.force_login(bal.users.admin)
    data = client.get("/api/balance/preschool", {"unit": bal.county.pk, "year": 2024}).json()
    county = [c for c in data["checks"] if c["unit_id"] == bal.county.pk]
    assert {c["indicator"] for c in county} >= {"gross_enrolment_rate", "puhui_coverage", "public_share"}
    assert {v["level"] for v in data["verdicts"]} == {"national", "plan"}


def test_operations_are_documented(client, bal):
    client.force_login(bal.users.admin)
    schema = client.get("/api/openapi.json").json()
    operations = {
        op["operationId"]: op
        for path in schema["paths"].values()
        for op in path.values()
        if "operationId" in op
    }
    for op_id in ("balance_schools", "balance_cvs", "balance_gaps", "balance_preschool"):
        assert op_id in operations
        assert operations[op_id]["tags"] == ["均衡发展"]
    assert operations["balance_cvs"]["summary"] == "优质均衡：差异系数"
