from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "joinedup.ingest"
    label = "ingest"
    verbose_name = "Imports of agency extracts"
