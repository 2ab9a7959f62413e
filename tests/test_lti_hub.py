"""LTI 1.3 launch onto a real JupyterHub (with the project's configurable-http-proxy, `make
hub-deps`) from the LMS stand-in (tests/lti_platform.py), through jupyterhub-ltiauthenticator:
login initiation -> platform -> signed id_token -> hub login; users, groups and Unix accounts
checked through the hub's REST API. Then the grades of a launched student go back over AGS,
with the platform verifying the tool's assertion against the hub's /hub/lti13/jwks."""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from course.lti.config import hub_username, load_config
from course.lti.hub import hub_authenticator_lines

from .lti_platform import INSTITUTION_STUDENT, INSTRUCTOR, LEARNER, Platform, new_key, parse_form
from .test_lti import write_config

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lti_hub"),  # one hub per run
              pytest.mark.skipif(os.geteuid() != 0, reason="creates Unix users")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Hub:
    url: str
    token: str  # the admin service's (course.hub's config reads it from the state folder)
    launches: Path
    config: Path
    log: Path

    def api(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}/hub/api{path}", headers={"Authorization": f"token {self.token}"},
                            timeout=10)


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    with Platform() as p:
        yield p


@pytest.fixture(scope="module")
def hub(platform: Platform) -> Iterator[Hub]:
    from course.hub import HubConfig, jupyterhub_config
    from course.hub.api import Hub as HubAPI
    from course.hub.api import HubAPIError
    from course.hub.config import nbgrader_config_all

    # users' servers read the state folder's jupyter/ and the exchange: not under pytest's 0700 tmp
    state = Path(tempfile.mkdtemp(prefix="rta-lti-hub-"))
    state.chmod(0o711)
    cfg_path = write_config(state / "lti", platform)
    cfg = load_config(cfg_path)
    # `rta hub`'s own jupyterhub_config.py (course.hub), with the lines `rta hub setup --lti` adds
    hub_cfg = HubConfig(course="rta", instructors=["nobody"], students=[], state=state,
                        course_dir=state / "course", exchange=state / "exchange", port=free_port(),
                        hub_port=free_port(), proxy_api_port=free_port(), venv=ROOT / ".venv")
    assert hub_cfg.proxy.exists(), f"{hub_cfg.proxy} is missing: run `make hub-deps`"
    hub_cfg.authenticator_lines = hub_authenticator_lines(cfg_path, hub_cfg.course)
    token = secrets.token_hex(16)
    hub_cfg.token_file.write_text(token)
    hub_cfg.token_file.chmod(0o600)
    hub_cfg.exchange.mkdir()
    hub_cfg.exchange.chmod(0o1777)  # as `rta hub setup` makes it
    hub_cfg.jupyter_all.mkdir(parents=True)
    for d in (hub_cfg.jupyter_all.parent, hub_cfg.jupyter_all):
        d.chmod(0o755)
    (hub_cfg.jupyter_all / "nbgrader_config.py").write_text(nbgrader_config_all(hub_cfg))
    released = hub_cfg.exchange / "rta" / "outbound" / "toy"  # what `nbgrader release_assignment` leaves
    released.mkdir(parents=True)
    for d in (released.parent.parent, released.parent, released):
        d.chmod(0o755)
    shutil.copy(ROOT / "tests" / "fixtures" / "toy_numbers.csv", released / "toy_numbers.csv")
    (released / "toy_numbers.csv").chmod(0o644)
    url = hub_cfg.url
    config = state / "jupyterhub_config.py"
    config.write_text(jupyterhub_config(hub_cfg))
    log = state / "hub.log"
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    with open(log, "w") as fh:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
                                cwd=state, stdout=fh, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    h = Hub(url, token, cfg.launches, cfg_path, log)
    try:
        try:  # course.hub's own wait, as `rta hub` uses it
            HubAPI(hub_cfg, token).wait_up(timeout=60, alive=lambda: proc.poll() is None)
        except HubAPIError as exc:
            pytest.fail(f"{exc}:\n{log.read_text()[-3000:]}")
        login = f"{url}/hub/lti13/oauth_login"
        platform.register_tool(login_url=login, redirect_uris=[f"{url}/hub/lti13/oauth_callback"],
                               target_link_uri=f"{url}/hub", jwks_url=f"{url}/hub/lti13/jwks")
        yield h
    finally:
        proc.terminate()  # the hub stops its proxy
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        shutil.rmtree(state, ignore_errors=True)
        for user in list(platform.users.values()):
            name = hub_username(user.sub)
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            subprocess.run(["userdel", "--remove", name], capture_output=True)


