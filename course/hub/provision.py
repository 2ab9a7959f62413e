"""`rta hub setup` and `rta hub start`: what has to be true on the machine (run as root).

setup, idempotent:
  - checks the users exist, the proxy is installed (`make hub-deps`), the venv is readable by
    the users whose servers run from it;
  - copies the kit's nbgrader course directory to the course directory, owned by the first
    instructor, private to them (0700); an existing course directory is kept as it is;
  - creates the exchange root world-writable with the sticky bit (1777, nbgrader's docs);
  - makes course members' home directories private (0700): they hold the students' working
    copies and nbgrader's cache of what they submitted;
  - writes the hub state folder: hub.json, jupyterhub_config.py, the two nbgrader configs,
    the admin service token (0600).
start: runs JupyterHub (which starts configurable-http-proxy and, per login, the users'
JupyterLab) in the foreground; SIGTERM stops the hub, its proxy and every user's server.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

from course.errors import UserError

from .config import (
    HubConfig,
    HubConfigError,
    jupyterhub_config,
    nbgrader_config_all,
    nbgrader_config_instructors,
)

Log = Callable[[str], None]


def _require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise UserError(f"`rta hub {what}` must run as root: it serves real Unix users and gives "
                        "the course directory to the instructor",
                        fix=f"run it with sudo (sudo .venv/bin/rta hub {what} ...)")


def kit_course_dir(kit: Path) -> Path:
    """The nbgrader course directory of a kit made by `rta export` (or that directory itself)."""
    for candidate in (kit / "course", kit):
        if (candidate / "nbgrader_config.py").is_file() and (candidate / "source").is_dir():
            return candidate
    raise HubConfigError("not a course kit: no course/nbgrader_config.py and course/source/",
                         path=kit, fix="give the folder `rta export --modules ... --out DIR` wrote")


def _user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise HubConfigError(f"user '{name}' does not exist on this machine",
                             fix=f"create the account first (useradd -m {name}; passwd {name}), "
                                 "or let your site's authenticator create it") from None


def check_readable(path: Path) -> None:
    """Every user's server runs from the venv: each parent folder must let others through."""
    for p in [path, *path.parents]:
        mode = p.stat().st_mode
        if not mode & stat.S_IXOTH or (p == path and not mode & stat.S_IROTH):
            raise HubConfigError("other users cannot read the Python environment their servers "
                                 f"run from (mode {stat.filemode(mode)})", path=p,
                                 fix=f"chmod o+rx {p}, or install the course in a world-readable "
                                     "folder such as /opt/rta")


