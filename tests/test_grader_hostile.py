"""The hostile corpus (tests/hostile/cases.py): every broken or hostile submission ends with a
score or a recorded reason, the batch never stops, cheating earns nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from course.authoring.release import release
from course.grader.engine import autograde
from course.grader.gradebook import Outcome
from course.grader.sandbox import GiB, Limits

from .hostile.cases import CASES, HOST_SECRET, PUBLIC_FILE, PUBLIC_SECRET, SECRET, Ctx

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]  # one graded corpus per run


@pytest.fixture(scope="module")
def graded(tmp_path_factory, request) -> tuple[Path, dict[str, Outcome]]:
    import shutil

    from .conftest import course_repo

    layout = course_repo(tmp_path_factory.mktemp("hostile") / "course")
    release(layout, ["toy"])
    course = layout.grading
    rel = json.loads((course / "release" / "toy" / "toy.ipynb").read_text())
    ctx = Ctx(course)
    ctx.host_file.write_text(HOST_SECRET)
    ctx.host_file.chmod(0o600)
    PUBLIC_FILE.parent.mkdir(exist_ok=True)
    PUBLIC_FILE.write_text(PUBLIC_SECRET)
    PUBLIC_FILE.chmod(0o644)
    for case in CASES:
        target = course / "submitted" / case.name / "toy"
        shutil.copytree(course / "release" / "toy", target)
        data = case.build(rel, ctx)
        path = target / "toy.ipynb"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    for case in CASES:  # after every folder exists: some link to another student's
        if case.tree:
            case.tree(course / "submitted" / case.name / "toy", ctx)
    os.environ[SECRET] = "top-secret"
    try:
        # 10 s per cell: printing 200,000 lines takes 3 s on a loaded 2-core machine
        limits = Limits(timeout=10, memory=1 * GiB, cpu_seconds=40)
        outcomes = autograde(course, "toy", workers=2, limits=limits, timeout=10)
    finally:
        os.environ.pop(SECRET, None)
    return course, {o.student: o for o in outcomes}


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25 and len({c.name for c in CASES}) == len(CASES)


def test_every_submission_has_an_outcome(graded) -> None:
    _, outcomes = graded
    assert set(outcomes) == {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(graded, case) -> None:
    course, outcomes = graded
    o = outcomes[case.name]
    told = " | ".join(o.reasons + o.problems + o.flags + o.notes)
    if case.status == "failed":
        assert o.failed and o.reasons, o.status
    elif case.status == "flagged":
        assert o.flags and not o.failed, o.status
        assert o.score == 0, f"a flagged notebook earned {o.score}"
        assert o.manual_pending >= 5, "flagged work must wait for a human"
    elif case.status == "attack":  # graded or flagged: either way no point it did not earn
        assert not o.failed, o.status
        assert o.score is not None and o.score <= (case.score or 0), (o.status, told)
        assert not o.flags or o.score == 0
    else:
        assert not o.failed and not o.flags, o.status
    if case.score is not None and not o.failed and case.status != "attack":
        assert o.score == case.score, (o.status, told)
    for text in case.text:
        assert text in told, f"{text!r} not in {told!r}"
    autograded = course / "autograded" / case.name / "toy" / "toy.ipynb"
    if case.status != "failed":
        assert autograded.exists()
        nb = json.loads(autograded.read_text(encoding="utf-8"))
        printed = json.dumps([c.get("outputs", []) for c in nb["cells"]])
        for text in case.absent:
            assert text not in printed
        for text in case.shown:
            assert text in printed, f"{text!r} not in the outputs"
        # every output kind counts against the 10 M character limit
        assert autograded.stat().st_size < 15_000_000
    assert (course / "submitted" / case.name / "toy" / "toy.ipynb").exists(), "student work was lost"


def test_no_link_in_a_submission_was_followed(graded) -> None:
    """Nothing outside a submission reached the autograded folders: no host file, no solution
    source, no gradebook bytes, under any name."""
    course, _ = graded
    for f in (course / "autograded").rglob("*"):
        if f.is_symlink():
            raise AssertionError(f"{f} is a link")
        if f.is_file() and f.suffix != ".ipynb":
            data = f.read_bytes()
            assert HOST_SECRET.encode() not in data, f
            assert b"SQLite format" not in data, f
            assert b"BEGIN HIDDEN TESTS" not in data, f


def test_sandbox_kept_the_course_dir_intact(graded) -> None:
    course, outcomes = graded
    assert not (course / "hacked.txt").exists()
    for d in ("/run/lock", "/var/lock", "/var/tmp", "/dev/shm"):  # world-writable host folders
        assert not list(Path(d).glob("rta-hostile-*")) if Path(d).is_dir() else True, d
    nb = json.loads((course / "autograded" / "environment_secret" / "toy" / "toy.ipynb").read_text())
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert "SECRET=None" in printed


def test_feedback_for_every_submission(graded) -> None:
    """`rta feedback` over the whole corpus: a page per submission, none stopping the others
    (a lone surrogate printed by a cell once raised UnicodeEncodeError for the batch)."""
    from course.grader.feedback import write_feedback

    course, outcomes = graded
    pages = write_feedback(course, "toy", f"sqlite:///{course / 'gradebook.db'}")
    assert {p.parts[-3] for p in pages} >= {n for n, o in outcomes.items() if not o.failed}
    page = course / "feedback" / "lone_surrogate_output" / "toy" / "toy.html"
    assert "printed" in page.read_text(encoding="utf-8")
