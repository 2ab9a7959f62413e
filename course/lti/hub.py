"""The hub's side of LTI 1.3: jupyterhub-ltiauthenticator's LTI13Authenticator for one course.

ltiauthenticator does the protocol: OIDC login initiation (/hub/lti13/oauth_login), the
redirect to the platform's authorization endpoint with state and nonce cookies, and at
/hub/lti13/oauth_callback the id_token's signature (platform JWKS), iss, aud, exp, iat age,
nonce, LTI version, message type and resource link. `CourseLTI13Authenticator` adds what a
course needs:

- the platform's context role -> one hub group (JupyterHub managed groups):
  Instructor (and its sub-roles, e.g. TeachingAssistant) or Administrator of the context ->
  formgrade-<course>; Learner -> nbgrader-<course>; anything else is refused with a message.
  Institution roles are ignored: staff taking the course as learners are learners here;
- a username from the platform's `sub` (`course.lti.config.hub_username`) or a custom claim;
- the launch recorded (username -> sub, the course's AGS endpoint) for `rta grades --lti`;
- a used nonce refused for the id_token's lifetime (a replayed launch POST, even with its
  cookies, does not log in again);
- a deployment not registered in the configuration is refused;
- the tool's public JWKS at /hub/lti13/jwks, for the platform to verify `rta grades --lti`;
- optionally the Unix account of a new user (LocalProcessSpawner needs one).

`authenticator_lines(cfg)` renders all of it as jupyterhub_config.py lines
(`course.hub.HubConfig.authenticator_lines`); `hub_settings(cfg)` gives the same as a dict.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jupyterhub.handlers import BaseHandler  # type: ignore[import-untyped]
from ltiauthenticator.lti13.auth import LTI13Authenticator  # type: ignore[import-untyped]
from ltiauthenticator.lti13.constants import LTI13_CUSTOM_CLAIM  # type: ignore[import-untyped]
from tornado import web
from traitlets import Bool, Unicode, default
from traitlets import List as TList

from course.lti.config import (
    DEPLOYMENT_CLAIM,
    ROLES_CLAIM,
    LTIConfig,
    hub_username,
    record_launch,
)

AUTHENTICATOR = "course.lti.hub.CourseLTI13Authenticator"
VOCAB = "http://purl.imsglobal.org/vocab/lis/v2/membership"
# LTI 1.3 core, A.2.2 context roles (full URIs; simple names are still allowed for these)
INSTRUCTOR_ROLES = {f"{VOCAB}#Instructor", f"{VOCAB}#Administrator", "Instructor", "Administrator"}
LEARNER_ROLES = {f"{VOCAB}#Learner", "Learner"}


def course_role(roles: list[str]) -> str | None:
    """'instructor', 'student' or None from the id_token's roles claim."""
    def is_sub_role(r: str, parent: str) -> bool:  # e.g. membership/Instructor#TeachingAssistant
        return r.startswith(f"{VOCAB}/{parent}#")

    if any(r in INSTRUCTOR_ROLES or is_sub_role(r, "Instructor") for r in roles):
        return "instructor"
    if any(r in LEARNER_ROLES or is_sub_role(r, "Learner") for r in roles):
        return "student"
    return None


