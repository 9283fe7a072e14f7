"""``edubrain report-job ID``: the background worker of one 报告生成任务 (started by
``reports.jobs.start``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from edubrain.reports.jobs import run_id
from edubrain.reports.models import ReportJob


class Command(BaseCommand):
    help = "后台生成一个报告任务（Word、PDF 或数据附件 Excel）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            job = run_id(opts["job_id"])
        except ReportJob.DoesNotExist:
            raise CommandError(f"没有编号为 {opts['job_id']} 的报告任务") from None
        self.stdout.write(
            f"报告任务 {job.pk}：{job.get_status_display()}{job.message and '，' + job.message}"
        )
