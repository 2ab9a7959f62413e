"""`rta hub` for a class, end to end and all on loopback: grading/HUB.md's steps run in order
(its `bash` blocks, each as the user its first line names), real JupyterHub 6, its
configurable-http-proxy, JupyterLab with nbgrader's extensions, the filesystem exchange,
real Unix users with PAM passwords, and one pass of Debian's Chromium for student A.

Student A logs in, fetches in the Assignments tab, answers, validates and submits in
JupyterLab, later fetches feedback and reads it; student B submits a broken notebook from a
terminal; the instructor releases, collects, grades with `rta autograde` (and, to compare,
stock `nbgrader autograde` on a copy), writes and releases feedback. Screenshots go to
test-artifacts/hub-*.png. Everything started or created is removed at the end, even on failure.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from course.book.webcheck import browser, chromium_available
from course.hub import Hub, HubConfig, server_environment
from course.hub.guide import guide_blocks, guide_snippets

from .conftest import FIXTURES, ROOT

GUIDE = ROOT / "grading" / "HUB.md"
ARTIFACTS = ROOT / "test-artifacts"
VENV = Path(sys.prefix)
BREAK = """
printf '{"cells": [ broken' > ~/rta101/toy/toy.ipynb"""  # B's notebook, then
# Stock nbgrader grades a copy of the course directory taken after the release (its gradebook
# knows the assignment, no submission yet) with the collected submissions copied in.
STOCK_COPY = 'cp -a "$RTA_COURSE_DIR" ~/stock'
STOCK = ('cp -a "$RTA_COURSE_DIR/submitted" ~/stock/ && cd ~/stock && '
         "{ nbgrader autograde toy --create || true; }")  # B's unreadable file fails stock nbgrader
STEPS = ["root: settings", "root: set up the hub", "root, in the background: start the hub",
         "instructor: release", "student: fetch", "student: submit",
         "instructor: collect and grade", "student: feedback"]
ANSWERS = ["mean = float(numbers.mean())", "def double(v):\n    return 2 * v"]
WRITTEN = "A few very large values pull the mean away from the typical case."
TOKEN_SCOPES = ["read:users:name!user", "read:users:groups!user"]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]
needs_hub = pytest.mark.skipif(
    os.geteuid() != 0 or not chromium_available() or not (VENV / "userpy" / "bin").is_dir()
    or not (VENV / "node" / "node_modules" / ".bin" / "configurable-http-proxy").exists(),
    reason="needs root, Debian chromium and `make hub-deps` (run `make test`)")


def guide_steps(text: str) -> list[tuple[str, str]]:
    """(who: what, script) for each ```bash block of the guide, in order."""
    steps = []
    for block in re.findall(r"^ *```bash\n(.*?)^ *```", text, re.S | re.M):
        lines = [ln.strip() for ln in block.splitlines()]
        m = re.match(r"# as (?:the |a )?(.+)$", lines[0])
        assert m, f"grading/HUB.md: a bash block must start with '# as <who>: <what>', got {lines[0]!r}"
        steps.append((m.group(1), "\n".join(lines[1:])))
    return steps


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


@dataclass
class Class:
    """The users, folders and processes of one test hub."""

    tag: str = field(default_factory=lambda: secrets.token_hex(2))
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rta-hub-", dir="/tmp")))
    passwords: dict[str, str] = field(default_factory=dict)
    hub_proc: subprocess.Popen[bytes] | None = None
    cfg: HubConfig | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def user(self, role: str) -> str:
        return f"rth{self.tag}{role}"

    @property
    def instructor(self) -> str:
        return self.user("i")

    @property
    def students(self) -> list[str]:
        return [self.user("a"), self.user("b")]

    @property
    def outsider(self) -> str:
        return self.user("o")

    def all_users(self) -> list[str]:
        return [self.instructor, *self.students, self.outsider]

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def env(self, name: str) -> dict[str, str]:
        """What a JupyterLab terminal of this user has (the hub's spawner environment)."""
        assert self.cfg is not None
        env = server_environment(self.cfg, instructor=name == self.instructor)
        env.update(HOME=str(self.home(name)), USER=name, LANG="C.UTF-8", JUPYTERHUB_USER=name,
                   JUPYTERHUB_API_URL=f"http://127.0.0.1:{self.cfg.hub_port}/hub/api",
                   ASSIGNMENT="toy")
        if name not in self.tokens:
            self.tokens[name] = Hub(self.cfg).token_for(name, TOKEN_SCOPES)
        env["JUPYTERHUB_API_TOKEN"] = self.tokens[name]
        return env

    def run_as(self, name: str, script: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = self.env(name)
        cmd = ["runuser", "-u", name, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
               "bash", "-euo", "pipefail", "-c", script]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.home(name), timeout=300)
        if check:
            assert proc.returncode == 0, f"as {name}: {script}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return proc


def _kill_user_processes(name: str) -> None:
    out = subprocess.run(["ps", "-o", "pid=", "-u", name], capture_output=True, text=True).stdout
    for pid in out.split():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


@pytest.fixture
def klass() -> Iterator[Class]:
    k = Class()
    os.chmod(k.root, 0o755)
    try:
        for name in k.all_users():
            subprocess.run(["useradd", "-m", "-s", "/bin/bash", name], check=True)
            k.passwords[name] = secrets.token_urlsafe(12)
        subprocess.run(["chpasswd"], input="".join(f"{u}:{p}\n" for u, p in k.passwords.items()),
                       text=True, check=True)
        yield k
    finally:
        print("hub round trip timings (s):", {k: round(v, 1) for k, v in k.timings.items()})
        if k.hub_proc is not None and k.hub_proc.poll() is None:
            os.killpg(k.hub_proc.pid, signal.SIGTERM)  # the hub stops its proxy and the servers
            try:
                k.hub_proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(k.hub_proc.pid, signal.SIGKILL)
                k.hub_proc.wait(10)
        for name in k.all_users():
            _kill_user_processes(name)
            subprocess.run(["userdel", "-r", "-f", name], capture_output=True)
        shutil.rmtree(k.root, ignore_errors=True)


def make_kit(tmp: Path) -> Path:
    """The toy assignment as `rta export` writes a kit's course folder (course.kit.export)."""
    try:  # course/kit is being split into modules
        from course.kit.course_dir import export_course_dir
    except ImportError:
        from course.kit.export import export_course_dir  # type: ignore[attr-defined,no-redef]
    from course.paths import Layout

    repo = tmp / "repo"
    for sub in ("exercises", "datasets"):
        (repo / sub).mkdir(parents=True)
    shutil.copy(FIXTURES / "toy.md", repo / "exercises" / "toy.md")
    shutil.copy(FIXTURES / "toy_numbers.csv", repo / "datasets" / "toy_numbers.csv")
    shutil.copy(ROOT / "_config.yml", repo / "_config.yml")  # the course's title and author
    kit = tmp / "kit"
    kit.mkdir()
    export_course_dir(Layout(repo), ["toy"], kit)
    return kit


def _scores(db: Path) -> dict[str, float]:
    with contextlib.closing(sqlite3.connect(db)) as con:
        rows = con.execute(
            "SELECT student.id, SUM(grade.auto_score) FROM grade "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "JOIN student ON submitted_assignment.student_id = student.id GROUP BY student.id").fetchall()
    return {s: float(v or 0) for s, v in rows}


class Student:
    """Student A in Chromium: one browser, one page, the whole pass."""

    def __init__(self, page, base: str, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.name, self.password = page, base, name, password
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))

    def login(self) -> None:
        p = self.page
        p.goto(f"{self.base}/hub/login")
        p.fill("#username_input", self.name)
        p.fill("#password_input", self.password)
        p.click("#login_submit")
        p.wait_for_selector(".jp-LabShell", timeout=150_000)
        with contextlib.suppress(Exception):  # JupyterLab's "news?" toast covers the corner
            p.get_by_role("button", name="No").click(timeout=3000)

    def assignments(self) -> None:
        p = self.page
        p.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
        p.click(".lm-Menu-itemLabel:text-is('Assignment List')")
        p.wait_for_selector("#released_assignments_list", timeout=30_000)

    def fetch_answer_validate(self) -> str:
        p = self.page
        p.locator("#released_assignments_list button:text-is('Fetch')").click(timeout=60_000)
        link = p.locator("#fetched_assignments_list a.assignment-notebooks-link")
        link.wait_for(timeout=60_000)
        self.shot("1-fetched")
        link.click()
        p.locator("#fetched_assignments_list .nested_list_item a:text-is('toy')").click()
        p.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        stubs = p.locator(".jp-CodeCell .cm-content:has-text('raise NotImplementedError()')")
        for answer in ANSWERS:  # the stubs in order (JupyterLab renders cells as they scroll in)
            stubs.first.wait_for(timeout=30_000)
            stubs.first.scroll_into_view_if_needed()
            stubs.first.click()
            p.keyboard.press("Control+a")
            p.keyboard.insert_text(answer)
            p.keyboard.press("Escape")
        written = p.locator(".jp-MarkdownCell").filter(has_text="YOUR ANSWER HERE").filter(
            has_not_text="How to work")
        written.first.scroll_into_view_if_needed()
        written.first.locator(".jp-InputPrompt").click()  # select the cell, then edit it
        p.keyboard.press("Enter")
        p.keyboard.press("Control+a")
        p.keyboard.insert_text(WRITTEN)
        p.keyboard.press("Control+Enter")  # render the markdown cell
        p.keyboard.press("Control+s")
        p.wait_for_timeout(1500)
        p.locator(".jp-NotebookPanel-toolbar jp-button.validate-button").first.click()
        dialog = p.locator(".jp-Dialog-content")
        dialog.wait_for(timeout=120_000)
        dialog.locator(".validation-success, .validation-failed").first.wait_for(timeout=120_000)
        verdict = dialog.inner_text()
        self.shot("2-validated")
        p.locator(".jp-Dialog-footer button").last.click()
        return verdict

    def submit(self) -> None:
        p = self.page
        p.locator(".lm-TabBar-tab:has-text('Assignments')").click()
        p.locator("#fetched_assignments_list button:text-is('Submit')").click()
        p.locator("#submitted_assignments_list .list_item").first.wait_for(timeout=60_000)
        self.shot("3-submitted")

    def feedback(self) -> str:
        p = self.page
        p.locator(".lm-TabBar-tab:has-text('Assignments')").click()
        p.locator("#refresh_assignments_list").click()
        button = p.locator("#submitted_assignments_list button:text-is('Fetch Feedback')")
        button.first.click(timeout=60_000)
        view = p.locator("#submitted_assignments_list a:has-text('view feedback')")
        view.first.wait_for(timeout=60_000)
        self.shot("4-feedback-fetched")
        view.first.click()  # the file browser goes to the feedback folder
        p.locator(".jp-DirListing-content").get_by_text("toy.html", exact=True).dblclick(timeout=30_000)
        body = p.frame_locator(".jp-HTMLViewer iframe").locator("body")
        body.get_by_text("Score:").first.wait_for(timeout=30_000)
        self.shot("5-feedback")
        return body.inner_text()


@needs_hub
def test_class_round_trip(klass: Class) -> None:
    t0 = time.monotonic()
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    assert [who for who, _ in steps] == STEPS, "grading/HUB.md's steps changed: update this test"
    pool = ThreadPoolExecutor(4)  # B's terminal and the instructor work beside A's browser
    kit_made = pool.submit(make_kit, klass.root)
    hub_port, port, api_port = _free_ports(3)
    state = klass.root / "hub"
    a, b = klass.students
    with browser() as chromium:
        ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
        student = Student(ctx.new_page(), f"http://127.0.0.1:{port}", a, klass.passwords[a])
        kit = kit_made.result()
        klass.timings["kit"] = time.monotonic() - t0
        root_env = dict(os.environ, KIT=str(kit), COURSE="rta101", INSTRUCTOR=klass.instructor,
                        STUDENTS=",".join(klass.students), OTHERS=klass.outsider, HUB_STATE=str(state),
                        EXCHANGE=str(klass.root / "exchange"), PORT=str(port), HUB_PORT=str(hub_port),
                        PROXY_API_PORT=str(api_port), PATH=f"{VENV / 'bin'}:{os.environ['PATH']}")
        stock = None
        for who, script in steps:
            t = time.monotonic()
            if who.startswith("root, in the background"):
                log = open(klass.root / "hub.log", "wb")  # noqa: SIM115 (kept open for the hub)
                klass.hub_proc = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script],
                                                  env=root_env, stdout=log, stderr=subprocess.STDOUT,
                                                  start_new_session=True)
                klass.cfg = HubConfig.load(state)
                Hub(klass.cfg).wait_up(60, alive=lambda: klass.hub_proc.poll() is None)
                Hub(klass.cfg).request("POST", f"/users/{a}/server")  # A's JupyterLab spawns now
            elif who.startswith("root"):
                proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=root_env,
                                      capture_output=True, text=True)
                assert proc.returncode == 0, f"{who}:\n{proc.stdout}\n{proc.stderr}"
            elif who == "instructor: release":
                released = pool.submit(klass.run_as, klass.instructor, script)
                student.login()
                released.result()
                klass.run_as(klass.instructor, STOCK_COPY)
            elif who == "instructor: collect and grade":
                klass.run_as(klass.instructor, script)
                stock = pool.submit(klass.run_as, klass.instructor, STOCK)
            elif who == "student: fetch":
                b_fetch = pool.submit(klass.run_as, b, script + BREAK)
                student.assignments()
                verdict = student.fetch_answer_validate()
                assert "Success! Your notebook passes all the tests." in verdict, verdict
                b_fetch.result()
            elif who == "student: submit":
                b_submit = pool.submit(klass.run_as, b, script)
                student.submit()
                b_submit.result()
            elif who == "student: feedback":
                b_feedback = pool.submit(klass.run_as, b, script, False)
                page = student.feedback()
                b_feedback.result()
            else:
                raise AssertionError(f"no runner for step {who!r}")
            klass.timings[who] = time.monotonic() - t
        ctx.close()
    assert not student.errors, f"JavaScript errors in JupyterLab: {student.errors}"

    cfg = klass.cfg
    assert cfg is not None
    course_dir = cfg.resolved_course_dir()
    # The feedback A reads: every visible test's result, no hidden test.
    source = (course_dir / "source" / "toy" / "toy.ipynb").read_text()
    assert "assert abs(mean - 2.5) < 1e-9" in source  # the hidden tests exist...
    for hidden in ("abs(mean - 2.5)", "double(21)", "HIDDEN TESTS"):
        assert hidden not in page, f"feedback shows a hidden test: {hidden}"  # ...and stay hidden
    for visible in ("assert isinstance(mean, float)", "assert mean > 0", "assert double(1) == 2"):
        assert visible in page, f"feedback lacks the visible test {visible!r}"

    # The gradebook: A has every automatic point, B's unreadable notebook none.
    rta_scores = _scores(course_dir / "gradebook.db")
    assert rta_scores.get(a) == 5.0, rta_scores
    grades_csv = (course_dir / "grades_toy.csv").read_text()
    assert a in grades_csv and b in grades_csv, grades_csv
    # Stock nbgrader on a copy of the collected course directory agrees on A.
    assert stock is not None
    stock_log = stock.result()
    stock_scores = _scores(klass.home(klass.instructor) / "stock" / "gradebook.db")
    assert stock_scores.get(a) == rta_scores[a], (stock_scores, rta_scores, stock_log.stderr[-3000:])

    # Nobody reads what is not theirs, as their own Unix user.
    inbound = cfg.exchange / "rta101" / "inbound"
    for script in (f"ls {inbound}", f"cat {course_dir}/source/toy/toy.ipynb",
                   f"ls {course_dir}/submitted/{a}", f"ls {klass.home(a)}/rta101/toy",
                   f"ls {klass.home(a)}/.local/share/jupyter/nbgrader_cache"):
        proc = klass.run_as(b, script, check=False)
        assert proc.returncode != 0 and "Permission denied" in proc.stderr, (script, proc.stdout)
    # The course groups nbgrader's JupyterHubAuthPlugin reads, through the REST API.
    groups = {g["name"]: sorted(g["users"]) for g in Hub(cfg).request("GET", "/groups")}
    assert groups["formgrade-rta101"] == [klass.instructor], groups
    assert groups["nbgrader-rta101"] == sorted(klass.students), groups
    # A user outside the course: a clear message, not a traceback.
    proc = klass.run_as(klass.outsider, "nbgrader fetch_assignment toy --course rta101", check=False)
    assert proc.returncode != 0
    assert "You do not have access to this course." in proc.stderr and "Traceback" not in proc.stderr
    klass.timings["total"] = time.monotonic() - t0


def test_guide_snippets_are_what_the_hub_writes() -> None:
    blocks = guide_blocks(GUIDE.read_text(encoding="utf-8"))
    expected = guide_snippets()
    assert set(blocks) == set(expected), f"generated blocks in grading/HUB.md: {sorted(blocks)}"
    for name, text in expected.items():
        assert blocks[name].rstrip("\n") == text.rstrip("\n"), (
            f"grading/HUB.md's '{name}' block is stale: run "
            "`.venv/bin/python -m course.hub.guide grading/HUB.md`")
    assert [w for w, _ in guide_steps(GUIDE.read_text(encoding="utf-8"))] == STEPS


@pytest.mark.parametrize("args, message, fix", [
    (["setup", "--kit", "{tmp}/nothing", "--course", "rta101", "--instructor", "root"],
     "not a course kit", "rta export"),
    (["setup", "--kit", "{kit}", "--course", "rta101", "--instructor", "nosuchuser42"],
     "user 'nosuchuser42' does not exist", "useradd -m nosuchuser42"),
    (["setup", "--kit", "{kit}", "--course", "rta 101", "--instructor", "root"],
     "course id 'rta 101' is not usable", "--course rta101"),
    (["setup", "--kit", "{kit}", "--course", "rta101", "--instructor", "root", "--students", "root"],
     "root both teach and take the course", "one role"),
    (["start", "--state", "{tmp}/nothing"], "not a hub state folder", "rta hub setup"),
])
def test_bad_input_is_one_clear_error(tmp_path: Path, args: list[str], message: str, fix: str) -> None:
    from typer.testing import CliRunner

    from course.cli import app

    kit = tmp_path / "kit" / "course"
    (kit / "source").mkdir(parents=True)
    (kit / "nbgrader_config.py").write_text("c = get_config()\n")
    argv = ["hub", *[a.format(tmp=tmp_path, kit=kit.parent) for a in args]]
    if os.geteuid() != 0:
        message, fix = "must run as root", "sudo"
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert message in result.output and fix in result.output, result.output
    assert "Traceback" not in result.output
