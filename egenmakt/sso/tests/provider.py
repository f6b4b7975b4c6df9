"""A small, real OpenID Connect provider for the tests, served on a local port in a thread.

Built with Authlib's PKCE helper and joserfc's keys and JWTs behind a werkzeug server:
discovery, a key set, an authorization endpoint that signs in the configured test person
at once and sends the browser back with a code and the state, and a token endpoint that
checks the client, the redirect address, the single use of the code and the PKCE verifier
before it returns an RS256-signed ID token carrying the nonce. ``Behaviour`` lets a test
make it misbehave (another audience, an old token, another key, another nonce).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

logging.getLogger("werkzeug").setLevel(logging.ERROR)

CLIENT_ID = "egenmakt-test"
CLIENT_SECRET = "test-secret-" + "x" * 20


@dataclass
class Behaviour:
    """Who signs in at the provider, and what it gets wrong on purpose."""

    claims: dict[str, Any] = field(default_factory=dict)
    audience: str = CLIENT_ID
    lifetime: int = 300
    issued_ago: int = 0
    nonce: str | None = None  # None: the one the client sent
    unknown_key: bool = False  # signed with a key not in the key set
    wrong_signature: bool = False  # signed with another key under the published kid
    no_kid: bool = False  # a token whose header names no key
    no_id_token: bool = False  # a token answer without an ID token


class LocalProvider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.stranger_key = RSAKey.generate_key(2048, parameters={"kid": "key-9", "use": "sig"})
        self.behaviour = Behaviour()
        self.codes: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()

    @property
    def endpoints(self) -> dict[str, str]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
        }

    def app(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        request = Request(environ)
        handler = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
        }.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def discovery(self, request: Request) -> Response:
        document = {
            **self.endpoints,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }
        return _json(document)

    def jwks(self, request: Request) -> Response:
        keys = KeySet([self.key]).as_dict(private=False)
        for key in keys["keys"]:
            key["alg"] = "RS256"
        return _json(keys)

    def authorize(self, request: Request) -> Response:
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            return Response("bad request", status=400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return Response("PKCE required", status=400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": args["redirect_uri"],
            "nonce": args.get("nonce"),
            "challenge": args["code_challenge"],
        }
        query = urlencode({"code": code, "state": args["state"]})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def token(self, request: Request) -> Response:
        self.token_requests += 1
        form = request.form
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return _json({"error": "invalid_client"}, status=401)
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, status=400)
        verifier = form.get("code_verifier", "")
        if create_s256_code_challenge(verifier) != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, status=400)
        b = self.behaviour
        now = int(time.time()) - b.issued_ago
        claims = {
            "iss": self.issuer,
            "aud": b.audience,
            "iat": now,
            "exp": now + b.lifetime,
            "nonce": b.nonce if b.nonce is not None else grant["nonce"],
            **b.claims,
        }
        key = self.key
        if b.unknown_key:
            key = self.stranger_key
        elif b.wrong_signature:
            key = self.other_key
        header = {"alg": "RS256"} if b.no_kid else {"alg": "RS256", "kid": key.kid}
        id_token = jwt.encode(header, claims, key)
        if b.no_id_token:
            return _json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer"})
        return _json(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "id_token": id_token,
            }
        )


def _json(data: Any, status: int = 200) -> Response:
    import json

    return Response(json.dumps(data), status=status, mimetype="application/json")
