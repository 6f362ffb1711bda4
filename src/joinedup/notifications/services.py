"""Notify a member of staff: in the app, and by email through Django's mail backend.

Callers pass a reference and a link, never a child's name (see models). `dedupe_key` makes a
reminder idempotent: the nightly reminder run can be repeated without mailing anyone twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.governance.models import StaffUser
from joinedup.notifications.models import Notification

__all__ = [
    "notification_send",
    "notifications_send",
    "notification_mark_read",
    "notifications_mark_all_read",
]


def notification_send(
    *,
    recipient: StaffUser,
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
) -> Notification | None:
    """Store the notification and email it once the transaction commits. None if already sent
    under this key, or the recipient cannot sign in."""
    if not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                subject=subject[:200],
                body=body,
                link=link,
                dedupe_key=dedupe_key[:200],
            )
    except IntegrityError:
        return None
    if recipient.email:
        transaction.on_commit(lambda: _email(note.pk))
    return note


def notifications_send(
    *,
    recipients: Iterable[StaffUser],
    kind: str,
    subject: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
) -> list[Notification]:
    sent = []
    for recipient in {r.pk: r for r in recipients}.values():
        note = notification_send(
            recipient=recipient,
            kind=kind,
            subject=subject,
            body=body,
            link=link,
            dedupe_key=dedupe_key,
        )
        if note is not None:
            sent.append(note)
    return sent


def _email(notification_id: int) -> None:
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    site = settings.SITE_URL.rstrip("/")
    body = note.body + (f"\n\n{site}{note.link}" if note.link else "")
    body += "\n\nSign in to joinedup to see the details."
    send_mail(
        subject=f"joinedup: {note.subject}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[note.recipient.email],
        fail_silently=False,
    )
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def notification_mark_read(*, recipient: StaffUser, notification_id: int) -> bool:
    return bool(
        Notification.objects.filter(
            pk=notification_id, recipient=recipient, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, recipient: StaffUser) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )
