"""Compare resolved import rows with the stored ones: each row is new, changed or unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from edubrain.core.ids import mask_id_number

SAMPLE_LIMIT = 20
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
SENSITIVE = {"id_number", "student_number"}


def classify(
    incoming: pl.DataFrame, existing: pl.DataFrame, key: Sequence[str], fields: Sequence[str]
) -> pl.DataFrame:
    """``incoming`` with ``id`` (NULL when new), the stored values as ``<field>__old`` and ``__status__``.

    ``existing`` holds ``id``, the key and the fields; both sides carry the model's dtypes."""
    old = existing.select(["id", *key, *[pl.col(f).alias(f"{f}__old") for f in fields]])
    joined = incoming.drop("id", strict=False).join(old, on=list(key), how="left", nulls_equal=True)
    differs = [pl.col(f).ne_missing(pl.col(f"{f}__old")) for f in fields]
    any_diff = pl.any_horizontal(differs) if differs else pl.lit(False)
    status = (
        pl.when(pl.col("id").is_null())
        .then(pl.lit(NEW))
        .when(any_diff)
        .then(pl.lit(CHANGED))
        .otherwise(pl.lit(UNCHANGED))
    )
    return joined.with_columns(status.alias("__status__"))


def _shown(field: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return mask_id_number(text) if field in SENSITIVE else text


def sample_changes(
    frame: pl.DataFrame, key: Sequence[str], fields: Sequence[str], labels: dict[str, str], limit: int = 20
) -> list[dict[str, Any]]:
    """Up to ``limit`` {key, field, old, new} entries of the changed rows (ID numbers masked)."""
    out: list[dict[str, Any]] = []
    changed = frame.filter(pl.col("__status__") == CHANGED).head(limit)
    for row in changed.iter_rows(named=True):
        shown_key = " / ".join(str(_shown(k, row.get(f"{k}__label", row[k]))) for k in key)
        for f in fields:
            old, new = row.get(f"{f}__old"), row.get(f)
            if old != new and not (old is None and new is None):
                out.append(
                    {
                        "key": shown_key,
                        "field": labels.get(f, f),
                        "old": _shown(f, old),
                        "new": _shown(f, new),
                    }
                )
                if len(out) >= limit:
                    return out
    return out
