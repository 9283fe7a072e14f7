"""录取名单导出: the admitted children as the new school year's 班级 and 学生 import — no retyping.

One workbook, two sheets with exactly the headers of the imports app's datasets: "班级" (学校标识码,
学年, 年级, 班号, 班级名称) and "学生" (学校标识码, 学籍号, 身份证号, 姓名, …, 学年, 年级, 班号). Import the
班级 sheet first, then the 学生 sheet. 学籍号 is the provisional "G" + 身份证号. Each school's children
are split into its planned classes (招生计划的班数, else enough classes of the standard size) by 均衡分班:
S-shaped over the children sorted by sex, then birth date, so every class gets a like mix of boys and
girls, older and younger.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from edubrain.admission.models import AdmissionRound, Application, Quota
from edubrain.admission.results import staff_applications, visible_schools
from edubrain.base.frames import queryset_frame
from edubrain.base.masking import may_see_personal
from edubrain.core.enrollment.eligibility import entry_grade
from edubrain.core.io.writers import write_tables
from edubrain.core.places.class_size import ClassSizeOptions
from edubrain.core.stages import grade_name

CLASS_HEADERS = ("学校标识码", "学年", "年级", "班号", "班级名称")
STUDENT_HEADERS = (
    "学校标识码",
    "学籍号",
    "身份证号",
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "户籍类型",
    "留守儿童",
    "残疾",
    "家庭经济困难",
    "家庭住址",
    "学年",
    "年级",
    "班号",
)
EXPORTABLE = (AdmissionRound.Status.PLACED, AdmissionRound.Status.PUBLISHED)


def class_size(stage: str) -> int:
    """The standard class size of the stage (小学 45, 初中 50: standards §4.1)."""
    return int(ClassSizeOptions().standards[stage])


def assign_classes(children: pl.DataFrame, classes: pl.DataFrame, size: int) -> pl.DataFrame:
    """均衡分班. ``children``: school_id, sex, birth_date (+ any columns); ``classes``: school_id, classes
    (planned, 0 = not planned). Adds ``class_number`` (1..k): k = the planned number (never more than the
    children), else ceil(n / size); children sorted by sex then birth date are dealt S-shaped
    (1, 2 … k, k … 2, 1, 1, 2 …)."""
    counted = children.group_by("school_id").agg(pl.len().alias("__n__"))
    k = (
        counted.join(classes, on="school_id", how="left")
        .with_columns(
            pl.when(pl.col("classes").fill_null(0) > 0)
            .then(pl.min_horizontal(pl.col("classes"), pl.col("__n__")))
            .otherwise((pl.col("__n__") + size - 1) // size)
            .cast(pl.Int64)
            .alias("__k__")
        )
        .select("school_id", "__k__")
    )
    ranked = (
        children.join(k, on="school_id", how="left")
        .sort("school_id", "sex", "birth_date", "receipt_no")
        .with_columns(pl.int_range(pl.len()).over("school_id").alias("__r__"))
    )
    lap = pl.col("__r__") // pl.col("__k__")
    pos = pl.col("__r__") % pl.col("__k__")
    number = pl.when(lap % 2 == 0).then(pos + 1).otherwise(pl.col("__k__") - pos)
    return ranked.with_columns(number.cast(pl.Int64).alias("class_number")).drop("__k__", "__r__")


def admitted_frames(
    round: AdmissionRound, user: Any, school: Any = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(班级, 学生) frames of the admitted children the user may export (one school when given)."""
    apps = staff_applications(round, user).filter(
        status=Application.Status.ADMITTED, admitted_school__in=visible_schools(user)
    )
    if school is not None:
        apps = apps.filter(admitted_school=school)
    children = queryset_frame(
        apps.order_by("admitted_school__code", "receipt_no"),
        [
            "receipt_no",
            "admitted_school_id",
            "admitted_school__code",
            "child_id_number",
            "child_name",
            "child_sex",
            "child_birth_date",
            "tier",
            "address",
        ],
    ).rename({"admitted_school_id": "school_id", "child_sex": "sex", "child_birth_date": "birth_date"})
    planned = queryset_frame(Quota.objects.filter(round=round), ["school_id", "classes"])
    placed = assign_classes(children, planned, class_size(round.stage))
    system = str(settings.EDUBRAIN.get("SCHOOL_SYSTEM", "6-3"))
    grade = grade_name(entry_grade(round.stage, system))
    year = f"{round.year}-{round.year + 1}"
    students = placed.sort("admitted_school__code", "class_number", "receipt_no").select(
        pl.col("admitted_school__code").alias("学校标识码"),
        (pl.lit("G") + pl.col("child_id_number")).alias("学籍号"),
        pl.col("child_id_number").alias("身份证号"),
        pl.col("child_name").alias("姓名"),
        pl.col("sex").replace_strict({"M": "男", "F": "女"}, default=None).alias("性别"),
        pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("出生日期"),
        pl.lit(None, pl.String).alias("民族"),
        pl.when(pl.col("tier") == "migrant").then(pl.lit("随迁")).otherwise(pl.lit("本地")).alias("户籍类型"),
        pl.lit("否").alias("留守儿童"),
        pl.lit("否").alias("残疾"),
        pl.lit("否").alias("家庭经济困难"),
        pl.col("address").alias("家庭住址"),
        pl.lit(year).alias("学年"),
        pl.lit(grade).alias("年级"),
        pl.col("class_number").alias("班号"),
    )
    classes = (
        students.select("学校标识码", "班号")
        .unique()
        .sort("学校标识码", "班号")
        .select(
            "学校标识码",
            pl.lit(year).alias("学年"),
            pl.lit(grade).alias("年级"),
            "班号",
            pl.format("{}{}班", pl.lit(grade), pl.col("班号")).alias("班级名称"),
        )
    )
    return classes, students


def admitted_workbook(round: AdmissionRound, user: Any, school: Any = None) -> bytes:
    """The xlsx with sheets "班级" and "学生" (see the module docstring)."""
    if not may_see_personal(user):
        raise PermissionDenied("录取名单含身份证号，只有可查看个人信息的管理员才能导出")
    if round.status not in EXPORTABLE:
        raise ValidationError(f"招生批次状态为“{round.get_status_display()}”，派位后才能导出录取名单")
    classes, students = admitted_frames(round, user, school)
    with tempfile.TemporaryDirectory() as folder:
        path = write_tables({"班级": classes, "学生": students}, Path(folder) / "录取名单.xlsx")
        return path.read_bytes()


def workbook_filename(round: AdmissionRound, school: Any = None) -> str:
    return f"{round.name}_{school.name if school is not None else '全县'}_录取名单.xlsx"
