"""`rta release` on a real temporary course directory, with stock nbgrader."""

from __future__ import annotations

import json

import nbformat
from typer.testing import CliRunner

from course.cli import app
from course.markers import HIDDEN_TESTS, SOLUTION

from .goldens import assert_golden, snapshot

runner = CliRunner()


def test_release_writes_source_release_and_solution(mini_course, monkeypatch, request) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["release"])
    assert result.exit_code == 0, result.output
    grading = mini_course.grading
    source = grading / "source" / "toy" / "toy.ipynb"
    release = grading / "release" / "toy" / "toy.ipynb"
    solution = grading / "solution" / "toy" / "toy.ipynb"
    assert source.exists() and release.exists() and solution.exists()
    assert (grading / "release" / "toy" / "data" / "toy_numbers.csv").exists()

    student = release.read_text()
    assert "2 * v" not in student and "float(numbers.mean())" not in student
    assert "2.5" not in student and "double(21)" not in student  # hidden tests removed
    assert SOLUTION.words_begin not in student and HIDDEN_TESTS.words_begin not in student
    assert "pull the mean away" not in student  # model written answer removed
    assert "raise NotImplementedError()" in student and "YOUR ANSWER HERE" in student
    # stock nbgrader locked the read-only cells
    nb = nbformat.read(release, as_version=4)
    tests = [c for c in nb.cells if c.metadata["nbgrader"].get("grade") and c.cell_type == "code"]
    assert tests and all(c.metadata.get("deletable") is False for c in tests)
    # the instructor solution keeps everything
    assert "2 * v" in solution.read_text()
    # and every file of the source and the release is as reviewed (tests/golden/toy_course/)
    assert_golden(request.config, "toy_course/source", snapshot(grading / "source" / "toy"))
    assert_golden(request.config, "toy_course/release", snapshot(grading / "release" / "toy"))


def test_release_unknown_exercise_lists_known(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["release", "nope"])
    assert result.exit_code == 1
    assert "unknown exercise(s): nope" in result.output and "toy" in result.output
    assert "fix:" in result.output and "Traceback" not in result.output


def test_release_refuses_an_exercise_with_authoring_errors(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    path = mini_course.exercises / "toy.md"
    path.write_text(path.read_text().replace(":points: 1\n", "", 1))
    result = runner.invoke(app, ["release"])
    assert result.exit_code == 1
    assert "toy.md" in result.output and "points" in result.output
    assert not (mini_course.grading / "release" / "toy").exists()


def test_missing_dataset_names_the_exercise(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    (mini_course.datasets / "toy_numbers.csv").unlink()
    result = runner.invoke(app, ["release"])
    assert result.exit_code == 1
    assert "toy.md" in result.output and "toy_numbers" in result.output
    json.dumps(result.output)


def test_nbgrader_validate_is_the_hub_self_check(mini_course, monkeypatch) -> None:
    """On a JupyterHub the student's Validate button runs `nbgrader validate`: the released
    notebook reports failures, the completed one passes."""
    import subprocess
    import sys

    from course.authoring.release import tool_env

    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    assert runner.invoke(app, ["release", "--no-solutions"]).exit_code == 0
    grading = mini_course.grading

    def validate(nb_path) -> str:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", "validate", str(nb_path)],
                              cwd=nb_path.parent, capture_output=True, text=True, env=tool_env())
        return proc.stdout + proc.stderr

    blank = validate(grading / "release" / "toy" / "toy.ipynb")
    assert "NotImplementedError" in blank and "Success" not in blank
    done = grading / "release" / "toy" / "done.ipynb"
    nbformat.write(nbformat.read(grading / "source" / "toy" / "toy.ipynb", as_version=4), done)
    assert "Success! Your notebook passes all the tests." in validate(done)
