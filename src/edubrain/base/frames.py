"""Frame I/O for the database: a queryset as a polars frame in one query, and bulk writes of frames.

    queryset_frame(qs, fields)         one SELECT → DataFrame (columns named like the fields)
    insert_frame(model, frame)         INSERT every row: one COPY on PostgreSQL, executemany on SQLite
    update_frame(model, frame)         UPDATE rows by ``id``: COPY into a temp table + one UPDATE … FROM on
                                       PostgreSQL, executemany on SQLite
    reset_sequences(models)            move PostgreSQL sequences past explicit ids

Column names are model attnames (``school_id``, not ``school``). Call inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import polars as pl
from django.db import connection, models, transaction

BATCH_SIZE = 5000
# After a bulk insert of this many rows the table's planner statistics are refreshed (ANALYZE): a freshly
# loaded table otherwise keeps the estimates of an empty one until autovacuum comes round, and PostgreSQL
# then picks nested loops that turn a one-second query into minutes (the demo build, a large import).
ANALYZE_ROWS = 10_000

_DTYPES: dict[str, pl.DataType] = {
    "AutoField": pl.Int64(),
    "BigAutoField": pl.Int64(),
    "ForeignKey": pl.Int64(),
    "OneToOneField": pl.Int64(),
    "IntegerField": pl.Int64(),
    "BigIntegerField": pl.Int64(),
    "SmallIntegerField": pl.Int64(),
    "PositiveIntegerField": pl.Int64(),
    "PositiveSmallIntegerField": pl.Int64(),
    "PositiveBigIntegerField": pl.Int64(),
    "BooleanField": pl.Boolean(),
    "DateField": pl.Date(),
    "DateTimeField": pl.Datetime(),
    "DecimalField": pl.Float64(),
    "FloatField": pl.Float64(),
}


def field_dtype(model: type[models.Model], name: str) -> pl.DataType:
    """The polars type of a model field (by name or attname, ``__`` lookups followed); strings otherwise."""
    field: models.Field = None  # type: ignore[assignment]
    current = model
    for part in name.split("__"):
        field = current._meta.get_field(part[:-3] if part.endswith("_id") and part != "id" else part)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    if field.is_relation and not name.endswith("_id") and "__" not in name:
        return pl.Int64()
    return _DTYPES.get(field.get_internal_type(), pl.String())


def queryset_frame(qs: models.QuerySet, fields: Sequence[str]) -> pl.DataFrame:
    """Evaluate ``qs.values_list(*fields)`` in one query into a typed frame."""
    schema = {f: field_dtype(qs.model, f) for f in fields}
    rows = list(qs.values_list(*fields))
    if not rows:
        return pl.DataFrame(schema=schema)
    data = {f: [r[i] for r in rows] for i, f in enumerate(fields)}
    columns = []
    for name, dtype in schema.items():
        values = data[name]
        if dtype == pl.Float64:
            values = [None if v is None else float(v) for v in values]
        columns.append(pl.Series(name, values, dtype=dtype, strict=False))
    return pl.DataFrame(columns)


def _defaults(model: type[models.Model], present: set[str]) -> dict[str, object]:
    """Values for the model's columns the frame does not carry (field defaults, else NULL)."""
    out: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if f.attname in present or f.primary_key:
            continue
        if f.has_default():
            out[f.attname] = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.attname] = dt.datetime.now(dt.UTC)
        elif f.null:
            out[f.attname] = None
        elif f.blank and f.empty_strings_allowed:
            out[f.attname] = ""
        else:
            raise ValueError(f"批量写入缺少必填字段 {model._meta.label}.{f.attname}")
    return out


def _rows(frame: pl.DataFrame) -> list[tuple]:
    return frame.rows()


def insert_frame(model: type[models.Model], frame: pl.DataFrame) -> int:
    """Insert every row (columns are attnames; without ``id`` the database numbers them)."""
    if frame.height == 0:
        return 0
    extra = _defaults(model, set(frame.columns))
    if extra:
        frame = frame.with_columns([pl.lit(v).alias(k) for k, v in extra.items()])
    meta, qn = model._meta, connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(c).column) for c in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one round trip for the whole table
            with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * frame.width)
            sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
            for start in range(0, frame.height, BATCH_SIZE):
                cursor.executemany(sql, _rows(frame.slice(start, BATCH_SIZE)))
        if frame.height >= ANALYZE_ROWS:
            cursor.execute(f"ANALYZE {qn(meta.db_table)}")
    return frame.height


def update_frame(model: type[models.Model], frame: pl.DataFrame, key: str = "id") -> int:
    """Set the frame's other columns on the rows whose ``key`` matches."""
    if frame.height == 0:
        return 0
    meta, qn = model._meta, connection.ops.quote_name
    names = [c for c in frame.columns if c != key]
    cols = {c: meta.get_field(c).column for c in [key, *names]}
    table = qn(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            temp = qn(f"_upd_{meta.db_table}")
            listed = ", ".join(qn(cols[c]) for c in [key, *names])
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(f"CREATE TEMP TABLE {temp} AS SELECT {listed} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY {temp} ({listed}) FROM STDIN") as copy:
                for row in frame.select([key, *names]).iter_rows():
                    copy.write_row(row)
            sets = ", ".join(f"{qn(cols[c])} = t.{qn(cols[c])}" for c in names)
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM {temp} t WHERE {table}.{qn(cols[key])} = t.{qn(cols[key])}"
            )
            cursor.execute(f"DROP TABLE {temp}")
        else:
            sets = ", ".join(f"{qn(cols[c])} = %s" for c in names)
            sql = f"UPDATE {table} SET {sets} WHERE {qn(cols[key])} = %s"
            ordered = frame.select([*names, key])
            for start in range(0, ordered.height, BATCH_SIZE):
                cursor.executemany(sql, _rows(ordered.slice(start, BATCH_SIZE)))
    return frame.height


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After explicit ids, move PostgreSQL sequences past them (a no-op on SQLite).

    A sequence only ever moves forward: sequences are not transactional, so moving one back to a smaller
    MAX(id) inside a transaction that is later rolled back (a reset in a test) would hand out ids that the
    restored rows still hold.
    """
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in model_list:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(table), pk])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({qn(pk)}), 1) FROM {qn(table)}),"
                f" (SELECT last_value FROM {sequence})), true)",
                [sequence],
            )


def recompute_stored(
    queryset: models.QuerySet,
    compute: Callable[[models.QuerySet], pl.DataFrame],
    columns: Sequence[str],
    chunk: int = 200_000,
) -> int:
    """Recompute derived columns of stored rows (the fitness scores, the vision classification) in one
    transaction, ``chunk`` rows at a time: ``compute(part)`` returns a frame with ``id`` and ``columns`` for
    the rows of ``part``; returns the rows updated."""
    qs = queryset.order_by("id")
    ids = list(qs.values_list("id", flat=True))
    done = 0
    with transaction.atomic():
        for start in range(0, len(ids), chunk):
            block = ids[start : start + chunk]
            part = qs.filter(id__gte=block[0], id__lte=block[-1])
            done += update_frame(queryset.model, compute(part).select("id", *columns))
    return done
