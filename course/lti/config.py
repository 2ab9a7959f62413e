"""The LTI 1.3 configuration file (TOML): the platform registration and the tool's key.

One file serves the hub (launch) and `rta grades --lti` (passback)::

    [course]
    name = "rta"                    # hub groups formgrade-rta (instructors), nbgrader-rta (students)

    [platform]                      # what the LMS shows when the tool is registered
    issuer = "https://moodle.example.edu"
    client_id = "f3Xq9..."
    deployment_id = "1"             # or deployment_ids = ["1", "2"]
    auth_url = "https://moodle.example.edu/mod/lti/auth.php"
    token_url = "https://moodle.example.edu/mod/lti/token.php"
    jwks_url = "https://moodle.example.edu/mod/lti/certs.php"
    # lineitems = "https://..."     # optional: the course's AGS line items URL (else: from launches)

    [tool]
    private_key = "tool-key.pem"    # RSA, PEM; relative paths are relative to this file
    key_id = "rta-1"
    username_claim = "sub"          # or "custom_username" (a custom field the LMS sends)
    launches = "lti_launches.json"  # the hub writes username -> sub here at each launch

    [passback]                      # optional
    attempts = 4                    # per request, with exponential backoff
    backoff = 0.5                   # seconds before the first retry
    timeout = 20                    # seconds per request
    # ledger = "/srv/course/lti_ledger.json"   # default: next to the gradebook

    [assignments]                   # optional: a line item URL per assignment
    # m06_mse = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem"
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from course.errors import UserError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Unix login names the hub can create (Debian's adduser NAME_REGEX, 32 characters at most)
UNIX_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")


class LTIConfigError(UserError):
    """The LTI configuration file is missing, unreadable or incomplete; names the file."""

    def __init__(self, path: Path | str, message: str, *, fix: str) -> None:
        super().__init__(message, path=path, fix=fix)


@dataclass(frozen=True)
class LTIConfig:
    path: Path
    course: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_url: str
    token_url: str
    jwks_url: str
    private_key: Path
    key_id: str
    username_claim: str = "sub"
    launches: Path = Path("lti_launches.json")
    lineitems: str = ""
    attempts: int = 4
    backoff: float = 0.5
    timeout: float = 20.0
    ledger: Path | None = None
    assignments: dict[str, str] = field(default_factory=dict)

    @property
    def instructor_group(self) -> str:
        return f"formgrade-{self.course}"

    @property
    def student_group(self) -> str:
        return f"nbgrader-{self.course}"

    def signing_key(self) -> Any:
        """The tool's RSA private key (cryptography object)."""
        return _load_key(self.path, self.private_key)

    def tool_jwks(self) -> dict[str, Any]:
        """The tool's public JSON Web Key Set: what the platform verifies our assertions with."""
        from jwt.algorithms import RSAAlgorithm

        jwk = RSAAlgorithm.to_jwk(self.signing_key().public_key(), as_dict=True)
        jwk.update(kid=self.key_id, alg="RS256", use="sig")
        return {"keys": [jwk]}


