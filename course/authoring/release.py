"""Exercise sources -> nbgrader course directory: `source/` (generated), then stock nbgrader
makes `release/` (student version) and `solution/` (instructor solution, executed-free).

Stock nbgrader is called as a subprocess, exactly as an instructor would run it, so whatever
works here works on any nbgrader 0.9 installation.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.authoring.exercise import Exercise, read_exercise
from course.authoring.lint import check_exercise
from course.authoring.nbgrader_source import to_nbgrader_source
from course.errors import ExerciseError, ToolError
from course.paths import Layout

NBGRADER_CONFIG = '''\
"""nbgrader configuration for the From Research to Action MOOC course directory."""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "rta-mooc"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A slow cell in a student notebook must not hang a whole batch.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60
'''


@dataclass
class Released:
    exercise: Exercise
    source: Path  # grading/source/<id>/<id>.ipynb
    release: Path  # grading/release/<id>/<id>.ipynb


def nbgrader(args: list[str], course_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the stock nbgrader CLI in `course_dir`; raise with its log on failure."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    proc = subprocess.run(cmd, cwd=course_dir, capture_output=True, text=True, env=tool_env())
    if proc.returncode != 0:
        raise ToolError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode})",
                        path=course_dir, log_tail=(proc.stdout + "\n" + proc.stderr)[-3000:],
                        fix="read nbgrader's message above; `rta check` finds most authoring "
                            "errors before nbgrader sees them")
    return proc


def tool_env() -> dict[str, str]:
    """Environment for child tools: this interpreter's bin/ first (nbgrader shells out to
    `alembic`, which is only on PATH when the venv is activated)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def ensure_course_dir(course_dir: Path) -> None:
    course_dir.mkdir(parents=True, exist_ok=True)
    cfg = course_dir / "nbgrader_config.py"
    if not cfg.exists():
        cfg.write_text(NBGRADER_CONFIG, encoding="utf-8")


def citations_for(names: list[str]) -> list[str]:
    """Citations for the student header, from the data library's metadata."""
    from course.data import cite

    out = []
    for n in names:
        try:
            out.append(cite(n))
        except Exception:  # an unknown name is reported by `rta check`, not here
            continue
    return out


def data_url(layout: Layout) -> str:
    """Where a notebook opened without its data folder fetches the tables: the repository's
    datasets/ on the configured branch (from _config.yml)."""
    import yaml

    cfg_path = layout.root / "_config.yml"
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
    repo = (cfg.get("repository") or {})
    url = str(repo.get("url", "https://github.com/rta-mooc/rta-mooc")).rstrip("/")
    branch = repo.get("branch", "main")
    return url.replace("https://github.com/", "https://raw.githubusercontent.com/") + \
        f"/{branch}/datasets"


def write_source(ex: Exercise, layout: Layout, course_dir: Path) -> Path:
    """grading/source/<id>/: the nbgrader source notebook plus the data it reads."""
    src_dir = course_dir / "source" / ex.id
    if src_dir.exists():
        shutil.rmtree(src_dir)
    (src_dir / "data").mkdir(parents=True)
    for name in ex.datasets:
        csv = layout.datasets / f"{name}.csv"
        if not csv.exists():
            raise ExerciseError(ex.path, f"dataset '{name}' not found at {csv}",
                                fix="run `rta data list` and fix rta.datasets in the header")
        shutil.copy2(csv, src_dir / "data" / csv.name)
    if not ex.datasets:
        (src_dir / "data").rmdir()
    nb = to_nbgrader_source(ex, citations_for(ex.datasets), data_url(layout))
    path = src_dir / f"{ex.id}.ipynb"
    nbformat.write(nb, path)
    return path


# The code that turns an exercise into its release: a change here invalidates every release.
_COURSE = Path(__file__).resolve().parents[1]
_GENERATORS = ("authoring/exercise.py", "authoring/nbgrader_source.py", "authoring/release.py",
               "authoring/lint.py", "data.py")


def fingerprint(ex: Exercise, layout: Layout) -> str:
    """What a release depends on: the exercise, its tables, the config and the generators."""
    import nbgrader

    h = hashlib.sha256(f"nbgrader {nbgrader.__version__}\n".encode())
    files = [ex.path, layout.root / "_config.yml",
             *(layout.datasets / f"{n}.csv" for n in ex.datasets),
             *(_COURSE / g for g in _GENERATORS)]
    for f in files:
        h.update(f.name.encode() + b"\0" + (f.read_bytes() if f.exists() else b"-") + b"\0")
    return h.hexdigest()


def _stamp(course_dir: Path, ex_id: str) -> Path:
    # Beside, not inside, release/<id>/: everything in there is handed to students.
    return course_dir / ".rta-fingerprints" / ex_id


def release(
    layout: Layout,
    names: list[str] | None = None,
    course_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    reuse: bool = False,
) -> list[Released]:
    """Validate, write nbgrader sources and run `nbgrader generate_assignment` for each exercise.

    With `reuse`, an exercise whose fingerprint matches its last release is not regenerated
    (the book's rebuilds: editing one exercise regenerates only that exercise)."""
    course_dir = course_dir or layout.grading
    ensure_course_dir(course_dir)
    paths = layout.exercise_sources()
    if names:
        wanted = {n.removesuffix(".md") for n in names}
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            known = ", ".join(p.stem for p in paths)
            raise ExerciseError(layout.exercises, f"unknown exercise(s): {', '.join(sorted(unknown))}",
                                fix=f"choose from: {known}")
        paths = [p for p in paths if p.stem in wanted]
    out: list[Released] = []
    for path in paths:
        ex = read_exercise(path)
        if progress:
            progress(ex.id)
        stamp, digest = _stamp(course_dir, ex.id), fingerprint(ex, layout)
        source = course_dir / "source" / ex.id / f"{ex.id}.ipynb"
        released = course_dir / "release" / ex.id / f"{ex.id}.ipynb"
        fresh = reuse and released.exists() and source.exists() and stamp.exists() \
            and stamp.read_text() == digest  # checked and released before, unchanged since
        if not fresh:
            errors = check_exercise(ex, layout)
            if errors:
                raise errors[0]
            stamp.unlink(missing_ok=True)
            source = write_source(ex, layout, course_dir)
            nbgrader(["generate_assignment", ex.id, "--force", "--create"], course_dir)
            stamp.parent.mkdir(exist_ok=True)
            stamp.write_text(digest)
        out.append(Released(ex, source, released))
    return out


def write_solution(rel: Released, course_dir: Path) -> Path:
    """The instructor solution notebook, made by stock `nbgrader generate_solution`."""
    nbgrader(["generate_solution", rel.exercise.id, "--force"], course_dir)
    return course_dir / "solution" / rel.exercise.id / f"{rel.exercise.id}.ipynb"
