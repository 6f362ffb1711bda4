"""Police notifications: one row per occurrence, the child as the occurrence's subject."""

from __future__ import annotations

from joinedup.ingest.adapters.identity import PersonAdapter


class PoliceNotificationAdapter(PersonAdapter):
    name = "police-notification"
    description = (
        "police notifications, one row per occurrence: OccurrenceRef, SubjectForename, "
        "SubjectSurname, SubjectDOB (DD/MM/YYYY or blank), Address, Postcode, "
        "NotificationType, NotificationDate"
    )
    mapping = {
        "record_id": "OccurrenceRef",
        "given_name": "SubjectForename",
        "family_name": "SubjectSurname",
        "date_of_birth": "SubjectDOB",
        "address": "Address",
        "postcode": "Postcode",
    }
    columns = (*mapping.values(), "NotificationType", "NotificationDate")
    required = ("OccurrenceRef", "SubjectForename", "SubjectSurname", "SubjectDOB")
    dob_format = "DD/MM/YYYY"
