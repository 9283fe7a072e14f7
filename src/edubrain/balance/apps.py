from django.apps import AppConfig


class BalanceConfig(AppConfig):
    """优质均衡 (义务教育优质均衡发展) and 普及普惠 (学前教育普及普惠) evaluation."""

    name = "edubrain.balance"
    verbose_name = "均衡发展"
