"""``edubrain report-job``: the same command as report_job (the hyphenated name ``reports.jobs`` starts)."""

from edubrain.reports.management.commands.report_job import Command

__all__ = ["Command"]
