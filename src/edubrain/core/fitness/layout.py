"""The national upload layout (国家学生体质健康标准数据上报格式) and scoring a whole file in it.

Columns: 年级编号, 班级编号, 班级名称, 学籍号, 民族代码, 姓名, 性别, 出生日期, 家庭住址, then the
measurements (身高, 体重, 肺活量, 50米跑, 坐位体前屈, 一分钟跳绳, 一分钟仰卧起坐, 50米×8往返跑, 立定跳远,
引体向上, 800米跑, 1000米跑), optionally 免测 and 学年. ``score_sheet`` keeps every row of the file as it
was typed and appends, for each item tested at a grade present in the file, ``<项目>得分`` and
``<项目>等级`` (BMI: 体重指数, 体重指数得分, 体重指数等级), then 标准分, 附加分, 总分, 总分等级 and 备注 —
the reason when a row has no total.
These output names are a contract read by other tools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from edubrain.core.fitness.items import BMI, HEIGHT, ITEMS, MEASURED_ITEMS, MEASURES, WEIGHT
from edubrain.core.fitness.scoring import ScoringOptions, item_level, score_frame
from edubrain.core.fitness.standard import Standard, standard_2014
from edubrain.core.frames import Column, Dataset, validate
from edubrain.core.io.layout import ROW
from edubrain.core.io.readers import Sheet

TOTAL_COLUMNS = ("标准分", "附加分", "总分", "总分等级", "备注")
EXEMPT_WORDS = ("免测", "免", "免考", "免予执行")


def measure_columns(*, ranges: bool) -> list[Column]:
    """The measurement columns; ``ranges`` puts each item's plausible range on the column (the import
    refuses such cells; the CLI leaves them to the scoring core, which explains them in 备注)."""
    cols = [
        Column(
            m.column,
            m.header,
            "decimal",
            aliases=m.aliases,
            unit=m.unit,
            min=m.low if ranges else None,
            max=m.high if ranges else None,
        )
        for m in MEASURES
    ]
    cols += [
        Column(
            i.column,
            i.header,
            i.kind,
            aliases=i.aliases,
            unit=i.unit,
            min=i.low if ranges else None,
            max=i.high if ranges else None,
        )
        for i in MEASURED_ITEMS
    ]
    return cols


def grade_codes(std: Standard | None = None) -> dict[str, str]:
    """Accepted 年级编号 spellings → code: the code and the grade's names (小学一年级, 一年级, 初一…)."""
    std = std or standard_2014()
    out: dict[str, str] = {}
    for code in std.grade_codes:
        grade = std.raw["grades"][code]
        out.update({code: code, grade["name"]: code, grade["short_name"]: code})
    return out


def scoring_dataset() -> Dataset:
    """The layout as the ``fitness score`` CLI reads it: only 年级编号 and 性别 are required."""
    columns = (
        Column("grade", "年级编号", "text", aliases=("年级", "年级代码"), required=True),
        Column("class_code", "班级编号", "text", aliases=("班号",)),
        Column("class_name", "班级名称", "text", aliases=("班级",)),
        Column("student_number", "学籍号", "text", aliases=("全国学籍号", "学号")),
        Column("ethnicity", "民族代码", "text", aliases=("民族",)),
        Column("name", "姓名", "text", aliases=("学生姓名",)),
        Column("sex", "性别", "sex", required=True),
        Column("birth_date", "出生日期", "text"),
        Column("address", "家庭住址", "text"),
        *measure_columns(ranges=False),
        Column("exempt", "免测", "bool", aliases=("是否免测", "免测标记")),
        Column("school_year", "学年", "text", aliases=("测试学年",)),
    )
    return Dataset("fitness_scoring", "体质测试成绩", columns)


def mark_exempt(sheet: Sheet, dataset: Dataset) -> Sheet:
    """Cells that say 免测 in a measurement column mark the whole row exempt: the measurement cells are
    cleared and the 免测 column (added when absent) says 是."""
    keys = {c.key for c in measure_columns(ranges=False)}
    frame = sheet.frame
    measured = [h for h in sheet.headers if _column_key(h, dataset) in keys]
    exempt_header = next((h for h in sheet.headers if _column_key(h, dataset) == "exempt"), None)
    if not measured:
        return sheet
    said = pl.any_horizontal(
        pl.col(h).str.strip_chars().is_in(EXEMPT_WORDS).fill_null(False) for h in measured
    )
    if not frame.select(said.any()).item():
        return sheet
    target = exempt_header or "免测"
    current = pl.col(target) if exempt_header else pl.lit(None, pl.String)
    frame = frame.with_columns(
        *(pl.when(said).then(None).otherwise(pl.col(h)).alias(h) for h in measured),
        pl.when(said).then(pl.lit("是")).otherwise(current).alias(target),
    )
    return Sheet(sheet.name, frame, sheet.header_row, sheet.formulas)


