"""From a grid of cells (rows of Python values) to a string frame: header detection, header names,
cell text, blank and total rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl

from edubrain.core.io.normalise import normalise_header

ROW = "__row__"
SCAN_ROWS = 30
TOTAL_LABELS = ("合计", "总计", "小计")
_NUMERIC = r"^(?:[+-]?[0-9,]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?%?|[-—/])$"
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9,]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?%?$")
_PAREN_TAIL = re.compile(r"\([^()]*\)$")

MergedRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Grid:
    """A sheet as the reader library gives it: ``rows[i][j]`` is the cell at row i+1, column j+1."""

    name: str
    rows: Sequence[Sequence[object]]
    merged: Sequence[MergedRange]

    def is_blank(self) -> bool:
        return not any(_filled(v) for r in self.rows for v in r)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """One cell as the user sees it. Integral floats lose ".0" (below 1e15; larger ones keep their
    scientific text, e.g. an ID number Excel stored as 3.70323200901011e+17); dates → ISO; times and
    durations → seconds."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _seconds(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    if isinstance(value, dt.timedelta):
        return _seconds(value.total_seconds())
    return "" if value is None else str(value)


def _seconds(total: float) -> str:
    return str(int(total)) if float(total).is_integer() else f"{total:g}"


_DATE_TYPES = (dt.date, dt.datetime)


def column_text(name: str, values: Sequence[object]) -> pl.Series:
    """``cell_text`` over a whole column, vectorised by cell type (strings pass through; floats, ints and
    dates are formatted by polars; only rare types go through ``cell_text`` one by one)."""
    types = set(map(type, values))
    if types <= {str}:
        return pl.Series(name, values, dtype=pl.String)
    parts: list[pl.Series] = []
    if str in types:
        parts.append(pl.Series([v if type(v) is str else None for v in values], dtype=pl.String))
    if float in types:
        f = pl.Series([v if type(v) is float else None for v in values], dtype=pl.Float64)
        whole = (f == f.floor()) & (f.abs() < 1e15)
        text = pl.select(
            pl.when(whole).then(f.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(f.cast(pl.String))
        ).to_series()
        parts.append(text)
    if int in types:
        parts.append(
            pl.Series([v if type(v) is int else None for v in values], dtype=pl.Int64).cast(pl.String)
        )
    if types & {dt.date, dt.datetime}:
        stamps = pl.Series(
            [
                dt.datetime(v.year, v.month, v.day)
                if type(v) is dt.date
                else v
                if type(v) is dt.datetime
                else None
                for v in values
            ],
            dtype=pl.Datetime("us"),
        )
        midnight = stamps.dt.truncate("1d") == stamps
        text = pl.select(
            pl.when(midnight)
            .then(stamps.dt.strftime("%Y-%m-%d"))
            .otherwise(stamps.dt.strftime("%Y-%m-%d %H:%M:%S"))
        ).to_series()
        parts.append(text)
    rest = types - {str, float, int, dt.date, dt.datetime}
    if rest:
        parts.append(pl.Series([cell_text(v) if type(v) in rest else None for v in values], dtype=pl.String))
    return pl.select(pl.coalesce(parts)).to_series().alias(name)


def hint_keys(hints: Collection[str]) -> set[str]:
    """Normalised header hints."""
    return {k for k in (normalise_header(h) for h in hints) if k}


def header_matches(text: str, hints: set[str]) -> bool:
    """Exact after normalising, or exact once a trailing unit in brackets is removed ("身高(cm)")."""
    return bool(text) and (text in hints or _PAREN_TAIL.sub("", text) in hints)


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def find_header(rows: Sequence[Sequence[object]], hints: set[str]) -> int | None:
    """0-based index of the header row among the first ``SCAN_ROWS`` rows, or None."""
    scan = rows[:SCAN_ROWS]
    texts = [[normalise_header(cell_text(v)) for v in r] for r in scan]
    if hints:
        scores = [sum(header_matches(t, hints) for t in r) for r in texts]
        if not scores:
            return None
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        return best if scores[best] >= min(2, len(hints)) else None
    for i, r in enumerate(scan):
        labels = [v for v in r if isinstance(v, str) and v.strip() and not _NUMBER_TEXT.match(v.strip())]
        if len(labels) >= 2 and any(_filled(v) for later in rows[i + 1 :] for v in later):
            return i
    return None


def _header_names(grid: Grid, h: int, width: int) -> list[str | None]:
    header = grid.rows[h]
    names: list[str | None] = []
    for j in range(width):
        text = normalise_header(cell_text(header[j])) if j < len(header) else ""
        if not text:
            for (r0, c0), (r1, c1) in grid.merged:
                if r0 <= h <= r1 and c0 <= j <= c1 and (r0, c0) != (h, j):
                    top = normalise_header(cell_text(grid.rows[r0][c0])) if r0 < h else ""
                    text = top or (names[c0] or "" if c0 < j else "")
                    break
        names.append(text or None)
    return names


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        n = seen.get(name, 0) + 1
        seen[name] = n
        candidate = name if n == 1 else f"{name} ({n})"
        while candidate in seen and n > 1:
            n += 1
            candidate = f"{name} ({n})"
        seen.setdefault(candidate, 1)
        out.append(candidate)
    return out


def build_sheet(grid: Grid, hints: set[str]) -> tuple[str, pl.DataFrame, int, dict[int, str]] | None:
    """(name, frame, 1-based header row, column index → header) or None without a recognisable header."""
    h = find_header(grid.rows, hints)
    if h is None:
        return None
    data = grid.rows[h + 1 :]
    width = max(len(grid.rows[h]), max((len(r) for r in data[:1]), default=0))
    raw_names = _header_names(grid, h, width)
    columns = list(zip(*data, strict=False)) if data else [() for _ in range(width)]
    kept: list[int] = []
    names: list[str] = []
    for j, name in enumerate(raw_names):
        if j >= len(columns):
            break
        if name is None:
            if not any(_filled(v) for v in columns[j]):
                continue
            name = f"列{column_letter(j)}"
        kept.append(j)
        names.append(name)
    if not kept:
        return None
    names = _dedupe(names)
    series = [column_text(name, columns[j]) for name, j in zip(names, kept, strict=True)]
    frame = pl.DataFrame(series).with_columns(
        pl.int_range(h + 2, h + 2 + len(data), dtype=pl.Int64).alias(ROW)
    )
    frame = _clean(frame, names)
    return grid.name, frame, h + 1, dict(zip(kept, names, strict=True))


def _clean(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Strip cells ("" → null), drop blank rows and trailing total rows."""
    stripped = [pl.col(n).str.strip_chars().replace("", None).alias(n) for n in names]
    frame = frame.with_columns(stripped).filter(~pl.all_horizontal(pl.col(names).is_null()))
    first = pl.coalesce(names).str.replace_all(r"\s", "")
    non_numeric = pl.sum_horizontal(
        [(pl.col(n).is_not_null() & ~pl.col(n).str.contains(_NUMERIC)).cast(pl.Int32) for n in names]
    )
    is_total = first.is_in(TOTAL_LABELS) & (non_numeric == 1)
    trailing = is_total.cast(pl.Int8).reverse().cum_min().reverse() == 1
    return frame.filter(~trailing)
