"""Stored screenings from different files may write cylinders with different signs: the convention is checked
per import batch, so reclassifying the whole county does not flag a file for another file's convention."""

from __future__ import annotations

import datetime as dt

import polars as pl

from edubrain.vision.services import classify_rows


def rows(batch_ids: list[int | None], cylinders: list[float]) -> pl.DataFrame:
    n = len(cylinders)
    return pl.DataFrame(
        {
            "batch_id": batch_ids,
            "birth_date": [dt.date(2012, 3, 1)] * n,
            "screened_on": [dt.date(2024, 10, 8)] * n,
            "left_acuity": [4.6] * n,
            "right_acuity": [4.6] * n,
            "left_sphere": [-2.0] * n,
            "left_cylinder": cylinders,
            "left_axis": [90.0] * n,
            "right_sphere": [-2.0] * n,
            "right_cylinder": cylinders,
            "right_axis": [90.0] * n,
        },
        schema_overrides={"batch_id": pl.Int64},
    )


def test_each_file_keeps_its_own_convention():
    out = classify_rows(rows([1, 1, 2, 2], [-0.5, -1.0, 0.5, 1.0]))
    assert out["status"].to_list() == ["classified"] * 4
    assert out["left_se"].cast(pl.Float64).to_list() == [-2.25, -2.5, -1.75, -1.5]


def test_one_file_mixing_signs_is_flagged():
    out = classify_rows(rows([7, 7], [-0.5, 0.5]))
    assert out["status"].to_list() == ["invalid", "invalid"]
    assert all("柱镜" in r for r in out["remark"].to_list())
