from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "joinedup.web"
    label = "web"

    def ready(self) -> None:
        from joinedup.web import checks  # noqa: F401 - registers the system checks
