"""The commit's write: one transaction of bulk writes through the dataset, audited with ``record_bulk``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from edubrain.base.audit import audit_actor, record_bulk
from edubrain.imports.datasets import DATASETS


def write_analysis(batch: Any, result: Any, user: Any) -> int:
    """Write the analysis' plan; any exception rolls everything back (the caller marks the batch failed)."""
    config = DATASETS[batch.dataset]
    ctx = result.context
    ctx.batch = batch
    with transaction.atomic(), audit_actor(user):
        written = config.write(result.plan, ctx)
        if written:
            record_bulk(
                config.model,
                written,
                summary=f"导入“{batch.file_name}”：新增 {result.new} 条，修改 {result.changed} 条",
            )
    return written
