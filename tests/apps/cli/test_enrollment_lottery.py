"""``edubrain enrollment lottery PUBLISHED.json`` as a parent or journalist would run it: a real subprocess,
no Django settings, an unusable database — the published draw is re-run from its own inputs."""

from __future__ import annotations

import json

from clirun import run_without_django
from edubrain.core.enrollment.lottery import DrawInput, publish, round_document


def draw(seed: str, places: int, first: int) -> dict:
    return publish(
        DrawInput(
            round_name="2027年小学一年级招生",
            school_code=f"37032300{first:02d}",
            school_name=f"测试小学{first}",
            tier="hukou",
            tier_label="户籍",
            seed=seed,
            places=places,
            candidates=tuple((f"2027P{n:05d}", f"王{n}*") for n in range(first, first + 6)),
        ),
        drawn_at="2027-07-10T09:00:00+08:00",
    )


def write(tmp_path, doc) -> str:
    (tmp_path / "published.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return "published.json"


def test_a_published_draw_is_recomputed_identically(tmp_path):
    doc = draw("2027|3703230001|hukou", 3, 1)
    done = run_without_django(tmp_path, "enrollment", "lottery", write(tmp_path, doc))
    assert done.returncode == 0, done.stderr
    for a in doc["admitted"]:
        assert f"{a['no']}\t{a['receipt']}\t{a['name']}" in done.stdout
    assert "与公布结果一致" in done.stdout and "不一致" not in done.stdout


def test_a_round_document_with_several_draws(tmp_path):
    doc = round_document("2027年小学一年级招生", [draw("a", 2, 1), draw("b", 1, 20), draw("c", 4, 40)])
    done = run_without_django(tmp_path, "enrollment", "lottery", write(tmp_path, doc))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("与公布结果一致") == 4  # three draws and the summary line
    assert "测试小学20" in done.stdout and "测试小学40" in done.stdout


def test_a_tampered_document_exits_1(tmp_path):
    doc = draw("2027|3703230001|hukou", 3, 1)
    doc["seed"] = "2027|3703230001|hukou2"
    done = run_without_django(tmp_path, "enrollment", "lottery", write(tmp_path, doc))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "与公布结果不一致" in done.stdout


def test_bad_input_exits_2_in_chinese(tmp_path):
    done = run_without_django(tmp_path, "enrollment", "lottery")
    assert done.returncode == 2 and "缺少公布的派位文件" in done.stderr
    done = run_without_django(tmp_path, "enrollment", "lottery", "nowhere.json")
    assert done.returncode == 2 and "找不到派位文件“nowhere.json”" in done.stderr
    (tmp_path / "bad.json").write_text("{", "utf-8")
    done = run_without_django(tmp_path, "enrollment", "lottery", "bad.json")
    assert done.returncode == 2 and "不是有效的 JSON" in done.stderr
    (tmp_path / "other.json").write_text('{"format": "x"}', "utf-8")
    done = run_without_django(tmp_path, "enrollment", "lottery", "other.json")
    assert done.returncode == 2 and "不是电脑派位公布文件" in done.stderr
