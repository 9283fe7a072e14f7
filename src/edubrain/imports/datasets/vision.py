"""视力筛查 (vision): per student (学籍号), 学年 and 筛查日期 — uncorrected acuity per eye on the 5-point
scale (4.0–5.3; decimal readings 0.1–2.0 are converted, the value as written is kept), 串镜 and 屈光不正
per eye, 戴镜; the non-cycloplegic autorefraction per eye (球镜, 柱镜, 轴位), 戴镜类型 (框架眼镜 / 角膜塑形镜)
with 矫正视力 (either scale) and optional 眼轴. The columns match the vision part of the national fitness
upload, so that file imports here too. Rows are classified on write (筛查性近视, 近视程度, 近视前期, 预警等级:
``edubrain.vision.services.classify_rows``), as the fitness import scores on write."""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.base.frames import insert_frame, queryset_frame, update_frame
from edubrain.imports.datasets.base import Plan, yes_no
from edubrain.imports.datasets.common import RowsConfig
from edubrain.imports.diff import CHANGED, NEW
from edubrain.imports.resolve import (
    Context,
    fill_school_years,
    reject_duplicates,
    resolve_batch_year,
    resolve_students,
    with_absent,
)

LENS_CODES = {
    "+": "+",
    "＋": "+",
    "-": "-",
    "−": "-",
    "－": "-",
    "=": "=",
    "＝": "=",
    "不变": "=",
    "未查": "",
    "远视倾向": "+",
    "近视倾向": "-",
}
LENS_LABELS = {"+": "+", "-": "-", "=": "=", "": None}
CORRECTION_CODES = {
    "框架眼镜": "glasses",
    "框架": "glasses",
    "眼镜": "glasses",
    "普通眼镜": "glasses",
    "戴框架眼镜": "glasses",
    "glasses": "glasses",
    "角膜塑形镜": "orthok",
    "塑形镜": "orthok",
    "OK镜": "orthok",
    "ok镜": "orthok",
    "Ok镜": "orthok",
    "orthok": "orthok",
    "未戴镜": "",
    "不戴镜": "",
    "无": "",
    "否": "",
}
CORRECTION_LABELS = {"glasses": "框架眼镜", "orthok": "角膜塑形镜", "": None}
EYES = (("left", "左眼"), ("right", "右眼"))
REFRACTION = ("left_sphere", "left_cylinder", "left_axis", "right_sphere", "right_cylinder", "right_axis")
REFRACTION_HEADERS = ("左眼球镜", "左眼柱镜", "左眼轴位", "右眼球镜", "右眼柱镜", "右眼轴位")


def five_point(expr: pl.Expr) -> pl.Expr:
    """A decimal reading (0.1–2.0) → the 5-point value (5 + lg v, one place); 4.0–5.3 stays."""
    from edubrain.core.vision.acuity import to_five_point

    return pl.when(expr <= 2.0).then(to_five_point(expr)).otherwise(expr.round(1))


def with_birth_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """``birth_date`` of each row's student (the classification's age) and ``start_year`` of its 学年."""
    from edubrain.registry.models import SchoolYear, Student

    ids = frame["student_id"].drop_nulls().unique().to_list()
    births = queryset_frame(Student._base_manager.filter(id__in=ids), ["id", "birth_date"]).rename(
        {"id": "student_id"}
    )
    years = queryset_frame(SchoolYear.objects.all(), ["id", "start_year"]).rename({"id": "school_year_id"})
    frame = frame.drop(["birth_date", "start_year"], strict=False)
    births = births.with_columns(pl.col("student_id").cast(frame.schema["student_id"]))
    years = years.with_columns(pl.col("school_year_id").cast(frame.schema["school_year_id"]))
    frame = frame.join(births, on="student_id", how="left", maintain_order="left")
    return frame.join(years, on="school_year_id", how="left", maintain_order="left")


