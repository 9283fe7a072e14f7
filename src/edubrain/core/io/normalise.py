"""Vectorised normalisers for what real school spreadsheets contain.

Every function takes a polars string expression and returns an expression; nothing loops over rows in
Python. Values that cannot be understood become null (or False for ``id_number_precision_lost``), so the
validator can tell "empty" (the input was null) from "not understood" (input present, result null).
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from edubrain.core.ids import ID_CHECK_CODES, ID_WEIGHTS

# U+FF01..U+FF5E map onto ASCII 0x21..0x7E; U+3000 is the ideographic (full-width) space.
_FULL = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
_HALF = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
_FULL_TABLE = str.maketrans(dict(zip(_FULL, _HALF, strict=True)))
_WS_RE = re.compile(r"\s+")

EXCEL_EPOCH = dt.date(1899, 12, 30)

_SEX = {
    "男": "M", "男性": "M", "男生": "M", "1": "M", "m": "M", "male": "M",
    "女": "F", "女性": "F", "女生": "F", "2": "F", "f": "F", "female": "F",
}  # fmt: skip
_BOOL = {
    "是": True, "y": True, "yes": True, "1": True, "有": True, "true": True, "t": True, "√": True, "对": True,
    "否": False, "n": False, "no": False, "0": False, "无": False, "false": False, "没有": False, "×": False,
}  # fmt: skip


def halfwidth_text(value: str) -> str:
    """Scalar twin of ``fullwidth_to_halfwidth``."""
    return value.translate(_FULL_TABLE)


def normalise_header(value: str) -> str:
    """A header as it is matched: full-width → half-width, every blank and line break removed.

    "身 高（cm）\\n" → "身高(cm)"."""
    return _WS_RE.sub("", halfwidth_text(value))


def fullwidth_to_halfwidth(expr: pl.Expr) -> pl.Expr:
    """Full-width ASCII (digits, letters, space, ．，－ …) → half-width, in one Aho-Corasick pass."""
    return expr.str.replace_many(_FULL, _HALF)


def _clean(expr: pl.Expr) -> pl.Expr:
    return fullwidth_to_halfwidth(expr).str.strip_chars()


def parse_sex(expr: pl.Expr) -> pl.Expr:
    """男/女, 1/2, M/F, male/female, 男性/女性 → "M"/"F"; anything else → null."""
    key = _clean(expr).str.to_lowercase()
    return key.replace_strict(_SEX, default=None, return_dtype=pl.String)


def parse_bool(expr: pl.Expr) -> pl.Expr:
    """是/否, Y/N, 1/0, 有/无, true/false, √/× → Boolean; anything else → null."""
    key = _clean(expr).str.to_lowercase()
    return key.replace_strict(_BOOL, default=None, return_dtype=pl.Boolean)


def _ymd(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    text = pl.concat_str([year, month.str.zfill(2), day.str.zfill(2)], separator="-")
    return text.str.to_date("%Y-%m-%d", strict=False)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """Dates as clerks type them → ``pl.Date``; impossible dates (2015-02-30) and anything else → null.

    Accepted: Excel serials with five digits ("42248" → 2015-09-01), 2015-09-01, 2015/9/1, 2015.9.1,
    2015年9月1日, 20150901, and any of these followed by a time (ISO "2015-09-01T08:00:00" too)."""
    s = _clean(expr).str.replace(r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$", "")
    parts = s.str.extract_groups(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
    separated = _ymd(parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3"))
    compact = pl.when(s.str.contains(r"^\d{8}$")).then(s.str.to_date("%Y%m%d", strict=False))
    serial_days = pl.when(s.str.contains(r"^\d{5}(?:\.\d+)?$")).then(
        s.cast(pl.Float64, strict=False).floor().cast(pl.Int64)
    )
    serial = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial_days)
    return pl.coalesce(separated, compact, serial.cast(pl.Date))


def parse_duration(expr: pl.Expr) -> pl.Expr:
    """Times of running events → seconds (``pl.Float64``).

    3'40", 3′40″, 3:40, 3分40秒, 3'40, 3分 → 220 / 180; 0:03:40 → 220; "220" or "8.5" (秒) → seconds.
    A seconds part of 60 or more ("3'75") → null."""
    s = (
        _clean(expr)
        .str.replace_many(
            ["′", "’", "‘", "″", "”", "“", "''", "秒", "s", "S"],
            ["'", "'", "'", '"', '"', '"', '"', '"', '"', '"'],
        )
        .str.replace_all(" ", "", literal=True)
    )
    hms = s.str.extract_groups(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
    ms = s.str.extract_groups(r"^(\d+)['分:](\d{1,2}(?:\.\d+)?)?\"?$")
    only = s.str.extract(r"^(\d+(?:\.\d+)?)\"?$", 1).cast(pl.Float64, strict=False)

    def num(e: pl.Expr) -> pl.Expr:
        return e.cast(pl.Float64, strict=False)

    h, m1, s1 = (num(hms.struct.field(k)) for k in ("1", "2", "3"))
    m2, s2 = num(ms.struct.field("1")), num(ms.struct.field("2")).fill_null(0.0)
    from_hms = pl.when((m1 < 60) & (s1 < 60)).then(h * 3600 + m1 * 60 + s1)
    from_ms = pl.when(m2.is_not_null() & (s2 < 60)).then(m2 * 60 + s2)
    return pl.coalesce(from_hms, from_ms, only)


_NUMBER_RE = r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([^0-9]*)$"


def parse_number(expr: pl.Expr) -> pl.Expr:
    """Numbers as typed → ``pl.Float64``: "172cm", "65.5 kg", "1,234", "１７２", "1.5万" (→ 15000).

    A trailing unit is dropped when it has no digit; text before the number ("约172") or a range
    ("12-15") → null."""
    s = _clean(expr).str.replace_all(r"[,\s]", "")
    groups = s.str.extract_groups(_NUMBER_RE)
    value = groups.struct.field("1").cast(pl.Float64, strict=False)
    unit = groups.struct.field("2")
    return pl.when(unit.str.starts_with("万")).then(value * 10_000).otherwise(value)


def _checksum_series(values: pl.Series) -> pl.Series:
    x = pl.col("x")
    digits = [x.str.slice(i, 1).cast(pl.Int64, strict=False) for i in range(17)]
    total = pl.sum_horizontal([d * w for d, w in zip(digits, ID_WEIGHTS, strict=True)])
    ok = x.str.slice(17, 1) == pl.lit(list(ID_CHECK_CODES)).list.get(total % 11)
    return values.to_frame("x").select(ok).to_series()


def _id_checksum_ok(s: pl.Expr) -> pl.Expr:
    # map_batches works on the materialised column (still vectorised): otherwise each of the 17 slices
    # would recompute the whole normalisation chain of ``s``.
    return s.map_batches(_checksum_series, return_dtype=pl.Boolean)


def id_number_precision_lost(expr: pl.Expr) -> pl.Expr:
    """True where an 18-digit 身份证号 went through an Excel number: scientific text ("3.70323E+17"),
    a float text ("370323200901011000.0"), or 18 digits ending in "000" whose check digit fails
    (Excel keeps 15 significant digits). False for nulls and for anything else."""
    s = _clean(expr).str.to_uppercase().str.replace_all(" ", "", literal=True)
    scientific = s.str.contains(r"^\d(?:\.\d+)?E\+?\d+$")
    float_text = s.str.contains(r"^\d{15,}\.\d*$")
    zeroed = s.str.contains(r"^\d{15}000$") & ~_id_checksum_ok(s).fill_null(False)
    return (scientific | float_text | zeroed).fill_null(False)
