"""`rta feedback`: one page per student, as reviewed in tests/golden/toy_course/feedback/ (the
grader's hiding of hidden tests is tested in test_grader_feedback.py); without a gradebook, a
message with the fix."""

from __future__ import annotations

import nbformat
from typer.testing import CliRunner

from course.cli import app

from .conftest import submit
from .goldens import assert_golden, snapshot

runner = CliRunner()


def test_feedback_pages_match_the_golden_folder(mini_course, monkeypatch, request) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    assert runner.invoke(app, ["release", "--no-solutions"]).exit_code == 0
    grading = mini_course.grading
    partly = nbformat.read(grading / "release" / "toy" / "toy.ipynb", as_version=4)
    for cell in partly.cells:  # question 2 answered, question 1 left as released
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2":
            cell.source = "def double(v):\n    return v + v\n"
    submit(grading, "correct", grading / "source" / "toy" / "toy.ipynb")
    submit(grading, "partly", partly)
    submit(grading, "broken", "{ not json")
    assert runner.invoke(app, ["autograde", "toy"]).exit_code == 0
    result = runner.invoke(app, ["feedback", "toy"])
    assert result.exit_code == 0, result.output
    assert "3 page(s)" in result.output
    pages = snapshot(grading / "feedback")
    assert sorted(pages) == ["broken/toy/toy.html", "correct/toy/toy.html", "partly/toy/toy.html"]
    assert "Score: 2 / 5" in pages["partly/toy/toy.html"]
    assert_golden(request.config, "toy_course/feedback", pages)


def test_feedback_before_grading_says_run_autograde(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["feedback", "toy"])
    assert result.exit_code == 1
    assert "cannot write feedback for toy" in result.output
    assert "fix: run `rta autograde toy` first" in result.output
    assert "Traceback" not in result.output
