"""Read → validate → resolve → diff for one batch, as an ``Analysis`` (counts, errors, the write plan).

The last analysis of each batch is kept in this process for a minute, so a preview followed at once by a
commit (the CLI, a background job) reads the file only once; a later commit analyses the file again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings

from edubrain.imports.datasets import DATASETS
from edubrain.imports.datasets.base import Plan
from edubrain.imports.diff import CHANGED, NEW, UNCHANGED
from edubrain.imports.resolve import ERROR_SCHEMA, Context, errors_frame

CACHE_SECONDS = 60
_CACHE: dict[int, tuple[float, str, Analysis]] = {}


@dataclass
class Analysis:
    total: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    file_error: bool = False
    message: str = ""
    plan: Plan | None = None
    context: Context | None = None


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000（）()]", "", str(text)).lower()


def present_keys(sheets: list[Any], spec: Any) -> set[str]:
    """Column keys whose header (or an alias) appears in at least one sheet."""
    headers = {_norm(c) for s in sheets for c in s.frame.columns}
    return {c.key for c in spec.columns if {_norm(c.header), *map(_norm, c.aliases)} & headers}


def load_sheets(batch: Any, *, quiet: bool = False) -> list[Any]:
    from edubrain.core.io.readers import ReadError, read_file

    config = DATASETS[batch.dataset]
    try:
        return read_file(
            Path(batch.file_path),
            filename=batch.file_name,
            sheet=batch.sheet or None,
            header_hint=config.spec.header_hint(),
            max_bytes=int(settings.EDUBRAIN["IMPORT_MAX_BYTES"]),
        )
    except ReadError:
        if quiet:
            return []
        raise


def _context(batch: Any, sheets: list[Any]) -> Context:
    return Context(
        user=batch.user,
        school=batch.school,
        options=dict(batch.options or {}),
        present=present_keys(sheets, DATASETS[batch.dataset].spec),
    )


def _error_dicts(frame: pl.DataFrame) -> list[dict[str, Any]]:
    frame = frame.unique(["sheet", "row", "column"], keep="first", maintain_order=True)
    frame = frame.sort(["sheet", "row"], nulls_last=False, maintain_order=True)
    return frame.select(["sheet", "row", "column", "value", "message"]).to_dicts()


def analyse(batch: Any, progress: Callable[[int, str], None] = lambda _p, _t: None) -> Analysis:
    from edubrain.core.frames import SchemaError, validate_sheets
    from edubrain.core.io.readers import ReadError

    config = DATASETS[batch.dataset]
    try:
        sheets = load_sheets(batch)
        progress(25, "正在校验数据")
        validated = validate_sheets(config.prepare_sheets(sheets), config.spec, file_name=batch.file_name)
    except (ReadError, SchemaError) as exc:
        message = str(getattr(exc, "message", None) or exc)
        return Analysis(
            file_error=True,
            message=message,
            errors=[{"sheet": "", "row": None, "column": "", "value": "", "message": message}],
        )
    progress(45, "正在核对学校、班级等引用和管理范围")
    ctx = _context(batch, sheets)
    frame = config.resolve(validated.rows, ctx)
    progress(55, "正在与已有数据比对")
    plan = config.plan(frame, ctx)
    core_errors = validated.errors
    if core_errors.height:
        core_errors = core_errors.select(list(ERROR_SCHEMA)).cast(ERROR_SCHEMA)
    errors = pl.concat([core_errors, errors_frame(ctx)]) if core_errors.height else errors_frame(ctx)
    bad_rows = errors.filter(pl.col("row").is_not_null()).select(["sheet", "row"]).unique().height
    result = Analysis(
        total=int(validated.total),
        new=plan.count(NEW),
        changed=plan.count(CHANGED),
        unchanged=plan.count(UNCHANGED),
        invalid=bad_rows,
        errors=_error_dicts(errors),
        warnings=[*validated.warnings, *ctx.warnings],
        samples=plan.samples,
        plan=plan,
        context=ctx,
    )
    _CACHE[batch.pk] = (time.monotonic(), batch.file_sha256, result)
    return result


def cached_analysis(batch: Any) -> Analysis | None:
    entry = _CACHE.pop(batch.pk, None)
    if entry is None or time.monotonic() - entry[0] > CACHE_SECONDS or entry[1] != batch.file_sha256:
        return None
    return entry[2]


def forget(batch: Any) -> None:
    _CACHE.pop(batch.pk, None)
