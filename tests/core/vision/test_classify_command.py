"""``edubrain vision classify INPUT -o OUTPUT``: the screening layout in (csv, xlsx, or the national fitness
upload's vision columns), the same rows out with the contract columns, reasons in 备注, no Django."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from clirun import run_without_django
from edubrain.core.vision.command import classify_command
from edubrain.core.vision.layout import RESULT_COLUMNS

HEADERS = [
    "学籍号", "姓名", "性别", "出生日期", "年级编号", "筛查日期", "左眼裸眼视力", "右眼裸眼视力", "左眼球镜",
    "左眼柱镜", "左眼轴位", "右眼球镜", "右眼柱镜", "右眼轴位", "戴镜类型", "左眼矫正视力", "右眼矫正视力",
]  # fmt: skip
CONTRACT = [
    "左眼等效球镜", "右眼等效球镜", "左眼筛查性近视", "右眼筛查性近视", "筛查性近视", "近视程度", "近视前期",
    "预警等级", "备注",
]  # fmt: skip


def person(n: int, **cells: str) -> list[str]:
    values = dict.fromkeys(HEADERS, "")
    values.update(
        {"学籍号": f"G3703232015010100{n:02d}", "姓名": f"学生{n}", "性别": "男", "出生日期": "2015-03-01"}
    )
    values.update({"年级编号": "14", "筛查日期": "2024-09-10", "左眼裸眼视力": "5.0", "右眼裸眼视力": "5.0"})
    values.update({"左眼球镜": "0.25", "左眼柱镜": "0", "左眼轴位": "0", "右眼球镜": "0.25", "右眼柱镜": "0"})
    values.update(cells)
    return [values[h] for h in HEADERS]


ROWS = [
    person(1),  # nothing: not myopic, no warning
    person(2, 左眼裸眼视力="4.8", 左眼球镜="-0.25", 左眼柱镜="-0.50"),  # SE −0.50 exactly: myopic by default
    person(
        3, 左眼裸眼视力="0.5", 右眼裸眼视力="0.3", 左眼球镜="-6.25", 右眼球镜="-2"
    ),  # decimal acuity: 高度
    person(4, 左眼裸眼视力="6.0"),  # off the chart
    person(5, 左眼裸眼视力="abc"),  # unreadable
    person(
        6, 戴镜类型="角膜塑形镜", 左眼矫正视力="5.0", 右眼矫正视力="5.0", 左眼裸眼视力="", 右眼裸眼视力=""
    ),
    person(7, 右眼球镜="", 右眼柱镜="", 右眼裸眼视力=""),  # a missing eye
]


def write_csv(
    path: Path, rows: list[list[str]], headers: list[str] = HEADERS, encoding: str = "utf-8"
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = classify_command(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def read_csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def test_contract_names():
    assert list(RESULT_COLUMNS) == CONTRACT


def test_csv_in_csv_out(tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS)
    code, out, _ = run(str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "共 7 行" in out and "已判定 4" in out and "数据有误 3" in out
    df = read_csv(tmp_path / "out.csv")
    assert df.columns == HEADERS + CONTRACT
    assert df["学籍号"].to_list() == [r[0] for r in ROWS]  # every row kept, in order, 学籍号 as text
    assert df["筛查性近视"].to_list() == ["否", "是", "是", None, None, "是", None]
    assert df["左眼筛查性近视"].to_list()[:3] == ["否", "是", "是"]
    assert df["右眼筛查性近视"].to_list()[:3] == ["否", "否", "是"]
    assert df["近视程度"].to_list() == ["无", "低度", "高度", None, None, "低度", None]
    assert df["左眼等效球镜"].to_list()[:3] == ["0.25", "-0.5", "-6.25"]
    assert df["近视前期"].to_list()[:2] == ["是", "否"]
    assert df["预警等级"].to_list() == ["0", "2", "3", None, None, "1", None]
    notes = df["备注"].to_list()
    assert notes[:3] == [None, None, None] and notes[5] is None
    assert "左眼裸眼视力6.0不在视力表范围" in notes[3]
    assert "“左眼裸眼视力”" in notes[4] and "abc" in notes[4]
    assert "缺少右眼数据" in notes[6]


def test_strict_boundary_flag(tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS[1:2])
    assert run(str(src), "-o", str(tmp_path / "out.csv"), "--strict-boundary")[0] == 0
    assert read_csv(tmp_path / "out.csv")["筛查性近视"].to_list() == ["否"]


NUMERIC = set(HEADERS[6:14])


def number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def test_xlsx_in_xlsx_out(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "筛查"
    sheet.append(["2024年秋季视力筛查"])  # a title row above the header
    sheet.append(HEADERS)
    for row in ROWS[:3]:
        sheet.append([number(v) if h in NUMERIC else v for h, v in zip(HEADERS, row, strict=True)])
    book.save(tmp_path / "in.xlsx")
    code, out, err = run(str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.xlsx"), "--json")
    assert code == 0, err
    assert '"classified": 3' in out and '"myopic": 2' in out and '"高度": 1' in out
    rows = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("筛查").to_python()
    assert [str(c) for c in rows[0]] == HEADERS + CONTRACT
    result = dict(zip(rows[0], rows[3], strict=True))
    assert result["筛查性近视"] == "是" and result["近视程度"] == "高度" and result["学籍号"].endswith("03")


def test_fitness_template_vision_columns(tmp_path):
    headers = ["年级编号", "班级编号", "学籍号", "姓名", "性别", "出生日期", "身高", "体重", "左眼裸眼视力",
               "右眼裸眼视力", "左眼屈光不正", "右眼屈光不正", "戴镜"]  # fmt: skip
    row = [
        "14",
        "1401",
        "G370323201501010001",
        "学生1",
        "1",
        "2015-03-01",
        "130",
        "28",
        "4.8",
        "5.0",
        "是",
        "否",
        "是",
    ]
    src = write_csv(tmp_path / "fitness.csv", [row], headers=headers)
    code, _, err = run(str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 0, err
    df = read_csv(tmp_path / "out.csv")
    assert df.columns == headers + CONTRACT
    # no autorefraction in that template: explained, not guessed
    assert "缺少左眼球镜（电脑验光）" in df["备注"][0] and df["筛查性近视"][0] is None


def test_mixed_cylinder_conventions_in_one_file(tmp_path):
    src = write_csv(tmp_path / "in.csv", [person(1, 左眼柱镜="-0.5"), person(2, 右眼柱镜="+0.75"), person(3)])
    assert run(str(src), "-o", str(tmp_path / "out.csv"))[0] == 0
    notes = read_csv(tmp_path / "out.csv")["备注"].to_list()
    assert "柱镜正负号混用" in notes[0] and "柱镜正负号混用" in notes[1] and notes[2] is None


def test_gbk_csv_and_unknown_correction(tmp_path):
    src = write_csv(
        tmp_path / "in.csv", [person(1, 戴镜类型="隐形眼镜"), person(2, 戴镜类型="OK镜")], encoding="gbk"
    )
    assert run(str(src), "-o", str(tmp_path / "out.csv"))[0] == 0
    df = read_csv(tmp_path / "out.csv")
    assert "戴镜类型“隐形眼镜”无法识别" in df["备注"][0]
    assert "缺少左眼矫正视力" in df["备注"][1]  # OK镜 = 角膜塑形镜: judged on corrected acuity


def test_bad_output_extension_and_unreadable_input(tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS[:1])
    code, _, err = run(str(src), "-o", str(tmp_path / "out.txt"))
    assert code == 2 and ".csv 或 .xlsx" in err
    (tmp_path / "empty.csv").write_bytes(b"")
    code, _, err = run(str(tmp_path / "empty.csv"), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "空文件" in err


def test_cli_runs_without_database_or_django(tmp_path):
    write_csv(tmp_path / "in.csv", ROWS[:3])
    done = run_without_django(tmp_path, "vision", "classify", "in.csv", "-o", "out.xlsx", "--json")
    assert done.returncode == 0, done.stderr
    assert '"classified": 3' in done.stdout and (tmp_path / "out.xlsx").exists()
    assert not (tmp_path / "var").exists()
