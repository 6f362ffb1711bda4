from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "joinedup.indicators"
    label = "indicators"
    verbose_name = "Early-warning indicators"
