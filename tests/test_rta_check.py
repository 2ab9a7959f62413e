"""`rta check` on the real course and on a broken copy."""

from __future__ import annotations

from typer.testing import CliRunner

from course.cli import app

runner = CliRunner()


def test_course_passes_check(layout, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(layout.root))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "pass every check" in result.output


def test_broken_course_fails_with_location(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    assert runner.invoke(app, ["check"]).exit_code == 0
    path = mini_course.exercises / "toy.md"
    path.write_text(path.read_text().replace(":tags: [tests]\n:points: 2\n\nassert double",
                                             ":tags: [setup]\n\nassert double"))
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "toy.md:" in result.output and "(cell" in result.output
    assert "is not followed by a tests cell" in result.output and "fix:" in result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)


def test_prompt_swallowed_by_a_model_answer_is_reported(mini_course, monkeypatch) -> None:
    """A written answer with no `+++` after it takes the next prompt into the model answer,
    which students never see; the question after it then has no prompt."""
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    path = mini_course.exercises / "toy.md"
    path.write_text(path.read_text() + "\nNow write `triple(v)`.\n\n```{code-cell} python\n"
                    ":tags: [answer]\n\ndef triple(v):\n    ### BEGIN SOLUTION\n    return 3 * v\n"
                    "    ### END SOLUTION\n```\n\n```{code-cell} python\n:tags: [tests]\n:points: 1\n\n"
                    "assert triple(1) == 3\n```\n")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "directly follows the written answer 'q3'" in result.output and "`+++`" in result.output
    text = path.read_text().replace("\nNow write `triple(v)`.", "\n+++\n\nNow write `triple(v)`.")
    path.write_text(text)
    assert runner.invoke(app, ["check"]).exit_code == 0


def test_toc_entry_without_page_is_reported(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    toc = mini_course.root / "_toc.yml"
    toc.write_text(toc.read_text() + "chapters:\n  - file: modules/missing\n")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1 and "modules/missing" in result.output


def test_help_documents_every_subcommand() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for cmd in ("build", "release", "autograde", "check", "data"):
        assert cmd in result.output
