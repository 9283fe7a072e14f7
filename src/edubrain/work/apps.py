from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "edubrain.work"
    label = "work"
    verbose_name = "工作推进"
