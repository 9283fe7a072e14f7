"""``DatasetConfig``: one importable dataset — its column spec (core ``Dataset``), the model rows go to, how
references resolve, how rows compare with the stored ones, how they are written and exported.

A dataset module subclasses it and fills in ``columns()`` and ``resolve()``; the default ``plan``/``write``
handle one table keyed by ``key`` (model attnames) with the compared ``fields``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl
from django.apps import apps
from django.db import models

from edubrain.base.frames import field_dtype, insert_frame, queryset_frame, update_frame
from edubrain.imports.diff import CHANGED, NEW, classify, sample_changes
from edubrain.imports.resolve import Context

YES, NO = "是", "否"
BOOL_CODES = {"是": True, "否": False, "1": True, "0": False, "Y": True, "N": False, "有": True, "无": False}


@dataclass
class Plan:
    """Resolved valid rows with ``__status__`` (new/changed/unchanged), ``id`` and the old values."""

    frame: pl.DataFrame
    samples: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return int((self.frame["__status__"] == status).sum()) if self.frame.height else 0


class DatasetConfig:
    name: str = ""
    label: str = ""
    model_label: str = ""
    key: tuple[str, ...] = ()  # model attnames
    fields: tuple[str, ...] = ()  # model attnames compared and written
    # model attname → the column key it comes from (default: the same name); decides what the file carries
    sources: dict[str, str] = {}
    notes: tuple[str, ...] = ()  # lines for the template's 说明 sheet

    # --- the spec -------------------------------------------------------------------------------------
    def columns(self) -> list[Any]:
        raise NotImplementedError

    def spec_key(self) -> tuple[str, ...]:
        return self.key

    def prepare_sheets(self, sheets: list[Any]) -> list[Any]:
        """The sheets as read, adjusted before validation (default: unchanged)."""
        return sheets

    @cached_property
    def spec(self) -> Any:
        from edubrain.core.frames import Dataset

        return Dataset(name=self.name, label=self.label, columns=tuple(self.columns()), key=self.spec_key())

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def header_of(self, key: str) -> str:
        for column in self.spec.columns:
            if column.key == key:
                return str(column.header)
        return key

    def labels(self) -> dict[str, str]:
        return {f: self.header_of(self.sources.get(f, f)) for f in (*self.key, *self.fields)}

    def live_fields(self, ctx: Context) -> tuple[str, ...]:
        """The compared fields whose column is in the file (absent columns never overwrite stored values)."""
        return tuple(f for f in self.fields if self.sources.get(f, f) in ctx.present or f.endswith("_id"))

    # --- the work -------------------------------------------------------------------------------------
    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Turn validated rows into model columns (``key`` + ``fields``), refusing bad references."""
        raise NotImplementedError

    def coerce(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Cast every model column to the model's dtype (decimals rounded to their places)."""
        model, exprs = self.model, []
        for name in frame.columns:
            if name.startswith("__") or name not in {*self.key, *self.fields, "id"}:
                continue
            dtype = field_dtype(model, name)
            expr = pl.col(name)
            if dtype == pl.Boolean and frame[name].dtype == pl.String:
                expr = expr.replace_strict(BOOL_CODES, default=None, return_dtype=pl.Boolean)
            expr = expr.cast(dtype, strict=False)
            f = model._meta.get_field(name[:-3] if name.endswith("_id") else name)
            if isinstance(f, models.DecimalField):
                expr = expr.round(f.decimal_places)
            elif isinstance(f, models.CharField) and not f.null:
                expr = expr.fill_null("")
            exprs.append(expr.alias(name))
        return frame.with_columns(exprs)

    def existing(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Stored rows with the incoming keys (first key column filtered in SQL, the rest by join)."""
        first = self.key[0]
        values = frame[first].drop_nulls().unique().to_list()
        qs = self.model._base_manager.filter(**{f"{first}__in": values})
        return queryset_frame(qs, ["id", *self.key, *self.fields])

    def plan(self, frame: pl.DataFrame, ctx: Context) -> Plan:
        live = self.live_fields(ctx)
        classified = classify(frame, self.existing(frame, ctx), self.key, live)
        return Plan(classified, sample_changes(classified, self.key, live, self.labels()))

    def write(self, plan: Plan, ctx: Context) -> int:
        """Insert the new rows, update the changed ones (only the columns the file carries)."""
        model, live = self.model, self.live_fields(ctx)
        frame = plan.frame
        new = frame.filter(pl.col("__status__") == NEW).select([*self.key, *live])
        new = fill_defaults(model, new)
        changed = frame.filter(pl.col("__status__") == CHANGED).select(["id", *live])
        return insert_frame(model, new) + update_frame(model, changed)

    # --- out ------------------------------------------------------------------------------------------
    def export_frame(self, user: Any) -> pl.DataFrame:
        """The user's visible rows under the spec's headers (re-importable unchanged)."""
        raise NotImplementedError

    def template_workbook(self) -> bytes:
        from edubrain.imports.workbook import template_workbook

        return template_workbook(self)

    def export(self, user: Any, fmt: str = "xlsx") -> bytes:
        from edubrain.imports.workbook import frame_bytes

        return frame_bytes(self.masked_for(user, self.export_frame(user)), fmt, sheet=self.label)

    def masked_for(self, user: Any, frame: pl.DataFrame) -> pl.DataFrame:
        """身份证号 and 学籍号 columns masked for viewers without the right to personal data (a G-学籍号 is
        "G" + 身份证号); such an export is for reading, not for re-import."""
        from edubrain.base.masking import may_see_personal
        from edubrain.core.ids import mask_id_expr

        if may_see_personal(user):
            return frame
        personal = {c.header for c in self.spec.columns if c.kind in ("id_number", "student_number")}
        return frame.with_columns(mask_id_expr(h).alias(h) for h in frame.columns if h in personal)


def fill_defaults(model: type[models.Model], frame: pl.DataFrame) -> pl.DataFrame:
    """NULLs in NOT NULL columns of new rows take the field default."""
    exprs = []
    for name in frame.columns:
        f = model._meta.get_field(name[:-3] if name.endswith("_id") and name != "id" else name)
        if not f.null and f.has_default() and not callable(f.default):
            exprs.append(pl.col(name).fill_null(f.default))
    return frame.with_columns(exprs) if exprs else frame


def label_codes(choices: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Code list for a Column: the Chinese label and the code itself both map to the stored code."""
    out: dict[str, str] = {}
    for code, label in choices:
        out[str(label)] = code
        if code:
            out[str(code)] = code
    out.update(extra or {})
    return out


def code_labels(choices: Any) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


def yes_no(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr).then(pl.lit(YES)).when(expr.not_()).then(pl.lit(NO)).otherwise(pl.lit(None))
