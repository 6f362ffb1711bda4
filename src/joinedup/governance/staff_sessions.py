"""End a member of staff's sessions at once (disabling them, or a reset of their sign-in).

Disabling sets `is_active = False`, and Django's authentication backend already refuses an
inactive user on their next request; deleting their stored sessions as well means nothing of
them is left to be reused if they are enabled again.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from joinedup.governance.models import StaffUser


def sessions_end_for(staff: StaffUser) -> int:
    """Delete every live session signed in as `staff`; how many there were."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(staff.pk):
            session.delete()
            ended += 1
    return ended
