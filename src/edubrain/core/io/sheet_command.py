"""The shared body of the database-free file commands (``fitness score``, ``vision classify``): read every
sheet of the input, transform each into its result sheet, write them to the output, and report the summed
counts as one Chinese line or, with ``--json``, one JSON object."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Mapping
from typing import Protocol, TextIO

import polars as pl

from edubrain.core.errors import CoreError
from edubrain.core.io.readers import Sheet, read_file
from edubrain.core.io.writers import output_format, write_tables


class SheetResult(Protocol):
    name: str
    frame: pl.DataFrame
    counts: dict[str, int]


def run_sheets(
    input_path: str,
    output_path: str,
    *,
    sheet: str | None,
    header_hint: Collection[str],
    transform: Callable[[Sheet], SheetResult],
    describe: Callable[[Mapping[str, int]], str],
    as_json: bool,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Exit status 0 when the output was written, 2 (with ``错误：…`` on stderr) when the input cannot be
    read or the output cannot be written. ``describe`` turns the summed counts into the summary sentence."""
    started = time.perf_counter()
    try:
        output_format(output_path)
        results = [transform(s) for s in read_file(input_path, sheet=sheet, header_hint=header_hint)]
        write_tables({r.name: r.frame for r in results}, output_path)
    except CoreError as exc:
        stderr.write(f"错误：{exc.message}\n")
        return 2
    totals: dict[str, int] = {}
    for r in results:
        for k, v in r.counts.items():
            totals[k] = totals.get(k, 0) + v
    seconds = time.perf_counter() - started
    if as_json:
        record = {"output": output_path, "seconds": round(seconds, 3), **totals}
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        stdout.write(f"{describe(totals)}\n结果已写入 {output_path}（{seconds:.1f} 秒）\n")
    return 0
