"""The per-column rules behind ``edubrain.core.frames.validate``, as polars expressions.

Each rule is a boolean "fails" expression and a Chinese message expression naming file, sheet, row,
column, value and what was expected; the validator evaluates them all in one pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from edubrain.core.ids import id_number_valid_expr
from edubrain.core.io.layout import ROW
from edubrain.core.io.normalise import (
    fullwidth_to_halfwidth,
    halfwidth_text,
    id_number_precision_lost,
    parse_bool,
    parse_date,
    parse_duration,
    parse_number,
    parse_sex,
)

if TYPE_CHECKING:
    from edubrain.core.frames import Column
    from edubrain.core.io.readers import Sheet

SHEET = "__sheet__"
ERROR_SCHEMA = pl.Schema(
    {
        "sheet": pl.String,
        "row": pl.Int64,
        "column": pl.String,
        "value": pl.String,
        "message": pl.String,
        "rule": pl.String,
        "__pos": pl.Int64,
    }
)
ID_LOST_MESSAGE = "身份证号已被 Excel 转成数字，后几位已丢失，请把该列设为文本后重新填写"
_EXPECTED = {
    "int": "整数",
    "decimal": "数字",
    "date": "日期（如 2015-09-01）",
    "sex": "性别（男/女）",
    "bool": "是/否",
    "duration": "时间（如 3'40\" 或 220秒）",
}


@dataclass(frozen=True)
class Rule:
    code: str
    fails: pl.Expr
    message: pl.Expr
    header: pl.Expr
    value: pl.Expr
    position: int


def _v(key: str) -> str:
    return f"__v_{key}"


def _code_lookup(raw: pl.Expr, codes: Mapping[str, str]) -> pl.Expr:
    table = {halfwidth_text(k).strip(): v for k, v in codes.items()}
    clean = fullwidth_to_halfwidth(raw).str.strip_chars()
    found = clean.replace_strict(table, default=None, return_dtype=pl.String)
    lengths = {len(k) for k in table if k.isdigit()}
    if len(lengths) == 1:  # "1" typed for "01" (Excel dropped the leading zero)
        padded = clean.str.zfill(lengths.pop()).replace_strict(table, default=None, return_dtype=pl.String)
        found = pl.coalesce(found, pl.when(clean.str.contains(r"^[0-9]+$")).then(padded))
    return found


def value_exprs(column: Column) -> list[pl.Expr]:
    """The parsed value column ``__v_<key>`` (and helpers) from the raw string column ``<key>``."""
    raw = pl.col(column.key)
    kind = column.kind
    upper = fullwidth_to_halfwidth(raw).str.replace_all(r"\s", "").str.to_uppercase()
    parsed = {
        "text": raw,
        "int": parse_number(raw),
        "decimal": parse_number(raw),
        "date": parse_date(raw),
        "sex": parse_sex(raw),
        "bool": parse_bool(raw),
        "duration": parse_duration(raw),
        "id_number": upper,
        "student_number": upper,
        "school_code": upper,
    }
    value = _code_lookup(raw, column.codes or {}) if kind == "code" else parsed[kind]
    out = [value.alias(_v(column.key))]
    if kind == "student_number":
        out.append(upper.str.slice(1).alias(_v(column.key) + "_id"))
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _range_text(column: Column, unit: str) -> str:
    lo, hi = column.min, column.max
    if lo is not None and hi is not None:
        return f"，应在{_num(lo)}～{_num(hi)}{unit}之间"
    if lo is not None:
        return f"，应不小于{_num(lo)}{unit}"
    return f"，应不大于{_num(hi or 0)}{unit}"


def _choices(codes: Mapping[str, str]) -> str:
    labels = list(dict.fromkeys(k for k in codes if not k.isdigit()) or codes)
    return "、".join(labels[:10]) + ("等" if len(labels) > 10 else "")


def column_rules(
    column: Column, position: int, header: pl.Expr, where: pl.Expr, today: dt.date
) -> list[Rule]:
    """Every rule of one column."""
    raw, v = pl.col(column.key), pl.col(_v(column.key))
    loc = pl.concat_str(where, pl.format("“{}”列", header))
    valued = pl.concat_str(loc, pl.format("的值“{}”", raw))
    rules: list[Rule] = []

    def add(code: str, fails: pl.Expr, text: str | pl.Expr, *, with_value: bool = True) -> None:
        tail = pl.lit(text) if isinstance(text, str) else text
        message = pl.concat_str(valued if with_value else loc, tail)
        rules.append(Rule(code, fails.fill_null(False), message, header, raw, position))

    kind, present = column.kind, raw.is_not_null()
    if column.required:
        add("required", raw.is_null(), "为空，该列必填", with_value=False)
    if column.max_length is not None:
        n = column.max_length
        add(
            "max_length",
            raw.str.len_chars() > n,
            pl.format(f"有{{}}个字，超过{n}个字的上限", raw.str.len_chars()),
        )
    if kind in _EXPECTED:
        add("type", present & v.is_null(), f"不是有效的{_EXPECTED[kind]}")
    if kind == "int":
        add("type", v.is_not_null() & (v != v.floor()), "不是整数，应为整数")
    if kind == "code":
        add("code", present & v.is_null(), f"不在代码表中，应为：{_choices(column.codes or {})}")
    if kind in ("int", "decimal", "duration"):
        unit = column.unit or ("秒" if kind == "duration" else "")
        if column.min is not None:
            add("range", v < column.min, f"小于最小值{_num(column.min)}{unit}" + _range_text(column, unit))
        if column.max is not None:
            add("range", v > column.max, f"大于最大值{_num(column.max)}{unit}" + _range_text(column, unit))
    if kind == "date":
        if column.min is not None:
            add("range", v.dt.year() < column.min, f"早于{_num(column.min)}年" + _range_text(column, "年"))
        if column.max is not None:
            add("range", v.dt.year() > column.max, f"晚于{_num(column.max)}年" + _range_text(column, "年"))
        add("future", v > pl.lit(today), "晚于今天，应为过去的日期")
    if kind == "id_number":
        lost = id_number_precision_lost(raw)
        shaped = v.str.contains(r"^[0-9]{17}[0-9X]$")
        add("id_precision", lost, "：" + ID_LOST_MESSAGE)
        add("id_format", present & ~lost & ~shaped, "不是18位身份证号（应为17位数字加1位数字或X）")
        add(
            "id_checksum",
            shaped & ~lost & ~id_number_valid_expr(_v(column.key), today),
            "的出生日期或校验位不正确",
        )
    if kind == "student_number":
        shaped = v.str.contains(r"^[GLJ][0-9A-Z]{18}$")
        add("xjh_format", present & ~shaped, "不是有效的学籍号（应为字母G/L/J加18位编码）")
        inner_ok = id_number_valid_expr(_v(column.key) + "_id", today)
        add(
            "xjh_id",
            shaped & v.str.starts_with("G") & ~inner_ok,
            "以G开头，但所含身份证号的出生日期或校验位不正确",
        )
    if kind == "school_code":
        add("school_code", present & ~v.str.contains(r"^[0-9]{10}$"), "不是有效的学校标识码（应为10位数字）")
    return rules


def duplicate_errors(
    df: pl.DataFrame,
    keyed: Sequence[Column],
    headers: Sequence[pl.Expr],
    where: pl.Expr,
    order: Mapping[str, int],
    position: int,
) -> pl.DataFrame:
    """Every row whose natural key occurs again, naming the other rows."""
    keys = [_v(c.key) for c in keyed]
    multi = len(order) > 1
    label = pl.format("工作表“{}”第{}行", SHEET, ROW) if multi else pl.format("第{}行", ROW)
    raw_keys = [c.key for c in keyed]
    dk = df.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys)).select(
        SHEET, ROW, *keys, *raw_keys
    )
    counts = dk.group_by(keys).len().filter(pl.col("len") > 1).drop("len")
    if counts.is_empty():
        return pl.DataFrame(schema=ERROR_SCHEMA)
    header = pl.concat_str(list(headers), separator="+")
    value = pl.concat_str([pl.col(k) for k in raw_keys], separator=" / ")
    dups = dk.join(counts, on=keys, how="semi").with_columns(
        pl.col(SHEET).replace_strict(order, default=0, return_dtype=pl.Int64).alias("__s"),
        label.alias("__label"),
        value.alias("__value"),
        header.alias("__header"),
        pl.concat_str(where, pl.format("“{}”列的值“{}”", header, value)).alias("__where"),
    )
    other = dups.select(
        *keys,
        pl.col(SHEET).alias("__s2n"),
        pl.col(ROW).alias("__r2"),
        pl.col("__s").alias("__s2"),
        pl.col("__label").alias("__l2"),
    )
    pairs = (
        dups.join(other, on=keys)
        .filter((pl.col("__s2n") != pl.col(SHEET)) | (pl.col("__r2") != pl.col(ROW)))
        .sort("__s2", "__r2")
        .group_by(SHEET, ROW, maintain_order=True)
        .agg(pl.col("__l2").str.join("、").alias("__others"))
    )
    key_names = "+".join(c.header for c in keyed)
    return dups.join(pairs, on=[SHEET, ROW]).select(
        pl.col(SHEET).alias("sheet"),
        pl.col(ROW).alias("row"),
        pl.col("__header").alias("column"),
        pl.col("__value").alias("value"),
        pl.concat_str(
            "__where", pl.format("与{}重复，{}在文件中不能重复", "__others", pl.lit(key_names))
        ).alias("message"),
        pl.lit("duplicate").alias("rule"),
        pl.lit(position, dtype=pl.Int64).alias("__pos"),
    )


def formula_errors(
    df: pl.DataFrame,
    sheets: Sequence[Sheet],
    headers: Mapping[str, Mapping[str, str]],
    positions: Mapping[str, int],
    file_name: str,
) -> pl.DataFrame:
    """One error per formula cell in a recognised column."""
    records: list[tuple[str, int, str, str]] = []
    for sheet in sheets:
        key_of = {h: k for k, by_sheet in headers.items() for s, h in by_sheet.items() if s == sheet.name}
        records += [(sheet.name, row, h, key_of[h]) for row, h in sheet.formulas if h in key_of]
    if not records:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    cells = pl.DataFrame(records, schema=[SHEET, ROW, "column", "__key"], orient="row")
    prefix = f"文件“{file_name}”" if file_name else ""
    picks: list[pl.Expr] = [pl.when(pl.col("__key") == k).then(pl.col(k)) for k in headers]
    value = pl.coalesce(picks)
    where = pl.when(pl.col(SHEET) != "").then(pl.format("工作表“{}”", SHEET)).otherwise(pl.lit(""))
    return cells.join(df, on=[SHEET, ROW], how="inner").select(
        pl.col(SHEET).alias("sheet"),
        pl.col(ROW).alias("row"),
        pl.col("column"),
        value.cast(pl.String).fill_null("").alias("value"),
        pl.concat_str(
            pl.lit(prefix), where, pl.format("第{}行“{}”为公式，请粘贴为数值后再上传", ROW, "column")
        ).alias("message"),
        pl.lit("formula").alias("rule"),
        pl.col("__key").replace_strict(positions, default=0, return_dtype=pl.Int64).alias("__pos"),
    )
