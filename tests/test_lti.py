"""LTI 1.3: grade passback over AGS (`rta grades --lti`) against the LMS stand-in
(tests/lti_platform.py), from a gradebook made by real `rta autograde`; the launch onto a real
JupyterHub is in test_lti_hub.py."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from course.cli import app
from course.lti.config import hub_username, load_config, record_launch

from .conftest import FIXTURES, submit
from .lti_platform import INSTITUTION_STUDENT, INSTRUCTOR, LEARNER, Platform, new_key

runner = CliRunner()
pytestmark = pytest.mark.xdist_group("lti")  # the module's graded course is made once per run


def write_config(folder: Path, platform: Platform, tail: str = "") -> Path:
    """The tool's key (PEM, 0600) and the one LTI file, as grading/LTI.md describes them."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "tool-key.pem"
    key.write_bytes(new_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    key.chmod(0o600)
    lines = [
        "[course]", 'name = "rta"', "",
        "[platform]", f'issuer = "{platform.issuer}"', f'client_id = "{platform.client_id}"',
        f'deployment_id = "{platform.deployment_id}"', f'auth_url = "{platform.auth_url}"',
        f'token_url = "{platform.token_url}"', f'jwks_url = "{platform.jwks_url}"', "",
        "[tool]", 'private_key = "tool-key.pem"', 'key_id = "tool-1"', 'launches = "launches.json"', "",
        "[passback]", "attempts = 3", "backoff = 0.05", "timeout = 5", "", tail,
    ]
    path = folder / "lti.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def launched(cfg_path: Path, platform: Platform, login: str, role: str = "student") -> str:
    """What the hub records at a launch (the same function), without running a hub."""
    cfg = load_config(cfg_path)
    user = platform.users[login]
    name = hub_username(user.sub)
    record_launch(cfg.launches, name, {
        "iss": platform.issuer, "sub": user.sub,
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": platform.deployment_id,
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"lineitems": platform.lineitems_url}},
        role, "2026-12-02T00:00:00+00:00")
    return name


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """A course directory graded by `rta autograde`: ada (the solution: 5 of 6, one written
    point to grade by hand) and bo (the blank release: 0), under the usernames the hub gives
    the platform users 'ada' (sub 42) and 'bo' (sub 43)."""
    root = tmp_path_factory.mktemp("lti") / "course"
    for d in ("exercises", "modules", "datasets"):
        (root / d).mkdir(parents=True)
    shutil.copy(FIXTURES / "toy.md", root / "exercises" / "toy.md")
    shutil.copy(FIXTURES / "toy_numbers.csv", root / "datasets" / "toy_numbers.csv")
    (root / "_toc.yml").write_text("format: jb-book\nroot: modules/index\n")
    (root / "modules" / "index.md").write_text("# Toy\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RTA_ROOT", str(root))
        assert runner.invoke(app, ["release", "--no-solutions"]).exit_code == 0
        grading = root / "grading"
        submit(grading, "lti-42", grading / "source" / "toy" / "toy.ipynb")
        submit(grading, "lti-43", grading / "release" / "toy" / "toy.ipynb")
        result = runner.invoke(app, ["autograde", "toy"])
        assert result.exit_code == 0, result.output
    return grading


