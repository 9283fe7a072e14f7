"""Frame schemas: a dataset declared as columns, and ``validate`` — one vectorised pass that turns a sheet
of strings into typed good rows plus one error per bad cell (sheet, row, column, value, Chinese message,
rule code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from edubrain.core.errors import CoreError
from edubrain.core.io.checks import (
    ERROR_SCHEMA,
    SHEET,
    Rule,
    column_rules,
    duplicate_errors,
    formula_errors,
    value_exprs,
)
from edubrain.core.io.layout import ROW, header_matches
from edubrain.core.io.normalise import normalise_header
from edubrain.core.io.readers import Sheet

__all__ = ["KINDS", "Column", "Dataset", "SchemaError", "Validated", "validate", "validate_sheets"]

KINDS = frozenset(
    {
        "text",
        "int",
        "decimal",
        "date",
        "sex",
        "bool",
        "code",
        "id_number",
        "student_number",
        "school_code",
        "duration",
    }
)


@dataclass(frozen=True)
class Column:
    """One field of a dataset: its key, the Chinese header of templates and exports, and its rules.

    ``min``/``max`` bound numbers and durations (inclusive) and, for dates, the year; dates are never
    allowed in the future. ``codes`` maps accepted input (code or Chinese label) to the stored code."""

    key: str
    header: str
    kind: str = "text"
    aliases: tuple[str, ...] = ()
    required: bool = False
    min: float | None = None
    max: float | None = None
    codes: Mapping[str, str] | None = None
    unit: str = ""
    max_length: int | None = None
    default: object = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.key!r}")
        if self.kind == "code" and not self.codes:
            raise ValueError(f"column {self.key!r} of kind 'code' needs codes")

    def header_keys(self) -> set[str]:
        """Header and aliases, normalised."""
        return {normalise_header(h) for h in (self.header, *self.aliases)} - {""}


@dataclass(frozen=True)
class Dataset:
    """A declared import/export layout. ``key``: the natural key (column keys), unique within a file."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    def headers(self) -> list[str]:
        """Template header order."""
        return [c.header for c in self.columns]

    def header_hint(self) -> set[str]:
        """Headers and aliases, normalised (with and without a trailing unit in brackets), for
        ``read_file(header_hint=...)``."""
        keys: set[str] = set()
        for column in self.columns:
            for k in column.header_keys():
                keys.add(k)
                keys.add(k.split("(")[0] or k)
        return keys

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass
class Validated:
    """``rows``: valid rows only, typed, one column per present ``Column.key`` plus ``__row__`` and
    ``__sheet__``. ``errors``: sheet, row, column (header as in the file), value, message, rule.
    ``total``: data rows read."""

    rows: pl.DataFrame
    errors: pl.DataFrame
    warnings: list[str]
    total: int

    @property
    def invalid_rows(self) -> int:
        """Rows with at least one error."""
        if self.errors.is_empty():
            return 0
        return self.errors.select(pl.struct("sheet", "row").n_unique()).item()  # type: ignore[no-any-return]


class SchemaError(CoreError):
    """The file as a whole does not fit the dataset (code ``schema.missing_columns``)."""


def _where(file_name: str, sheet: str) -> str:
    return (f"文件“{file_name}”" if file_name else "") + (f"工作表“{sheet}”" if sheet else "")


def _map_headers(
    sheet: Sheet, dataset: Dataset, file_name: str
) -> tuple[dict[str, str], list[str], list[str]]:
    """column key → header in the file; unknown headers; notes about columns matched twice."""
    headers = [c for c in sheet.frame.columns if c != ROW]
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    notes: list[str] = []
    for header in headers:
        text = normalise_header(header)
        match = next((c for c in dataset.columns if text in c.header_keys()), None)
        if match is None:
            match = next((c for c in dataset.columns if header_matches(text, c.header_keys())), None)
        if match is None:
            unknown.append(header)
        elif match.key in mapping:
            notes.append(
                f"列“{header}”与“{mapping[match.key]}”都对应“{match.header}”，已使用“{mapping[match.key]}”"
            )
        else:
            mapping[match.key] = header
    missing = [c.header for c in dataset.columns if c.required and c.key not in mapping]
    if missing:
        raise SchemaError(
            "schema.missing_columns",
            f"{_where(file_name, sheet.name)}缺少必填列：{'、'.join(missing)}"
            f"（第{sheet.header_row}行为表头）",
        )
    return mapping, unknown, notes


def validate(
    sheet: Sheet, dataset: Dataset, *, file_name: str = "", today: dt.date | None = None
) -> Validated:
    """Validate one sheet; see ``validate_sheets``."""
    return validate_sheets([sheet], dataset, file_name=file_name, today=today)


