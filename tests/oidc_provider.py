"""A real OpenID Connect provider for the tests, on 127.0.0.1: Authlib's authorization server
(authorization code grant with its OpenIDCode extension) in a small Flask app, served by
werkzeug in a thread on a free port.

It publishes a discovery document and a JWKS (an RS256 key made at start), and its authorize
endpoint approves at once whoever the test names (no login page). Knobs a test turns:
`claims` (email, email_verified, ...), `audience` (a token for another client), `lifetime`
(seconds from issue to expiry; negative issues an expired token) and `authorize_error`
(the provider answers the sign-in with an error instead of a code).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, redirect, request
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server


@dataclass
class ProviderClient(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # The test client's host and port are only known at sign-in: any loopback callback.
        return redirect_uri.startswith(
            ("http://testserver/", "http://127.0.0.1", "http://localhost")
        )

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Person:
    sub: str

    def get_user_id(self) -> str:
        return self.sub


@dataclass
class Code(AuthorizationCodeMixin):  # type: ignore[misc]
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    person: Person
    issued_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.issued_at)


class TestProvider:
    """One provider; `reset()` between tests puts every knob back."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig"})
        self.clients: dict[str, ProviderClient] = {}
        self.codes: dict[str, Code] = {}
        self.token_requests = 0
        self.reset()
        self._server: BaseWSGIServer | None = None
        self.app = self._app()

    def reset(self) -> None:
        self.claims: dict[str, Any] = {}
        self.audience: str | None = None
        self.lifetime = 300
        self.authorize_error: str | None = None

    def client_add(self, client_id: str, client_secret: str) -> None:
        self.clients[client_id] = ProviderClient(client_id, client_secret)

    # -------------------------------------------------------------------- the server
    @property
    def issuer(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> None:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _app(self) -> Flask:
        app = Flask(__name__)
        provider = self

        class CodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
            def save_authorization_code(self, code: str, req: Any) -> None:
                provider.codes[code] = Code(
                    code=code,
                    client_id=req.client.client_id,
                    redirect_uri=req.payload.redirect_uri,
                    scope=req.payload.scope,
                    nonce=req.payload.data.get("nonce"),
                    person=req.user,
                    issued_at=time.time(),
                )

            def query_authorization_code(self, code: str, client: ProviderClient) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> Person:
                return authorization_code.person

        class IdToken(OpenIDCode):  # type: ignore[misc]
            def exists_nonce(self, nonce: str, req: Any) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: ProviderClient) -> RSAKey:
                return provider.key

            def get_client_algorithm(self, client: ProviderClient) -> str:
                return "RS256"

            def get_encode_header(self, client: ProviderClient) -> dict[str, str]:
                return {"alg": "RS256", "kid": str(provider.key.kid)}

            def get_client_claims(self, client: ProviderClient) -> dict[str, Any]:
                now = int(time.time())
                issued = now if provider.lifetime > 0 else now + provider.lifetime - 60
                # A token for another service: its audience, though naming this client as the
                # authorised party (which Authlib alone would accept).
                other = {"azp": client.get_client_id()} if provider.audience else {}
                return {
                    **other,
                    "iss": provider.issuer,
                    "aud": [provider.audience or client.get_client_id()],
                    "iat": issued,
                    "exp": issued + provider.lifetime
                    if provider.lifetime > 0
                    else now + provider.lifetime,
                }

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                return UserInfo({"sub": user.sub, **provider.claims})

        server = AuthorizationServer(
            app, query_client=self.clients.get, save_token=lambda token, req: None
        )
        server.register_grant(CodeGrant, [IdToken(require_nonce=True)])

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                jwks_uri=f"{self.issuer}/jwks",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=["openid", "email", "profile"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
            )

        @app.get("/jwks")
        def jwks() -> Any:
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.get("/authorize")
        def authorize() -> Any:
            if self.authorize_error:
                target = request.args["redirect_uri"]
                state = request.args.get("state", "")
                return redirect(f"{target}?error={self.authorize_error}&state={state}")
            person = Person(sub=str(self.claims.get("sub", "subject-1")))
            return server.create_authorization_response(grant_user=person)

        @app.post("/token")
        def token() -> Any:
            self.token_requests += 1
            return server.create_token_response()

        return app
