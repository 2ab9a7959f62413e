"""A stand-in for an LMS in the tests: a small LTI 1.3 platform on loopback.

Moodle, Canvas and Open edX cannot run on this machine, so the tests talk to this instead.
It follows the IMS specifications those platforms implement, and is strict where they are:

- keys: an RSA key pair generated per run; its JWKS at /jwks;
- launch: /launch?user=LOGIN answers with the page an LMS shows, an auto-posted form that
  starts third-party-initiated login at the tool (iss, login_hint, target_link_uri,
  lti_message_hint, client_id, lti_deployment_id);
- OIDC authorization endpoint /auth: checks the tool's authentication request (scope openid,
  response_type id_token, response_mode form_post, prompt none, registered client_id and
  redirect_uri, the login and message hints it issued, a nonce, a state) and answers with an
  auto-posted form carrying a signed id_token (LtiResourceLinkRequest, version 1.3.0, roles,
  resource link, context, AGS endpoint claim with lineitems/lineitem and scopes);
- OAuth 2 token endpoint /token: client_credentials with a JWT client assertion (RFC 7523)
  verified against the TOOL's JWKS (given, or fetched from the tool's JWKS URL), jti never
  reused, scopes granted from what the tool may have;
- AGS 2.0: line items container (filters resource_id, resource_link_id, tag; paginated with
  Link rel="next"), line items, scores (application/vnd.ims.lis.v1.score+json, validated;
  a score older than the last one on record does not replace it), results.
  URLs have Moodle's shape: .../lineitems/7/lineitem?type_id=1.

`fail(n, path, status)` makes the next n matching requests fail (503 by default); every
request is recorded in `received`, every score in `scores`, the current result per
(line item, user) in `results`.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPES = {SCOPE + s for s in ("lineitem", "lineitem.readonly", "score", "result.readonly")}
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LEARNER, INSTRUCTOR = ROLE + "Learner", ROLE + "Instructor"
INSTITUTION_STUDENT = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"
ACTIVITY = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}
MEDIA = {"lineitem": "application/vnd.ims.lis.v2.lineitem+json",
         "container": "application/vnd.ims.lis.v2.lineitemcontainer+json",
         "score": "application/vnd.ims.lis.v1.score+json",
         "results": "application/vnd.ims.lis.v2.resultcontainer+json"}


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks_of(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update(kid=kid, alg="RS256", use="sig")
    return {"keys": [jwk]}


def auto_post_page(action: str, fields: dict[str, str]) -> bytes:
    """What an LMS sends the browser: a form that submits itself on load."""
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in fields.items())
    return (f'<!DOCTYPE html><html><body onload="document.forms[0].submit()">'
            f'<form method="post" action="{html.escape(action)}">{inputs}</form></body></html>').encode()


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action, self.method, self.fields = "", "get", {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.action:
            self.action, self.method = a.get("action", ""), a.get("method", "get").lower()
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")


def parse_form(page: str) -> tuple[str, str, dict[str, str]]:
    """(action, method, fields) of the first form: what a browser auto-submits."""
    p = _FormParser()
    p.feed(page)
    return p.action, p.method, p.fields


@dataclass
class User:
    login: str
    sub: str
    roles: list[str]
    name: str = ""
    custom: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 0


class Platform:
    """The LMS stand-in. Use as a context manager; register the tool, add users, launch."""

    def __init__(self, *, client_id: str = "rta-hub-client", deployment_id: str = "deploy-1",
                 context_id: str = "course-101") -> None:
        self.key, self.kid = new_key(), f"platform-{secrets.token_hex(4)}"
        self.client_id, self.deployment_id, self.context_id = client_id, deployment_id, context_id
        self.users: dict[str, User] = {}
        self.tool_login_url = self.tool_target = ""
        self.tool_redirect_uris: set[str] = set()
        self.tool_jwks: dict[str, Any] | None = None
        self.tool_jwks_url = ""
        self.tool_scopes = set(SCOPES)
        self.received: list[Received] = []
        self.lineitems: dict[int, dict[str, Any]] = {}
        self.scores: list[dict[str, Any]] = []  # every accepted score POST, in order
        self.results: dict[tuple[str, str], dict[str, Any]] = {}  # (line item id, sub) -> latest
        self.tokens: dict[str, tuple[set[str], float]] = {}
        self.issued: list[str] = []  # id_tokens sent to browsers
        self.page_size = 50
        self.tamper: dict[str, Any] = {}  # "key": sign with it, "claims": override, "unsigned"
        self._hints: dict[str, str] = {}  # lti_message_hint -> login
        self._jti: set[str] = set()
        self._failures: list[list[Any]] = []  # [path fragment, remaining, status]
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self._bound = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.base
        self._thread: threading.Thread | None = None

    # --- set-up ---------------------------------------------------------------------------

    @property
    def auth_url(self) -> str:
        return f"{self.base}/auth"

    @property
    def token_url(self) -> str:
        return f"{self.base}/token"

    @property
    def jwks_url(self) -> str:
        return f"{self.base}/jwks"

    @property
    def lineitems_url(self) -> str:
        return f"{self.base}/lineitems?type_id=1"

    def register_tool(self, *, login_url: str, redirect_uris: list[str], target_link_uri: str,
                      jwks: dict[str, Any] | None = None, jwks_url: str = "") -> None:
        """What an administrator types into the LMS's external-tool form."""
        self.tool_login_url, self.tool_target = login_url, target_link_uri
        self.tool_redirect_uris = set(redirect_uris)
        self.tool_jwks, self.tool_jwks_url = jwks, jwks_url

    def add_user(self, login: str, roles: list[str], *, sub: str | None = None, **custom: str) -> User:
        user = User(login, sub or str(uuid.uuid4()), roles, name=login.title(), custom=custom)
        self.users[login] = user
        return user

    def fail(self, n: int, path: str = "/scores", status: int = 503, body: bytes = b"") -> None:
        """The next n requests whose path contains `path` get `status` (and `body`: what a
        proxy's error page would say)."""
        with self._lock:
            self._failures.append([path, n, status, body])

    def start(self) -> Platform:
        if not self._bound:  # back up on the same port after `stop`
            self.server.server_bind()
            self.server.server_activate()
            self._bound = True
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Down: connections to its port are refused until `start` again (state is kept)."""
        self.server.shutdown()
        self.server.server_close()
        port = self.server.server_address[1]
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler(), bind_and_activate=False)
        self.server.daemon_threads = True
        self._bound = False

    def __enter__(self) -> Platform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self._bound:
            self.server.shutdown()
            self.server.server_close()

    # --- what the platform makes ------------------------------------------------------------

    def launch_url(self, login: str, link: str = "rl-1") -> str:
        return f"{self.base}/launch?{urlencode({'user': login, 'link': link})}"

    def id_token(self, user: User, nonce: str, link: str = "rl-1") -> str:
        now = int(time.time())
        item = self.link_lineitem(link)
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": self.client_id, "azp": self.client_id, "sub": user.sub,
            "iat": now, "exp": now + 300, "nonce": nonce, "name": user.name,
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id, LTI + "target_link_uri": self.tool_target,
            LTI + "resource_link": {"id": link, "title": "RTA course"},
            LTI + "roles": user.roles,
            LTI + "context": {"id": self.context_id, "label": "RTA-101", "title": "Measuring forced labour",
                              "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
            LTI + "tool_platform": {"guid": "rta-test-platform", "name": "LMS stand-in",
                                    "product_family_code": "rta-tests"},
            LTI + "launch_presentation": {"document_target": "iframe", "return_url": f"{self.base}/return"},
            LTI + "custom": dict(user.custom),
            AGS_CLAIM: {"scope": sorted(self.tool_scopes), "lineitems": self.lineitems_url,
                        "lineitem": item["id"]},
        }
        claims.update(self.tamper.get("claims", {}))
        if self.tamper.get("unsigned"):  # alg "none": the oldest JWT forgery
            token = jwt.encode(claims, None, algorithm="none", headers={"kid": self.kid})
        else:
            token = jwt.encode(claims, self.tamper.get("key", self.key), algorithm="RS256",
                               headers={"kid": self.kid})
        self.issued.append(token)
        return token

    def link_lineitem(self, link: str) -> dict[str, Any]:
        """Like Moodle: a gradable resource link comes with its own line item."""
        with self._lock:
            for item in self.lineitems.values():
                if item.get("resourceLinkId") == link:
                    return item
        return self._new_lineitem({"label": f"link {link}", "scoreMaximum": 100, "resourceLinkId": link})

    def _new_lineitem(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            n = len(self.lineitems) + 1
            item = {**body, "id": f"{self.base}/lineitems/{n}/lineitem?type_id=1"}
            self.lineitems[n] = item
            return item

    def result(self, lineitem_label: str, login: str) -> dict[str, Any] | None:
        """The current result of a user on the line item with that label (None if none)."""
        user = self.users[login]
        for item in self.lineitems.values():
            if item.get("label") == lineitem_label:
                return self.results.get((item["id"], user.sub))
        return None

    # --- HTTP -----------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _reply(self, status: int, body: bytes | dict[str, Any] | list[Any],
                       ctype: str = "application/json", headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
                self._rec.status = status

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Received(method, parts.path, dict(parse_qsl(parts.query)),
                               {k.lower(): v for k, v in self.headers.items()}, body)
                self._rec = rec
                with platform._lock:
                    platform.received.append(rec)
                    for f in platform._failures:
                        if f[0] in parts.path and f[1] > 0:
                            f[1] -= 1
                            status, junk = f[2], f[3]
                            break
                    else:
                        status, junk = 0, b""
                if status:
                    self._reply(status, junk or {"error": "temporarily_unavailable"},
                                "text/html" if junk else "application/json")
                    return
                try:
                    platform._route(self, method, parts.path, rec)
                except _Reply as r:
                    self._reply(r.status, r.body, r.ctype, r.headers)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PUT(self) -> None:
                self._serve("PUT")

        return Handler

    def _route(self, h: Any, method: str, path: str, rec: Received) -> None:
        form = {k: v[0] for k, v in parse_qs(rec.body.decode()).items()} \
            if rec.headers.get("content-type", "").startswith("application/x-www-form-urlencoded") else {}
        args = {**rec.query, **form}
        if path == "/jwks" and method == "GET":
            raise _Reply(200, jwks_of(self.key, self.kid))
        if path == "/launch" and method == "GET":
            raise _Reply(200, self._launch(args), "text/html")
        if path == "/auth":
            raise _Reply(200, self._authorize(args), "text/html")
        if path == "/token" and method == "POST":
            raise _Reply(200, self._token(form))
        m = re.fullmatch(r"/lineitems(?:/(\d+)/lineitem(/scores|/results)?)?", path)
        if m:
            scopes = self._bearer(rec)
            n, sub = (int(m.group(1)) if m.group(1) else None), m.group(2)
            if n is None:
                self._container(method, rec, scopes)
            if n not in self.lineitems:
                raise _Reply(404, {"error": "no such line item"})
            if sub == "/scores" and method == "POST":
                self._score(n, rec, scopes)
            if sub == "/results" and method == "GET":
                self._need(scopes, "result.readonly")
                item = self.lineitems[n]["id"]
                raise _Reply(200, [dict(r, id=f"{item}/results/{s}") for (i, s), r in self.results.items()
                                   if i == item], MEDIA["results"])
            if sub is None and method == "GET":
                self._need(scopes, "lineitem", "lineitem.readonly")
                raise _Reply(200, self.lineitems[n], MEDIA["lineitem"])
        raise _Reply(404, {"error": f"no route {method} {path}"})

    # launch and login ------------------------------------------------------------------

    def _launch(self, args: dict[str, str]) -> bytes:
        login = args.get("user", "")
        if login not in self.users:
            raise _Reply(404, {"error": f"no user {login}"})
        hint = secrets.token_urlsafe(12)
        self._hints[hint] = f"{login} {args.get('link', 'rl-1')}"
        return auto_post_page(self.tool_login_url, {
            "iss": self.issuer, "login_hint": login, "target_link_uri": self.tool_target,
            "lti_message_hint": hint, "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id})

    def _authorize(self, a: dict[str, str]) -> bytes:
        expected = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
                    "prompt": "none", "client_id": self.client_id}
        for k, v in expected.items():
            if a.get(k) != v:
                raise _Reply(400, {"error": "invalid_request", "error_description": f"{k} must be {v!r}"})
        if a.get("redirect_uri") not in self.tool_redirect_uris:
            raise _Reply(400, {"error": "invalid_request",
                               "error_description": "redirect_uri not registered"})
        for k in ("nonce", "state", "login_hint"):
            if not a.get(k):
                raise _Reply(400, {"error": "invalid_request", "error_description": f"{k} missing"})
        pending = self._hints.pop(a.get("lti_message_hint", ""), "")
        login, _, link = pending.partition(" ")
        if not pending or login != a["login_hint"]:
            raise _Reply(400, {"error": "invalid_request", "error_description": "unknown message hint"})
        token = self.id_token(self.users[login], a["nonce"], link)
        return auto_post_page(a["redirect_uri"], {"id_token": token, "state": a["state"]})

    # OAuth 2 client credentials (RFC 6749 4.4, RFC 7523) ---------------------------------

    def _tool_key(self, assertion: str) -> Any:
        if self.tool_jwks_url:
            client = jwt.PyJWKClient(self.tool_jwks_url, cache_keys=False)
            return client.get_signing_key_from_jwt(assertion).key
        kid = jwt.get_unverified_header(assertion).get("kid")
        for k in (self.tool_jwks or {}).get("keys", []):
            if k.get("kid") == kid:
                return RSAAlgorithm.from_jwk(k)
        raise _Reply(401, {"error": "invalid_client", "error_description": f"no tool key with kid {kid}"})

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("grant_type") != "client_credentials":
            raise _Reply(400, {"error": "unsupported_grant_type"})
        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            raise _Reply(400, {"error": "invalid_request", "error_description": "client_assertion_type"})
        assertion = form.get("client_assertion", "")
        try:
            claims = jwt.decode(assertion, self._tool_key(assertion), algorithms=["RS256"],
                                audience=self.token_url, issuer=self.client_id,
                                options={"require": ["exp", "iat", "jti", "sub", "iss", "aud"]})
        except (jwt.PyJWTError, ValueError) as exc:
            raise _Reply(401, {"error": "invalid_client", "error_description": str(exc)}) from None
        if claims["sub"] != self.client_id or claims["jti"] in self._jti:
            raise _Reply(401, {"error": "invalid_client", "error_description": "sub or replayed jti"})
        self._jti.add(claims["jti"])
        granted = set(form.get("scope", "").split()) & self.tool_scopes
        if not granted:
            raise _Reply(400, {"error": "invalid_scope"})
        access = secrets.token_urlsafe(24)
        self.tokens[access] = (granted, time.time() + 3600)
        return {"access_token": access, "token_type": "Bearer", "expires_in": 3600,
                "scope": " ".join(sorted(granted))}

    # AGS -------------------------------------------------------------------------------

    def _bearer(self, rec: Received) -> set[str]:
        auth = rec.headers.get("authorization", "")
        scopes, expires = self.tokens.get(auth.removeprefix("Bearer "), (set(), 0.0))
        if not auth.startswith("Bearer ") or expires < time.time():
            raise _Reply(401, {"error": "invalid_token"})
        return scopes

    @staticmethod
    def _need(scopes: set[str], *any_of: str) -> None:
        if not scopes & {SCOPE + s for s in any_of}:
            raise _Reply(403, {"error": "insufficient_scope", "scope": " ".join(any_of)})

    def _container(self, method: str, rec: Received, scopes: set[str]) -> None:
        if method == "GET":
            self._need(scopes, "lineitem", "lineitem.readonly")
            q = rec.query
            items = [i for i in self.lineitems.values()
                     if all(i.get(f) == q[p] for p, f in (("resource_id", "resourceId"),
                            ("resource_link_id", "resourceLinkId"), ("tag", "tag")) if p in q)]
            page = int(q.get("page", "0"))
            chunk = items[page * self.page_size:(page + 1) * self.page_size]
            headers = {}
            if (page + 1) * self.page_size < len(items):
                nxt = {**q, "page": str(page + 1)}
                headers["Link"] = f'<{self.base}/lineitems?{urlencode(nxt)}>; rel="next"'
            raise _Reply(200, chunk, MEDIA["container"], headers)
        if method == "POST":
            self._need(scopes, "lineitem")
            if rec.headers.get("content-type") != MEDIA["lineitem"]:
                raise _Reply(415, {"error": f"Content-Type must be {MEDIA['lineitem']}"})
            body = json.loads(rec.body)
            if not isinstance(body.get("scoreMaximum"), int | float) or body["scoreMaximum"] <= 0 \
                    or not body.get("label"):
                raise _Reply(400, {"error": "a line item needs a label and scoreMaximum > 0"})
            raise _Reply(201, self._new_lineitem(body), MEDIA["lineitem"])
        raise _Reply(405, {"error": "method"})

    def _score(self, n: int, rec: Received, scopes: set[str]) -> None:
        self._need(scopes, "score")
        if rec.headers.get("content-type") != MEDIA["score"]:
            raise _Reply(415, {"error": f"Content-Type must be {MEDIA['score']}"})
        try:
            s = json.loads(rec.body)
        except ValueError:
            raise _Reply(400, {"error": "not JSON"}) from None
        members = {u.sub for u in self.users.values()}
        problems = []
        if s.get("userId") not in members:
            problems.append("userId is not a member of this context")
        if s.get("activityProgress") not in ACTIVITY:
            problems.append("activityProgress")
        if s.get("gradingProgress") not in GRADING:
            problems.append("gradingProgress")
        given, maximum = s.get("scoreGiven"), s.get("scoreMaximum")
        if given is not None and (not isinstance(given, int | float) or given < 0
                                  or not isinstance(maximum, int | float) or maximum <= 0):
            problems.append("scoreGiven needs scoreMaximum > 0 and must be >= 0")
        try:
            stamp = datetime.fromisoformat(str(s.get("timestamp")))
            if stamp.tzinfo is None:
                problems.append("timestamp needs a time zone")
        except ValueError:
            problems.append("timestamp is not ISO 8601")
        if problems:
            raise _Reply(400, {"error": "invalid score", "problems": problems})
        item = self.lineitems[n]["id"]
        with self._lock:
            self.scores.append(dict(s, lineitem=item))
            prev = self.results.get((item, s["userId"]))
            # AGS: a score older than the one on record must not replace it
            if prev is None or datetime.fromisoformat(prev["timestamp"]) < stamp:
                self.results[(item, s["userId"])] = s
        raise _Reply(200, b"", "text/plain")


class _Reply(Exception):  # noqa: N818  (control flow: the handler's answer)
    def __init__(self, status: int, body: bytes | dict[str, Any] | list[Any], ctype: str = "application/json",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.ctype, self.headers = status, body, ctype, headers or {}
