"""`rta autograde` on a small class: correct, partly correct, blank and broken submissions
(the grading engine itself is tested in test_grader_*.py)."""

from __future__ import annotations

import csv

import nbformat
from typer.testing import CliRunner

from course.cli import app

from .conftest import submit

runner = CliRunner()


def test_small_class(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    assert runner.invoke(app, ["release", "--no-solutions"]).exit_code == 0
    grading = mini_course.grading
    source = nbformat.read(grading / "source" / "toy" / "toy.ipynb", as_version=4)
    release = nbformat.read(grading / "release" / "toy" / "toy.ipynb", as_version=4)
    partly = nbformat.from_dict(release)
    for cell in partly.cells:  # answer question 2 only
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2":
            cell.source = "def double(v):\n    return v + v\n"
    wrong = nbformat.from_dict(release)
    for cell in wrong.cells:  # a plausible mistake: the median, not the mean
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = "mean = float(numbers.median()) + 0.5"
    submit(grading, "correct", source)
    submit(grading, "partly", partly)
    submit(grading, "wrong", wrong)
    submit(grading, "blank", release)
    submit(grading, "broken", "{ this is not json")

    result = runner.invoke(app, ["autograde", "toy"])
    assert result.exit_code == 0, result.output
    with open(grading / "grades_toy.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"correct", "partly", "wrong", "blank", "broken"}
    assert float(rows["correct"]["score"]) == 5  # all autograded points; 1 written point pending
    assert "1 points to grade by hand" in rows["correct"]["status"]
    assert float(rows["partly"]["score"]) == 2
    # median + 0.5 = 3.0: passes q1_tests_2 (2 points) but fails the hidden check in q1_tests
    assert float(rows["wrong"]["score"]) == 2
    assert float(rows["blank"]["score"]) == 0
    assert rows["broken"]["score"] == "" and rows["broken"]["status"].startswith("failed")
    assert "not valid JSON" in rows["broken"]["reasons"]
    assert "5 submissions" in result.output and "4 graded" in result.output and "1 failed" in result.output
    # the broken submission did not stop the batch, and nothing was deleted
    assert (grading / "submitted" / "broken" / "toy" / "toy.ipynb").exists()
    assert (grading / "autograded" / "blank" / "toy" / "toy.ipynb").exists()


def test_no_submissions_is_a_clear_error(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["autograde", "toy"])
    assert result.exit_code == 1 and "no submissions" in result.output
    assert "fix: collect submissions into submitted/" in result.output and "Traceback" not in result.output
