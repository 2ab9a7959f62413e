"""Set-up data is the course's (course/grader/given.py): a hidden test that computes what it
expects from the set-up data reads the student's copy only while it still holds what the
set-up made. Changing, rebinding or deleting that data earns nothing and is noted; adding a
column or sorting the rows, as answers do, changes nothing. Stock nbgrader's single kernel
would award the three attacks below full marks (their stubs match the data they changed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.authoring.release import release
from course.grader.engine import autograde
from course.grader.gradebook import Outcome

from .conftest import FIXTURES, course_repo, submit

pytestmark = pytest.mark.slow

HONEST_Q2 = "def shares(df):\n    return df['x'] / df['x'].sum()\n"
STUB_Q2 = "def shares(df):\n    return df['x'] * 0 + 1.0 / len(df)\n"  # right only for equal rows
STATEFUL_Q2 = ("_calls = []\ndef shares(df):\n    _calls.append(1)\n"
               "    return df['x'] / df['x'].sum() if len(_calls) <= 2 else df['x'] * 0\n")
# student -> (q1 answer, q2 answer, expected score, the set-up name noted as changed or None)
CASES = {
    "honest": ("top = float(table['x'].max())", HONEST_Q2, 4, None),
    "sorts_in_place": ("table.sort_values('x', ascending=False, inplace=True)\n"
                       "top = float(table['x'].iloc[0])", HONEST_Q2, 4, None),
    "adds_a_column": ("table['y'] = 2 * table['x']\ntop = float(table['x'].max())", HONEST_Q2, 4, None),
    "changes_in_place": ("table.loc[:, 'x'] = 1.0\ntop = 1.0", STUB_Q2, 0, "table"),
    "rebinds": ("table = table.iloc[:1]\ntop = float(table['x'].max())", STUB_Q2, 0, "table"),
    "rebinds_to_an_object": ("class T:\n    pass\ntable = T()\ntop = 1.0", STUB_Q2, 0, "table"),
    # a function with state, right for its first two calls (the read-only cell's, the test's):
    # one kernel calls it twice before the test reads it; a replay of that cell would call it again
    "function_with_state": ("top = float(table['x'].max())", STATEFUL_Q2, 4, None),
    # q1 is checked against the course's copy; q2 fails, as in one kernel: the read-only cell
    # after the answer cannot make `doubled` from the deleted table
    "deletes_but_answers": ("top = float(table['x'].max())\ndel table", HONEST_Q2, 2, "table"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Outcome]:
    layout = course_repo(tmp_path_factory.mktemp("given") / "course", "given")
    release(layout, ["given"])
    course = layout.grading
    rel = json.loads((course / "release" / "given" / "given.ipynb").read_text())
    for student, (q1, q2, _, _) in CASES.items():
        nb = json.loads(json.dumps(rel))
        answers = iter([q1, q2])
        for cell in nb["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                cell["source"] = next(answers)
        submit(course, student, json.dumps(nb), assignment="given")
    return {o.student: o for o in autograde(course, "given", workers=1)}


@pytest.mark.parametrize("student", CASES)
def test_set_up_data_is_the_courses(graded, student) -> None:
    o, (_, _, score, noted) = graded[student], CASES[student]
    assert not o.failed and not o.flags, o.status
    assert o.score == score, (o.status, o.notes, o.problems)
    told = [n for n in o.notes if "is not what the read-only cell" in n]
    if noted:
        assert told and f"`{noted}`" in told[0], o.notes
    else:
        assert not told, o.notes


def test_fixture_is_an_exercise(tmp_path: Path) -> None:
    from course.authoring.exercise import read_exercise
    from course.authoring.lint import check_exercise

    assert check_exercise(read_exercise(FIXTURES / "given.md")) == []
