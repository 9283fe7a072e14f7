"""Every bad input of the issue, through `edubrain import … --json`: a clear Chinese message, the right exit
status, and nothing written to the registries (the demo county and the factory school keep their rows)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from edubrain.registry.models import Enrollment, Student

from .conftest import STUDENT_HEADERS, student_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def cli(*args):
    out = io.StringIO()
    with pytest.raises(SystemExit) as code:
        call_command("import", *map(str, args), "--json", stdout=out)
    return code.value.code, json.loads(out.getvalue())


def snapshot():
    return Student.objects.count(), Enrollment.objects.count()


def messages(data) -> str:
    return " ".join([data.get("message") or "", *(e["message"] for e in data.get("errors", []))])


def gbk_file_claimed_utf8(tmp_path, school):
    """Bytes that are neither UTF-8 nor GB18030: a broken encoding."""
    path = tmp_path / "broken.csv"
    path.write_bytes(",".join(STUDENT_HEADERS).encode("gbk") + b"\n\x81\x20\xff\xfe\x80\n")
    return path


def not_a_spreadsheet(tmp_path, school):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    return path


def empty_file(tmp_path, school):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    return path


def no_header(tmp_path, school):
    return write_xlsx(
        tmp_path / "noheader.xlsx", [["1", "2", "3"], ["4", "5", "6"]], headers=["甲", "乙", "丙"]
    )


def missing_required(tmp_path, school):
    return write_csv(tmp_path / "missing.csv", [[school.code, "张三"]], headers=["学校标识码", "姓名"])


def password_protected(tmp_path, school):
    import msoffcrypto

    plain = write_xlsx(tmp_path / "plain.xlsx", [student_row(school, 1)])
    encrypted = tmp_path / "secret.xlsx"
    with open(plain, "rb") as src, open(encrypted, "wb") as dst:
        office = msoffcrypto.OfficeFile(src)
        office.encrypt("pass123", dst)
    return encrypted


FILE_LEVEL = {
    "wrong encoding": (gbk_file_claimed_utf8, "编码"),
    "not a spreadsheet": (not_a_spreadsheet, "不是"),
    "empty file": (empty_file, "空"),
    "no recognisable header": (no_header, "表头"),
    "missing required columns": (missing_required, "缺少必填列"),
    "password-protected xlsx": (password_protected, "密码"),
}


@pytest.mark.parametrize("case", sorted(FILE_LEVEL))
def test_unreadable_files_exit_2_with_a_chinese_message_and_write_nothing(case, school, tmp_path):
    make, expected = FILE_LEVEL[case]
    before = snapshot()
    code, data = cli("students", make(tmp_path, school))
    assert code == 2
    assert expected in messages(data), messages(data)
    assert snapshot() == before


def _row_case(school, seq, column, value):
    row = student_row(school, seq)
    row[STUDENT_HEADERS.index(column)] = value
    return row


ROW_LEVEL = {
    "future date": ("出生日期", "2999-01-01", "晚于今天"),
    "bad checksum": ("身份证号", "370323201703010011", "校验位"),
    "ID turned into a float": ("身份证号", "3.70323201703011E+17", "Excel"),
    "unknown sex code": ("性别", "未知", "性别"),
}


@pytest.mark.parametrize("case", sorted(ROW_LEVEL))
def test_bad_rows_exit_1_name_the_cell_and_write_nothing(case, school, tmp_path):
    column, value, expected = ROW_LEVEL[case]
    rows = [student_row(school, 10), _row_case(school, 11, column, value)]
    before = snapshot()
    code, data = cli("students", write_csv(tmp_path / "rows.csv", rows))
    assert code == 1 and data["invalid"] >= 1
    wrong = [e for e in data["errors"] if e["row"] == 3]
    assert wrong and any(expected in e["message"] for e in wrong), data["errors"]
    assert all(e["sheet"] is not None and e["column"] for e in wrong)
    assert snapshot() == before  # all-or-nothing by default: the valid row is not written either


def test_duplicate_keys_inside_the_file(school, tmp_path):
    row = student_row(school, 20)
    before = snapshot()
    code, data = cli("students", write_csv(tmp_path / "dup.csv", [row, list(row)]))
    assert code == 1
    assert {e["row"] for e in data["errors"]} >= {2, 3}
    assert any("重复" in e["message"] for e in data["errors"])
    assert snapshot() == before


def test_formulas_are_refused(school, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(STUDENT_HEADERS)
    row = student_row(school, 30)
    row[STUDENT_HEADERS.index("姓名")] = '=CONCATENATE("张","三")'
    ws.append(row)
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    before = snapshot()
    code, data = cli("students", path)
    assert code == 1 and any("公式" in e["message"] for e in data["errors"]), data["errors"]
    assert snapshot() == before


def test_extra_unknown_columns_are_ignored_with_a_warning(school, tmp_path):
    rows = [[*student_row(school, 31), "13800000000"]]
    path = write_csv(tmp_path / "extra.csv", rows, headers=[*STUDENT_HEADERS, "联系电话"])
    code, data = cli("students", path, "--dry-run")
    assert code == 0 and data["new"] == 1
    assert any("联系电话" in w for w in data["warnings"])


def test_oversize_file_is_refused_with_the_limit(school, tmp_path, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "IMPORT_MAX_BYTES": 2 * 1024 * 1024}
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    before = snapshot()
    code, data = cli("students", path)
    assert code == 2 and "2" in messages(data) and "MB" in messages(data)
    assert snapshot() == before
