from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "edubrain.reports"
    label = "reports"
    verbose_name = "报告"
