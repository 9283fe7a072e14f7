from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "edubrain.demo"
    label = "demo"
