"""`rta feedback`: per-student HTML with each visible test's result, never a hidden test."""

from __future__ import annotations

import nbformat
from typer.testing import CliRunner

from course.cli import app

from .conftest import submit

runner = CliRunner()


def test_feedback_hides_hidden_tests(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    assert runner.invoke(app, ["release", "--no-solutions"]).exit_code == 0
    grading = mini_course.grading
    source = nbformat.read(grading / "source" / "toy" / "toy.ipynb", as_version=4)
    wrong = nbformat.read(grading / "release" / "toy" / "toy.ipynb", as_version=4)
    for cell in wrong.cells:  # passes the visible check, fails the hidden one
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1":
            cell.source = "mean = 3.0"
    for student, nb in (("correct", source), ("wrong", wrong), ("broken", "{ not json")):
        submit(grading, student, nb)

    assert runner.invoke(app, ["autograde", "toy"]).exit_code == 0
    result = runner.invoke(app, ["feedback", "toy"])
    assert result.exit_code == 0, result.output
    pages = {p.parent.parent.name: p.read_text() for p in (grading / "feedback").glob("*/toy/toy.html")}
    assert set(pages) == {"correct", "wrong", "broken"}
    for page in pages.values():
        assert "abs(mean - 2.5)" not in page and "HIDDEN TESTS" not in page and "double(21)" not in page
        assert '<html lang="en">' in page
    assert "assert isinstance(mean, float)" in pages["wrong"]  # the visible test is shown
    assert "A hidden test failed." in pages["wrong"]
    assert "Score: 2 / 5" in pages["wrong"] and "Score: 5 / 5" in pages["correct"]
    assert "not valid JSON" in pages["broken"]
