from django.apps import AppConfig


class VisionConfig(AppConfig):
    name = "edubrain.vision"
    label = "vision"
    verbose_name = "视力监测"
