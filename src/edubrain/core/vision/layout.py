"""The screening file layout of ``edubrain vision classify`` and classifying a whole sheet in it.

Input columns: 学籍号, 姓名, 性别, 出生日期, 年级编号, 筛查日期, 左眼裸眼视力, 右眼裸眼视力,
左眼球镜, 左眼柱镜, 左眼轴位, 右眼球镜, 右眼柱镜, 右眼轴位, optionally 戴镜类型
(无/框架眼镜/角膜塑形镜/OK镜), 左眼矫正视力, 右眼矫正视力, 左眼眼轴, 右眼眼轴. The vision columns of
the national fitness upload (左眼裸眼视力, 右眼裸眼视力, 左眼屈光不正, 右眼屈光不正, 左眼串镜,
右眼串镜, 戴镜) are read too; without autorefraction such rows are explained, not classified. Acuity
cells may be 5-point (3.0–5.3) or decimal (0 < v ≤ 2.0, converted per §5.1), cell by cell.

``classify_sheet`` keeps every row as typed and appends exactly ``RESULT_COLUMNS``: 左眼等效球镜,
右眼等效球镜, 左眼筛查性近视, 右眼筛查性近视, 筛查性近视 (是/否), 近视程度 (无/低度/中度/高度),
近视前期 (是/否), 预警等级 (0–3) and 备注 (why a row was not classified). These output names are a
contract read by other tools.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.core.frames import Column, Dataset, validate
from edubrain.core.io.layout import ROW
from edubrain.core.io.readers import Sheet
from edubrain.core.vision.acuity import to_five_point
from edubrain.core.vision.classify import CLASSIFIED, DEGREES, VisionOptions, classify_frame

__all__ = ["CORRECTION_WORDS", "RESULT_COLUMNS", "ClassifiedSheet", "classify_sheet", "screening_dataset"]

RESULT_COLUMNS = (
    "左眼等效球镜",
    "右眼等效球镜",
    "左眼筛查性近视",
    "右眼筛查性近视",
    "筛查性近视",
    "近视程度",
    "近视前期",
    "预警等级",
    "备注",
)
#: 戴镜类型 as typed → ``correction`` code (the fitness upload's 戴镜 是/否 means spectacles).
CORRECTION_WORDS = {
    "": "",
    "无": "",
    "否": "",
    "不戴": "",
    "未戴镜": "",
    "框架眼镜": "glasses",
    "框架镜": "glasses",
    "眼镜": "glasses",
    "是": "glasses",
    "角膜塑形镜": "orthok",
    "ok镜": "orthok",
    "塑形镜": "orthok",
    "glasses": "glasses",
    "orthok": "orthok",
}
ACUITY_KEYS = ("left_acuity", "right_acuity", "left_corrected", "right_corrected")


def screening_dataset() -> Dataset:
    """The layout as the CLI reads it: no column is required (an orthokeratology row may lack uncorrected
    acuity; a row missing what it needs is explained by the classifier); numbers are not
    range-checked here (the classifier explains implausible values in 备注)."""

    def number(key: str, header: str, *aliases: str) -> Column:
        return Column(key, header, "decimal", aliases=aliases)

    columns = (
        Column("student_number", "学籍号", "text", aliases=("全国学籍号", "学号")),
        Column("name", "姓名", "text", aliases=("学生姓名",)),
        Column("sex", "性别", "text"),
        Column("birth_date", "出生日期", "date"),
        Column("grade", "年级编号", "text", aliases=("年级", "年级代码")),
        Column("screened_on", "筛查日期", "date", aliases=("检查日期", "检测日期")),
        Column("left_acuity", "左眼裸眼视力", "decimal", aliases=("左眼视力",)),
        Column("right_acuity", "右眼裸眼视力", "decimal", aliases=("右眼视力",)),
        number("left_sphere", "左眼球镜", "左眼球镜度数", "左眼球镜(D)"),
        number("left_cylinder", "左眼柱镜", "左眼柱镜度数", "左眼柱镜(D)"),
        number("left_axis", "左眼轴位", "左眼轴向"),
        number("right_sphere", "右眼球镜", "右眼球镜度数", "右眼球镜(D)"),
        number("right_cylinder", "右眼柱镜", "右眼柱镜度数", "右眼柱镜(D)"),
        number("right_axis", "右眼轴位", "右眼轴向"),
        Column("correction", "戴镜类型", "text", aliases=("戴镜", "是否戴镜", "戴镜情况", "戴眼镜")),
        number("left_corrected", "左眼矫正视力", "左眼戴镜视力"),
        number("right_corrected", "右眼矫正视力", "右眼戴镜视力"),
        number("axial_left", "左眼眼轴", "左眼眼轴长度", "左眼轴长"),
        number("axial_right", "右眼眼轴", "右眼眼轴长度", "右眼轴长"),
        Column("left_refractive", "左眼屈光不正", "text"),
        Column("right_refractive", "右眼屈光不正", "text"),
        Column("left_lens", "左眼串镜", "text"),
        Column("right_lens", "右眼串镜", "text"),
    )
    return Dataset("vision_screening", "视力筛查", columns)


def five_point_cells(expr: pl.Expr) -> pl.Expr:
    """A decimal reading (0 < v ≤ 2.0) → 5-point; anything else is kept for the classifier to judge."""
    return pl.when((expr > 0) & (expr <= 2.0)).then(to_five_point(expr)).otherwise(expr)


def correction_code(expr: pl.Expr) -> pl.Expr:
    """戴镜类型 → ``correction`` code; unknown words pass through (the classifier flags them)."""
    text = expr.cast(pl.String).str.strip_chars().fill_null("")
    return text.str.to_lowercase().replace(CORRECTION_WORDS)


@dataclass
class ClassifiedSheet:
    """One sheet with its result columns; ``counts``: rows per outcome."""

    name: str
    frame: pl.DataFrame
    counts: dict[str, int]


def _yes_no(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr).then(pl.lit("是")).when(expr.not_()).then(pl.lit("否"))


def classify_sheet(
    sheet: Sheet, *, file_name: str = "", options: VisionOptions | None = None
) -> ClassifiedSheet:
    """Classify one sheet: every row kept, ``RESULT_COLUMNS`` appended (see the module docstring). A cell
    that cannot be read (视力 "abc", 筛查日期 "明天") leaves its row unclassified with the reason in 备注."""
    checked = validate(sheet, screening_dataset(), file_name=file_name)
    rows = checked.rows
    inputs = rows.with_columns(
        *(five_point_cells(pl.col(k)).alias(k) for k in ACUITY_KEYS if k in rows.columns),
        *(
            [correction_code(pl.col("correction")).alias("correction")]
            if "correction" in rows.columns
            else []
        ),
    )
    done = classify_frame(inputs, options)
    result = pl.concat([rows.select(ROW), done], how="horizontal").select(
        pl.col(ROW),
        pl.col("left_se").round(3).alias("左眼等效球镜"),
        pl.col("right_se").round(3).alias("右眼等效球镜"),
        _yes_no(pl.col("left_myopia")).alias("左眼筛查性近视"),
        _yes_no(pl.col("right_myopia")).alias("右眼筛查性近视"),
        _yes_no(pl.col("myopia")).alias("筛查性近视"),
        pl.col("degree").alias("近视程度"),
        _yes_no(pl.col("pre_myopia")).alias("近视前期"),
        pl.col("warning_level").alias("预警等级"),
        pl.col("remark").alias("备注"),
    )
    if checked.errors.height:
        notes = (
            checked.errors.group_by("row", maintain_order=True)
            .agg(pl.col("message").str.join("；").alias("备注"))
            .rename({"row": ROW})
        )
        result = pl.concat([result, notes], how="diagonal_relaxed")
    clash = {c: f"{c}（原）" for c in sheet.frame.columns if c in result.columns and c != ROW}
    out = sheet.frame.rename(clash).join(result, on=ROW, how="left").sort(ROW)
    valid = done.filter(pl.col("status") == CLASSIFIED)
    counts = {
        "rows": out.height,
        "classified": valid.height,
        "invalid": done.height - valid.height + checked.invalid_rows,
        "myopic": int(valid["myopia"].sum()),
        "pre_myopia": int(valid["pre_myopia"].sum()),
        **{d: int(valid["degree"].eq(d).sum()) for d in DEGREES[1:]},
        **{f"预警{k}级": int(valid["warning_level"].eq(k).sum()) for k in (1, 2, 3)},
    }
    return ClassifiedSheet(sheet.name, out.drop(ROW), counts)
