"""县域义务教育优质均衡 资源配置 evaluation (standards.md §1.1–1.5, §11) as plain, vectorised functions — no
Django.

``indicators`` holds the seven indicators and the per-school test (6 of 7 met, the rest ≥ 85 %),
``split`` divides the shared stock of 一贯制 and 完全中学 schools between stages, ``cv`` computes the
pupil-weighted 差异系数 and ``evaluate`` (split → per school → 差异系数), ``gap`` the missing amounts and
``what_if``; ``layout`` and ``command`` are the database-free ``edubrain balance evaluate`` CLI.
"""

from edubrain.core.balance.cv import Evaluation, difference_coefficients, evaluate
from edubrain.core.balance.gap import Move, gaps, what_if
from edubrain.core.balance.indicators import INDICATORS, BalanceOptions, Indicator, school_values
from edubrain.core.balance.split import split_combined

__all__ = [
    "INDICATORS",
    "BalanceOptions",
    "Evaluation",
    "Indicator",
    "Move",
    "difference_coefficients",
    "evaluate",
    "gaps",
    "school_values",
    "split_combined",
    "what_if",
]
