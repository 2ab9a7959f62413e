"""Authors' CI: every course exercise, through real nbgrader on a temporary course directory.

The solution scores full autograded marks, the student release scores zero and holds no
solution or hidden-test text, a wrong answer to one question loses exactly the points of
that question's tests (and no others), and `rta autograde` records exactly what stock
nbgrader recorded. Stock nbgrader grades the solution, the blank release and the last stub (a
fresh kernel per notebook is most of this suite's time); rta grades every variant, and the
toy course's differential tests (test_grader_identity.py) cover stock on many more shapes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from course.authoring.exercise import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    SOLUTION_END,
    Kind,
)
from course.authoring.lint import secret_lines
from course.authoring.prove import Proof, prove
from course.gradebook import read_cell_scores
from course.grader.compare import diff_courses
from course.grader.engine import autograde
from course.paths import Layout

from .conftest import ROOT

EXERCISES = [p.stem for p in Layout(ROOT).exercise_sources()]


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES)
def test_exercise_grades_right_and_leaks_nothing(layout, tmp_path, exercise) -> None:
    """Stock nbgrader grades the solution, the blank release and the last one-answer stub;
    rta autograde grades every variant on a copy of the course and must record exactly what
    stock recorded where both graded. The grade checks then run on every variant."""
    stock = prove(layout, exercise, tmp_path, stock_stubs=1)
    ours = grade_all_with_rta(tmp_path, exercise)
    assert diff_courses(tmp_path / exercise, ours, exercise, students=sorted(stock.scores)) == []
    proof = Proof(stock.released, read_cell_scores(f"sqlite:///{ours / 'gradebook.db'}", exercise, exercise))
    assert {s: proof.scores[s] for s in stock.scores} == stock.scores
    check_grades(proof)
    check_release(proof, exercise)


def grade_all_with_rta(workdir: Path, exercise: str) -> Path:
    """The stock course (its autograded/ left out) plus the stubs stock did not grade, graded by
    rta autograde: every submission gets an outcome with no flag."""
    ours = workdir / f"{exercise}-rta"
    shutil.copytree(workdir / exercise, ours, ignore=shutil.ignore_patterns("autograded"))
    held = workdir / f"{exercise}-held"
    if held.exists():
        shutil.copytree(held, ours / "submitted", dirs_exist_ok=True)
    outcomes = autograde(ours, exercise, workers=2)
    assert all(not o.flags for o in outcomes), [f"{o.student}: {o.status}" for o in outcomes]
    # the solution and its stubs leave the set-up data as given (AUTHORING.md: set-up data is
    # the course's), so every test reads the student's own values, as in stock nbgrader
    changed = [f"{o.student}: {n}" for o in outcomes for n in o.notes
               if "is not what the read-only cell" in n]
    assert changed == []
    return ours


def check_grades(proof) -> None:
    assert proof.auto_max >= 10, "every graded exercise is worth at least 10 autograded points"
    assert proof.auto_total("solution") == proof.auto_max
    assert proof.auto_total("blank") == 0
    wrongs = [s for s in proof.scores if s.startswith("wrong_q")]
    assert len(wrongs) >= 3, "at least three autograded questions"
    tests = [c for c in proof.released.exercise.cells if c.kind is Kind.TESTS]
    for student in wrongs:
        q = int(student.removeprefix("wrong_q"))
        cells = proof.scores[student]
        # The stubbed question loses all its test points; earlier questions keep theirs.
        for c in tests:
            got = cells[c.grade_id].score
            if c.question == q:
                assert got == 0, f"{student}: {c.grade_id} should fail"
            elif c.question < q:
                assert got == c.points, f"{student}: {c.grade_id} should still pass"
            else:  # later questions may build on this one, but never get partial credit
                assert got in (0, c.points), f"{student}: {c.grade_id} scored {got}"
        failed = sum(c.points for c in tests if cells[c.grade_id].score == 0)
        assert proof.auto_total(student) == proof.auto_max - failed
        assert proof.auto_total(student) <= proof.expected_without(q)
    # written answers wait for an instructor
    written = [c.grade_id for c in proof.released.exercise.cells if c.kind is Kind.WRITTEN]
    assert written, "at least one manually graded written answer"
    for gid in written:
        assert proof.scores["solution"][gid].needs_manual_grade


def check_release(proof, exercise: str) -> None:
    ex = proof.released.exercise
    text = proof.released.release.read_text()
    nb = nbformat.read(proof.released.release, as_version=4)
    student_lines = {ln.strip() for c in nb.cells for ln in c.source.splitlines()}
    for marker in (SOLUTION_BEGIN, SOLUTION_END, HIDDEN_BEGIN, HIDDEN_END):
        assert marker not in text
    secrets = secret_lines(ex)  # lint's one definition of what students must never see
    assert any(kind == "solution" for kind, _ in secrets), f"{exercise}: no solution lines found"
    for kind, line in secrets:
        assert line.strip() not in student_lines, f"{exercise}: {kind} leaked: {line!r}"