@pytest.fixture
def course(graded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the graded course (its own ledger)."""
    dst = tmp_path / "grading"
    dst.mkdir()
    shutil.copy(graded / "gradebook.db", dst / "gradebook.db")
    return dst


@pytest.fixture
def platform():
    with Platform() as p:
        p.add_user("ada", [LEARNER], sub="42")
        p.add_user("bo", [LEARNER], sub="43")
        p.add_user("ivy", [INSTRUCTOR], sub="7")
        yield p


def setup_tool(tmp_path: Path, platform: Platform, tail: str = "") -> Path:
    cfg_path = write_config(tmp_path / "lti", platform, tail)
    cfg = load_config(cfg_path)
    platform.register_tool(login_url="", redirect_uris=[], target_link_uri="", jwks=cfg.tool_jwks())
    for login in ("ada", "bo"):
        launched(cfg_path, platform, login)
    return cfg_path


def hand_grade(course: Path, student: str, points: float) -> None:
    """What the formgrader records when the instructor marks the written answer (q3)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q3", "toy", "toy", student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gb.db.commit()


def grades(course: Path, cfg: Path):
    return runner.invoke(app, ["grades", "--lti", str(cfg), "--course-dir", str(course)])


@pytest.mark.slow
def test_scores_arrive_exactly_once(course: Path, platform: Platform, tmp_path: Path) -> None:
    cfg = setup_tool(tmp_path, platform)
    result = grades(course, cfg)
    assert result.exit_code == 0, result.output
    assert "2 posted" in result.output and "0 not posted" in result.output
    # one line item created for the assignment, by resourceId, with the assignment's maximum
    toy = [i for i in platform.lineitems.values() if i.get("resourceId") == "toy"]
    assert len(toy) == 1 and toy[0]["scoreMaximum"] == 6 and toy[0]["label"] == "toy"
    ada, bo = platform.result("toy", "ada"), platform.result("toy", "bo")
    assert ada is not None and bo is not None
    assert (ada["scoreGiven"], ada["scoreMaximum"], ada["gradingProgress"]) == (5, 6, "PendingManual")
    assert (bo["scoreGiven"], bo["scoreMaximum"], bo["gradingProgress"]) == (0, 6, "FullyGraded")
    # the client assertion and the media types were what AGS asks for
    token_req = [r for r in platform.received if r.path == "/token"]
    assert len(token_req) == 1 and b"client_credentials" in token_req[0].body
    posts = [r for r in platform.received if r.path.endswith("/scores")]
    assert {r.headers["content-type"] for r in posts} == {"application/vnd.ims.lis.v1.score+json"}
    assert all(r.query == {"type_id": "1"} for r in posts)  # Moodle-shaped URL kept its query

    # a rerun posts nothing new
    n = len(platform.scores)
    again = grades(course, cfg)
    assert again.exit_code == 0, again.output
    assert "0 posted" in again.output and "2 already on the LMS" in again.output
    assert len(platform.scores) == n
    assert len([i for i in platform.lineitems.values() if i.get("resourceId") == "toy"]) == 1

    # a regrade (bo's written answer marked by hand) posts that score only
    hand_grade(course, "lti-43", 1)
    third = grades(course, cfg)
    assert third.exit_code == 0 and "1 posted" in third.output, third.output
    assert len(platform.scores) == n + 1
    bo = platform.result("toy", "bo")
    assert bo is not None and bo["scoreGiven"] == 1 and bo["userId"] == "43"
    ledger = json.loads((course / "lti_ledger.json").read_text())
    assert {v["student"]: v["score"] for v in ledger["posted"].values()} == {"lti-42": 5, "lti-43": 1}


@pytest.mark.slow
def test_failing_platform_is_retried(course: Path, platform: Platform, tmp_path: Path) -> None:
    cfg = setup_tool(tmp_path, platform)
    from course.lti.config import locked

    with locked(course / "lti_ledger.json"):  # another passback is running
        busy = grades(course, cfg)
    assert busy.exit_code == 1 and "another `rta grades --lti` is posting" in busy.output
    assert not platform.received
    platform.fail(2, "/token")  # the token endpoint fails twice, then the scores endpoint twice
    platform.fail(2, "/scores", status=502)
    result = grades(course, cfg)
    assert result.exit_code == 0, result.output
    assert platform.result("toy", "ada")["scoreGiven"] == 5  # type: ignore[index]
    assert platform.result("toy", "bo")["scoreGiven"] == 0  # type: ignore[index]
    statuses = [r.status for r in platform.received if r.path in ("/token",) or r.path.endswith("/scores")]
    assert statuses.count(503) == 2 and statuses.count(502) == 2 and statuses.count(200) == 3


@pytest.mark.slow
def test_platform_down_loses_nothing(course: Path, platform: Platform, tmp_path: Path) -> None:
    cfg = setup_tool(tmp_path, platform)
    assert grades(course, cfg).exit_code == 0
    ledger = course / "lti_ledger.json"
    before = ledger.read_text()
    # a regrade to send, then the platform goes away
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_student("lti-44")  # no submission: nothing to post
    hand_grade(course, "lti-42", 1)
    platform.stop()
    start = time.monotonic()
    result = grades(course, cfg)
    assert time.monotonic() - start < 10  # bounded retries
    assert result.exit_code == 1
    assert "1 score(s) not posted" in result.output and "unreachable" in result.output
    assert "lti-42" in result.output and "Traceback" not in result.output
    assert ledger.read_text() == before  # untouched and still valid JSON
    json.loads(before)
    # the platform is back: the rerun sends exactly what was missing (ada's regrade)
    n = len(platform.scores)
    platform.start()
    result = grades(course, cfg)
    assert result.exit_code == 0, result.output
    assert "1 posted" in result.output and "1 already on the LMS" in result.output
    assert len(platform.scores) == n + 1
    ada = platform.result("toy", "ada")
    assert ada is not None and (ada["scoreGiven"], ada["gradingProgress"]) == (6, "FullyGraded")


@pytest.mark.slow
def test_assignment_mapped_to_a_line_item(course: Path, platform: Platform, tmp_path: Path) -> None:
    """[assignments] names the line item (Open edX's declarative AGS: the component's own)."""
    item = platform.link_lineitem("rl-7")["id"]
    cfg = setup_tool(tmp_path, platform, tail=f'[assignments]\ntoy = "{item}"\n')
    elsewhere = tmp_path / "db" / "gradebook.db"  # a --db URL: the ledger stays in the course dir
    elsewhere.parent.mkdir()
    shutil.move(course / "gradebook.db", elsewhere)
    result = runner.invoke(app, ["grades", "--lti", str(cfg), "--db", f"sqlite:///{elsewhere}",
                                 "--course-dir", str(course)])
    assert result.exit_code == 0 and "2 posted" in result.output, result.output
    assert (course / "lti_ledger.json").exists()
    assert not any(i.get("resourceId") for i in platform.lineitems.values())  # none created
    assert {sub for (i, sub) in platform.results if i == item} == {"42", "43"}
    assert not any(r.path == "/lineitems" for r in platform.received)  # not even looked up


@pytest.mark.slow
def test_a_garbled_answer_is_reported_not_a_traceback(course: Path, platform: Platform,
                                                      tmp_path: Path) -> None:
    cfg = setup_tool(tmp_path, platform)
    platform.fail(1, "/lineitems", status=200, body=b"<html>Gateway says hello</html>")
    result = grades(course, cfg)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "2 score(s) not posted" in result.output and "not JSON" in result.output
    assert len([r for r in platform.received if r.path == "/lineitems"]) == 1  # once per assignment
    again = grades(course, cfg)
    assert again.exit_code == 0 and "2 posted" in again.output, again.output


@pytest.mark.slow
def test_one_bad_row_does_not_stop_the_batch(course: Path, platform: Platform, tmp_path: Path) -> None:
    cfg = setup_tool(tmp_path, platform)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # two more students, no launch
        gb.add_student("stranger")
        gb.add_student("lti-99")
        for sid in ("stranger", "lti-99"):
            gb.add_submission("toy", sid)
    # lti-99 launched, but the platform no longer has the user (unenrolled): a 400 for that row
    record_launch(load_config(cfg).launches, "lti-99", {"iss": platform.issuer, "sub": "99"}, "student", "")
    result = grades(course, cfg)
    assert result.exit_code == 1
    assert "2 score(s) not posted" in result.output
    assert "stranger" in result.output and "has not launched" in result.output
    assert "lti-99" in result.output and "HTTP 400" in result.output
    assert platform.result("toy", "ada") is not None and platform.result("toy", "bo") is not None


def test_bad_config_names_the_file_and_the_fix(tmp_path: Path, platform: Platform) -> None:
    course = tmp_path / "grading"  # the file is checked first: no gradebook needed
    cfg = write_config(tmp_path / "lti", platform)
    text = cfg.read_text()
    cfg.write_text(text.replace(f'token_url = "{platform.token_url}"\n', ""))
    result = grades(course, cfg)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(cfg) in result.output and "[platform] token_url is missing" in result.output
    assert result.output.count("error") == 1 and result.output.count("fix:") == 1
    cfg.write_text(text.replace(platform.issuer, "http://lms.example.edu", 1))
    result = grades(course, cfg)
    assert result.exit_code == 1 and "not HTTPS" in result.output
    cfg.write_text(text)
    (cfg.parent / "tool-key.pem").chmod(0o644)
    result = grades(course, cfg)
    assert result.exit_code == 1 and "readable by other users" in result.output
    assert "chmod 600" in result.output
    (cfg.parent / "tool-key.pem").write_text("not a key")
    (cfg.parent / "tool-key.pem").chmod(0o600)
    result = grades(course, cfg)
    assert result.exit_code == 1 and "not an unencrypted PEM key" in result.output
    assert "openssl" in result.output
    result = grades(course, tmp_path / "nowhere.toml")
    assert result.exit_code == 1 and "not found" in result.output
    (cfg.parent / "tool-key.pem").write_bytes(new_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    result = grades(course, cfg)  # a good file: now the missing gradebook is the problem
    assert result.exit_code == 1 and "no gradebook" in result.output and "rta autograde" in result.output


def test_usernames_from_platform_ids() -> None:
    assert hub_username("42") == "lti-42"
    canvas = hub_username("535fa085-f2c1-4bd2-9b91-bc1d2f3a4b5c")
    assert canvas.startswith("lti-") and len(canvas) == 24 and canvas == hub_username(
        "535fa085-f2c1-4bd2-9b91-bc1d2f3a4b5c")
    assert hub_username("Ada@Example.edu") != hub_username("ada@example.edu")  # no silent merge
    assert hub_username("jsmith", prefix="") == "jsmith"


def test_rta_hub_setup_takes_the_lti_file(tmp_path: Path, platform: Platform) -> None:
    """`rta hub setup --lti FILE` reads and checks the file before the machine is touched."""
    cfg = write_config(tmp_path / "lti", platform)
    kit = tmp_path / "kit"
    kit.mkdir()
    base = ["hub", "setup", "--kit", str(kit), "--instructor", "nobody", "--state", str(tmp_path / "s"),
            "--lti", str(cfg)]
    result = runner.invoke(app, [*base, "--course", "other"])
    assert result.exit_code == 1
    assert "[course] name is 'rta', but the hub serves course 'other'" in result.output
    result = runner.invoke(app, [*base, "--course", "rta"])  # the LTI file passes; the empty kit does not
    assert result.exit_code == 1 and "not a course kit" in result.output
    assert not (tmp_path / "s").exists()
    from course.lti.hub import hub_authenticator_lines

    lines = hub_authenticator_lines(cfg, "rta")
    assert "c.JupyterHub.authenticator_class = 'course.lti.hub.CourseLTI13Authenticator'" in lines
    assert "c.JupyterHub.load_groups = {}" in lines  # groups come from launches
    assert not any("samesite" in ln for ln in lines)  # a loopback http platform: no Secure cookies
    # a real LMS (HTTPS): the launch's cross-site form posts need SameSite=None; Secure cookies
    cfg.write_text(cfg.read_text().replace(platform.base, "https://lms.example.edu"))
    assert "c.JupyterHub.tornado_settings = {'cookie_options': {'samesite': 'None', 'secure': True}}" \
        in hub_authenticator_lines(cfg, "rta")


def test_the_guide_file_is_the_file_the_code_reads(tmp_path: Path) -> None:
    """grading/LTI.md's lti.toml, as printed, loads (with a key beside it)."""
    import re

    guide = (Path(__file__).resolve().parents[1] / "grading" / "LTI.md").read_text(encoding="utf-8")
    toml = re.search(r"```toml\n(.*?)```", guide, re.S)
    assert toml, "grading/LTI.md has no toml block"
    (tmp_path / "lti.toml").write_text(toml.group(1))
    key = tmp_path / "tool-key.pem"
    key.write_bytes(new_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    key.chmod(0o600)
    cfg = load_config(tmp_path / "lti.toml")
    assert (cfg.course, cfg.issuer, cfg.deployment_ids) == ("rta101", "https://moodle.example.edu", ("1",))
    assert cfg.token_url.endswith("/mod/lti/token.php") and cfg.launches == tmp_path / "lti_launches.json"
    for route in ("/hub/lti13/oauth_login", "/hub/lti13/oauth_callback", "/hub/lti13/jwks"):
        assert route in guide  # the routes test_lti_hub.py launches through


def test_roles_and_custom_usernames() -> None:
    from course.lti.hub import CourseLTI13Authenticator, course_role

    m = "http://purl.imsglobal.org/vocab/lis/v2/membership"
    assert course_role([f"{m}#Learner"]) == "student"
    assert course_role(["Learner"]) == "student"  # LTI 1.3 still allows simple context role names
    assert course_role([f"{m}/Instructor#TeachingAssistant"]) == "instructor"
    assert course_role([f"{m}#Learner", f"{m}#Instructor"]) == "instructor"
    assert course_role([f"{m}#Administrator"]) == "instructor"
    assert course_role([INSTITUTION_STUDENT]) is None  # institution roles give no course role
    assert course_role(["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"]) is None
    assert course_role([f"{m}#Mentor", f"{m}#ContentDeveloper"]) is None
    custom = "https://purl.imsglobal.org/spec/lti/claim/custom"
    auth = CourseLTI13Authenticator(username_key="custom_username")
    assert auth._username({"sub": "9f8e", custom: {"username": "Alice"}}) == "alice"
    assert auth._username({"sub": "9f8e", custom: {"username": "a.smith@uni"}}).startswith("u-")
    assert CourseLTI13Authenticator(username_key="sub")._username({"sub": "42"}) == "lti-42"
    from tornado.web import HTTPError

    with pytest.raises(HTTPError, match="did not send the username"):
        auth._username({"sub": "42", custom: {}})  # not silently another name for the same person
