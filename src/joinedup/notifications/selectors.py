"""A member of staff's own notifications: the list (unread first) and the header's count."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from joinedup.governance.models import StaffUser
from joinedup.notifications.models import Notification

__all__ = ["notification_list", "unread_count"]


def notification_list(*, viewer: StaffUser) -> QuerySet[Notification]:
    """The viewer's own notifications, unread first, newest first within each."""
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return Notification.objects.filter(recipient_id=viewer.pk).order_by(
        unread_first, "-created_at", "-id"
    )


def unread_count(user: object) -> int:
    """Unread notifications for the header; 0 for anyone not signed in as staff."""
    if not isinstance(user, StaffUser) or not user.is_active:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
