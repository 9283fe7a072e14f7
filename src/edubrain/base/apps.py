from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "edubrain.base"
    label = "base"
    verbose_name = "基础"

    def ready(self) -> None:
        from edubrain.base import audit  # noqa: F401  (connects the audit signals)
