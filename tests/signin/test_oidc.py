"""Single sign-on end to end: Django's test client, joinedup's Authlib client, and a live
OpenID Connect provider on 127.0.0.1 (tests/oidc_provider.py), talking real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.governance.middleware import SIGN_IN_METHOD, SIGNED_IN_AT
from joinedup.governance.models import AuditEvent, Role
from tests import factories as f
from tests.oidc_provider import TestProvider
from tests.signin.conftest import oidc_sign_in

pytestmark = pytest.mark.django_db

NOT_SET_UP = "Your account is not set up in joinedup. Ask your administrator."


def _refusal(reason: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action="signin.refused").order_by("-sequence").first()
    assert event is not None, "no signin.refused audit entry"
    assert event.detail["reason"] == reason
    return event


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_a_good_sign_in(client: Client, oidc: TestProvider) -> None:
    dana = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(), email="Dana.Lee@council.example")
    oidc.claims = {"email": "dana.lee@COUNCIL.example", "email_verified": True}
    response: Any = oidc_sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client)
    assert client.session[SIGN_IN_METHOD] == "oidc"
    assert SIGNED_IN_AT in client.session
    event = AuditEvent.objects.get(action="signin.succeeded")
    assert event.actor_id == dana.pk
    assert event.detail["method"] == "oidc" and event.detail["provider"] == "council"
    assert "id_token" not in str(event.detail)


def test_the_sign_in_page_has_a_button_per_provider(client: Client, oidc: TestProvider) -> None:
    page = client.get("/sign-in/").content.decode()
    assert "Sign in with Joinedup Borough Council" in page
    assert "Sign in with Joinedup Schools Trust" in page
    assert 'href="/sign-in/oidc/council/"' in page


def test_an_unknown_email_is_refused_without_a_hint(client: Client, oidc: TestProvider) -> None:
    f.staff(email="dana@council.example")
    oidc.claims = {"email": "nobody@council.example", "email_verified": True}
    response: Any = oidc_sign_in(client)
    assert response.status_code == 403
    assert NOT_SET_UP in response.content.decode()
    assert not _signed_in(client)
    assert _refusal("unknown_person").detail["provider"] == "council"


def test_an_unverified_email_is_refused(client: Client, oidc: TestProvider) -> None:
    f.staff(email="dana@council.example")
    oidc.claims = {"email": "dana@council.example", "email_verified": False}
    response: Any = oidc_sign_in(client)
    assert response.status_code == 403
    assert not _signed_in(client)
    _refusal("email_not_verified")


def test_disabled_staff_are_refused(client: Client, oidc: TestProvider) -> None:
    f.staff(email="dana@council.example", is_active=False, disabled_at=timezone.now())
    oidc.claims = {"email": "dana@council.example", "email_verified": True}
    response: Any = oidc_sign_in(client)
    assert response.status_code == 403
    assert "disabled" in response.content.decode()
    assert not _signed_in(client)
    _refusal("disabled")


def test_a_token_for_another_audience_is_refused(
    client: Client, oidc: TestProvider, caplog: pytest.LogCaptureFixture
) -> None:
    f.staff(email="dana@council.example")
    oidc.claims = {"email": "dana@council.example", "email_verified": True}
    oidc.audience = "some-other-service"
    response: Any = oidc_sign_in(client)
    assert response.status_code == 403
    assert "could not be checked" in response.content.decode()
    assert not _signed_in(client)
    _refusal("token_invalid")
    assert "'aud'" in caplog.text  # Authlib refused the audience, not something else


def test_an_expired_token_is_refused(
    client: Client, oidc: TestProvider, caplog: pytest.LogCaptureFixture
) -> None:
    f.staff(email="dana@council.example")
    oidc.claims = {"email": "dana@council.example", "email_verified": True}
    oidc.lifetime = -600  # expired ten minutes ago: beyond Authlib's two minutes' leeway
    response: Any = oidc_sign_in(client)
    assert response.status_code == 403
    assert not _signed_in(client)
    _refusal("token_invalid")
    assert "expired" in caplog.text.lower()


def test_the_providers_error_is_refused(client: Client, oidc: TestProvider) -> None:
    oidc.authorize_error = "access_denied"
    response: Any = oidc_sign_in(client)
    assert response.status_code == 403
    assert "did not let you in" in response.content.decode()
    _refusal("provider_error")


def test_a_callback_with_a_state_of_its_own_is_refused(client: Client, oidc: TestProvider) -> None:
    f.staff(email="dana@council.example")
    oidc.claims = {"email": "dana@council.example", "email_verified": True}
    client.get("/sign-in/oidc/council/")
    response = client.get("/sign-in/oidc/council/callback/?code=made-up&state=forged")
    assert response.status_code == 403
    assert not _signed_in(client)
    _refusal("bad_state")


def test_an_unreachable_provider_is_a_clear_page(client: Client, settings: Any) -> None:
    from joinedup.config.oidc import providers_parse

    # A port nothing listens on (the discard port on loopback, never served here).
    settings.OIDC_PROVIDERS = providers_parse(
        '[providers.gone]\nlabel = "Gone"\nclient_id = "x"\nclient_secret_env = "S"\n'
        'discovery_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n',
        source="test",
        environ={"S": "secret"},
        loopback_http=True,
    )
    response = client.get("/sign-in/oidc/gone/")
    assert response.status_code == 403
    assert "could not reach" in response.content.decode()
    _refusal("provider_unreachable")


def test_an_unknown_provider_is_404(client: Client, oidc: TestProvider) -> None:
    assert client.get("/sign-in/oidc/nobody/").status_code == 404
    assert client.get("/sign-in/oidc/nobody/callback/").status_code == 404


def test_two_providers_each_sign_in_their_own_staff(client: Client, oidc: TestProvider) -> None:
    school = f.agency(code="trust-school")
    f.staff(Role.TEACHER, school, username="sam@trust.example")
    oidc.claims = {"preferred_username": "SAM@trust.example"}
    response: Any = oidc_sign_in(client, "trust")
    assert response.status_code == 302
    assert _signed_in(client)
    event = AuditEvent.objects.get(action="signin.succeeded")
    assert event.detail["provider"] == "trust"


def test_a_provider_limited_to_agencies_refuses_other_staff(
    client: Client, oidc: TestProvider
) -> None:
    f.staff(
        Role.SOCIAL_WORKER, f.agency(code="council-social-care"), username="kim@council.example"
    )
    oidc.claims = {"preferred_username": "kim@council.example"}
    response: Any = oidc_sign_in(client, "trust")
    assert response.status_code == 403
    assert not _signed_in(client)
    _refusal("agency_not_allowed")


def test_a_sign_in_never_creates_staff(client: Client, oidc: TestProvider) -> None:
    from joinedup.governance.models import StaffUser

    before = StaffUser.objects.count()
    oidc.claims = {"email": "new.person@council.example", "email_verified": True}
    oidc_sign_in(client)
    assert StaffUser.objects.count() == before
