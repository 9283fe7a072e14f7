from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "edubrain.admission"
    label = "admission"
    verbose_name = "网上招生"
