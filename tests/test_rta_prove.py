"""`rta prove` on a real nbgrader scratch course: the verdict holds for a sound exercise and
fails, with exit status 1, for one whose tests a stubbed answer still passes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from course.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_sound_exercise_is_proved(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["prove", "toy"])
    assert result.exit_code == 0, result.output
    row = next(ln for ln in result.output.splitlines() if "toy" in ln and "│" in ln)
    assert "5/5" in row and "ok" in row and "q1: 2" in row and "q2: 3" in row


def test_tests_that_a_stub_passes_fail_the_proof(mini_course, monkeypatch) -> None:
    """q2's tests made toothless (they pass on `raise NotImplementedError` only if nothing
    calls the function): stubbing q2 no longer loses its points, so the verdict is FAIL."""
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    path = mini_course.exercises / "toy.md"
    path.write_text(path.read_text().replace(
        "assert double(1) == 2\n### BEGIN HIDDEN TESTS\nassert double(21) == 42\n### END HIDDEN TESTS",
        "assert callable(double)"))
    result = runner.invoke(app, ["prove", "toy"])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "Traceback" not in result.output
