"""``edubrain fitness score INPUT -o OUTPUT``: the national layout in (xlsx, xls, csv UTF-8/GBK), the
same rows out with the contract columns, reasons in 备注, and no database or Django needed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
import xlwt
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from clirun import run_without_django
from edubrain.core.fitness.command import score_command

HEADERS = [
    "年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址",
    "身高", "体重", "肺活量", "50米跑", "坐位体前屈", "一分钟跳绳", "一分钟仰卧起坐", "50米×8往返跑",
    "立定跳远", "引体向上", "800米跑", "1000米跑",
]  # fmt: skip
XJH = "G370323201501010011"


def person(grade: str, sex: str, n: int, **cells: str) -> list[str]:
    values = dict.fromkeys(HEADERS, "")
    values.update({"年级编号": grade, "学籍号": f"{XJH[:-2]}{n:02d}", "姓名": f"学生{n}", "性别": sex})
    values.update({"班级编号": f"{grade}01", "班级名称": "1班", "民族代码": "01", "出生日期": "2015-01-01"})
    values.update(cells)
    return [values[h] for h in HEADERS]


PRIMARY = {"身高": "120.5", "体重": "22.3", "肺活量": "1700", "50米跑": "10.2", "坐位体前屈": "17.6"}
ROWS = [
    person("11", "1", 1, **PRIMARY, 一分钟跳绳="150"),  # all 100 + 20 bonus
    person("11", "2", 2, **PRIMARY, 一分钟跳绳="abc"),  # unreadable cell
    person("11", "1", 3, **{**PRIMARY, "身高": "1700"}, 一分钟跳绳="100"),  # 17 m tall
    person("11", "1", 4, **PRIMARY),  # 一分钟跳绳 missing
    person("11", "2", 5, 身高="免测"),  # exempt
    person("11", "1", 6, **PRIMARY, 一分钟跳绳="100", 立定跳远="120"),  # an item grade 1 does not take
]
EXPECTED_COLUMNS = [
    "体重指数", "体重指数得分", "体重指数等级", "肺活量得分", "肺活量等级", "50米跑得分", "50米跑等级",
    "坐位体前屈得分", "坐位体前屈等级", "一分钟跳绳得分", "一分钟跳绳等级", "标准分", "附加分", "总分",
    "总分等级", "备注",
]  # fmt: skip


def write_csv(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", headers: list[str] = HEADERS
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = score_command(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def read_csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def test_csv_in_csv_out_contract_columns_and_reasons(tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS)
    code, out, _ = run(str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "共 6 行" in out and "已评分 1" in out and "免测 1" in out
    assert (tmp_path / "out.csv").read_bytes().startswith("\ufeff".encode())  # Excel-friendly UTF-8
    df = read_csv(tmp_path / "out.csv")
    assert df.columns[: len(HEADERS)] == HEADERS
    assert [c for c in df.columns[len(HEADERS) :] if c != "免测"] == EXPECTED_COLUMNS  # only grade-1 items
    first, bad_cell, tall, missing, exempt, extra = df.iter_rows(named=True)
    assert first["学籍号"] == f"{XJH[:-2]}01" and first["姓名"] == "学生1"  # the same rows as typed
    assert (first["体重指数"], first["体重指数得分"], first["体重指数等级"]) == ("15.4", "100", "正常")
    assert (first["50米跑得分"], first["50米跑等级"], first["一分钟跳绳得分"]) == ("100", "优秀", "100")
    assert (first["标准分"], first["附加分"], first["总分"], first["总分等级"]) == (
        "100.0",
        "20",
        "120.0",
        "优秀",
    )
    assert first["备注"] is None
    assert bad_cell["总分"] is None and "第3行“一分钟跳绳”列的值“abc”不是有效的整数" in bad_cell["备注"]
    assert tall["总分"] is None and tall["备注"] == "身高1700厘米不在合理范围（60—230厘米）"
    assert tall["肺活量得分"] == "100"  # valid items are still scored on a row without total
    assert missing["总分"] is None and missing["备注"] == "缺测一分钟跳绳，不计总分"
    assert (exempt["总分"], exempt["备注"], exempt["免测"], exempt["身高"]) == (None, "免测", "是", None)
    assert extra["总分"] is None and extra["备注"] == "年级编号11不测立定跳远"


def test_xlsx_in_xlsx_out_keeps_ids_as_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "一年级"
    ws.append(["沂源县某小学2024年体质健康测试成绩"])  # a title row above the header
    ws.append(HEADERS)
    for r in ROWS[:1]:
        ws.append([float(v) if v.replace(".", "").isdigit() and len(v) < 8 else v for v in r])
    wb.save(tmp_path / "in.xlsx")
    code, _, err = run(str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.xlsx"))
    assert code == 0, err
    sheet = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("一年级").to_python()
    header, values = sheet[0], dict(zip(sheet[0], sheet[1], strict=True))
    assert header[-5:] == ["标准分", "附加分", "总分", "总分等级", "备注"]
    assert values["学籍号"] == f"{XJH[:-2]}01" and values["总分"] == 120 and values["总分等级"] == "优秀"


def test_gbk_csv_and_xls_inputs(tmp_path):
    gbk = write_csv(tmp_path / "gbk.csv", ROWS[:1], encoding="gbk")
    assert run(str(gbk), "-o", str(tmp_path / "a.csv"))[0] == 0
    assert read_csv(tmp_path / "a.csv")["总分"].to_list() == ["120.0"]
    book = xlwt.Workbook()
    ws = book.add_sheet("Sheet1")
    for c, h in enumerate(HEADERS):
        ws.write(0, c, h)
    for c, v in enumerate(ROWS[0]):
        ws.write(1, c, v)
    book.save(str(tmp_path / "in.xls"))
    assert run(str(tmp_path / "in.xls"), "-o", str(tmp_path / "b.csv"))[0] == 0
    assert read_csv(tmp_path / "b.csv")["总分等级"].to_list() == ["优秀"]


def test_an_existing_remark_column_is_kept(tmp_path):
    src = write_csv(tmp_path / "in.csv", [[*ROWS[0], "补测"]], headers=[*HEADERS, "备注"])
    assert run(str(src), "-o", str(tmp_path / "out.csv"))[0] == 0
    df = read_csv(tmp_path / "out.csv")
    assert df["备注（原）"].to_list() == ["补测"] and df["备注"].to_list() == [None]


def test_junior_items_by_sex(tmp_path):
    common = {
        "身高": "160",
        "体重": "50",
        "肺活量": "3000",
        "50米跑": "7.5",
        "坐位体前屈": "10",
        "立定跳远": "220",
    }
    rows = [
        person("21", "1", 1, **common, 引体向上="10", **{"1000米跑": "3'35\""}),
        person("21", "2", 2, **common, 一分钟仰卧起坐="50", **{"800米跑": "3'20"}),
        person("21", "1", 3, **common, 引体向上="10", **{"800米跑": "3'20"}),
    ]
    src = write_csv(tmp_path / "in.csv", rows)
    assert run(str(src), "-o", str(tmp_path / "out.csv"))[0] == 0
    df = read_csv(tmp_path / "out.csv")
    assert {"引体向上得分", "1000米跑等级", "800米跑得分", "一分钟仰卧起坐等级"} <= set(df.columns)
    assert "一分钟跳绳得分" not in df.columns and "50米×8往返跑得分" not in df.columns
    boy, girl, wrong = df.iter_rows(named=True)
    assert (boy["1000米跑得分"], boy["800米跑得分"], boy["附加分"]) == ("100", None, "5")
    assert (girl["一分钟仰卧起坐得分"], girl["引体向上得分"]) == ("100", None)
    assert (
        wrong["总分"] is None and "男生不测800米跑" in wrong["备注"] and "缺测1000米跑" not in wrong["备注"]
    )


def test_unreadable_input_and_bad_output_name(tmp_path):
    png = tmp_path / "photo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    code, _, err = run(str(png), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "photo.xlsx" in err and "错误" in err
    src = write_csv(tmp_path / "in.csv", ROWS[:1])
    code, _, err = run(str(src), "-o", str(tmp_path / "out.txt"))
    assert code == 2 and ".csv 或 .xlsx" in err and not (tmp_path / "out.txt").exists()


def test_cli_runs_without_database_or_django(tmp_path):
    write_csv(tmp_path / "in.csv", ROWS[:2])
    done = run_without_django(tmp_path, "fitness", "score", "in.csv", "-o", "out.xlsx", "--json")
    assert done.returncode == 0, done.stderr
    assert '"scored": 1' in done.stdout and (tmp_path / "out.xlsx").exists()
    assert not (tmp_path / "var").exists()  # no settings were loaded: nothing written beside the file


def test_rating_and_bmi_options(tmp_path):
    # 95×15% + 100×20% + 85×30% + 76×20% + BMI 100×15% = 89.95: 优秀 by default (rated on 90.0),
    # 良好 with --rate-exact
    cells = {"身高": "120.5", "体重": "22.3", "肺活量": "1600", "50米跑": "10.2", "坐位体前屈": "12.0"}
    src = write_csv(tmp_path / "in.csv", [person("11", "1", 1, **cells, 一分钟跳绳="73")])
    assert run(str(src), "-o", str(tmp_path / "a.csv"))[0] == 0
    default = read_csv(tmp_path / "a.csv").row(0, named=True)
    assert (default["总分"], default["总分等级"], default["体重指数"]) == ("89.95", "优秀", "15.4")
    assert run(str(src), "-o", str(tmp_path / "b.csv"), "--rate-exact", "--bmi-unrounded")[0] == 0
    exact = read_csv(tmp_path / "b.csv").row(0, named=True)
    assert (exact["总分"], exact["总分等级"]) == ("89.95", "良好")
    assert float(exact["体重指数"]) == pytest.approx(22.3 / 1.205**2)
