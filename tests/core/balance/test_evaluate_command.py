"""``edubrain balance evaluate INPUT -o OUTPUT.xlsx`` end to end, without Django: the two contract sheets,
their exact columns and hand-computed values; csv output and missing columns are clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from clirun import run_without_django
from edubrain.core.balance.command import evaluate_command

HEADERS = [
    "学校标识码", "学校名称", "学段", "在校生数", "高于规定学历教师数", "县级以上骨干教师数",
    "体育艺术专任教师数", "教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值", "网络多媒体教室数",
    "小学在校生数", "初中在校生数",
]  # fmt: skip
ROWS = [
    # 1000 pupils: 5.0 / 1.2 / 1.0 per 100, 5.0 m², 8.0 m², 2500 元, 3.0 rooms per 100 — all met
    ["3700000001", "城关小学", "小学", 1000, 50, 12, 10, 5000, 8000, 2_500_000, 30, None, None],
    # 500 pupils: L6 1,000,000 / 500 = 2000 met; L7 10/500×100 = 2.0 < 2.3 but ≥ 1.955 → 6 met, passes
    ["3700000002", "南麻小学", "小学", 500, 25, 6, 5, 2500, 4000, 1_000_000, 10, None, None],
    # 九年一贯制 600 + 400: weighted 1040, shares 600/1040 and 440/1040; equipment 2,600,000 → 1,500,000
    # (2500 元) and 1,100,000 (2750 元); 初中: 用房 2200 / 400 = 5.5 < 5.8 and
    # 场馆 9000 × 440/1040 / 400 = 9.52 < 10.2 → 5 met, fails;
    # 小学: 3000 / 600 = 5.0 and 5192.3 / 600 = 8.65 → all 7 met
    ["3700000003", "悦庄学校", "九年一贯制", 1000, 60, 12, 11, 5200, 9000, 2_600_000, 26, 600, 400],
    # zero pupils
    ["3700000004", "某教学点", "小学", 0, 1, 0, 0, 100, 100, 1000, 1, None, None],
]
SCHOOL_COLUMNS = [
    "学校标识码", "学校名称", "学段", "在校生数",
    "每百名学生拥有高于规定学历教师数", "每百名学生拥有县级以上骨干教师数",
    "每百名学生拥有体育、艺术(美术、音乐)专任教师数", "生均教学及辅助用房面积", "生均体育运动场馆面积",
    "生均教学仪器设备值", "每百名学生拥有网络多媒体教室数",
    "每百名学生拥有高于规定学历教师数达标", "每百名学生拥有县级以上骨干教师数达标",
    "每百名学生拥有体育、艺术(美术、音乐)专任教师数达标", "生均教学及辅助用房面积达标",
    "生均体育运动场馆面积达标",
    "生均教学仪器设备值达标", "每百名学生拥有网络多媒体教室数达标",
    "达标指标数", "是否达标", "备注",
]  # fmt: skip
CV_COLUMNS = ["学段", "指标", "县均值", "差异系数", "限值", "是否达标", "备注"]


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "学校数据"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def read_back(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def records(sheet: list[list[object]]) -> list[dict[str, object]]:
    header = [str(h) for h in sheet[0]]
    return [dict(zip(header, r, strict=True)) for r in sheet[1:]]


def test_end_to_end_without_django(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "学校.xlsx", HEADERS, ROWS)
    out = tmp_path / "结果.xlsx"
    proc = run_without_django(tmp_path, "balance", "evaluate", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "共评估 5 个学校学段：达标 3，未达标 1，不可评估 1" in proc.stdout
    book = read_back(out)
    assert list(book) == ["学校达标", "差异系数"]
    schools = book["学校达标"]
    assert [str(h) for h in schools[0]] == SCHOOL_COLUMNS
    rows = records(schools)
    assert [(r["学校名称"], r["学段"]) for r in rows] == [
        ("城关小学", "小学"), ("南麻小学", "小学"), ("悦庄学校", "小学"), ("悦庄学校", "初中"),
        ("某教学点", "小学"),
    ]  # fmt: skip
    first, second, j_primary, j_junior, zero = rows
    assert first["生均教学仪器设备值"] == pytest.approx(2500)
    assert first["达标指标数"] == 7 and first["是否达标"] == "是"
    assert second["每百名学生拥有网络多媒体教室数"] == pytest.approx(2.0)
    assert second["每百名学生拥有网络多媒体教室数达标"] == "否"
    assert second["达标指标数"] == 6 and second["是否达标"] == "是"
    assert j_primary["在校生数"] == 600 and j_junior["在校生数"] == 400
    assert j_primary["生均教学仪器设备值"] == pytest.approx(2500)
    assert (j_primary["达标指标数"], j_primary["是否达标"]) == (7, "是")
    assert (j_junior["达标指标数"], j_junior["是否达标"]) == (5, "否")
    assert j_junior["生均体育运动场馆面积"] == pytest.approx(9000 * 440 / 1040 / 400)
    assert (j_junior["生均教学及辅助用房面积达标"], j_junior["生均体育运动场馆面积达标"]) == ("否", "否")
    assert j_junior["生均教学仪器设备值"] == pytest.approx(2750)
    # 初中 teachers split by share 440/1040: 60 × 440/1040 / 400 × 100 = 6.346 per 100 ≥ 5.3
    assert j_junior["每百名学生拥有高于规定学历教师数"] == pytest.approx(60 * 440 / 1040 / 4)
    assert "九年一贯制" in str(j_primary["备注"])
    assert zero["是否达标"] == "不可评估" and "在校生数为0" in str(zero["备注"])

    cv = book["差异系数"]
    assert [str(h) for h in cv[0]] == CV_COLUMNS
    cvs = records(cv)
    assert [r["学段"] for r in cvs] == ["小学"] * 7 + ["初中"] * 7
    l6 = cvs[5]
    assert l6["指标"] == "生均教学仪器设备值"
    # 小学 L6 over 城关 (1000, 2500), 南麻 (500, 2000), 悦庄小学部 (600, 2500); 教学点 left out:
    # x̄ = 5,000,000 / 2100 = 2380.952; S² = (1600·119.048² + 500·380.952²) / 2100 = 45,351.5; CV = 0.08944
    mean = 5_000_000 / 2100
    var = (1600 * (2500 - mean) ** 2 + 500 * (2000 - mean) ** 2) / 2100
    assert l6["县均值"] == pytest.approx(mean)
    assert l6["差异系数"] == pytest.approx(var**0.5 / mean)
    assert round(float(l6["差异系数"]), 3) == 0.089  # type: ignore[arg-type]
    assert l6["限值"] == 0.5 and l6["是否达标"] == "是"
    # one 初中 school: every value equals the county value, CV 0
    assert cvs[7 + 5]["差异系数"] == pytest.approx(0.0)
    assert cvs[7 + 5]["限值"] == 0.45


def test_json_summary(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "in.xlsx", HEADERS, ROWS)
    stdout, stderr = io.StringIO(), io.StringIO()
    assert evaluate_command([str(src), "-o", str(tmp_path / "o.xlsx"), "--json"], stdout, stderr) == 0
    record = json.loads(stdout.getvalue())
    assert (record["schools"], record["passing"], record["failing"], record["not_evaluable"]) == (5, 3, 1, 1)
    assert record["cv_over_limit"] == 0


def test_gbk_csv_input(tmp_path: Path) -> None:
    lines = [",".join(HEADERS[:11])] + [",".join(str(v) for v in r[:11]) for r in ROWS[:2]]
    src = tmp_path / "in.csv"
    src.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    stdout, stderr = io.StringIO(), io.StringIO()
    assert evaluate_command([str(src), "-o", str(tmp_path / "o.xlsx")], stdout, stderr) == 0, (
        stderr.getvalue()
    )
    assert "达标 2" in stdout.getvalue()


def test_csv_output_is_refused_in_chinese(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "in.xlsx", HEADERS, ROWS)
    stdout, stderr = io.StringIO(), io.StringIO()
    assert evaluate_command([str(src), "-o", str(tmp_path / "o.csv")], stdout, stderr) == 2
    assert stderr.getvalue().startswith("错误：")
    assert ".xlsx" in stderr.getvalue() and "两个工作表" in stderr.getvalue()
    assert not (tmp_path / "o.csv").exists()


def test_missing_columns_exit_2_naming_file_and_columns(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h not in ("教学仪器设备值", "网络多媒体教室数")]
    rows = [[v for h, v in zip(HEADERS, r, strict=True) if h in headers] for r in ROWS]
    src = write_xlsx(tmp_path / "缺列.xlsx", headers, rows)
    proc = run_without_django(tmp_path, "balance", "evaluate", str(src), "-o", str(tmp_path / "o.xlsx"))
    assert proc.returncode == 2
    assert "错误：" in proc.stderr and "缺列.xlsx" in proc.stderr
    assert "教学仪器设备值、网络多媒体教室数" in proc.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_unreadable_input_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "x.xlsx"
    src.write_bytes(b"%PDF-1.4 not a sheet")
    stdout, stderr = io.StringIO(), io.StringIO()
    assert evaluate_command([str(src), "-o", str(tmp_path / "o.xlsx")], stdout, stderr) == 2
    assert stderr.getvalue().startswith("错误：")


def test_text_in_a_number_cell_is_explained(tmp_path: Path) -> None:
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][9] = "不详"
    src = write_xlsx(tmp_path / "in.xlsx", HEADERS, rows)
    out = tmp_path / "o.xlsx"
    stdout, stderr = io.StringIO(), io.StringIO()
    assert evaluate_command([str(src), "-o", str(out)], stdout, stderr) == 0
    second = records(read_back(out)["学校达标"])[1]
    assert second["是否达标"] == "不可评估"
    assert "“教学仪器设备值”的值“不详”不是数字" in str(second["备注"])
