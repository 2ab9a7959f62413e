"""Beyond one machine: grading on a real Dask cluster (scheduler and worker processes on
loopback) and into a real PostgreSQL gradebook (a server started here, torn down after)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from course.authoring.release import ensure_course_dir, release
from course.grader.engine import autograde
from course.paths import Layout

from .conftest import submit

pytestmark = pytest.mark.slow

EXPECTED = {"correct": 5, "partly": 2, "blank": 0, "broken": None}


def _class(layout: Layout) -> Path:
    grading = layout.grading
    source = nbformat.read(grading / "source" / "toy" / "toy.ipynb", as_version=4)
    rel = nbformat.read(grading / "release" / "toy" / "toy.ipynb", as_version=4)
    partly = nbformat.from_dict(rel)
    for cell in partly.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2":
            cell.source = "def double(v):\n    return v + v\n"
    for student, nb in (("correct", source), ("partly", partly), ("blank", rel),
                        ("broken", "{ not json")):
        submit(grading, student, nb)
    return grading


def test_dask_cluster(mini_course) -> None:
    from distributed import LocalCluster

    release(mini_course, ["toy"])
    grading = _class(mini_course)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        outcomes = autograde(grading, "toy", scheduler=cluster.scheduler_address)
    assert {o.student: o.score for o in outcomes} == EXPECTED
    assert (grading / "autograded" / "correct" / "toy" / "toy.ipynb").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres() -> Iterator[str]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL server binaries missing: run `make system-deps` (./.ci/system-deps)")
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="rta-pg-", dir="/tmp"))
    port = _free_port()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(base, "postgres", "postgres")  # initdb refuses to run as root
    data = base / "data"
    try:
        subprocess.run([*as_pg, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
                       check=True, capture_output=True)
        subprocess.run([*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                        "-o", f"-p {port} -h 127.0.0.1 -k {base}", "start"], check=True, capture_output=True)
        subprocess.run([*as_pg, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                        "-U", "postgres", "gradebook"], check=True, capture_output=True)
        # SQLAlchemy 2.1 defaults postgresql:// to psycopg 3; the pinned driver is psycopg2
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_postgresql_gradebook(mini_course, postgres) -> None:
    from nbgrader.api import Gradebook

    grading = mini_course.grading
    ensure_course_dir(grading)
    with (grading / "nbgrader_config.py").open("a") as f:
        f.write(f"c.CourseDirectory.db_url = {postgres!r}\n")
    release(mini_course, ["toy"])  # stock nbgrader writes the assignment into PostgreSQL
    _class(mini_course)
    outcomes = autograde(grading, "toy", workers=2, db=postgres)
    assert {o.student: o.score for o in outcomes} == EXPECTED
    assert not (grading / "gradebook.db").exists()
    with Gradebook(postgres) as gb:
        assert {s.student_id: s.score for s in gb.assignment_submissions("toy")
                if s.student_id != "broken"} == {"correct": 5, "partly": 2, "blank": 0}
        broken = gb.find_submission_notebook("toy", "toy", "broken")
        assert broken.flagged and all(g.needs_manual_grade for g in broken.grades)
