"""Signing in: the sign-in page (a button per identity provider, and the password form when
password sign-in is on), single sign-on over OpenID Connect with Authlib, and the lockout page.

Authlib's Django client does the protocol: state and nonce kept in the session, the code
exchanged server to server, and the ID token checked (signature against the provider's JWKS,
issuer, audience, expiry, nonce) before `authorize_access_token` returns. A failure at any
step is a refusal page and a `signin.refused` audit entry, never a 500.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from joserfc.errors import JoseError

from joinedup.config.oidc import OidcProvider
from joinedup.dates import govuk_datetime
from joinedup.governance.auth import PasswordSignInForm
from joinedup.governance.lockout import client_ip, locked_until
from joinedup.governance.middleware import SIGN_IN_METHOD
from joinedup.governance.models import StaffUser
from joinedup.governance.signin import (
    SignInRefused,
    oidc_staff_match,
    signin_refused_record,
    signin_succeeded_record,
)

log = logging.getLogger(__name__)
NEXT_KEY = "joinedup_signin_next"
_clients: dict[OidcProvider, DjangoOAuth2App] = {}


def providers() -> tuple[OidcProvider, ...]:
    return tuple(settings.OIDC_PROVIDERS)


def _provider(key: str) -> OidcProvider:
    for provider in providers():
        if provider.key == key:
            return provider
    raise Http404()


def _client(provider: OidcProvider) -> DjangoOAuth2App:
    """One Authlib client per provider, kept so that its discovery document and JWKS are
    fetched once (the JWKS again when a token names a key it has not seen)."""
    if provider not in _clients:
        oauth = OAuth()
        _clients[provider] = oauth.register(
            name=provider.key,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={"scope": " ".join(provider.scopes), "default_timeout": 10},
        )
    return _clients[provider]


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


class SignInView(LoginView):
    template_name = "home/sign_in.html"
    authentication_form = PasswordSignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["providers"] = providers()
        context["password_sign_in"] = settings.PASSWORD_SIGN_IN
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_SIGN_IN:
            raise Http404()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordSignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        self.request.session[SIGN_IN_METHOD] = "password"
        user = form.get_user()
        assert isinstance(user, StaffUser)
        signin_succeeded_record(staff=user, method="password", ip_address=client_ip(self.request))
        return response


def lockout_page(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What axes answers when a sign-in is refused for too many failures (AXES_LOCKOUT_CALLABLE):
    the sign-in page, saying until when, and that an administrator can unlock the account."""
    username = str((credentials or {}).get("username", ""))[:150]
    until = locked_until(username=username, ip_address=client_ip(request), now=timezone.now())
    if until is not None:  # to the next whole minute, so "after" is true
        until = (until + timedelta(seconds=59)).replace(second=0, microsecond=0)
    when = f"after {govuk_datetime(until)}" if until else "later"
    form = PasswordSignInForm(request, data=request.POST or None)
    form.errors.clear()
    form.add_error(
        None,
        "Sign-in is locked after too many failed attempts. "
        f"Try again {when}, or ask your administrator to unlock your account.",
    )
    context = {
        "form": form,
        "providers": providers(),
        "password_sign_in": settings.PASSWORD_SIGN_IN,
        "next": request.POST.get("next", ""),
    }
    return render(request, "home/sign_in.html", context, status=429)


def oidc_start(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    callback = request.build_absolute_uri(reverse("oidc-callback", args=[chosen.key]))
    try:
        return _client(chosen).authorize_redirect(request, callback)  # type: ignore[no-any-return]
    except (OSError, ValueError, KeyError, RuntimeError) as exc:  # requests' errors are OSErrors
        log.warning("identity provider %s unreachable: %s", chosen.key, exc.__class__.__name__)
        return _refused(request, chosen, SignInRefused("provider_unreachable"))


def _refused(
    request: HttpRequest, provider: OidcProvider, refusal: SignInRefused, identity: str = ""
) -> HttpResponse:
    signin_refused_record(
        refusal=refusal, provider=provider.key, identity=identity, ip_address=client_ip(request)
    )
    context = {"provider": provider, "message": refusal.message}
    return render(request, "home/sign_in_refused.html", context, status=403)


def _verified_claims(request: HttpRequest, provider: OidcProvider) -> dict[str, Any]:
    """The ID token's claims once Authlib has checked it, or SignInRefused."""
    client = _client(provider)
    try:
        # Authlib checks the issuer only when told, and the audience only through `azp`: a
        # token for another service that names us as its `azp` would pass. Both are required.
        issuer = client.load_server_metadata()["issuer"]
        options = {
            "iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [provider.client_id]},
        }
        token = client.authorize_access_token(request, claims_options=options)
    except MismatchingStateError:
        raise SignInRefused("bad_state") from None
    except OAuthError as exc:
        log.warning("identity provider %s refused: %s", provider.key, exc.error)
        raise SignInRefused("provider_error") from None
    except OSError as exc:  # requests' connection errors and timeouts
        log.warning("identity provider %s unreachable: %s", provider.key, exc.__class__.__name__)
        raise SignInRefused("provider_unreachable") from None
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        log.warning("identity provider %s token refused: %s", provider.key, exc)
        raise SignInRefused("token_invalid") from None
    claims = token.get("userinfo")
    if not claims:  # no ID token: nothing was verified
        raise SignInRefused("token_invalid")
    return dict(claims)


def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    identity = ""
    try:
        claims = _verified_claims(request, chosen)
        identity = str(claims.get(chosen.staff_claim) or "")
        staff = oidc_staff_match(provider=chosen, claims=claims)
    except SignInRefused as refusal:
        return _refused(request, chosen, refusal, identity=identity)
    target = _safe_next(request, request.session.pop(NEXT_KEY, None))
    login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SIGN_IN_METHOD] = "oidc"
    signin_succeeded_record(
        staff=staff, method="oidc", provider=chosen.key, ip_address=client_ip(request)
    )
    return HttpResponseRedirect(target)