class ToolJWKSHandler(BaseHandler):  # type: ignore[misc]  # jupyterhub is untyped
    """The tool's public keys: the platform verifies our AGS client assertions with them."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.write(self.authenticator.tool_jwks)


def ensure_unix_user(name: str) -> bool:
    """Create the account (home 0700) if missing; True when created."""
    try:
        pwd.getpwnam(name)
        return False
    except KeyError:
        pass
    proc = subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise web.HTTPError(500, f"The hub could not create the account {name}: "
                                 f"{proc.stderr.strip()}. Ask the hub administrator.")
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)  # it will hold their submissions
    return True


class CourseLTI13Authenticator(LTI13Authenticator):  # type: ignore[misc]
    """LTI 1.3 launches onto the hub of one nbgrader course (see the module docstring)."""

    course = Unicode(config=True, help="nbgrader course id: groups formgrade-<course>, nbgrader-<course>")
    launches_file = Unicode(config=True, help="JSON file recording username -> sub and AGS endpoint")
    deployment_ids = TList(Unicode(), config=True, help="Deployment ids this hub accepts")
    tool_jwks = Unicode("{\"keys\": []}", config=True, help="The tool's public JWKS (JSON)")
    username_prefix = Unicode("lti-", config=True, help="Prefix of usernames made from `sub`")
    create_system_users = Bool(False, config=True, help="Create the Unix account of a new user")

    @default("manage_groups")
    def _manage_groups(self) -> bool:
        return True

    @default("allow_all")
    def _allow_all(self) -> bool:  # the platform admits; course_role() then filters
        return True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._nonces: dict[str, float] = {}

    def get_handlers(self, app: Any) -> list[Any]:
        return [*super().get_handlers(app), (r"/lti13/jwks", ToolJWKSHandler)]

    def _username(self, token: dict[str, Any]) -> str:
        key = self.username_key
        if key in ("", "sub"):
            return hub_username(str(token.get("sub") or ""), prefix=self.username_prefix)
        # ltiauthenticator falls back to `sub` when the claim is missing: that would give the
        # same person another name, so a missing claim is refused instead
        source = (token.get(LTI13_CUSTOM_CLAIM) or {}) if key.startswith("custom_") else token
        if not source.get(key.removeprefix("custom_")):
            raise web.HTTPError(403, f"The LMS did not send the username this hub uses ({key}). "
                                     "Ask the LMS administrator to add it to the tool's settings.")
        return hub_username(str(self.get_username(token)).lower(), prefix="")

    def _check_replay(self, token: dict[str, Any]) -> None:
        now = time.time()
        self._nonces = {n: exp for n, exp in self._nonces.items() if exp > now}
        nonce = str(token.get("nonce", ""))
        if nonce in self._nonces:
            raise web.HTTPError(403, "This launch was already used (replayed nonce). Open the "
                                     "course again from your LMS.")
        # kept at least as long as the token's exp, and the validator's max_age on iat
        self._nonces[nonce] = max(float(token.get("exp", 0)), now + 600)

    async def authenticate(self, handler: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
        token = data or {}
        if not token.get("sub"):
            raise web.HTTPError(403, "The LMS sent an anonymous launch (no user id): the course "
                                     "needs to know who you are. Ask the LMS administrator to "
                                     "share the user's identity with this tool.")
        deployment = token.get(DEPLOYMENT_CLAIM)
        if self.deployment_ids and deployment not in self.deployment_ids:
            raise web.HTTPError(403, f"This launch comes from deployment {deployment!r}, which is not "
                                     "registered on this hub. Ask the hub administrator to add it.")
        self._check_replay(token)
        role = course_role(list(token.get(ROLES_CLAIM) or []))
        if role is None:
            raise web.HTTPError(403, f"Your role in this LMS course gives no access to course "
                                     f"{self.course}: the hub admits its Learners and Instructors.")
        try:
            name = self._username(token)
        except ValueError:
            raise web.HTTPError(403, "The LMS sent no usable user id for this hub.") from None
        try:
            record_launch(Path(self.launches_file), name, token, role,
                          datetime.now(UTC).isoformat(timespec="seconds"))
        except Exception:  # the login still works; the passback will say whom it cannot map
            self.log.exception("LTI: could not record the launch of %s in %s", name, self.launches_file)
        group = f"formgrade-{self.course}" if role == "instructor" else f"nbgrader-{self.course}"
        self.log.info("LTI launch: %s (%s) as %s of %s", name, token.get("sub"), role, self.course)
        return {"name": name, "groups": [group]}

    async def add_user(self, user: Any) -> None:
        if self.create_system_users and ensure_unix_user(user.name):
            self.log.info("LTI: created Unix user %s", user.name)
        super().add_user(user)


def hub_settings(cfg: LTIConfig, *, course: str | None = None, create_system_users: bool = True,
                 https: bool = True) -> dict[str, dict[str, Any]]:
    """Traitlets settings (class -> trait -> value) for jupyterhub_config.py.

    `https`: the hub is served over HTTPS (any real deployment). The platform's launch is a
    cross-site form POST, so the state and nonce cookies must be SameSite=None, which browsers
    accept only on Secure cookies."""
    settings: dict[str, dict[str, Any]] = {
        "JupyterHub": {"authenticator_class": AUTHENTICATOR,
                       "load_groups": {}},  # groups come from the launch (managed groups)
        "Authenticator": {"allowed_users": set(), "admin_users": set()},
        # PyJWT refuses an iat a second in the future: allow LMS and hub clocks to differ a little
        "LTI13LaunchValidator": {"time_leeway": 30},
        "CourseLTI13Authenticator": {
            "issuer": cfg.issuer, "client_id": [cfg.client_id], "authorize_url": cfg.auth_url,
            "jwks_endpoint": cfg.jwks_url, "username_key": cfg.username_claim,
            "course": course or cfg.course, "launches_file": str(cfg.launches),
            "deployment_ids": list(cfg.deployment_ids), "tool_jwks": json.dumps(cfg.tool_jwks()),
            "create_system_users": create_system_users, "manage_groups": True, "allow_all": True,
        },
    }
    if https:
        settings["JupyterHub"]["tornado_settings"] = {
            "cookie_options": {"samesite": "None", "secure": True}}
    return settings


def authenticator_lines(cfg: LTIConfig, *, course: str | None = None, create_system_users: bool = True,
                        https: bool = True) -> list[str]:
    """The settings as Python lines for jupyterhub_config.py (course.hub's authenticator_lines)."""
    lines = [f"# LTI 1.3 launch (course.lti.hub, from {cfg.path}); the guide is grading/LTI.md"]
    for section, values in hub_settings(cfg, course=course, create_system_users=create_system_users,
                                        https=https).items():
        lines += [f"c.{section}.{key} = {value!r}" for key, value in values.items()]
    return lines


def hub_authenticator_lines(lti_file: Path, course: str) -> list[str]:
    """`rta hub setup --lti FILE`: the lines for course.hub's HubConfig.authenticator_lines.

    Secure SameSite=None cookies are set when the platform is a real (HTTPS) LMS: such a hub is
    served over HTTPS too (directly or behind a TLS proxy); the tests' loopback platform is not."""
    from urllib.parse import urlsplit

    from course.lti.config import LTIConfigError, load_config

    cfg = load_config(lti_file)
    if cfg.course != course:
        raise LTIConfigError(cfg.path, f"[course] name is {cfg.course!r}, but the hub serves course "
                                       f"{course!r}", fix=f'set name = "{course}" under [course]')
    return authenticator_lines(cfg, course=course, create_system_users=True,
                               https=urlsplit(cfg.issuer).scheme == "https")
