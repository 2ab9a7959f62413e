"""Nothing is lost and nothing is half-written: a gradebook write that fails leaves that
student's previous autograded folder and scores as they were, with the reason recorded, and
the rest of the batch is graded."""

from __future__ import annotations

import nbformat
import pytest

from course.authoring.release import release
from course.grader.engine import autograde
from course.grader.gradebook import GradebookWriter

from .conftest import submit

pytestmark = pytest.mark.slow


def test_a_failed_write_is_all_or_nothing(mini_course, monkeypatch) -> None:
    release(mini_course, ["toy"])
    grading = mini_course.grading
    source = nbformat.read(grading / "source" / "toy" / "toy.ipynb", as_version=4)
    for student in ("first", "second"):
        submit(grading, student, source)
    first = {o.student: o for o in autograde(grading, "toy", workers=1)}
    assert first["first"].score == 5 and first["second"].score == 5
    kept = (grading / "autograded" / "second" / "toy" / "toy.ipynb").read_text()

    real = GradebookWriter._rows

    def failing(self, result, submitted):  # the database refuses one student's rows
        if result.student == "second":
            raise RuntimeError("disk full")
        return real(self, result, submitted)

    monkeypatch.setattr(GradebookWriter, "_rows", failing)
    again = {o.student: o for o in autograde(grading, "toy", workers=1)}
    assert again["first"].score == 5
    assert again["second"].failed and "disk full" in again["second"].reasons[0]
    assert (grading / "autograded" / "second" / "toy" / "toy.ipynb").read_text() == kept
    assert not list((grading / "autograded" / "second").glob(".*rta-*"))  # no staging left
