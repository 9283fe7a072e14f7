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
from edubrain.core.fitness.items import INPUT_COLUMNS
from edubrain.core.fitness.layout import mark_exempt, measure_columns
from edubrain.core.fitness.scoring import item_problems
from edubrain.fitness.services import SCORE_FIELDS, score_rows
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

MEASURES = measure_columns(ranges=True)
RUNS = tuple(c.key for c in MEASURES if c.kind == "duration")


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


def shown(key: str, expr: pl.Expr) -> pl.Expr:
    """A stored value as a clerk typed it: runs as 3'40", numbers without a trailing ".0"."""
    if key in RUNS:
        return minutes_text(expr)
    return expr.cast(pl.String).str.replace(r"\.0$", "")


def with_student_facts(frame: pl.DataFrame) -> pl.DataFrame:
    """``__sex__`` of each student (the registry's, which the scoring uses) and ``__class_grade__``, the
    grade of the student's class in that school year (used when 年级编号 is blank)."""
    from edubrain.registry.models import Enrollment, Student

    ids = frame["student_id"].drop_nulls().unique().to_list()
    years = [y for y in frame["__year__"].drop_nulls().unique().to_list()]
    sexes = queryset_frame(Student._base_manager.filter(id__in=ids), ["id", "sex"]).rename(
        {"id": "student_id", "sex": "__sex__"}
    )
    grades = queryset_frame(
        Enrollment._base_manager.filter(student_id__in=ids, school_class__school_year__start_year__in=years),
        ["student_id", "school_class__school_year__start_year", "school_class__grade_code"],
    ).rename(
        {"school_class__school_year__start_year": "__year__", "school_class__grade_code": "__class_grade__"}
    )
    frame = frame.drop(["__sex__", "__class_grade__"], strict=False)
    frame = frame.join(sexes, on="student_id", how="left")
    grades = grades.with_columns(pl.col("__year__").cast(frame.schema["__year__"]))
    return frame.join(grades.unique(["student_id", "__year__"]), on=["student_id", "__year__"], how="left")


class FitnessConfig(RowsConfig):
    name, label, model_label = "fitness", "体质测试", "fitness.FitnessMeasurement"
    key = ("student_id", "school_year_id")
    fields = ("school_id", "grade_code", "class_name", *INPUT_COLUMNS, "exempt")
    sources = {"student_id": "student_number", "school_year_id": "school_year", "grade_code": "grade"}
    notes = (
        "按国家学生体质健康标准数据上报格式填写，每名学生一行，以学籍号识别学生（须已在学生名单中）。",
        "学年：文件中有“学年”列时按该列，否则按导入时选择的学年（命令行 --year）。",
        "同一学生同一学年再次导入时更新该学年的成绩。",
        "姓名、性别、出生日期、民族代码、家庭住址、班级编号不导入（以学生名单为准）。",
        "跑步成绩可写 3'40\"、3:40、3分40秒 或秒数 220；50米跑写秒数（如 8.5）。",
        "本年级不测的项目留空（如小学生不填立定跳远，男生不填800米跑），否则该行报错。",
        "因病或残疾免予执行的学生在“免测”列填“是”（或在成绩格中填“免测”），各项成绩留空；"
        "免测学生不计入优良率、合格率的分母。",
        "年级编号留空时按该生当年所在班级的年级。导入时按《国家学生体质健康标准（2014年修订）》计算各项得分、"
        "总分和等级。",
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
            *MEASURES,
            Column("exempt", "免测", "bool", aliases=("是否免测",)),
            Column("school_year", "学年", "text", aliases=("测试学年",)),
        ]

    def prepare_sheets(self, sheets: list[Any]) -> list[Any]:
        """免测 typed in a measurement cell marks the row exempt (as the ``fitness score`` command does)."""
        return [mark_exempt(sheet, self.spec) for sheet in sheets]

    def spec_key(self) -> tuple[str, ...]:
        return ("student_number", "school_year")

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = resolve_students(with_absent(rows, self.spec), ctx)
        frame = resolve_batch_year(frame, ctx)
        frame = reject_duplicates(
            frame, ctx, ["student_id", "__year__"], "学籍号", "student_number", "同一学生同一学年"
        )
        frame = with_student_facts(frame)
        return self.coerce(frame.with_columns(pl.coalesce("grade", "__class_grade__").alias("grade_code")))

    def check(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """What the standard rules out (an item the grade or sex does not take, a grade outside the
        standard) is a row error naming the column; nothing is stored unscored by mistake."""
        inputs = frame.select(
            pl.col("grade_code").alias("grade"),
            pl.col("__sex__").alias("sex"),
            *(pl.col(c) for c in INPUT_COLUMNS if c in frame.columns),
        )
        problems = item_problems(inputs)
        if not problems.height:
            return frame
        headers = {c.key: c.header for c in MEASURES} | {"grade": "年级编号", "sex": "性别"}
        values = {"grade": "grade_code", "sex": "__sex__"}
        indexed = frame.with_row_index("__i__")
        for column, found in problems.group_by("column", maintain_order=True):
            key = str(column[0])
            hits = indexed.join(found.rename({"index": "__i__"}).cast({"__i__": pl.UInt32}), on="__i__")
            ctx.errors.append(
                hits.select(
                    pl.col("__sheet__").cast(pl.String).alias("sheet"),
                    pl.col("__row__").cast(pl.Int64).alias("row"),
                    pl.lit(headers[key]).alias("column"),
                    shown(key, pl.col(values.get(key, key))).fill_null("").alias("value"),
                    pl.col("message"),
                    pl.lit("standard").alias("rule"),
                )
            )
        bad = problems["index"].unique()
        return indexed.filter(~pl.col("__i__").is_in(bad.cast(pl.UInt32).implode())).drop("__i__")

    def existing(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        qs = self.model._base_manager.filter(student_id__in=frame["student_id"].unique().to_list())
        return queryset_frame(qs, ["id", *self.key, *self.fields])

    def write(self, plan: Plan, ctx: Context) -> int:
        from edubrain.base.frames import insert_frame, update_frame

        frame = fill_school_years(plan.frame)
        frame = score_rows(frame.with_columns(pl.col("__sex__").alias("sex")))
        batch = getattr(ctx.batch, "pk", None)
        new = frame.filter(pl.col("__status__") == NEW).select([*self.key, *self.fields, *SCORE_FIELDS])
        new = new.with_columns(pl.lit(batch, pl.Int64).alias("batch_id"))
        changed = frame.filter(pl.col("__status__") == CHANGED).select(
            ["id", *self.live_fields(ctx), *SCORE_FIELDS]
        )
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
            *INPUT_COLUMNS,
            "exempt",
            "school_year__start_year",
        ]
        frame = queryset_frame(qs, cols)
        items = [
            (minutes_text(pl.col(k)) if k in RUNS else pl.col(k)).alias(self.header_of(k))
            for k in INPUT_COLUMNS
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
            pl.when(pl.col("exempt")).then(pl.lit("是")).otherwise(pl.lit(None, pl.String)).alias("免测"),
            pl.col("school_year__start_year").cast(pl.String).alias("学年"),
        )


FITNESS = FitnessConfig()
