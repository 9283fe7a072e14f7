"""``edubrain plan parse PLAN.(txt|docx) -o plan.json [--json-summary]``: UTF-8 JSON out, a Chinese summary,
exit 0 when written and 2 when the plan cannot be read or the output cannot be written — and no Django."""

from __future__ import annotations

import io
import json
from pathlib import Path

from clirun import run_without_django
from edubrain.core.plan.command import parse_command
from edubrain.core.plan.parser import parse_file

from .test_parser_docx import COUNTY, county_docx


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = parse_command(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_txt_to_json_with_a_chinese_summary(tmp_path):
    out = tmp_path / "plan.json"
    code, stdout, stderr = run(str(COUNTY), "-o", str(out))
    assert (code, stderr) == (0, "")
    raw = out.read_text(encoding="utf-8")
    assert "沂源县教育事业发展“十四五”规划" in raw and "\\u" not in raw  # not ASCII-escaped
    assert raw.startswith('{\n  "title"')  # indented
    assert json.loads(raw) == parse_file(COUNTY)
    assert "规划：沂源县教育事业发展“十四五”规划（规划期 2021—2025年）" in stdout
    assert "章节 13 个（一级 3、二级 10），任务 45 项（45 项有责任单位），责任单位 33 个" in stdout
    assert "目标 33 个：指标表 13 个、正文 20 个；重点项目 18 个；未能解析 2 处" in stdout
    assert f"已写入 {out}" in stdout


def test_docx_and_json_summary(tmp_path):
    docx = county_docx(tmp_path / "规划.docx")
    code, stdout, _ = run(str(docx), "-o", str(tmp_path / "plan.json"), "--json-summary")
    assert code == 0
    assert json.loads(stdout) == {
        "output": str(tmp_path / "plan.json"),
        "title": "沂源县教育事业发展“十四五”规划",
        "period": [2021, 2025],
        "sections": 13,
        "sections_per_level": [3, 10],
        "tasks": 45,
        "tasks_with_units": 45,
        "units": 33,
        "targets": 33,
        "targets_table": 13,
        "targets_text": 20,
        "projects": 18,
        "unparsed": 2,
    }
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["tasks"] == parse_file(COUNTY)["tasks"]


def test_gbk_text_and_a_plan_that_says_little(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_bytes("某县教育工作要点\n一、加强党建\n".encode("gbk"))
    code, stdout, _ = run(str(src), "-o", str(tmp_path / "p.json"))
    assert code == 0 and "规划：（未识别名称）（规划期 未识别）" in stdout and "未能解析 2 处" in stdout
    plan = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert plan["sections"] == [{"code": "一", "title": "加强党建", "children": []}]


def test_unreadable_input_and_bad_output_exit_2(tmp_path):
    code, _, err = run(str(tmp_path / "missing.txt"), "-o", str(tmp_path / "p.json"))
    assert code == 2 and "错误：找不到文件" in err and not (tmp_path / "p.json").exists()
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    code, _, err = run(str(tmp_path / "old.doc"), "-o", str(tmp_path / "p.json"))
    assert code == 2 and "另存为 .docx" in err
    (tmp_path / "bad.docx").write_bytes(b"not a zip at all")
    code, _, err = run(str(tmp_path / "bad.docx"), "-o", str(tmp_path / "p.json"))
    assert code == 2 and "bad.docx" in err
    code, _, err = run(str(COUNTY), "-o", str(tmp_path / "no" / "such" / "dir" / "p.json"))
    assert code == 2 and "无法写入" in err
    code, _, err = run(str(COUNTY), "-o", str(tmp_path))  # a directory
    assert code == 2 and "无法写入" in err


def test_cli_runs_without_django(tmp_path):
    (tmp_path / "plan.txt").write_bytes(COUNTY.read_bytes())
    done = run_without_django(tmp_path, "plan", "parse", "plan.txt", "-o", "plan.json", "--json-summary")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tasks"] == 45
    assert (
        json.loads(Path(tmp_path / "plan.json").read_text(encoding="utf-8"))["doc_number"]
        == "源政字〔2023〕36号"
    )
    assert not (tmp_path / "var").exists()  # no settings were loaded: nothing written beside the file
