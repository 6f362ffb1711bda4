"""Lockout after failed sign-ins, kept by django-axes (settings AXES_*; docs/sign-in.md).

Axes counts failures by username and, separately, by the client's address, and refuses a
sign-in while either has reached LOGIN_FAILURE_LIMIT within LOGIN_LOCKOUT_SECONDS of the last
failure. These helpers answer "locked until when?" and find the client's address.
"""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's, or, behind TRUSTED_PROXY_COUNT proxies, the
    address the outermost trusted proxy saw (counted from the right of X-Forwarded-For, so a
    client cannot choose it by sending the header itself)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    return hops[-proxies] if len(hops) >= proxies else remote


def _until(attempts: object) -> datetime | None:
    cool_off = get_cool_off()
    summary = attempts.aggregate(  # type: ignore[attr-defined]
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if not summary["failures"] or summary["failures"] < settings.AXES_FAILURE_LIMIT:
        return None
    if cool_off is None:
        return None
    return summary["last"] + cool_off  # type: ignore[no-any-return]


def locked_until(*, username: str = "", ip_address: str = "", now: datetime) -> datetime | None:
    """When the lock on this username (or address) ends, or None if it is not locked."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.all()
    if cool_off is not None:
        recent = recent.filter(attempt_time__gte=now - cool_off)
    candidates = []
    if username:
        candidates.append(_until(recent.filter(username=username)))
    if ip_address:
        candidates.append(_until(recent.filter(ip_address=ip_address)))
    found = [c for c in candidates if c is not None and c > now]
    return max(found) if found else None


def lockout_reset(*, username: str) -> int:
    """Forget the failed sign-ins for this username; how many records went."""
    return int(reset(username=username))
