"""`rta grades --lti`: the nbgrader gradebook's scores to the LMS over LTI Assignment and
Grade Services 2.0.

- Token: OAuth 2 client credentials with a signed JWT client assertion (RFC 7523, the LTI
  Security Framework), scopes lineitem + score.
- Line items: one per assignment, found by `resourceId` = the assignment name (or given in
  [assignments]), else created with the assignment's maximum score.
- Scores: one `application/vnd.ims.lis.v1.score+json` POST per (student, assignment).
- Idempotent: a ledger (JSON, written atomically after every accepted score) holds what the
  platform accepted; a rerun posts only scores that are new or changed.
- Failures: 429/5xx/connection errors are retried with exponential backoff (bounded by
  [passback] attempts); a row the platform refuses is reported and the batch goes on; once
  the platform has been unreachable for three rows in a row, the rest are reported unposted
  without further waiting. Nothing unposted is written to the ledger, so the next run sends it.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from course.errors import UserError
from course.lti.config import LTIConfig, locked, read_json, read_launches, write_json_atomic

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE = "application/vnd.ims.lis.v1.score+json"
RETRY_STATUS = {408, 429, 500, 502, 503, 504}
UNREACHABLE_AFTER = 3  # consecutive rows lost to an unreachable platform before giving up


class PassbackError(UserError):
    """The passback cannot start (no gradebook, no line items URL, a ledger in use)."""


class RequestFailed(Exception):
    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable


@dataclass
class Row:
    student: str
    assignment: str
    score: float | None
    max_score: float
    pending_manual: bool = False


@dataclass
class Outcome:
    student: str
    assignment: str
    status: str  # posted | unchanged | not posted | no submission
    score: float | None = None
    max_score: float = 0.0
    reason: str = ""


# --- the gradebook --------------------------------------------------------------------------


def gradebook(db_url: str) -> tuple[list[Row], dict[str, str]]:
    """Every (student, assignment) in nbgrader's gradebook, and the students' lms_user_id."""
    from nbgrader.api import Gradebook

    rows: list[Row] = []
    with Gradebook(db_url) as gb:
        lms_ids = {s.id: s.lms_user_id for s in gb.students if s.lms_user_id}
        for a in gb.assignments:
            done: dict[str, Any] = {s.student.id: s for s in a.submissions}
            for student in gb.students:
                sub = done.get(student.id)
                if sub is None:
                    rows.append(Row(student.id, a.name, None, float(a.max_score or 0)))
                else:
                    rows.append(Row(student.id, a.name, float(sub.score), float(a.max_score or 0),
                                    bool(sub.needs_manual_grade)))
    return rows, lms_ids


# --- HTTP with bounded retries --------------------------------------------------------------


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def scores_url(lineitem: str) -> str:
    """AGS: the scores endpoint is the line item URL with /scores appended to its path
    (Moodle's line item URLs carry a query string, which stays at the end)."""
    parts = urlsplit(lineitem)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body or b"null")
    except ValueError:
        raise RequestFailed(f"{url} answered with something that is not JSON: "
                            f"{body[:120].decode('utf-8', 'replace')!r}") from None


def _next_link(headers: Message) -> str | None:
    for link in headers.get_all("Link") or []:
        for part in link.split(","):
            url, _, params = part.partition(";")
            if 'rel="next"' in params.replace(" ", ""):
                return url.strip().strip("<>")
    return None


