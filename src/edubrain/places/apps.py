from django.apps import AppConfig


class PlacesConfig(AppConfig):
    """班额/校额 (class and school size) and 学位预警 (school-place forecasts and warnings)."""

    name = "edubrain.places"
    verbose_name = "学位与班额"