def _url(path: Path, section: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise LTIConfigError(path, f"[{section}] {key} is missing",
                             fix=f"add `{key} = \"https://...\"` under [{section}]; the LMS shows it "
                                 "when the tool is registered (grading/LTI.md)")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise LTIConfigError(path, f"[{section}] {key} = {value!r} is not a URL",
                             fix="give the full URL, e.g. https://lms.example.edu/...")
    # LTI 1.3 requires TLS; plain http only for a platform on this machine (the tests)
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise LTIConfigError(path, f"[{section}] {key} = {value!r} is not HTTPS",
                             fix="LTI 1.3 requires HTTPS: use the platform's https:// URL")
    return value


def _text(path: Path, section: str, table: dict[str, Any], key: str, hint: str) -> str:
    value = table.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise LTIConfigError(path, f"[{section}] {key} is missing", fix=hint)
    return value.strip()


def _load_key(config: Path, key_path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    gen = ("create one with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
           f"-out {key_path}` and `chmod 600 {key_path}`")
    try:
        data = key_path.read_bytes()
    except OSError as exc:
        raise LTIConfigError(config, f"[tool] private_key {key_path} cannot be read ({exc.strerror})",
                             fix=gen) from None
    if key_path.stat().st_mode & 0o077:
        raise LTIConfigError(config, f"[tool] private_key {key_path} is readable by other users",
                             fix=f"chmod 600 {key_path} (and chown it to whoever runs `rta grades "
                                 "--lti`)")
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise LTIConfigError(config, f"[tool] private_key {key_path} is not an unencrypted PEM key",
                             fix=gen) from None
    if not isinstance(key, RSAPrivateKey):
        raise LTIConfigError(config, f"[tool] private_key {key_path} is not an RSA key (LTI uses RS256)",
                             fix=gen)
    return key


def _read_sections(path: Path) -> dict[str, dict[str, Any]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LTIConfigError(path, "LTI configuration file not found",
                             fix="write it as grading/LTI.md shows ([course], [platform], [tool])") from None
    except tomllib.TOMLDecodeError as exc:
        raise LTIConfigError(path, f"not valid TOML: {exc}", fix="correct the line named above") from None
    sections = {k: raw.get(k, {}) for k in ("course", "platform", "tool", "passback", "assignments")}
    for name, table in sections.items():
        if not isinstance(table, dict):
            raise LTIConfigError(path, f"[{name}] must be a table", fix=f"write it as a [{name}] section")
    return sections


def _course_name(path: Path, course: dict[str, Any]) -> str:
    name = _text(path, "course", course, "name", 'add `name = "rta"` under [course] (the hub\'s '
                                                  "groups are formgrade-<name> and nbgrader-<name>)")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise LTIConfigError(path, f"[course] name {name!r} has characters a group name cannot hold",
                             fix="use letters, digits, '-', '_' or '.'")
    return name


def _deployments(path: Path, plat: dict[str, Any]) -> tuple[str, ...]:
    deployments = plat.get("deployment_ids", plat.get("deployment_id"))
    if isinstance(deployments, str | int):
        deployments = [deployments]
    if not deployments or not isinstance(deployments, list):
        raise LTIConfigError(path, "[platform] deployment_id is missing",
                             fix="copy the deployment ID the LMS shows for this tool, e.g. "
                                 'deployment_id = "1"')
    return tuple(str(d) for d in deployments)


def _username_claim(path: Path, tool: dict[str, Any]) -> str:
    claim = str(tool.get("username_claim", "sub"))
    if claim != "sub" and not claim.startswith("custom_") and claim not in ("email", "preferred_username"):
        raise LTIConfigError(path, f"[tool] username_claim {claim!r} is not one the launch carries",
                             fix='use "sub", "preferred_username", "email" or "custom_<field>"')
    return claim


def _passback(path: Path, pb: dict[str, Any]) -> tuple[int, float, float]:
    try:
        attempts, backoff, timeout = int(pb.get("attempts", 4)), float(pb.get("backoff", 0.5)), \
            float(pb.get("timeout", 20))
    except (TypeError, ValueError):
        raise LTIConfigError(path, "[passback] attempts, backoff and timeout must be numbers",
                             fix="e.g. attempts = 4, backoff = 0.5, timeout = 20") from None
    if not 1 <= attempts <= 10 or backoff < 0 or timeout <= 0:
        raise LTIConfigError(path, "[passback] attempts must be 1-10, backoff >= 0, timeout > 0",
                             fix="e.g. attempts = 4, backoff = 0.5, timeout = 20")
    return attempts, backoff, timeout


def load_config(path: Path | str) -> LTIConfig:
    """Read and check the file; every problem is an LTIConfigError naming it and the fix."""
    path = Path(path).resolve()
    sections = _read_sections(path)
    plat, tool, pb = sections["platform"], sections["tool"], sections["passback"]

    def rel(value: str) -> Path:  # paths in the file are relative to it
        p = Path(value).expanduser()
        return p if p.is_absolute() else path.parent / p

    key_path = rel(_text(path, "tool", tool, "private_key",
                         'add `private_key = "tool-key.pem"` under [tool] (an RSA key, PEM)'))
    assignments = {str(a): _url(path, "assignments", a, url) for a, url in sections["assignments"].items()}
    attempts, backoff, timeout = _passback(path, pb)
    cfg = LTIConfig(
        path=path, course=_course_name(path, sections["course"]),
        issuer=_url(path, "platform", "issuer", plat.get("issuer")).rstrip("/"),
        client_id=_text(path, "platform", plat, "client_id",
                        "copy the client ID the LMS generated when the tool was registered"),
        deployment_ids=_deployments(path, plat),
        auth_url=_url(path, "platform", "auth_url", plat.get("auth_url")),
        token_url=_url(path, "platform", "token_url", plat.get("token_url")),
        jwks_url=_url(path, "platform", "jwks_url", plat.get("jwks_url")),
        private_key=key_path, key_id=str(tool.get("key_id", "rta-1")),
        username_claim=_username_claim(path, tool),
        launches=rel(str(tool.get("launches", "lti_launches.json"))),
        lineitems=_url(path, "platform", "lineitems", plat["lineitems"]) if plat.get("lineitems") else "",
        attempts=attempts, backoff=backoff, timeout=timeout,
        ledger=rel(str(pb["ledger"])) if pb.get("ledger") else None,
        assignments=assignments,
    )
    _load_key(path, key_path)  # fail now, naming the file, rather than at the first launch
    return cfg


# --- identity ---------------------------------------------------------------------------


def hub_username(value: str, *, prefix: str = "lti-") -> str:
    """The hub (and Unix) username for a platform identity.

    A `sub` such as Moodle's "42" becomes "lti-42" (lossless, readable); one that is not a
    valid short login name (Canvas's 36-character UUIDs, e-mail addresses) becomes the
    prefix and 20 hex digits of its SHA-256. Usernames are therefore stable across launches;
    the launch file records username -> sub for the passback.
    """
    if not value:
        raise ValueError("empty platform user id")
    candidate = f"{prefix}{value}"
    if UNIX_NAME.fullmatch(candidate):
        return candidate
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:20]
    return f"{prefix or 'u-'}{digest}"


# --- small files written by two processes -------------------------------------------------


@contextmanager
def locked(path: Path, *, blocking: bool = True) -> Iterator[None]:
    """An advisory lock beside `path` (the hub and a passback may touch the same files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_json_atomic(path: Path, data: Any, mode: int = 0o644) -> None:
    """Write to a temp file in the same folder, fsync, rename: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path, what: str, fix: str) -> Any:
    """A JSON file we wrote; a missing one is empty, a broken one an error naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UserError(f"the {what} cannot be read: {exc}", path=path, fix=fix) from None


# --- launch records: what the hub learnt at launch, for the passback ----------------------

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
RESOURCE_LINK_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"


def record_launch(path: Path, username: str, token: dict[str, Any], role: str, when: str) -> None:
    """Add (or refresh) one user's launch: sub, platform, course context and AGS endpoint.
    Only identifiers are kept (no name or e-mail): the file is readable by the instructor."""
    ags = token.get(AGS_CLAIM) or {}
    entry = {
        "sub": token.get("sub", ""), "iss": token.get("iss", ""),
        "deployment_id": token.get(DEPLOYMENT_CLAIM, ""),
        "context_id": (token.get(CONTEXT_CLAIM) or {}).get("id", ""),
        "resource_link_id": (token.get(RESOURCE_LINK_CLAIM) or {}).get("id", ""),
        "role": role, "lineitems": ags.get("lineitems", ""), "lineitem": ags.get("lineitem", ""),
        "scope": list(ags.get("scope", [])), "launched_at": when,
    }
    with locked(path):
        data = read_json(path, "LTI launch file", fix=f"move {path} aside; the next launches rewrite it")
        data.setdefault("users", {})[username] = entry
        write_json_atomic(path, data)


def read_launches(path: Path) -> dict[str, dict[str, Any]]:
    """username -> launch record (empty when nobody has launched yet)."""
    data = read_json(path, "LTI launch file", fix=f"move {path} aside; the next launches rewrite it")
    users = data.get("users", {}) if isinstance(data, dict) else {}
    return users if isinstance(users, dict) else {}
