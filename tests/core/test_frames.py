"""Frame schemas: validate turns string sheets into typed good rows plus Chinese errors per cell."""

from __future__ import annotations

import datetime as dt

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edubrain.core.frames import Column, Dataset, SchemaError, validate, validate_sheets
from edubrain.core.ids import id_check_digit
from edubrain.core.io import Sheet, read_file

TODAY = dt.date(2025, 6, 30)
ID = "37032320150101001"
ID = ID + id_check_digit(ID)
NATIONS = {"01": "01", "汉族": "01", "02": "02", "蒙古族": "02"}

DS = Dataset(
    name="students",
    label="学生",
    columns=(
        Column("school_code", "学校标识码", kind="school_code", required=True),
        Column("student_number", "学籍号", kind="student_number", required=True, aliases=("全国学籍号",)),
        Column("id_number", "身份证号", kind="id_number"),
        Column("name", "姓名", required=True, max_length=4),
        Column("sex", "性别", kind="sex"),
        Column("birth", "出生日期", kind="date", min=2000, max=2024),
        Column("height", "身高", kind="decimal", min=80, max=220, unit="cm"),
        Column("class_no", "班号", kind="int", min=1, max=30),
        Column("run", "50米跑", kind="duration", min=5, max=20),
        Column("nation", "民族", kind="code", codes=NATIONS),
        Column("boarding", "是否住校", kind="bool", default=False),
    ),
    key=("student_number",),
)
GOOD = {
    "学校标识码": "3703230001",
    "学籍号": "G" + ID,
    "身份证号": ID,
    "姓名": "张三",
    "性别": "男",
    "出生日期": "2015-01-01",
    "身高": "172cm",
    "班号": "3",
    "50米跑": "8.5",
    "民族": "汉族",
    "是否住校": "是",
}


def sheet(rows, name="Sheet1", header_row=1, formulas=()):
    frame = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]}, orient="row")
    frame = frame.with_columns(
        pl.int_range(header_row + 1, header_row + 1 + len(rows), dtype=pl.Int64).alias("__row__")
    )
    return Sheet(name, frame, header_row, list(formulas))


def check(**changes):
    """Validate one row: GOOD with ``changes`` (by header); returns (rules, messages)."""
    row = {**GOOD, **changes}
    result = validate(sheet([row]), DS, file_name="名册.xlsx", today=TODAY)
    return result.errors["rule"].to_list(), result.errors["message"].to_list(), result


def test_a_good_row_is_typed():
    rules, _, result = check()
    assert rules == []
    assert result.rows.to_dicts() == [
        {
            "school_code": "3703230001",
            "student_number": "G" + ID,
            "id_number": ID,
            "name": "张三",
            "sex": "M",
            "birth": dt.date(2015, 1, 1),
            "height": 172.0,
            "class_no": 3,
            "run": 8.5,
            "nation": "01",
            "boarding": True,
            "__row__": 2,
            "__sheet__": "Sheet1",
        }
    ]
    assert result.total == 1 and result.invalid_rows == 0


def test_message_names_file_sheet_row_column_value_and_expectation():
    rules, messages, result = check(出生日期="2030-01-01")
    assert rules == ["future", "range"] or rules == ["range", "future"]
    assert (
        "文件“名册.xlsx”工作表“Sheet1”第2行“出生日期”列的值“2030-01-01”晚于今天，应为过去的日期" in messages
    )
    assert result.rows.height == 0 and result.invalid_rows == 1
    assert result.errors.columns == ["sheet", "row", "column", "value", "message", "rule"]
    assert result.errors.row(0)[:4] == ("Sheet1", 2, "出生日期", "2030-01-01")


def test_future_date_today_is_fine_tomorrow_is_not():
    assert check(出生日期="2024-12-31")[0] == []
    dataset = Dataset("d", "d", (Column("day", "日期", kind="date"),))
    for day, bad in (
        (TODAY, False),
        (TODAY + dt.timedelta(days=1), True),
        (TODAY - dt.timedelta(days=1), False),
    ):
        result = validate(sheet([{"日期": day.isoformat()}]), dataset, today=TODAY)
        assert (result.errors["rule"].to_list() == ["future"]) is bad


