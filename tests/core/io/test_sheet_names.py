"""Worksheet names Excel accepts: the writers mend names with forbidden characters or over 31 characters."""

from __future__ import annotations

import io

import polars as pl
import pytest
from openpyxl import load_workbook

from edubrain.core.io.writers import sheet_name, table_bytes, write_tables


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("各镇/街道", "各镇、街道"),
        ("a[b]c:d*e?f\\g", "a_b_c_d_e_f_g"),
        ("学校达标", "学校达标"),
        ("x" * 32, "x" * 31),
        ("", "Sheet1"),
    ],
)
def test_sheet_name(raw, expected):
    assert sheet_name(raw) == expected


def test_both_writers_use_the_mended_name(tmp_path):
    frame = pl.DataFrame({"镇/街道": ["甲镇"], "人数": [3]})
    for rows in (frame, frame.clear()):  # the empty table goes through openpyxl
        book = load_workbook(io.BytesIO(table_bytes(rows, "xlsx", "各镇/街道")))
        assert book.sheetnames == ["各镇、街道"]
    path = write_tables({"各镇/街道": frame, "学校达标": frame}, tmp_path / "out.xlsx")
    assert load_workbook(path).sheetnames == ["各镇、街道", "学校达标"]
