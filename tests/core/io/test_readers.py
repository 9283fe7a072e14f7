"""read_file on real files built in tmp_path: formats, encodings, header detection, bad input."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import msoffcrypto.format.ooxml
import openpyxl
import pytest
import xlwt

from edubrain.core.io import ReadError, read_file

HINTS = {"学籍号", "姓名", "性别", "出生日期", "身高", "身份证号"}


def rows_of(sheet):
    return sheet.frame.drop("__row__").rows()


def roster_xlsx(path, *, formulas=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一班"
    ws.append(["沂源县2024年学生名册"])
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["学籍号", "姓名", "性 别", "出生\n日期", "身高（cm）", "身份证号"])
    ws.append(["G1", "张三", "男", dt.date(2015, 9, 1), 172.0, 370323200901011000.0])
    ws.append([])
    ws.append(["G2", "李四", "女", dt.datetime(2015, 9, 2), 150.5, "37032320090101100X"])
    ws.append(["G3", "王五", 1, 42248, "=100+50" if formulas else 160, None])
    ws.append(["合计", None, None, None, 482.5, None])
    ws.append([])
    two = wb.create_sheet("二班")
    two.append(["学籍号", "姓名", "性别"])
    two.append(["G4", "赵六", "女"])
    notes = wb.create_sheet("说明")
    notes.append(["请按模板填写"])
    wb.save(path)
    return path


def test_xlsx_title_rows_blank_rows_total_row_and_values(tmp_path):
    sheets = read_file(roster_xlsx(tmp_path / "a.xlsx"), header_hint=HINTS)
    assert [s.name for s in sheets] == ["一班", "二班"]
    one = sheets[0]
    assert one.header_row == 3
    assert one.frame.columns == ["学籍号", "姓名", "性别", "出生日期", "身高(cm)", "身份证号", "__row__"]
    assert one.frame["__row__"].to_list() == [4, 6, 7]
    assert rows_of(one) == [
        ("G1", "张三", "男", "2015-09-01", "172", "3.70323200901011e+17"),
        ("G2", "李四", "女", "2015-09-02", "150.5", "37032320090101100X"),
        ("G3", "王五", "1", "42248", "160", None),
    ]
    assert all(
        dtype == "String"
        for name, dtype in zip(one.frame.columns, map(str, one.frame.dtypes), strict=True)
        if name != "__row__"
    )
    assert one.formulas == []


def test_xlsx_formulas_are_located(tmp_path):
    one = read_file(roster_xlsx(tmp_path / "a.xlsx", formulas=True), header_hint=HINTS, sheet="一班")[0]
    assert one.formulas == [(7, "身高(cm)")]


def test_choose_one_sheet_and_missing_sheet(tmp_path):
    path = roster_xlsx(tmp_path / "a.xlsx")
    only = read_file(path, sheet="二班", header_hint=HINTS)
    assert [s.name for s in only] == ["二班"]
    assert rows_of(only[0]) == [("G4", "赵六", "女")]
    with pytest.raises(ReadError) as err:
        read_file(path, sheet="三班", header_hint=HINTS)
    assert err.value.code == "read.sheet_missing"
    assert "一班、二班、说明" in err.value.message


def test_no_header_among_hints(tmp_path):
    with pytest.raises(ReadError) as err:
        read_file(roster_xlsx(tmp_path / "a.xlsx"), header_hint={"单位名称", "经费"}, filename="名册.xlsx")
    assert err.value.code == "read.no_header"
    assert "名册.xlsx" in err.value.message and "单位名称" in err.value.message


def test_header_without_hints_skips_title_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("某某小学学生名册\n\n学号,姓名,成绩\n1,张三,90\n", encoding="utf-8")
    sheet = read_file(path)[0]
    assert sheet.header_row == 3 and sheet.name == ""
    assert rows_of(sheet) == [("1", "张三", "90")]


def test_merged_header_cells_and_duplicates(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "视力", None, "姓名", None])
    ws.merge_cells("B1:C1")
    ws.append(["张三", "4.9", "5.0", "张三丰", None])
    ws.append(["李四", "5.1", "5.2", "李四", "多出来"])
    wb.save(tmp_path / "m.xlsx")
    sheet = read_file(tmp_path / "m.xlsx")[0]
    assert sheet.frame.columns == ["姓名", "视力", "视力 (2)", "姓名 (2)", "列E", "__row__"]


def test_vertical_merge_names_lower_header_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "视力", None])
    ws.append([None, "左眼", "右眼"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.append(["张三", "4.9", "5.0"])
    wb.save(tmp_path / "v.xlsx")
    sheet = read_file(tmp_path / "v.xlsx", header_hint={"姓名", "左眼", "右眼"})[0]
    assert sheet.header_row == 2
    assert sheet.frame.columns == ["姓名", "左眼", "右眼", "__row__"]
    assert rows_of(sheet) == [("张三", "4.9", "5.0")]


def test_total_row_only_dropped_when_trailing_and_numeric(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("姓名,身高\n合计,3\n张三,170\n合计,170\n小计,\n", encoding="utf-8")
    sheet = read_file(path, header_hint={"姓名", "身高"})[0]
    assert sheet.frame["__row__"].to_list() == [2, 3]
    path.write_text("姓名,身高\n张三,170\n合计,男\n", encoding="utf-8")
    assert read_file(path, header_hint={"姓名", "身高"})[0].frame["__row__"].to_list() == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "s.csv"
    path.write_bytes(
        "学籍号,姓名,性别\nG1,张三,男\nG2,欧阳䶮,女\n".replace(
            "䶮", "娜" if encoding == "gbk" else "䶮"
        ).encode(encoding)
    )
    sheet = read_file(path, header_hint=HINTS)[0]
    assert sheet.frame.columns == ["学籍号", "姓名", "性别", "__row__"]
    assert sheet.frame["姓名"].to_list() == ["张三", "欧阳娜" if encoding == "gbk" else "欧阳䶮"]


def test_tab_separated_txt(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("学籍号\t姓名\nG1\t张 三\n", encoding="utf-8")
    assert rows_of(read_file(path, header_hint=HINTS)[0]) == [("G1", "张 三")]


def test_broken_encoding(tmp_path):
    path = tmp_path / "坏.csv"
    path.write_bytes("学籍号,姓名\n".encode("gbk") + b"G1,\xd5\xc5\xff\xfe\n")
    with pytest.raises(ReadError) as err:
        read_file(path, header_hint=HINTS)
    assert err.value.code == "read.encoding" and "坏.csv" in err.value.message


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("pic.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("page.xls", "<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode()),
    ],
)
def test_not_a_spreadsheet(tmp_path, name, payload):
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert err.value.code == "read.not_spreadsheet" and name in err.value.message


def test_docx_zip_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError) as err:
        read_file(path, filename="上报.xlsx")
    assert err.value.code == "read.not_spreadsheet" and "上报.xlsx" in err.value.message


def test_empty_file_and_blank_workbook(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReadError) as err:
        read_file(empty)
    assert err.value.code == "read.empty"
    blank = tmp_path / "b.xlsx"
    openpyxl.Workbook().save(blank)
    with pytest.raises(ReadError) as err:
        read_file(blank)
    assert err.value.code == "read.empty"


def test_header_only_is_empty(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("学籍号,姓名\n\n", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_file(path, header_hint=HINTS)
    assert err.value.code == "read.empty"


def test_too_large_checked_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"\xff" * 3000)  # unreadable: only a check made before reading can answer
    with pytest.raises(ReadError) as err:
        read_file(path, max_bytes=2999)
    assert err.value.code == "read.too_large"
    ok = tmp_path / "ok.csv"
    ok.write_bytes(b"a,b\n" + b"1,2\n" * 10)
    assert read_file(ok, max_bytes=ok.stat().st_size)[0].frame.height == 10  # exactly at the limit


def test_too_large_message_names_the_limit_in_mb(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * (1024 * 1024 // 4 + 1))
    with pytest.raises(ReadError) as err:
        read_file(path, max_bytes=1024 * 1024)
    assert "超过上限1 MB" in err.value.message


def test_encrypted_xlsx(tmp_path):
    plain = roster_xlsx(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("secret", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(ReadError) as err:
        read_file(path, header_hint=HINTS)
    assert err.value.code == "read.encrypted"
    assert "已加密（设置了打开密码），请取消密码后再上传" in err.value.message


def test_hand_crafted_ole_with_encryption_stream(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert err.value.code == "read.encrypted"


def test_ole_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError) as err:
        read_file(path)
    assert err.value.code == "read.not_spreadsheet"


def test_xls(tmp_path):
    wb = xlwt.Workbook()
    ws = wb.add_sheet("学生")
    ws.write(0, 0, "学生名册")
    for j, h in enumerate(["学籍号", "姓名", "出生日期", "身高", "身份证号"]):
        ws.write(2, j, h)
    ws.write(3, 0, "G1")
    ws.write(3, 1, "张三")
    ws.write(3, 2, dt.date(2015, 9, 1), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    ws.write(3, 3, 172.0)
    ws.write(3, 4, 370323200901011000.0)
    wb.save(str(tmp_path / "s.xls"))
    sheet = read_file(tmp_path / "s.xls", header_hint=HINTS)[0]
    assert sheet.name == "学生" and sheet.header_row == 3
    assert rows_of(sheet) == [("G1", "张三", "2015-09-01", "172", "3.70323200901011e+17")]


def test_time_and_duration_cells_as_seconds(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "800米跑", "50米跑"])
    ws.append(["张三", dt.time(0, 3, 40), dt.timedelta(seconds=8.5)])
    wb.save(tmp_path / "t.xlsx")
    assert rows_of(read_file(tmp_path / "t.xlsx")[0]) == [("张三", "220", "8.5")]


def test_sheet_without_header_skipped_but_all_without_header_fails(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["只有一个单元格"])
    wb.create_sheet("数据").append(["学籍号", "姓名"])
    wb["数据"].append(["G1", "张三"])
    wb.save(tmp_path / "s.xlsx")
    assert [s.name for s in read_file(tmp_path / "s.xlsx", header_hint=HINTS)] == ["数据"]
    wb.remove(wb["数据"])
    wb.save(tmp_path / "s.xlsx")
    with pytest.raises(ReadError) as err:
        read_file(tmp_path / "s.xlsx", header_hint=HINTS)
    assert err.value.code == "read.no_header" and "Sheet" in err.value.message


def test_filename_overrides_the_path_in_messages(tmp_path):
    path = tmp_path / "upload.bin"
    path.write_bytes(b"")
    with pytest.raises(ReadError) as err:
        read_file(path, filename="学生.csv")
    assert "学生.csv" in err.value.message and "upload.bin" not in err.value.message
