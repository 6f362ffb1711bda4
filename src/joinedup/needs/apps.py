from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "joinedup.needs"
    label = "needs"
    verbose_name = "Continuum of need and needs vocabulary"
