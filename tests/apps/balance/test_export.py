"""xlsx exports read back: the 优质均衡 workbook has the CLI's two sheets with the contract columns; the
普及普惠 workbook one sheet with a row per unit and check."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from edubrain.core.balance.layout import CV_SHEET_COLUMNS, SCHOOL_COLUMNS


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content), read_only=True)


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_balance_export_has_the_contract_sheets(client, bal):
    client.force_login(bal.users.admin)
    book = workbook(
        client.get(reverse("balance:index"), {"unit": bal.county.pk, "year": 2024, "format": "xlsx"})
    )
    assert book.sheetnames == ["学校达标", "差异系数"]
    schools = rows(book["学校达标"])
    assert tuple(schools[0]) == SCHOOL_COLUMNS
    by_code = {(r[0], r[2]): dict(zip(SCHOOL_COLUMNS, r, strict=True)) for r in schools[1:]}
    assert set(by_code) == {
        ("3910000001", "小学"),
        ("3910000002", "小学"),
        ("3910000003", "小学"),
        ("3910000003", "初中"),
    }
    assert by_code[("3910000001", "小学")]["生均教学及辅助用房面积达标"] == "是"
    assert by_code[("3910000002", "小学")]["是否达标"] == "否"
    cvs = rows(book["差异系数"])
    assert tuple(cvs[0]) == CV_SHEET_COLUMNS
    assert len(cvs) == 1 + 14


def test_preschool_export(client, bal):
    client.force_login(bal.users.admin)
    book = workbook(
        client.get(reverse("balance:preschool"), {"unit": bal.county.pk, "year": 2024, "format": "xlsx"})
    )
    data = rows(book[book.sheetnames[0]])
    assert data[0][:4] == ["单位", "类别", "指标", "值"]
    assert {r[0] for r in data[1:]} >= {"测试均衡县"}
    assert any(r[2] == "普惠性幼儿园覆盖率" and r[1] == "规划目标" for r in data[1:])
