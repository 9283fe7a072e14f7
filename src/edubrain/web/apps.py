from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "edubrain.web"
    label = "web"