def validate_sheets(
    sheets: Sequence[Sheet], dataset: Dataset, *, file_name: str = "", today: dt.date | None = None
) -> Validated:
    """Validate sheets of one file together (duplicates are checked across them) in one vectorised pass.

    Raises ``SchemaError`` when a sheet lacks a required column. Every other problem is a row in
    ``errors``; a row with any error is left out of ``rows``."""
    today = today or dt.date.today()
    frames: list[pl.DataFrame] = []
    headers: dict[str, dict[str, str]] = {}  # key → sheet name → header in that sheet
    warnings: list[str] = []
    unknown: list[str] = []
    for sheet in sheets:
        mapping, extra, notes = _map_headers(sheet, dataset, file_name)
        unknown += [h for h in extra if h not in unknown]
        warnings += notes
        for key, header in mapping.items():
            headers.setdefault(key, {})[sheet.name] = header
        frames.append(
            sheet.frame.select(
                *(pl.col(h).cast(pl.String).alias(k) for k, h in mapping.items()),
                pl.col(ROW).cast(pl.Int64),
                pl.lit(sheet.name, dtype=pl.String).alias(SHEET),
            )
        )
    if unknown:
        warnings.insert(0, f"未识别的列已忽略：{'、'.join(unknown)}")
    present = [c for c in dataset.columns if c.key in headers]
    df = (
        pl.concat(frames, how="diagonal")
        if frames
        else pl.DataFrame(schema={ROW: pl.Int64, SHEET: pl.String})
    )
    total = df.height
    order = {s.name: i for i, s in enumerate(sheets)}

    def header_expr(key: str) -> pl.Expr:
        by_sheet = headers[key]
        first = next(iter(by_sheet.values()))
        if len(set(by_sheet.values())) == 1:
            return pl.lit(first)
        return pl.col(SHEET).replace_strict(by_sheet, default=first, return_dtype=pl.String)

    where = pl.concat_str(
        pl.lit(f"文件“{file_name}”" if file_name else ""),
        pl.when(pl.col(SHEET) != "").then(pl.format("工作表“{}”", pl.col(SHEET))).otherwise(pl.lit("")),
        pl.format("第{}行", pl.col(ROW)),
    )
    df = df.with_columns(e for c in present for e in value_exprs(c))
    rules: list[Rule] = []
    for position, column in enumerate(present):
        rules += column_rules(column, position, header_expr(column.key), where, today)
    # One pass computes every rule's verdict; messages are built only for the rows that fail.
    checked = df.with_columns(rule.fails.alias(f"__f{i}") for i, rule in enumerate(rules))
    failing = checked.select(pl.col(f"__f{i}").any() for i in range(len(rules))).row(0) if rules else ()
    parts = [
        checked.filter(pl.col(f"__f{i}")).select(
            pl.col(SHEET).alias("sheet"),
            pl.col(ROW).alias("row"),
            rule.header.alias("column"),
            rule.value.fill_null("").alias("value"),
            rule.message.alias("message"),
            pl.lit(rule.code).alias("rule"),
            pl.lit(rule.position).alias("__pos"),
        )
        for i, rule in enumerate(rules)
        if failing[i]
    ]
    keyed = [dataset.column(k) for k in dataset.key]
    if keyed and all(c.key in headers for c in keyed):
        headers_k = [header_expr(c.key) for c in keyed]
        parts.append(duplicate_errors(df, keyed, headers_k, where, order, len(present)))
    positions = {c.key: i for i, c in enumerate(present)}
    parts.append(formula_errors(df, sheets, headers, positions, file_name))
    errors = pl.concat([p.select(ERROR_SCHEMA.names()).cast(ERROR_SCHEMA) for p in parts], how="vertical")
    errors = (
        errors.with_columns(
            pl.col("sheet").replace_strict(order, default=0, return_dtype=pl.Int64).alias("__s"),
            # a formula explains every other error of its cell (its value is Excel's cached result)
            (pl.col("rule") != "formula").alias("__f"),
        )
        .sort("__s", "row", "__pos", "__f", maintain_order=True)
        .drop("__s", "__pos", "__f")
    )
    bad = errors.select(pl.col("sheet").alias(SHEET), pl.col("row").alias(ROW)).unique()
    rows = df.join(bad, on=[SHEET, ROW], how="anti", maintain_order="left").select(
        *(_typed(c).alias(c.key) for c in present), pl.col(ROW), pl.col(SHEET)
    )
    return Validated(rows=rows, errors=errors, warnings=warnings, total=total)


_DTYPES: dict[str, type[pl.DataType]] = {
    "int": pl.Int64,
    "decimal": pl.Float64,
    "duration": pl.Float64,
    "date": pl.Date,
    "bool": pl.Boolean,
}


def _typed(column: Column) -> pl.Expr:
    expr = pl.col(f"__v_{column.key}").cast(_DTYPES.get(column.kind, pl.String), strict=False)
    if column.default is not None:
        expr = expr.fill_null(pl.lit(column.default).cast(_DTYPES.get(column.kind, pl.String), strict=False))
    return expr
