from django.apps import AppConfig


class FitnessConfig(AppConfig):
    name = "edubrain.fitness"
    label = "fitness"
    verbose_name = "体质健康"
