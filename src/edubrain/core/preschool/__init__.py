"""学前教育普及普惠 (universal and affordable preschool): the 督导评估 indicators per 镇/街道 and county
against the national thresholds and the plan's targets (standards.md §2). Pure, vectorised — no Django."""

from edubrain.core.preschool.evaluate import (
    INDICATORS,
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    STATUSES,
    PreschoolOptions,
    add_total,
    evaluate_preschool,
    preschool_verdict,
)

__all__ = [
    "INDICATORS",
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "STATUSES",
    "PreschoolOptions",
    "add_total",
    "evaluate_preschool",
    "preschool_verdict",
]