class VisionConfig(RowsConfig):
    name, label, model_label = "vision", "视力筛查", "vision.VisionScreening"
    key = ("student_id", "school_year_id", "screened_on")
    fields = (
        "school_id",
        "left_acuity",
        "right_acuity",
        "left_acuity_raw",
        "right_acuity_raw",
        "left_lens",
        "right_lens",
        "left_refractive",
        "right_refractive",
        "glasses",
        *REFRACTION,
        "correction",
        "left_corrected",
        "right_corrected",
        "axial_left",
        "axial_right",
    )
    sources = {
        "student_id": "student_number",
        "school_year_id": "school_year",
        "left_acuity": "left",
        "left_acuity_raw": "left",
        "right_acuity": "right",
        "right_acuity_raw": "right",
        "left_corrected": "left_corr",
        "right_corrected": "right_corr",
    }
    notes = (
        "每名学生每次筛查一行，以“学籍号 + 学年 + 筛查日期”识别；学生须已在学生名单中。",
        "裸眼视力按五分记录填写（4.0～5.3）；填小数记录（0.1～2.0）时自动换算为五分记录，原值一并保存。",
        "串镜填 +、−（或 -）、=（不变），未查留空；屈光不正、戴镜填 是/否。",
        "学年：文件中有“学年”列时按该列，否则按导入时选择的学年（命令行 --year）。",
        "电脑验光（非散瞳）按眼填球镜、柱镜（D，如 -1.25）和轴位（0～180）；柱镜正负号写法均可。",
        "戴镜类型填 框架眼镜、角膜塑形镜（OK镜）或留空；矫正视力可填五分记录或小数记录；眼轴（mm）选填。",
        "导入时按 WS/T 663-2020 计算等效球镜、筛查性近视、近视程度、近视前期和预警等级。",
        "国家体质健康上报文件中的视力列可直接导入（其他列会被忽略）。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        acuity = {"kind": "decimal", "min": 0.1, "max": 5.3}
        return [
            Column("student_number", "学籍号", "student_number", aliases=("全国学籍号",), required=True),
            Column("school_year", "学年", "text", aliases=("筛查学年",)),
            Column("screened_on", "筛查日期", "date", aliases=("检查日期",), min=2000),
            Column("left", "左眼裸眼视力", aliases=("左眼视力",), **acuity),
            Column("right", "右眼裸眼视力", aliases=("右眼视力",), **acuity),
            Column("left_lens", "左眼串镜", "code", codes=LENS_CODES),
            Column("right_lens", "右眼串镜", "code", codes=LENS_CODES),
            Column("left_refractive", "左眼屈光不正", "bool"),
            Column("right_refractive", "右眼屈光不正", "bool"),
            Column("glasses", "戴镜", "bool", aliases=("是否戴镜", "戴眼镜")),
            *(
                column
                for side, eye in EYES
                for column in (
                    Column(
                        f"{side}_sphere",
                        f"{eye}球镜",
                        "decimal",
                        aliases=(f"{eye}球镜度", f"{eye}球镜(S)", f"{eye}球镜（S）", f"{eye[0]}眼S"),
                        min=-30,
                        max=30,
                    ),
                    Column(
                        f"{side}_cylinder",
                        f"{eye}柱镜",
                        "decimal",
                        aliases=(f"{eye}柱镜度", f"{eye}柱镜(C)", f"{eye}柱镜（C）", f"{eye[0]}眼C"),
                        min=-15,
                        max=15,
                    ),
                    Column(
                        f"{side}_axis",
                        f"{eye}轴位",
                        "int",
                        aliases=(f"{eye}轴向", f"{eye}轴位(A)", f"{eye}轴位（A）", f"{eye[0]}眼A"),
                        min=0,
                        max=180,
                    ),
                )
            ),
            Column(
                "correction",
                "戴镜类型",
                "code",
                aliases=("矫正方式", "配镜类型", "眼镜类型"),
                codes=CORRECTION_CODES,
            ),
            *(
                Column(f"{side}_corr", f"{eye}矫正视力", aliases=(f"{eye}戴镜视力",), **acuity)
                for side, eye in EYES
            ),
            *(
                Column(
                    f"axial_{side}",
                    f"{eye}眼轴",
                    "decimal",
                    aliases=(f"{eye}眼轴长度", f"{eye}眼轴长", f"{eye}轴长"),
                    min=15,
                    max=40,
                )
                for side, eye in EYES
            ),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("student_number", "school_year", "screened_on")

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = resolve_students(with_absent(rows, self.spec), ctx)
        frame = resolve_batch_year(frame, ctx)
        measured = (
            "left",
            "right",
            "left_lens",
            "right_lens",
            "left_refractive",
            "right_refractive",
            "glasses",
            *REFRACTION,
            "left_corr",
            "right_corr",
        )
        frame = ctx.reject(
            frame,
            pl.all_horizontal(pl.col(c).is_null() for c in measured),
            "左眼裸眼视力",
            "left",
            "该行没有视力筛查数据（裸眼视力、验光、串镜、屈光不正、戴镜都为空）",
            "required",
        )
        for side, eye in EYES:
            for key, header, target in (
                (side, f"{eye}裸眼视力", f"{side}_acuity"),
                (f"{side}_corr", f"{eye}矫正视力", f"{side}_corrected"),
            ):
                v = pl.col(key)
                frame = ctx.reject(
                    frame,
                    (v > 2.0) & (v < 4.0),
                    header,
                    key,
                    "视力应为五分记录（4.0～5.3）或小数记录（0.1～2.0）",
                    "range",
                )
                frame = frame.with_columns(five_point(v).alias(target))
            v = pl.col(side)
            frame = frame.with_columns(
                pl.when(v.is_not_null()).then(v.round(2).cast(pl.String)).alias(f"{side}_acuity_raw")
            )
            frame = ctx.reject(
                frame,
                pl.col(f"{side}_sphere").is_null() & pl.col(f"{side}_cylinder").is_not_null(),
                f"{eye}球镜",
                f"{side}_sphere",
                "填了柱镜就须填球镜（等效球镜 = 球镜 + 柱镜/2）",
                "required",
            )
        frame = reject_duplicates(
            frame,
            ctx,
            ["student_id", "__year__", "screened_on"],
            "学籍号",
            "student_number",
            "同一学生同一学年同一筛查日期",
        )
        return self.coerce(frame)

    def existing(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        qs = self.model._base_manager.filter(student_id__in=frame["student_id"].unique().to_list())
        return queryset_frame(qs, ["id", *self.key, *self.fields])

    def write(self, plan: Plan, ctx: Context) -> int:
        from edubrain.vision.followups import sync_followups
        from edubrain.vision.services import CLASS_FIELDS, classify_rows

        frame = classify_rows(with_birth_dates(fill_school_years(plan.frame)))
        batch = getattr(ctx.batch, "pk", None)
        new = frame.filter(pl.col("__status__") == NEW).select([*self.key, *self.fields, *CLASS_FIELDS])
        changed = frame.filter(pl.col("__status__") == CHANGED).select(
            ["id", *self.live_fields(ctx), *CLASS_FIELDS]
        )
        written = insert_frame(self.model, new.with_columns(pl.lit(batch, pl.Int64).alias("batch_id"))) + (
            update_frame(self.model, changed.with_columns(pl.lit(batch, pl.Int64).alias("batch_id")))
        )
        # a warning screening (预警, or a level risen since the last screening) opens a follow-up
        sync_followups(frame["student_id"].unique().to_list())
        return written

    def export_frame(self, user: Any) -> pl.DataFrame:
        qs = self.model.objects.visible_to(user).order_by(
            "school_year__start_year", "school__code", "student__student_number", "screened_on"
        )
        frame = queryset_frame(
            qs,
            [
                "student__student_number",
                "school_year__start_year",
                "screened_on",
                *(f for f in self.fields if f != "school_id"),
            ],
        )

        def acuity(side: str) -> pl.Expr:
            raw = pl.col(f"{side}_acuity_raw")
            return (
                pl.when(raw.is_not_null() & (raw != ""))
                .then(raw)
                .otherwise(pl.col(f"{side}_acuity").cast(pl.String))
            )

        return frame.select(
            pl.col("student__student_number").alias("学籍号"),
            pl.col("school_year__start_year").cast(pl.String).alias("学年"),
            pl.col("screened_on").dt.strftime("%Y-%m-%d").alias("筛查日期"),
            acuity("left").alias("左眼裸眼视力"),
            acuity("right").alias("右眼裸眼视力"),
            pl.col("left_lens").replace_strict(LENS_LABELS, default=None).alias("左眼串镜"),
            pl.col("right_lens").replace_strict(LENS_LABELS, default=None).alias("右眼串镜"),
            yes_no(pl.col("left_refractive")).alias("左眼屈光不正"),
            yes_no(pl.col("right_refractive")).alias("右眼屈光不正"),
            yes_no(pl.col("glasses")).alias("戴镜"),
            *(pl.col(f).alias(header) for f, header in zip(REFRACTION, REFRACTION_HEADERS, strict=True)),
            pl.col("correction").replace_strict(CORRECTION_LABELS, default=None).alias("戴镜类型"),
            pl.col("left_corrected").alias("左眼矫正视力"),
            pl.col("right_corrected").alias("右眼矫正视力"),
            pl.col("axial_left").alias("左眼眼轴"),
            pl.col("axial_right").alias("右眼眼轴"),
        )


VISION = VisionConfig()
