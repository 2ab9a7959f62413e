"""Every `rta` command driven into its typical failure: a message that says what and where,
a fix, exit status 1, and never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from course.cli import app

runner = CliRunner()

FAILURES = [  # (arguments, text the message must hold)
    (["release", "no_such_exercise"], "unknown exercise(s): no_such_exercise"),
    (["prove", "no_such_exercise"], "unknown exercise(s): no_such_exercise"),
    (["preview", "m99_missing"], "unknown module(s): m99_missing"),
    (["autograde", "toy"], "no submissions"),
    (["autograde", "toy", "--memory", "lots"], "no submissions"),
    (["feedback", "toy"], "cannot write feedback for toy"),
    (["grades", "--format", "blackboard"], "unknown format 'blackboard'"),
    (["grades"], "no gradebook"),
    (["export", "--modules", "42", "--out", "OUT"], "unknown module '42'"),
    (["publish", "OUT"], "no built book"),
    (["data", "info", "no_such_table"], "no dataset named 'no_such_table'"),
]


@pytest.mark.parametrize(("args", "text"), FAILURES, ids=[" ".join(a[:2]) for a, _ in FAILURES])
def test_failure_is_a_message_not_a_traceback(mini_course, monkeypatch, tmp_path, args, text) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert text in result.output, result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)
    if args[0] != "data":
        assert "fix:" in result.output, result.output


def test_a_failing_tool_shows_its_log_tail_and_a_fix(mini_course, monkeypatch) -> None:
    """nbgrader itself fails (its gradebook is not a database): the user sees nbgrader's last
    lines and a fix, not a Python traceback from rta."""
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    (mini_course.grading).mkdir(parents=True, exist_ok=True)
    (mini_course.grading / "gradebook.db").write_text("this is not an SQLite database\n" * 100)
    result = runner.invoke(app, ["release", "toy"])
    assert result.exit_code == 1
    assert "`nbgrader generate_assignment toy --force --create` failed" in result.output
    assert "the tool printed" in result.output and "fix:" in result.output
    assert "Traceback (most recent call last):\n  File \"/work" not in result.output
