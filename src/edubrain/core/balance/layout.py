"""The file layout of ``edubrain balance evaluate`` (a contract read by other tools; names are exact).

Input, one row per school and stage: 学校标识码, 学校名称, 学段 (小学/初中, or
九年一贯制/十二年一贯制/完全中学 with 小学在校生数, 初中在校生数 and, where it
applies, 高中在校生数), 在校生数, 高于规定学历教师数, 县级以上骨干教师数,
体育艺术专任教师数, 教学及辅助用房面积, 体育运动场馆面积, 教学仪器设备值,
网络多媒体教室数. A combined row may give teachers per stage
(小学高于规定学历教师数, 初中高于规定学历教师数, …).

Output: sheet ``学校达标`` (``SCHOOL_COLUMNS``: the seven values under the indicators' Chinese names, a
``<name>达标`` 是/否 column each, 达标指标数, 是否达标 是/否/不可评估, 备注) and sheet ``差异系数``
(``CV_SHEET_COLUMNS``: one row per stage and indicator; 差异系数 unrounded).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.core.balance.cv import CV_COLUMNS, Evaluation, evaluate
from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    INDICATORS,
    MET_COUNT,
    NO,
    NOT_EVALUABLE,
    NOTE,
    PASSED,
    PUPILS,
    RESOURCE_COLUMNS,
    SCHOOL_ID,
    SCHOOL_NAME,
    STAGE,
    YES,
    BalanceOptions,
)
from edubrain.core.balance.split import STAGE_PUPILS, TEACHER_COLUMNS, stage_teacher_column
from edubrain.core.errors import CoreError
from edubrain.core.io.normalise import parse_number

__all__ = [
    "CV_SHEET",
    "CV_SHEET_COLUMNS",
    "INPUT_COLUMNS",
    "SCHOOL_COLUMNS",
    "SCHOOL_SHEET",
    "BalanceInputError",
    "contract_sheets",
    "EvaluatedFile",
    "evaluate_file_frame",
    "missing_columns",
]

INPUT_COLUMNS = (SCHOOL_ID, SCHOOL_NAME, STAGE, PUPILS, *RESOURCE_COLUMNS)
OPTIONAL_COLUMNS = (
    *STAGE_PUPILS.values(),
    *(stage_teacher_column(s, c) for s in ("小学", "初中") for c in TEACHER_COLUMNS),
)
NUMBER_COLUMNS = (PUPILS, *RESOURCE_COLUMNS, *OPTIONAL_COLUMNS)
SCHOOL_SHEET = "学校达标"
CV_SHEET = "差异系数"
SCHOOL_COLUMNS = (
    SCHOOL_ID,
    SCHOOL_NAME,
    STAGE,
    PUPILS,
    *(i.name for i in INDICATORS),
    *(i.met_column for i in INDICATORS),
    MET_COUNT,
    PASSED,
    NOTE,
)
CV_SHEET_COLUMNS = CV_COLUMNS


class BalanceInputError(CoreError):
    """The input lacks required columns (code ``balance.columns``)."""


def missing_columns(headers: list[str]) -> list[str]:
    return [c for c in INPUT_COLUMNS if c not in headers]


def _unreadable_note(frame: pl.DataFrame) -> pl.Expr:
    """Cells with text that is not a number: they count as missing, and 备注 says which."""
    parts = [
        pl.when(pl.col(c).is_not_null() & parse_number(pl.col(c)).is_null()).then(
            pl.format(f"“{c}”的值“{{}}”不是数字", pl.col(c))
        )
        for c in NUMBER_COLUMNS
        if c in frame.columns
    ]
    if not parts:
        return pl.lit(None, dtype=pl.String)
    joined = pl.concat_str(parts, separator="；", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def typed_input(frame: pl.DataFrame, file_name: str) -> pl.DataFrame:
    """Text cells as read → the frame ``evaluate`` takes; ``BalanceInputError`` naming the file and the
    missing columns when a required column is absent."""
    missing = missing_columns(frame.columns)
    if missing:
        raise BalanceInputError(
            "balance.columns", f"文件“{file_name}”缺少必需的列：{'、'.join(missing)}，无法评估"
        )
    return frame.with_columns(
        _unreadable_note(frame).alias(NOTE),
        pl.col(STAGE).cast(pl.String).str.strip_chars(),
        *(parse_number(pl.col(c).cast(pl.String)).alias(c) for c in NUMBER_COLUMNS if c in frame.columns),
    )


def _yes_no(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr).then(pl.lit(YES)).when(expr.not_()).then(pl.lit(NO))


@dataclass(frozen=True)
class EvaluatedFile:
    """The two output sheets (name → frame), the evaluation behind them and the summary counts."""

    sheets: dict[str, pl.DataFrame]
    evaluation: Evaluation
    counts: dict[str, int]


def evaluate_file_frame(
    frame: pl.DataFrame, file_name: str, options: BalanceOptions = DEFAULT_OPTIONS
) -> EvaluatedFile:
    """Evaluate one input sheet and lay out the ``学校达标`` and ``差异系数`` sheets."""
    result = evaluate(typed_input(frame, file_name), options)
    passed = result.schools[PASSED]
    verdict = result.cvs["是否达标"]
    counts = {
        "schools": result.schools.height,
        "passing": int((passed == YES).sum()),
        "failing": int((passed == NO).sum()),
        "not_evaluable": int((passed == NOT_EVALUABLE).sum()),
        "cv_rows": result.cvs.height,
        "cv_over_limit": int((verdict == NO).sum()),
        "cv_not_evaluable": int((verdict == NOT_EVALUABLE).sum()),
        "cv_near_limit": int(result.cvs["接近限值"].fill_null(False).sum()),
    }
    return EvaluatedFile(contract_sheets(result), result, counts)


def contract_sheets(result: Evaluation) -> dict[str, pl.DataFrame]:
    """The ``学校达标`` and ``差异系数`` sheets of an evaluation (达标 columns as 是/否), as the CLI writes
    them; the web export uses the same function."""
    schools = result.schools.with_columns(
        _yes_no(pl.col(i.met_column)).alias(i.met_column) for i in INDICATORS
    )
    return {
        SCHOOL_SHEET: schools.select(SCHOOL_COLUMNS),
        CV_SHEET: result.cvs.select(CV_SHEET_COLUMNS),
    }