def _column_key(header: str, dataset: Dataset) -> str | None:
    from edubrain.core.io.normalise import normalise_header

    text = normalise_header(header)
    for c in dataset.columns:
        keys = c.header_keys()
        if text in keys or text.split("(")[0] in keys:
            return c.key
    return None


@dataclass
class ScoredSheet:
    """One sheet of the input with its result columns; ``counts``: rows per outcome."""

    name: str
    frame: pl.DataFrame
    counts: dict[str, int]


def output_columns(scored: pl.DataFrame, grades: Sequence[str], std: Standard) -> list[pl.Expr]:
    """The Chinese result columns for the items tested at any of ``grades`` (standard order)."""
    taken: set[str] = set()
    for code in grades:
        if code in std.grade_codes:
            g = std.grade_codes.index(code) * 2
            taken |= set(std.items[g]) | set(std.items[g + 1])
    exprs: list[pl.Expr] = []
    for item in ITEMS:
        if item.key not in taken:
            continue
        score = pl.col(f"{item.key}_score")
        if item.key == BMI:
            exprs += [
                pl.col("bmi").alias("体重指数"),
                score.alias("体重指数得分"),
                pl.col("bmi_band").alias("体重指数等级"),
            ]
        else:
            exprs += [score.alias(f"{item.name}得分"), item_level(score).alias(f"{item.name}等级")]
    exprs += [
        pl.col("standard_score").alias("标准分"),
        pl.col("bonus").alias("附加分"),
        pl.col("total_score").alias("总分"),
        pl.col("rating").alias("总分等级"),
        pl.col("remark").alias("备注"),
    ]
    return exprs


def score_sheet(
    sheet: Sheet, *, file_name: str = "", options: ScoringOptions | None = None, std: Standard | None = None
) -> ScoredSheet:
    """Score one sheet in the national layout: every row kept, result columns appended (see module doc).

    A cell that cannot be read (肺活量 "abc", a date in a run column) makes its row unscored with the
    validator's message in 备注; everything the standard itself rules out is explained by the scoring core."""
    std = std or standard_2014()
    dataset = scoring_dataset()
    sheet = mark_exempt(sheet, dataset)
    checked = validate(sheet, dataset, file_name=file_name)
    rows = checked.rows
    codes = grade_codes(std)
    inputs = rows.select(
        pl.col(ROW),
        pl.col("grade").str.strip_chars().replace(codes).alias("grade"),
        pl.col("sex"),
        *(
            pl.col(c).cast(pl.Float64)
            for c in (HEIGHT.column, WEIGHT.column, *(i.column for i in MEASURED_ITEMS))
            if c in rows.columns
        ),
        *([pl.col("exempt")] if "exempt" in rows.columns else []),
    )
    scored = pl.concat([inputs.select(ROW, "grade"), score_frame(inputs, std, options)], how="horizontal")
    grades = scored["grade"].drop_nulls().unique().sort().to_list()
    result = scored.select(pl.col(ROW), *output_columns(scored, grades, std))
    if checked.errors.height:
        notes = (
            checked.errors.group_by("row", maintain_order=True)
            .agg(pl.col("message").str.join("；").alias("备注"))
            .rename({"row": ROW})
        )
        result = pl.concat([result, notes], how="diagonal_relaxed")
    clash = {c: f"{c}（原）" for c in sheet.frame.columns if c in result.columns and c != ROW}
    original = sheet.frame.rename(clash)
    out = original.join(result, on=ROW, how="left").sort(ROW)
    counts = {
        "rows": out.height,
        "scored": int(scored["status"].eq("scored").sum()),
        "exempt": int(scored["status"].eq("exempt").sum()),
        "incomplete": int(scored["status"].eq("incomplete").sum()),
        "invalid": int(scored["status"].eq("invalid").sum()) + checked.invalid_rows,
        **{r: int(scored["rating"].eq(r).sum()) for r in ("优秀", "良好", "及格", "不及格")},
    }
    return ScoredSheet(sheet.name, out.drop(ROW), counts)
