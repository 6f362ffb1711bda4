from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "joinedup.frontend"
    label = "frontend"
