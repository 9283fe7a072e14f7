from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "edubrain.plans"
    label = "plans"
    verbose_name = "规划监测"