def setup(cfg: HubConfig, kit: Path, log: Log = print) -> HubConfig:
    _require_root("setup")
    cfg.validate()
    source = kit_course_dir(kit)
    users = {n: _user(n) for n in cfg.instructors + cfg.students + cfg.others}
    if not cfg.proxy.exists():
        raise HubConfigError("configurable-http-proxy is not installed", path=cfg.proxy,
                             fix="run `make hub-deps` in the course repository")
    if not (cfg.user_bin / "jupyterhub-singleuser").exists():
        raise HubConfigError("the users' Python environment is missing", path=cfg.user_bin,
                             fix="run `make hub-deps` in the course repository")
    check_readable(cfg.user_bin / "jupyterhub-singleuser")
    check_readable((cfg.user_bin / "python3").resolve())

    owner = users[cfg.instructors[0]]
    course_dir = cfg.resolved_course_dir()
    cfg.course_dir = course_dir
    if course_dir.exists():
        log(f"hub: course directory {course_dir} exists: kept as it is")
    else:
        shutil.copytree(source, course_dir, ignore=shutil.ignore_patterns("gradebook.db"))
        with open(course_dir / "nbgrader_config.py", "a", encoding="utf-8") as fh:
            fh.write(f"# On the hub (rta hub setup): this course's id in the exchange and groups.\n"
                     f"c.CourseDirectory.course_id = {cfg.course!r}\n")
        for dirpath, _, files in os.walk(course_dir):
            os.chown(dirpath, owner.pw_uid, owner.pw_gid)
            for f in files:
                os.chown(os.path.join(dirpath, f), owner.pw_uid, owner.pw_gid)
        log(f"hub: course directory {course_dir} (from {source}), owned by {owner.pw_name}")
    os.chmod(course_dir, 0o700)

    cfg.exchange.mkdir(parents=True, exist_ok=True)
    os.chown(cfg.exchange, 0, 0)
    os.chmod(cfg.exchange, 0o1777)  # world-writable, sticky: nbgrader's filesystem exchange
    log(f"hub: exchange {cfg.exchange} (1777)")

    for name, pw in users.items():
        home = Path(pw.pw_dir)
        if home.is_dir() and stat.S_IMODE(home.stat().st_mode) & 0o077:
            os.chmod(home, 0o700)
            log(f"hub: home of {name} made private (0700): it holds copies of their submissions")

    cfg.state.mkdir(parents=True, exist_ok=True)
    os.chmod(cfg.state, 0o711)  # users' servers read jupyter/; everything else is root's
    for folder, text in ((cfg.jupyter_all, nbgrader_config_all(cfg)),
                         (cfg.jupyter_instructors, nbgrader_config_instructors(cfg))):
        folder.mkdir(parents=True, exist_ok=True)
        for p in (folder.parent, folder):
            os.chmod(p, 0o755)
        (folder / "nbgrader_config.py").write_text(text, encoding="utf-8")
        os.chmod(folder / "nbgrader_config.py", 0o644)
    if not cfg.token_file.exists():
        cfg.token_file.write_text(secrets.token_hex(32), encoding="utf-8")
    os.chmod(cfg.token_file, 0o600)
    (cfg.state / "hub.json").write_text(cfg.to_json(), encoding="utf-8")
    cfg.config_file.write_text(jupyterhub_config(cfg), encoding="utf-8")
    os.chmod(cfg.config_file, 0o600)
    log(f"hub: configuration written to {cfg.state} (start it with `rta hub start --state {cfg.state}`)")
    return cfg


def start(state: Path) -> None:
    """Run JupyterHub in the foreground (this process becomes the hub)."""
    _require_root("start")
    cfg = HubConfig.load(state)
    if not cfg.config_file.exists():
        raise HubConfigError("no jupyterhub_config.py", path=cfg.state, fix="run `rta hub setup` again")
    hub = cfg.venv / "bin" / "jupyterhub"
    env = dict(os.environ, PATH=f"{cfg.venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    os.chdir(cfg.state)
    os.execve(hub, [str(hub), "-f", str(cfg.config_file)], env)


def release_feedback(course_dir: Path, assignment: str) -> int:
    """Release `rta feedback`'s pages through the exchange: nbgrader release_feedback finds each
    submission by its timestamp.txt and submission_secret.txt, which stock generate_feedback
    copies next to the page; copy them from the collected submission, then release."""
    pages = sorted((course_dir / "feedback").glob(f"*/{assignment}/*.html"))
    if not pages:
        raise UserError(f"no feedback pages in {course_dir}/feedback/*/{assignment}/",
                        fix=f"run `rta feedback {assignment}` first")
    for folder in {p.parent for p in pages}:
        submitted = course_dir / "submitted" / folder.parent.name / assignment
        for name in ("timestamp.txt", "submission_secret.txt"):
            if (submitted / name).is_file():
                shutil.copy2(submitted / name, folder / name)
    proc = subprocess.run(["nbgrader", "release_feedback", assignment], cwd=course_dir,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        from course.errors import ToolError

        raise ToolError(f"nbgrader release_feedback {assignment} failed", log_tail=proc.stderr,
                        path=course_dir, fix="check the exchange settings in nbgrader_config.py")
    return len(pages)
