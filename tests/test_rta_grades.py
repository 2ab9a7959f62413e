"""`rta grades`: the gradebook in Canvas's and Moodle's CSV import formats; a missing
submission is blank, never zero; a wrong format or no gradebook is a message with a fix."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from course.cli import app

from .conftest import submit

runner = CliRunner()


def test_grades_in_lms_formats(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    assert runner.invoke(app, ["release", "--no-solutions"]).exit_code == 0
    grading = mini_course.grading
    for student, src in (("ada", grading / "source" / "toy" / "toy.ipynb"),
                         ("bo", grading / "release" / "toy" / "toy.ipynb")):
        submit(grading, student, src)
    assert runner.invoke(app, ["autograde", "toy"]).exit_code == 0
    assert runner.invoke(app, ["grades", "--format", "canvas"]).exit_code == 0
    assert runner.invoke(app, ["grades", "--format", "moodle"]).exit_code == 0
    with open(grading / "grades_canvas.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[0][5] == "toy" and rows[1][0] == "Points Possible" and rows[1][5] == "6"
    scores = {r[2]: r[5] for r in rows[2:]}
    assert scores == {"ada": "5", "bo": "0"}
    with open(grading / "grades_moodle.csv", newline="") as f:
        moodle = {r["ID number"]: r["toy"] for r in csv.DictReader(f)}
    assert moodle == {"ada": "5", "bo": "0"}

    # a student in the gradebook who handed nothing in: blank, never zero
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{grading / 'gradebook.db'}") as gb:
        gb.add_student("cy", first_name="Cy", last_name="Lee")
    out = grading / "c.csv"
    assert runner.invoke(app, ["grades", "--format", "canvas", "--out", str(out)]).exit_code == 0
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert {r[2]: (r[0], r[5]) for r in rows[2:]}["cy"] == ("Lee, Cy", "")

    result = runner.invoke(app, ["grades", "--format", "blackboard"])
    assert result.exit_code == 1 and "fix: use --format canvas or --format moodle" in result.output
    assert "Traceback" not in result.output


def test_no_gradebook_is_a_message_with_a_fix(mini_course, monkeypatch) -> None:
    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    result = runner.invoke(app, ["grades", "--format", "moodle"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "no gradebook" in result.output and "rta autograde" in result.output
    assert "Traceback" not in result.output