class Client:
    """The platform's token and AGS endpoints, as this tool."""

    def __init__(self, cfg: LTIConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.cfg = cfg
        self.sleep = sleep
        self._token: tuple[str, float] | None = None
        self._refused: RequestFailed | None = None  # the token endpoint said no: no point asking again
        self.granted: set[str] = set()

    def _send(self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str],
              auth: bool = True) -> tuple[int, Message, bytes]:
        """One request with retries on 429/5xx and connection errors; a fresh token on 401."""
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            hdrs = dict(headers)
            if auth:
                hdrs["Authorization"] = f"Bearer {self.token()}"
            req = Request(url, data=body, method=method, headers=hdrs)
            retry_after: float | None = None
            try:
                with urlopen(req, timeout=self.cfg.timeout) as resp:
                    return resp.status, resp.headers, resp.read()
            except HTTPError as exc:
                text = exc.read()[:300].decode("utf-8", "replace").strip()
                if exc.code == 401 and auth and not refreshed:  # expired or revoked token
                    self._token, refreshed = None, True
                    attempt -= 1
                    continue
                if exc.code not in RETRY_STATUS or attempt >= self.cfg.attempts:
                    raise RequestFailed(f"{method} {url}: HTTP {exc.code} {text}".strip()) from None
                ra = exc.headers.get("Retry-After", "")
                retry_after = float(ra) if ra.replace(".", "", 1).isdigit() else None
            except (URLError, OSError) as exc:  # refused, reset, timed out
                if attempt >= self.cfg.attempts:
                    reason = getattr(exc, "reason", exc)
                    raise RequestFailed(f"{method} {url}: platform unreachable ({reason})",
                                        unreachable=True) from None
            delay = self.cfg.backoff * 2 ** (attempt - 1)
            self.sleep(min(retry_after if retry_after is not None else delay, 30.0))

    def token(self) -> str:
        if self._token and self._token[1] > time.time() + 30:
            return self._token[0]
        if self._refused:
            raise self._refused
        import jwt

        now = int(time.time())
        assertion = jwt.encode(
            {"iss": self.cfg.client_id, "sub": self.cfg.client_id, "aud": self.cfg.token_url,
             "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex},
            self.cfg.signing_key(), algorithm="RS256", headers={"kid": self.cfg.key_id})
        form = urlencode({
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion, "scope": f"{SCOPE_LINEITEM} {SCOPE_SCORE}"}).encode()
        try:
            _, _, body = self._send("POST", self.cfg.token_url, body=form, auth=False,
                                    headers={"Content-Type": "application/x-www-form-urlencoded",
                                             "Accept": "application/json"})
        except RequestFailed as exc:
            if not exc.unreachable:
                self._refused = RequestFailed(f"the platform refused the tool's credentials: {exc.reason}"
                                              " (is the tool's public key or JWKS URL registered?)")
                raise self._refused from None
            raise
        try:
            data = _json(body, self.cfg.token_url)
            access = str(data["access_token"])
        except (RequestFailed, KeyError, TypeError):
            raise RequestFailed(f"token endpoint {self.cfg.token_url} answered without an "
                                "access_token") from None
        self.granted = set(str(data.get("scope", f"{SCOPE_LINEITEM} {SCOPE_SCORE}")).split())
        self._token = (access, time.time() + float(data.get("expires_in", 3600)))
        return access

    def find_or_create(self, lineitems: str, assignment: str, max_score: float) -> str:
        """The line item whose resourceId is the assignment name; created when missing."""
        url: str | None = _with_query(lineitems, resource_id=assignment)
        while url:
            _, headers, body = self._send("GET", url, headers={"Accept": CONTAINER})
            items = _json(body, url)
            if not isinstance(items, list):
                raise RequestFailed(f"{url} did not answer with a list of line items")
            for item in items:
                if isinstance(item, dict) and item.get("resourceId") == assignment and item.get("id"):
                    return str(item["id"])
            url = _next_link(headers)
        if SCOPE_LINEITEM not in self.granted:
            raise RequestFailed(f"no line item for {assignment} and the platform did not grant the "
                                "line item scope to create one")
        item = {"scoreMaximum": max_score, "label": assignment, "resourceId": assignment,
                "tag": "nbgrader"}
        _, _, body = self._send("POST", lineitems, body=json.dumps(item).encode(),
                                headers={"Content-Type": LINEITEM, "Accept": LINEITEM})
        created = _json(body, lineitems)
        if not isinstance(created, dict) or not created.get("id"):
            raise RequestFailed(f"the platform created a line item for {assignment} without an id")
        return str(created["id"])

    def post_score(self, lineitem: str, score: dict[str, Any]) -> None:
        self._send("POST", scores_url(lineitem), body=json.dumps(score).encode(),
                   headers={"Content-Type": SCORE})


# --- the passback ---------------------------------------------------------------------------


def _lineitems_url(cfg: LTIConfig, launches: dict[str, dict[str, Any]]) -> str:
    if cfg.lineitems:
        return cfg.lineitems
    urls = {str(v["lineitems"]) for v in launches.values()
            if v.get("iss") == cfg.issuer and v.get("lineitems")}
    if len(urls) == 1:
        return str(urls.pop())
    if not urls:
        raise PassbackError("the platform's line items URL is not known yet", path=cfg.path,
                            fix="launch the tool once from the LMS course (the hub records the AGS "
                                "endpoint), or set [platform] lineitems in this file")
    raise PassbackError(f"launches came from {len(urls)} LMS courses: {', '.join(sorted(urls))}",
                        path=cfg.path, fix="set [platform] lineitems to the one this gradebook is for")


def _ledger_key(issuer: str, assignment: str, sub: str) -> str:
    # not the line item URL: an unchanged score is known without asking the platform
    return f"{issuer} {assignment} {sub}"


def ledger_path(cfg: LTIConfig, course_dir: Path) -> Path:
    return cfg.ledger or course_dir / "lti_ledger.json"


class _Run:
    """One passback: identities, the ledger, the client, the line items found so far."""

    def __init__(self, cfg: LTIConfig, ledger_file: Path, subs: dict[str, str],
                 launches: dict[str, dict[str, Any]], client: Client) -> None:
        self.cfg, self.ledger_file, self.subs, self.launches, self.client = \
            cfg, ledger_file, subs, launches, client
        fix = (f"restore {ledger_file} from a backup, or move it aside: every score is then "
               "posted again (harmless: the LMS keeps the latest)")
        self.ledger = read_json(ledger_file, "passback ledger", fix=fix) or {"version": 1, "posted": {}}
        self.posted: dict[str, Any] = self.ledger.setdefault("posted", {})
        self.items: dict[str, str | RequestFailed] = {}  # a refusal is remembered per assignment
        self.lineitems_url = ""
        self.unreachable = 0  # rows in a row lost to an unreachable platform

    def lineitem(self, r: Row) -> str:
        if r.assignment in self.cfg.assignments:
            return self.cfg.assignments[r.assignment]
        known = self.items.get(r.assignment)
        if isinstance(known, RequestFailed):
            raise known
        if known:
            return known
        self.lineitems_url = self.lineitems_url or _lineitems_url(self.cfg, self.launches)
        try:
            found = self.client.find_or_create(self.lineitems_url, r.assignment, r.max_score)
        except RequestFailed as exc:
            if not exc.unreachable:
                self.items[r.assignment] = exc
            raise
        self.items[r.assignment] = found
        return found

    def post(self, r: Row) -> Outcome:
        o = Outcome(r.student, r.assignment, "not posted", r.score, r.max_score)
        sub = self.subs.get(r.student)
        if not sub:
            o.reason = ("no LTI user id: the student has not launched the course from the LMS "
                        "(or set their lms_user_id in the gradebook)")
            return o
        grading = "PendingManual" if r.pending_manual else "FullyGraded"
        key = _ledger_key(self.cfg.issuer, r.assignment, sub)
        prev = self.posted.get(key)
        if prev and (prev["score"], prev["max_score"], prev["grading"]) == (r.score, r.max_score, grading):
            o.status = "unchanged"
            return o
        if self.unreachable >= UNREACHABLE_AFTER:
            o.reason = "not tried: the platform was unreachable for the rows before"
            return o
        try:
            item = self.lineitem(r)
            # AGS: timestamps must increase per (line item, user); microseconds and UTC
            stamp = datetime.now(UTC).isoformat(timespec="microseconds")
            self.client.post_score(item, {
                "userId": sub, "scoreGiven": r.score, "scoreMaximum": r.max_score,
                "activityProgress": "Completed", "gradingProgress": grading, "timestamp": stamp})
        except RequestFailed as exc:
            self.unreachable = self.unreachable + 1 if exc.unreachable else 0
            o.reason = exc.reason
            return o
        self.unreachable = 0
        self.posted[key] = {"student": r.student, "assignment": r.assignment, "sub": sub,
                            "lineitem": item, "score": r.score, "max_score": r.max_score,
                            "grading": grading, "timestamp": stamp}
        write_json_atomic(self.ledger_file, self.ledger, mode=0o600)  # after each: a crash loses nothing
        o.status = "posted"
        return o


def passback(cfg: LTIConfig, db_url: str, course_dir: Path, *,
             progress: Callable[[Outcome], None] | None = None,
             sleep: Callable[[float], None] = time.sleep) -> list[Outcome]:
    """Post every graded submission; returns one outcome per (student, assignment)."""
    try:
        rows, lms_ids = gradebook(db_url)
    except Exception as exc:  # a wrong URL, a missing database: say which
        raise PassbackError(f"cannot read the gradebook {db_url}: {exc}",
                            fix="run `rta autograde ASSIGNMENT` first, or pass --db URL") from None
    launches = read_launches(cfg.launches)
    subs = {**lms_ids, **{u: str(v["sub"]) for u, v in launches.items()
                          if v.get("iss") == cfg.issuer and v.get("sub")}}
    ledger_file = ledger_path(cfg, course_dir)
    outcomes: list[Outcome] = []
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(ledger_file, blocking=False))
        except BlockingIOError:
            raise PassbackError("another `rta grades --lti` is posting to this ledger", path=ledger_file,
                                fix="wait for it to finish, then run again") from None
        run = _Run(cfg, ledger_file, subs, launches, Client(cfg, sleep=sleep))
        for r in rows:
            o = Outcome(r.student, r.assignment, "no submission", None, r.max_score) \
                if r.score is None else run.post(r)
            outcomes.append(o)
            if progress:
                progress(o)
    return outcomes
