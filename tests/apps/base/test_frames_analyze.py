"""A bulk insert of ANALYZE_ROWS rows or more refreshes the table's planner statistics (PostgreSQL: pg_class
row estimate; SQLite: sqlite_stat1), so queries on freshly loaded data get sound plans."""

from __future__ import annotations

import polars as pl
from django.db import connection

from edubrain.base import frames
from edubrain.base.audit import AuditLog


def estimated_rows() -> float:
    table = AuditLog._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return float(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return -1.0
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        row = cursor.fetchone()
        return float(row[0].split()[0]) if row else -1.0


def audit_rows(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "action": ["bulk"] * n,
            "model": ["test"] * n,
            "object_id": [str(i) for i in range(n)],
            "summary": [""] * n,
            "changes": ["{}"] * n,
            "at": [None] * n,
        }
    ).drop("at")


def test_a_large_insert_refreshes_statistics_a_small_one_does_not(db, monkeypatch):
    monkeypatch.setattr(frames, "ANALYZE_ROWS", 500)
    before = estimated_rows()
    frames.insert_frame(AuditLog, audit_rows(499))  # just below: no ANALYZE
    assert estimated_rows() == before
    frames.insert_frame(AuditLog, audit_rows(500))  # at the threshold: statistics see the new rows
    assert estimated_rows() >= 999