@dataclass
class Launch:
    session: requests.Session
    callback: requests.Response  # the hub's answer to the id_token POST
    form: dict[str, str]  # what the browser posted there (id_token, state)
    cookies: dict[str, str]  # the cookies it sent with it
    action: str


def launch(platform: Platform, login: str) -> Launch:
    """The browser's part: the LMS page auto-posts to the tool, the tool redirects to the
    platform, the platform's page auto-posts the id_token back to the tool."""
    s = requests.Session()
    page = s.get(platform.launch_url(login), timeout=10)
    assert page.ok, page.text
    action, method, fields = parse_form(page.text)
    assert method == "post" and action.endswith("/hub/lti13/oauth_login")
    r = s.post(action, data=fields, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    assert r.headers["Location"].startswith(platform.auth_url)
    auth = s.get(r.headers["Location"], timeout=10)
    assert auth.ok, auth.text
    action, method, fields = parse_form(auth.text)
    cookies = s.cookies.get_dict()
    callback = s.post(action, data=fields, allow_redirects=False, timeout=10)
    return Launch(s, callback, fields, cookies, action)


def new_user(platform: Platform, roles: list[str]) -> tuple[str, str]:
    """A platform user with a fresh sub (the test creates, and removes, its Unix account)."""
    sub = f"t{secrets.token_hex(4)}"
    login = f"user-{sub}"
    platform.add_user(login, roles, sub=sub)
    return login, hub_username(sub)


def test_learner_and_instructor_land_in_their_groups(platform: Platform, hub: Hub) -> None:
    learner, learner_name = new_user(platform, [LEARNER, INSTITUTION_STUDENT])
    teacher, teacher_name = new_user(platform, [INSTRUCTOR])
    for login in (learner, teacher):
        result = launch(platform, login)
        assert result.callback.status_code == 302, result.callback.text
        assert "jupyterhub-session-id" in result.session.cookies.get_dict()
    user = hub.api(f"/users/{learner_name}").json()
    assert user["groups"] == ["nbgrader-rta"] and not user["admin"]
    assert hub.api(f"/users/{teacher_name}").json()["groups"] == ["formgrade-rta"]
    groups = {g["name"]: sorted(g["users"]) for g in hub.api("/groups").json()}
    assert learner_name in groups["nbgrader-rta"] and teacher_name in groups["formgrade-rta"]
    assert learner_name not in groups["formgrade-rta"]
    # real Unix accounts, private homes, for LocalProcessSpawner
    home = Path(pwd.getpwnam(learner_name).pw_dir)
    assert home.is_dir() and home.stat().st_mode & 0o077 == 0
    # the launch was recorded for the passback: username -> sub, and the course's AGS endpoint
    rec = json.loads(hub.launches.read_text())["users"][learner_name]
    assert rec["sub"] == platform.users[learner].sub and rec["iss"] == platform.issuer
    assert rec["lineitems"] == platform.lineitems_url and rec["role"] == "student"
    # a learner made instructor in the LMS moves group at the next launch
    platform.users[learner].roles = [INSTRUCTOR]
    assert launch(platform, learner).callback.status_code == 302
    assert hub.api(f"/users/{learner_name}").json()["groups"] == ["formgrade-rta"]


def _refused(result: Launch, status: int, text: str) -> None:
    assert result.callback.status_code == status, (result.callback.status_code, result.callback.text[-500:])
    assert text in result.callback.text
    assert "Traceback" not in result.callback.text
    assert "jupyterhub-session-id" not in result.session.cookies.get_dict()


def test_bad_tokens_are_refused_with_a_message(platform: Platform, hub: Hub) -> None:
    login, name = new_user(platform, [LEARNER])
    try:
        platform.tamper = {"key": new_key()}  # signed by someone else
        _refused(launch(platform, login), 400, "Signature verification failed")
        now = int(time.time())
        platform.tamper = {"claims": {"iat": now - 900, "exp": now - 600}}
        _refused(launch(platform, login), 400, "Signature has expired")
        platform.tamper = {"claims": {"aud": "another-tool"}}
        _refused(launch(platform, login), 401, "Audience doesn&#39;t match")
        platform.tamper = {"unsigned": True}
        _refused(launch(platform, login), 400, "The specified alg value is not allowed")
        platform.tamper = {"claims": {"iss": "https://lms.elsewhere.edu"}}
        _refused(launch(platform, login), 400, "Invalid issuer")
        platform.tamper = {"claims": {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "rogue"}}
        _refused(launch(platform, login), 403, "not registered on this hub")
    finally:
        platform.tamper = {}
    assert hub.api(f"/users/{name}").status_code == 404  # never created


def test_replayed_launch_and_role_without_access(platform: Platform, hub: Hub) -> None:
    login, name = new_user(platform, [LEARNER])
    first = launch(platform, login)
    assert first.callback.status_code == 302
    # the same id_token and state posted again, even with the cookies of the first launch
    again = requests.post(first.action, data=first.form, cookies=first.cookies, allow_redirects=False,
                          timeout=10)
    assert again.status_code == 403 and "already used (replayed nonce)" in again.text
    assert "Traceback" not in again.text
    # and without them (another browser): the state check refuses it
    other = requests.post(first.action, data=first.form, allow_redirects=False, timeout=10)
    assert other.status_code == 400 and "OAuth state missing from cookies" in other.text
    mentor, mentor_name = new_user(platform, ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"])
    _refused(launch(platform, mentor), 403, "gives no access to course rta")
    assert hub.api(f"/users/{mentor_name}").status_code == 404


def test_launched_student_gets_grades_back(platform: Platform, hub: Hub, tmp_path: Path,
                                           monkeypatch) -> None:
    """The hub recorded the launch; the gradebook knows the hub username; the platform checks
    the tool's assertion with the keys the hub publishes."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ['PATH']}")  # nbgrader's alembic
    from nbgrader.api import Gradebook
    from typer.testing import CliRunner

    from course.cli import app

    login, name = new_user(platform, [LEARNER])
    assert launch(platform, login).callback.status_code == 302
    jwks = requests.get(f"{hub.url}/hub/lti13/jwks", timeout=10).json()
    assert jwks == load_config(hub.config).tool_jwks()
    course = tmp_path / "grading"
    course.mkdir()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_assignment("m06_mse")
        gb.add_notebook("m06_mse", "m06_mse")
        gb.add_grade_cell("q1", "m06_mse", "m06_mse", max_score=4, cell_type="code")
        gb.add_student(name)
        gb.add_submission("m06_mse", name)
        gb.find_grade("q1", "m06_mse", "m06_mse", name).auto_score = 3
        gb.db.commit()
    result = CliRunner().invoke(app, ["grades", "--lti", str(hub.config), "--course-dir", str(course)])
    assert result.exit_code == 0, result.output
    assert "1 posted" in result.output
    score = platform.result("m06_mse", login)
    assert score is not None and score["userId"] == platform.users[login].sub
    assert (score["scoreGiven"], score["scoreMaximum"]) == (3, 4)
    assert shutil.which("userdel")


def test_launched_learner_opens_jupyterlab(platform: Platform, hub: Hub) -> None:
    """From the LMS to the learner's own JupyterLab, as their new Unix account: the session the
    launch gave the browser follows the hub's redirects to the spawned server, whose nbgrader
    Assignments tab lists the course's released assignment (access through the LTI group)."""
    login, name = new_user(platform, [LEARNER])
    result = launch(platform, login)
    assert result.callback.status_code == 302
    s = result.session
    spawn = s.get(f"{hub.url}/hub/spawn/{name}", timeout=30, allow_redirects=False)
    assert spawn.status_code in (200, 302), spawn.text[-500:]
    deadline = time.monotonic() + 90
    while True:
        server = hub.api(f"/users/{name}").json()["servers"].get("", {})
        if server.get("ready"):
            break
        assert server.get("pending") == "spawn" or not server, (server, hub.log.read_text()[-2000:])
        assert time.monotonic() < deadline, hub.log.read_text()[-3000:]
        time.sleep(0.5)
    lab = s.get(f"{hub.url}/user/{name}/lab", timeout=30)
    assert lab.status_code == 200 and "JupyterLab" in lab.text, lab.text[-500:]
    # nbgrader's Assignments tab (JupyterHubAuthPlugin) sees the course through the LTI group
    courses = s.get(f"{hub.url}/user/{name}/courses", timeout=30).json()
    assert courses == {"success": True, "value": ["rta"]}, courses
    listing = s.get(f"{hub.url}/user/{name}/assignments?course_id=rta", timeout=30).json()
    assert listing["success"], listing
    assert [(a["course_id"], a["assignment_id"], a["status"]) for a in listing["value"]] == \
        [("rta", "toy", "released")]
    requests.delete(f"{hub.url}/hub/api/users/{name}/server", timeout=30,
                    headers={"Authorization": f"token {hub.token}"})
