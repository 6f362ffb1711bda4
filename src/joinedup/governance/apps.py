from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "joinedup.governance"
    label = "governance"
    verbose_name = "Governance: agencies, staff, sharing agreements, audit"

    def ready(self) -> None:
        from joinedup.governance import auth  # noqa: F401  (connects the sign-in signal)