@pytest.mark.parametrize(
    ("header", "value", "ok"),
    [
        ("身高", "80", True),
        ("身高", "79.9", False),
        ("身高", "80.1", True),
        ("身高", "220", True),
        ("身高", "220.1", False),
        ("身高", "219.9", True),
        ("班号", "1", True),
        ("班号", "0", False),
        ("班号", "30", True),
        ("班号", "31", False),
        ("50米跑", "5", True),
        ("50米跑", "4.9", False),
        ("50米跑", "20", True),
        ("50米跑", "20.1", False),
        ("出生日期", "2000-01-01", True),
        ("出生日期", "1999-12-31", False),
        ("出生日期", "2024-12-31", True),
        ("出生日期", "2025-01-01", False),
    ],
)
def test_ranges_at_just_above_just_below(header, value, ok):
    rules, messages, _ = check(**{header: value})
    assert (rules == []) is ok
    if not ok:
        assert rules == ["range"]
        assert f"“{header}”列的值“{value}”" in messages[0] and "应在" in messages[0]


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0, max_value=400, allow_nan=False).map(lambda x: round(x, 1)))
def test_height_range_property(height):
    rules, _, _ = check(身高=str(height))
    assert (rules == ["range"]) is not (80 <= height <= 220)


def test_range_message_shows_unit():
    _, messages, _ = check(身高="300")
    assert messages == [
        "文件“名册.xlsx”工作表“Sheet1”第2行“身高”列的值“300”大于最大值220cm，应在80～220cm之间"
    ]


@pytest.mark.parametrize(
    ("header", "value", "rule"),
    [
        ("身高", "高", "type"),
        ("班号", "3.5", "type"),
        ("出生日期", "去年", "type"),
        ("性别", "未知", "type"),
        ("50米跑", "很快", "type"),
        ("是否住校", "也许", "type"),
        ("民族", "火星族", "code"),
        ("学校标识码", "370323001", "school_code"),
        ("学校标识码", "37032300011", "school_code"),
        ("学籍号", "X" + ID, "xjh_format"),
        ("学籍号", "G" + ID[:-1] + ("0" if ID[-1] != "0" else "1"), "xjh_id"),
        ("身份证号", ID[:-1] + ("0" if ID[-1] != "0" else "1"), "id_checksum"),
        ("身份证号", "12345", "id_format"),
        ("身份证号", "3.70323201501E+17", "id_precision"),
        ("姓名", "欧阳娜娜娜", "max_length"),
    ],
)
def test_each_rule(header, value, rule):
    rules, messages, result = check(**{header: value})
    assert rules == [rule]
    assert f"第2行“{header}”列" in messages[0] and value in messages[0]
    assert result.rows.height == 0


def test_boundaries_that_pass():
    assert check(姓名="欧阳娜娜", 学校标识码="3703230001", 民族="1", 学籍号="L" + "1" * 18)[0] == []
    assert check(性别="女", 是否住校="否", 班号="3.0", 出生日期="42248")[0] == []


def test_precision_lost_has_its_own_message():
    lost = next(
        f"370323201501{d:02d}1000" for d in range(1, 29) if id_check_digit(f"370323201501{d:02d}100") != "0"
    )
    rules, messages, _ = check(身份证号=lost)
    assert rules == ["id_precision"]
    assert messages[0].endswith("身份证号已被 Excel 转成数字，后几位已丢失，请把该列设为文本后重新填写")


def test_required_empty():
    rules, messages, _ = check(姓名=None)
    assert rules == ["required"]
    assert messages == ["文件“名册.xlsx”工作表“Sheet1”第2行“姓名”列为空，该列必填"]


def test_missing_required_columns_is_a_schema_error():
    row = {k: v for k, v in GOOD.items() if k not in ("学籍号", "姓名")}
    with pytest.raises(SchemaError) as err:
        validate(sheet([row], header_row=3), DS, file_name="x.xlsx", today=TODAY)
    assert err.value.message == "文件“x.xlsx”工作表“Sheet1”缺少必填列：学籍号、姓名（第3行为表头）"


