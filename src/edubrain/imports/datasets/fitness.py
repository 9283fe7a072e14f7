"""体质测试 (fitness): the national student-fitness upload layout (国家学生体质健康标准数据上报格式), one row
per student → ``FitnessMeasurement`` per (student, 学年).

The student is found by 学籍号 within the user's scope; 姓名、性别、出生日期、民族代码、家庭住址 and 班级编号
are part of the national layout but are kept in the student registry, not here (they are read and ignored).
The 学年 comes from a 学年 column, else from the import option (命令行 --year). Runs are times (3'40", 220,
8.5); an item not tested at the student's grade is left blank.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame
from edubrain.imports.datasets.base import Plan
from edubrain.imports.datasets.common import RowsConfig
from edubrain.imports.datasets.students import GRADE_CODES
from edubrain.imports.diff import CHANGED, NEW
from edubrain.imports.resolve import (
    Context,
    fill_school_years,
    reject_duplicates,
    resolve_batch_year,
    resolve_students,
    with_absent,
)

# key, header, kind, unit, min, max, aliases
ITEMS: tuple[tuple[str, str, str, str, float, float, tuple[str, ...]], ...] = (
    ("height_cm", "身高", "decimal", "厘米", 80, 220, ("身高（cm）",)),
    ("weight_kg", "体重", "decimal", "千克", 10, 200, ("体重（kg）",)),
    ("vital_capacity_ml", "肺活量", "int", "毫升", 300, 9000, ("肺活量（ml）",)),
    ("sprint_50m_s", "50米跑", "duration", "秒", 5, 20, ("50米",)),
    ("sit_and_reach_cm", "坐位体前屈", "decimal", "厘米", -30, 40, ("坐位体前屈（cm）",)),
    ("rope_skip_1min", "一分钟跳绳", "int", "次", 0, 300, ("1分钟跳绳", "跳绳")),
    ("situps_1min", "一分钟仰卧起坐", "int", "次", 0, 100, ("1分钟仰卧起坐", "仰卧起坐")),
    (
        "shuttle_50x8_s",
        "50米×8往返跑",
        "duration",
        "秒",
        60,
        240,
        ("50米x8往返跑", "50米*8往返跑", "50×8往返跑"),
    ),
    ("standing_long_jump_cm", "立定跳远", "decimal", "厘米", 50, 400, ("立定跳远（cm）",)),
    ("pullups", "引体向上", "int", "次", 0, 60, ()),
    ("run_800m_s", "800米跑", "duration", "秒", 120, 600, ("800米",)),
    ("run_1000m_s", "1000米跑", "duration", "秒", 120, 600, ("1000米",)),
)
RUNS = ("shuttle_50x8_s", "run_800m_s", "run_1000m_s")


def minutes_text(expr: pl.Expr) -> pl.Expr:
    """Seconds → 3'40" (tenths kept: 3'40.5")."""
    minutes = (expr // 60).cast(pl.Int64)
    seconds = (expr - minutes * 60).round(1)
    whole = seconds == seconds.floor()
    sec_text = (
        pl.when(whole)
        .then(seconds.cast(pl.Int64).cast(pl.String).str.zfill(2))
        .otherwise(seconds.cast(pl.String).str.zfill(4))
    )
    return pl.when(expr.is_not_null()).then(pl.format("{}'{}\"", minutes, sec_text))


class FitnessConfig(RowsConfig):
    name, label, model_label = "fitness", "体质测试", "fitness.FitnessMeasurement"
    key = ("student_id", "school_year_id")
    fields = ("school_id", "grade_code", "class_name", *(k for k, *_ in ITEMS))
    sources = {"student_id": "student_number", "school_year_id": "school_year", "grade_code": "grade"}
    notes = (
        "按国家学生体质健康标准数据上报格式填写，每名学生一行，以学籍号识别学生（须已在学生名单中）。",
        "学年：文件中有“学年”列时按该列，否则按导入时选择的学年（命令行 --year）。",
        "同一学生同一学年再次导入时更新该学年的成绩。",
        "姓名、性别、出生日期、民族代码、家庭住址、班级编号不导入（以学生名单为准）。",
        "跑步成绩可写 3'40\"、3:40、3分40秒 或秒数 220；50米跑写秒数（如 8.5）。",
        "本年级不测的项目留空。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        return [
            Column("grade", "年级编号", "code", codes=GRADE_CODES, aliases=("年级",)),
            Column("class_code", "班级编号", "text", aliases=("班号",), max_length=20),
            Column("class_name", "班级名称", "text", aliases=("班级",), max_length=40),
            Column("student_number", "学籍号", "student_number", aliases=("全国学籍号",), required=True),
            Column("ethnicity", "民族代码", "text", aliases=("民族",), max_length=20),
            Column("name", "姓名", "text", aliases=("学生姓名",), max_length=40),
            Column("sex", "性别", "text", max_length=4),
            Column("birth_date", "出生日期", "text", max_length=20),
            Column("address", "家庭住址", "text", max_length=200),
            *(Column(k, h, kind, aliases=a, unit=u, min=lo, max=hi) for k, h, kind, u, lo, hi, a in ITEMS),
            Column("school_year", "学年", "text", aliases=("测试学年",)),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("student_number", "school_year")

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = resolve_students(with_absent(rows, self.spec), ctx)
        frame = resolve_batch_year(frame, ctx)
        frame = reject_duplicates(
            frame, ctx, ["student_id", "__year__"], "学籍号", "student_number", "同一学生同一学年"
        )
        return self.coerce(frame.with_columns(pl.col("grade").alias("grade_code")))

    def existing(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        qs = self.model._base_manager.filter(student_id__in=frame["student_id"].unique().to_list())
        return queryset_frame(qs, ["id", *self.key, *self.fields])

    def write(self, plan: Plan, ctx: Context) -> int:
        from edubrain.base.frames import insert_frame, update_frame

        frame = fill_school_years(plan.frame)
        batch = getattr(ctx.batch, "pk", None)
        new = frame.filter(pl.col("__status__") == NEW).select([*self.key, *self.fields])
        new = new.with_columns(pl.lit(batch, pl.Int64).alias("batch_id"))
        changed = frame.filter(pl.col("__status__") == CHANGED).select(["id", *self.live_fields(ctx)])
        changed = changed.with_columns(pl.lit(batch, pl.Int64).alias("batch_id"))
        return insert_frame(self.model, new) + update_frame(self.model, changed)

    def export_frame(self, user: Any) -> pl.DataFrame:
        qs = self.model.objects.visible_to(user).order_by(
            "school_year__start_year", "school__code", "grade_code", "class_name", "student__student_number"
        )
        cols = [
            "grade_code",
            "class_name",
            "student__student_number",
            "student__ethnicity",
            "student__name",
            "student__sex",
            "student__birth_date",
            "student__address",
            *(k for k, *_ in ITEMS),
            "school_year__start_year",
        ]
        frame = queryset_frame(qs, cols)
        items = [
            (minutes_text(pl.col(k)) if k in RUNS else pl.col(k)).alias(self.header_of(k)) for k, *_ in ITEMS
        ]
        return frame.select(
            pl.col("grade_code").alias("年级编号"),
            pl.lit(None, pl.String).alias("班级编号"),
            pl.col("class_name").alias("班级名称"),
            pl.col("student__student_number").alias("学籍号"),
            pl.col("student__ethnicity").alias("民族代码"),
            pl.col("student__name").alias("姓名"),
            pl.col("student__sex").replace_strict({"M": "1", "F": "2"}, default=None).alias("性别"),
            pl.col("student__birth_date").dt.strftime("%Y-%m-%d").alias("出生日期"),
            pl.col("student__address").alias("家庭住址"),
            *items,
            pl.col("school_year__start_year").cast(pl.String).alias("学年"),
        )


FITNESS = FitnessConfig()
