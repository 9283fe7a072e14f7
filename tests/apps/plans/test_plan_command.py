"""``edubrain plan import PLAN [--county CODE] [--adopt]`` and ``edubrain plan export PLAN_ID -o FILE``."""

from __future__ import annotations

import json
from importlib.resources import files
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from edubrain.plans.adopt import plan_json
from edubrain.plans.models import Plan, PlanTarget

from . import support_import as support
from .support_import import REGION, small_plan

area, fast_passwords = support.area, support.fast_passwords  # fixtures


def run(*args) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(small_plan(), ensure_ascii=False), encoding="utf-8")
    return path


def test_import_json_as_a_draft(area, plan_file):
    out = run("import", str(plan_file), "--county", REGION, "--user", "plan_admin")
    plan = Plan.objects.get(org_unit=area.county)
    assert plan.status == Plan.Status.DRAFT and plan.created_by == area.users.admin
    assert plan.source_name == "plan.json"
    assert (
        "规划《测试规划县教育事业发展“十四五”规划》（2021—2025 年，测政字〔2023〕1号），区域：测试规划县"
        in out
    )
    assert "重点任务 3 项（责任单位 6 个），量化目标 5 个（4 个可对应指标），重点项目 2 个" in out
    assert "未能识别 1 处：" in out and "（此件公开发布）（不是规划内容）" in out
    assert f"已保存为草稿（规划编号 {plan.pk}），审核页面：/plans/import/{plan.pk}/" in out


def test_import_and_adopt(area, plan_file):
    out = run("import", str(plan_file), "--county", REGION, "--adopt")
    plan = Plan.objects.get(org_unit=area.county)
    assert plan.status == Plan.Status.ADOPTED
    assert (
        f"已采用（规划编号 {plan.pk}）：责任单位 6 个，其中 5 个已关联责任单位名录（4/5 个单位名称）" in out
    )
    assert "目标 5 个，其中 4 个已对应指标" in out
    assert PlanTarget.objects.filter(plan=plan).count() == 5


def test_an_invalid_plan_is_kept_as_a_draft_and_the_problems_listed(area, tmp_path):
    data = small_plan()
    data["targets"][0]["target"] = None
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import", str(path), "--county", REGION, "--adopt")
    message = str(caught.value)
    assert "目标第 1 条（学前三年毛入园率）：缺少目标值（target）" in message
    assert "草稿已保存" in message
    plan = Plan.objects.get(org_unit=area.county)
    assert plan.status == Plan.Status.DRAFT and not plan.targets.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "nowhere.json", "--county", REGION], "找不到文件：nowhere.json"),
        (["import", "plan.pdf", "--county", REGION], "只支持 .txt、.docx 或 .json 规划文件"),
        (["import", "{plan}", "--county", "999999"], "找不到行政区划代码为 999999 的县（市、区）"),
        (["import", "{plan}", "--county", REGION, "--user", "nobody"], "找不到用户：nobody"),
        (["export", "987654321", "-o", "x.json"], "找不到规划：编号 987654321"),
    ],
)
def test_refusals_in_chinese(area, plan_file, args, message):
    args = [str(plan_file) if a == "{plan}" else a for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_broken_json_file(area, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{不是 JSON", encoding="utf-8")
    with pytest.raises(CommandError, match="broken.json 不是有效的 UTF-8 JSON 文件"):
        run("import", str(path), "--county", REGION)


def test_export_writes_the_json_contract(area, plan_file, tmp_path):
    run("import", str(plan_file), "--county", REGION, "--adopt")
    plan = Plan.objects.get(org_unit=area.county)
    target = tmp_path / "out.json"
    out = run("export", str(plan.pk), "-o", str(target))
    assert "已导出《测试规划县教育事业发展“十四五”规划》（已采用）" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data == plan_json(plan)
    assert data["period"] == [2021, 2025] and len(data["tasks"]) == 3


def test_export_to_stdout(area, plan_file):
    run("import", str(plan_file), "--county", REGION)
    plan = Plan.objects.get(org_unit=area.county)
    assert json.loads(run("export", str(plan.pk), "-o", "-")) == small_plan()


def test_import_the_countys_document(area):
    """End to end on the county's own plan, parsed by ``core.plan.parser``."""
    path = files("edubrain.data").joinpath("plans/yiyuan_2021_2025.txt")
    out = run("import", str(path), "--county", REGION, "--adopt")
    plan = Plan.objects.get(org_unit=area.county)
    assert plan.status == Plan.Status.ADOPTED and plan.doc_number == "源政字〔2023〕36号"
    assert "已采用" in out and plan.tasks.count() >= 40 and plan.projects.count() == 18
