from django.apps import AppConfig


class TacConfig(AppConfig):
    name = "joinedup.tac"
    label = "tac"
    verbose_name = "Team around the child"
