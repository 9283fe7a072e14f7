"""体质测试 (national upload layout) and 视力筛查 imports: students by 学籍号, 学年 from the file or the
option, durations, ranges, unknown students and scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from edubrain.fitness.models import FitnessMeasurement
from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.vision.models import VisionScreening
from factories import StudentFactory

from .conftest import admin_of, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

NATIONAL = [
    "年级编号",
    "班级编号",
    "班级名称",
    "学籍号",
    "民族代码",
    "姓名",
    "性别",
    "出生日期",
    "家庭住址",
    "身高",
    "体重",
    "肺活量",
    "50米跑",
    "坐位体前屈",
    "一分钟跳绳",
    "一分钟仰卧起坐",
    "50米×8往返跑",
    "立定跳远",
    "引体向上",
    "800米跑",
    "1000米跑",
]
VISION = [
    "学籍号",
    "学年",
    "筛查日期",
    "左眼裸眼视力",
    "右眼裸眼视力",
    "左眼串镜",
    "右眼串镜",
    "左眼屈光不正",
    "右眼屈光不正",
    "戴镜",
]


def preview(tmp_path, dataset, rows, headers, user=None, name="f.csv", **kw):
    path = (write_xlsx if name.endswith(".xlsx") else write_csv)(tmp_path / name, rows, headers=headers)
    return services.preview(services.create_batch(user, dataset, path, name, **kw))


def round_trip(tmp_path, dataset, user):
    (tmp_path / "e.xlsx").write_bytes(DATASETS[dataset].export(user, "xlsx"))
    return services.preview(services.create_batch(user, dataset, tmp_path / "e.xlsx", "e.xlsx"))


@pytest.fixture
def pupils(school):
    return [StudentFactory(school=school, birth_date=dt.date(2012, 5, 1)) for _ in range(3)]


def national(student, **over):
    values = [
        "16",
        "1601",
        "六年级1班",
        student.student_number,
        "01",
        student.name,
        "1" if student.sex == "M" else "2",
        "20120501",
        "",
        "150.5",
        "41.2",
        "2100",
        "9.1",
        "8.5",
        "150",
        "38",
        "1'52\"",
        "",
        "",
        "",
        "",
    ]
    for i, v in over.items():
        values[int(i[1:])] = v
    return values


def test_fitness_commit_reimport_round_trip(pupils, bureau, bureau_admin, tmp_path):
    run = "c19" if pupils[1].sex == "F" else "c20"  # 初一: 800米 for girls, 1000米 for boys
    junior = {"c0": "21", "c14": "", "c15": "", "c16": "", "c17": "190", run: "3'40\""}
    if pupils[1].sex == "M":
        junior["c18"] = "6"
    else:
        junior["c15"] = "40"
    rows = [national(pupils[0]), national(pupils[1], c12="8.5", **junior)]
    batch = preview(tmp_path, "fitness", rows, NATIONAL, name="a.xlsx", options={"year": 2024})
    assert (batch.new, batch.invalid) == (2, 0), batch.error_list()
    services.commit(batch, None)
    m = FitnessMeasurement.objects.get(student=pupils[1], school_year__start_year=2024)
    run = m.run_800m_s if pupils[1].sex == "F" else m.run_1000m_s
    assert (float(m.height_cm), m.vital_capacity_ml, float(m.sprint_50m_s), m.shuttle_50x8_s) == (
        150.5,
        2100,
        8.5,
        None,
    )
    assert (float(run), float(m.standing_long_jump_cm), m.grade_code, m.class_name, m.school_id) == (
        220,
        190,
        "21",
        "六年级1班",
        pupils[1].school_id,
    )
    # scored on import by the 2014 standard: every item of 初一 present → a total and a rating
    assert m.status == "scored" and m.total_score is not None
    assert m.rating in ("优秀", "良好", "及格", "不及格")
    assert m.run_50m_score is not None and m.rope_skip_1min_score is None
    assert m.batch_id == batch.pk
    again = preview(tmp_path, "fitness", rows, NATIONAL, name="b.csv", options={"year": 2024})
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    other_year = preview(
        tmp_path, "fitness", rows, [*NATIONAL, "学年"][:21], name="c.csv", options={"year": 2023}
    )
    assert other_year.new == 2  # another school year is another measurement
    back = round_trip(tmp_path, "fitness", bureau_admin)  # may see 学籍号 unmasked
    assert (back.invalid, back.new, back.changed, back.unchanged) == (0, 0, 0, 2), back.error_list()[:3]


def test_fitness_school_year_from_column_or_cli(pupils, tmp_path):
    rows = [[*national(pupils[0]), "2025-2026"], [*national(pupils[1]), ""]]
    batch = preview(tmp_path, "fitness", rows, [*NATIONAL, "学年"])
    errors = batch.error_list()
    assert batch.new == 1 and errors[0]["row"] == 3 and "--year" in errors[0]["message"]
    services.commit(batch, None, only_valid=True)
    assert FitnessMeasurement.objects.get(student=pupils[0]).school_year.start_year == 2025
    no_year = preview(tmp_path, "fitness", [national(pupils[2])], NATIONAL, name="n.csv")
    assert no_year.invalid == 1 and no_year.error_list()[0]["column"] == "学年"
    path = write_csv(tmp_path / "cli.csv", [national(pupils[2])], headers=NATIONAL)
    out = io.StringIO()
    with pytest.raises(SystemExit) as code:
        call_command("import", "fitness", str(path), "--year", "2024", "--json", stdout=out)
    assert code.value.code == 0 and json.loads(out.getvalue())["new"] == 1
    assert FitnessMeasurement.objects.get(student=pupils[2]).school_year.start_year == 2024


@pytest.mark.parametrize(
    ("col", "value", "ok"),
    [
        (9, "59.9", False),
        (9, "60", True),
        (9, "230", True),
        (9, "230.1", False),
        (10, "9", False),
        (11, "99", False),
        (11, "10001", False),
        (12, "4.9", False),
        (12, "30", True),
        (12, "30.1", False),
        (16, "abc", False),
        (19, "3'75\"", False),
        (19, "1'39\"", False),
        (19, "1'40\"", True),
        (19, "15'00\"", True),
        (19, "15'01\"", False),
        (0, "41", False),
    ],
)
def test_fitness_ranges(school, tmp_path, col, value, ok):
    girl = StudentFactory(school=school, sex="F", birth_date=dt.date(2012, 5, 1))
    # an 800米 value is only valid for a junior girl: test the range on such a row
    junior = {"c0": "21", "c14": "", "c16": "", "c15": "40", "c17": "170"} if col == 19 else {}
    row = national(girl, **{**junior, f"c{col}": value})
    batch = preview(tmp_path, "fitness", [row], NATIONAL, options={"year": 2024})
    if ok:
        assert batch.invalid == 0 and batch.new == 1, batch.error_list()
        return
    err = batch.error_list()[0]
    assert batch.invalid == 1 and err["row"] == 2 and err["column"] == NATIONAL[col] and err["value"] == value
    services.commit(batch, None, only_valid=True)
    assert not FitnessMeasurement.objects.filter(student=girl).exists()


def test_fitness_unknown_student_and_scope(school, other_school, pupils, tmp_path):
    stranger = StudentFactory(school=other_school)
    unknown = national(pupils[0], c3="G" + pupils[0].id_number[:-2] + "00")
    unknown[3] = "L" + "1" * 18
    rows = [national(pupils[0]), unknown, national(stranger), national(pupils[0], c9="151")]
    admin = admin_of(school)
    batch = preview(tmp_path, "fitness", rows, NATIONAL, admin, options={"year": 2024})
    errors = {e["row"]: e for e in batch.error_list()}
    assert set(errors) == {2, 3, 4, 5} and batch.new == 0
    assert "不存在" in errors[3]["message"] and errors[3]["column"] == "学籍号"
    assert errors[4]["message"] == "无权导入其他学校的数据"
    assert "重复" in errors[2]["message"] and "重复" in errors[5]["message"]
    ok = preview(tmp_path, "fitness", rows[:3], NATIONAL, admin, name="g.csv", options={"year": 2024})
    services.commit(ok, admin, only_valid=True)
    assert FitnessMeasurement.objects.filter(student__in=[*pupils, stranger]).count() == 1


def vision_row(student, **over):
    values = [student.student_number, "2024", "2024-10-10", "5.0", "0.8", "+", "-", "否", "是", "否"]
    for i, v in over.items():
        values[int(i[1:])] = v
    return values


def test_vision_commit_reimport_round_trip(pupils, bureau, bureau_admin, tmp_path):
    rows = [vision_row(pupils[0]), vision_row(pupils[1], c2="", c5="不变", c6="", c9="")]
    batch = preview(tmp_path, "vision", rows, VISION, name="v.xlsx")
    assert (batch.new, batch.invalid) == (2, 0), batch.error_list()
    services.commit(batch, None)
    v = VisionScreening.objects.get(student=pupils[0])
    assert (float(v.left_acuity), float(v.right_acuity), v.right_acuity_raw, v.left_lens, v.right_lens) == (
        5.0,
        4.9,
        "0.8",
        "+",
        "-",
    )
    assert (v.left_refractive, v.right_refractive, v.glasses, v.screened_on) == (
        False,
        True,
        False,
        dt.date(2024, 10, 10),
    )
    w = VisionScreening.objects.get(student=pupils[1])
    assert (w.screened_on, w.left_lens, w.right_lens, w.glasses) == (None, "=", "", None)
    again = preview(tmp_path, "vision", rows, VISION, name="w.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    back = round_trip(tmp_path, "vision", bureau_admin)  # may see 学籍号 unmasked
    assert (back.invalid, back.new, back.changed, back.unchanged) == (0, 0, 0, 2), back.error_list()[:3]
    national_file = [[*national(pupils[0])[:4], "4.8", "4.7"]]
    from_upload = preview(
        tmp_path,
        "vision",
        national_file,
        [*NATIONAL[:4], "左眼裸眼视力", "右眼裸眼视力"],
        name="n.csv",
        options={"year": 2025},
    )
    assert from_upload.new == 1 and from_upload.invalid == 0
    no_data = [[pupils[2].student_number, "2025", "", ""]]
    empty = preview(tmp_path, "vision", no_data, VISION[:2] + VISION[3:5], name="x.csv")
    assert empty.invalid == 1 and "没有视力筛查数据" in empty.error_list()[0]["message"]


@pytest.mark.parametrize(
    ("col", "value", "ok"),
    [
        (3, "5.3", True),
        (3, "5.4", False),
        (3, "4.0", True),
        (3, "3.9", False),
        (3, "2.0", True),
        (3, "0.09", False),
        (5, "x", False),
        (7, "也许", False),
        (2, "2999-01-01", False),
        (1, "去年", False),
    ],
)
def test_vision_bad_values(pupils, tmp_path, col, value, ok):
    batch = preview(tmp_path, "vision", [vision_row(pupils[0], **{f"c{col}": value})], VISION)
    if ok:
        assert batch.invalid == 0 and batch.new == 1, batch.error_list()
        return
    err = batch.error_list()[0]
    assert batch.invalid == 1 and err["row"] == 2 and err["column"] == VISION[col]
    services.commit(batch, None, only_valid=True)
    assert not VisionScreening.objects.filter(student=pupils[0]).exists()


def test_vision_unknown_student_and_scope(school, other_school, pupils, tmp_path):
    stranger = StudentFactory(school=other_school)
    rows = [vision_row(pupils[0]), vision_row(stranger), vision_row(pupils[0], c0="L" + "2" * 18)]
    batch = preview(tmp_path, "vision", rows, VISION, admin_of(school))
    errors = {e["row"]: e["message"] for e in batch.error_list()}
    assert batch.new == 1 and errors[3] == "无权导入其他学校的数据" and "不存在" in errors[4]
    services.commit(batch, admin_of(school), only_valid=True)
    assert VisionScreening.objects.filter(student__in=[*pupils, stranger]).count() == 1
