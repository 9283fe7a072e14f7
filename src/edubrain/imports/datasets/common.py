"""``RowsConfig``: the shared behaviour of the registry-figure datasets (schools, staff, facilities, finance,
population, fitness, vision) on top of ``DatasetConfig``.

A blank cell in a NOT NULL column keeps the stored value (a new row takes the field's default), so a clerk
who leaves a cell empty never writes an empty code or a NULL the database refuses; a blank cell in a
nullable column clears the value (what an export of a cleared value re-imports as). Columns absent from the
file are neither compared nor written for stored rows. ``check`` runs after this completion, so cross-field
rules (parts ≤ total, 教学用房 ≤ 校舍) also see the stored values of columns the file does not carry.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import models

from edubrain.base.frames import field_dtype, insert_frame, update_frame
from edubrain.imports.datasets.base import BOOL_CODES, DatasetConfig, Plan
from edubrain.imports.diff import CHANGED, NEW, classify, sample_changes
from edubrain.imports.resolve import Context


def blank_value(f: models.Field) -> Any:
    """What a NOT NULL field holds when nothing was given."""
    if f.has_default() and not callable(f.default):
        return f.default
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.CharField | models.TextField):
        return ""
    return 0


class RowsConfig(DatasetConfig):
    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name[:-3] if name.endswith("_id") else name)

    def coerce(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Model dtypes (decimals rounded); unlike the base, blanks stay NULL until ``complete``."""
        exprs = []
        for name in frame.columns:
            if name.startswith("__") or name not in {*self.key, *self.fields, "id"}:
                continue
            dtype = field_dtype(self.model, name)
            expr = pl.col(name)
            if dtype == pl.Boolean and frame[name].dtype == pl.String:
                expr = expr.replace_strict(BOOL_CODES, default=None, return_dtype=pl.Boolean)
            expr = expr.cast(dtype, strict=False)
            if isinstance(self.field(name), models.DecimalField):
                expr = expr.round(self.field(name).decimal_places)
            exprs.append(expr.alias(name))
        return frame.with_columns(exprs)

    def complete(self, frame: pl.DataFrame, existing: pl.DataFrame, live: tuple[str, ...]) -> pl.DataFrame:
        """Blank NOT NULL cells and absent columns → the stored value (new rows: the default)."""
        strict = [f for f in self.fields if not self.field(f).null]
        frame = frame.with_columns(
            pl.lit(None, field_dtype(self.model, f)).alias(f) for f in self.fields if f not in frame.columns
        )
        # stored values for blank NOT NULL cells, and for absent columns (never written to stored rows,
        # but cross-field checks see them)
        kept = [f for f in self.fields if f in strict or f not in live]
        if kept and existing.height:
            stored = existing.select([*self.key, *[pl.col(f).alias(f"__s_{f}") for f in kept]])
            frame = frame.join(stored, on=list(self.key), how="left", nulls_equal=True)
            frame = frame.with_columns(pl.coalesce(f, f"__s_{f}").alias(f) for f in kept)
            frame = frame.drop([f"__s_{f}" for f in kept])
        return frame.with_columns(
            pl.col(f).fill_null(pl.lit(blank_value(self.field(f))).cast(frame.schema[f])) for f in strict
        )

    def check(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Cross-field rules on the completed rows (row errors through ``ctx.reject``)."""
        return frame

    def plan(self, frame: pl.DataFrame, ctx: Context) -> Plan:
        live = self.live_fields(ctx)
        existing = self.existing(frame, ctx)
        frame = self.check(self.complete(frame, existing, live), ctx)
        classified = classify(frame, existing, self.key, live)
        return Plan(classified, sample_changes(classified, self.key, live, self.labels()))

    def new_rows(self, plan: Plan, ctx: Context) -> pl.DataFrame:
        return plan.frame.filter(pl.col("__status__") == NEW).select([*self.key, *self.fields])

    def changed_rows(self, plan: Plan, ctx: Context) -> pl.DataFrame:
        return plan.frame.filter(pl.col("__status__") == CHANGED).select(["id", *self.live_fields(ctx)])

    def write(self, plan: Plan, ctx: Context) -> int:
        return insert_frame(self.model, self.new_rows(plan, ctx)) + update_frame(
            self.model, self.changed_rows(plan, ctx)
        )


def from_codes(expr: pl.Expr, labels: dict[str, str]) -> pl.Expr:
    """Stored code → its Chinese label (unknown codes as they are)."""
    return expr.replace_strict(labels, default=expr, return_dtype=pl.String)