def test_unknown_columns_warned_aliases_and_units_matched():
    row = {**GOOD, "备注": "x", "联系电话": "1"}
    row["全国学籍号"] = row.pop("学籍号")
    row["身高(厘米)"] = row.pop("身高")
    result = validate(sheet([row]), DS, today=TODAY)
    assert result.warnings == ["未识别的列已忽略：备注、联系电话"]
    assert result.rows["student_number"].to_list() == ["G" + ID] and result.rows["height"].to_list() == [
        172.0
    ]


def test_absent_optional_columns_and_defaults():
    result = validate(
        sheet([{"学校标识码": "3703230001", "学籍号": "G" + ID, "姓名": "张三", "是否住校": None}]),
        DS,
        today=TODAY,
    )
    assert result.rows.columns == [
        "school_code",
        "student_number",
        "name",
        "boarding",
        "__row__",
        "__sheet__",
    ]
    assert result.rows["boarding"].to_list() == [False]


def test_duplicates_name_the_other_rows():
    rows = [GOOD, {**GOOD, "学籍号": "L" + "1" * 18}, GOOD, {**GOOD, "学籍号": "g" + ID}]
    result = validate(sheet(rows), DS, today=TODAY)
    dup = result.errors.filter(pl.col("rule") == "duplicate")
    assert dup["row"].to_list() == [2, 4, 5]
    assert "与第4行、第5行重复" in dup["message"][0] and "与第2行、第4行重复" in dup["message"][2]
    assert result.rows["__row__"].to_list() == [3]


def test_duplicates_across_sheets_and_concatenation():
    one = sheet([GOOD, {**GOOD, "学籍号": "L" + "1" * 18}], name="一班")
    two = sheet([{**GOOD, "姓名": "李四"}], name="二班", header_row=3)
    result = validate_sheets([one, two], DS, file_name="f.xlsx", today=TODAY)
    assert result.total == 3 and result.invalid_rows == 2
    assert result.errors.select("sheet", "row").rows() == [("一班", 2), ("二班", 4)]
    assert "与工作表“二班”第4行重复" in result.errors["message"][0]
    assert result.rows.select("__sheet__", "__row__").rows() == [("一班", 3)]


def test_formula_cells_are_errors():
    s = sheet([GOOD, GOOD | {"学籍号": "L" + "1" * 18}], formulas=[(3, "身高"), (2, "备注")])
    result = validate(s, DS, file_name="f.xlsx", today=TODAY)
    assert result.errors.select("row", "column", "rule").rows() == [(3, "身高", "formula")]
    assert result.errors["message"][0] == "文件“f.xlsx”工作表“Sheet1”第3行“身高”为公式，请粘贴为数值后再上传"
    assert result.rows["__row__"].to_list() == [2]


def test_errors_sorted_by_row_then_column_and_invalid_rows_counted():
    rows = [
        {**GOOD, "身高": "999", "姓名": None},
        GOOD | {"学籍号": "L" + "2" * 18},
        {**GOOD, "学籍号": "L" + "3" * 18, "性别": "?"},
    ]
    result = validate(sheet(rows), DS, today=TODAY)
    assert result.errors.select("row", "column").rows() == [(2, "姓名"), (2, "身高"), (4, "性别")]
    assert result.invalid_rows == 2 and result.rows.height == 1


def test_header_hint_and_headers():
    assert DS.headers()[:3] == ["学校标识码", "学籍号", "身份证号"]
    assert {"学籍号", "全国学籍号", "50米跑"} <= DS.header_hint()


def test_column_rejects_unknown_kind():
    with pytest.raises(ValueError):
        Column("x", "x", kind="money")


def test_end_to_end_from_an_xlsx_file(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学生"
    ws.append(["沂源县2024年学生名册"])
    ws.append(list(GOOD))
    ws.append([*GOOD.values()])
    ws.append([*{**GOOD, "学籍号": "L" + "1" * 18, "身份证号": float(ID), "身高": "=170+2"}.values()])
    wb.save(tmp_path / "s.xlsx")
    sheets = read_file(tmp_path / "s.xlsx", header_hint=DS.header_hint())
    result = validate_sheets(sheets, DS, file_name="s.xlsx", today=TODAY)
    assert result.errors.select("row", "rule").rows() == [(4, "id_precision"), (4, "formula")]
    assert result.rows["__row__"].to_list() == [3]
