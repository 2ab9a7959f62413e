"""The authoring syntax: parsing, derived grade ids, and every `rta check` rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.authoring.exercise import ExerciseError, Kind, read_exercise
from course.authoring.lint import check_exercise

TOY = Path(__file__).parent / "fixtures" / "toy.md"


def test_toy_cells_and_derived_ids() -> None:
    ex = read_exercise(TOY)
    graded = [(c.kind, c.grade_id, c.points) for c in ex.cells if c.kind is not Kind.PROSE
              and c.kind is not Kind.SETUP]
    assert graded == [
        (Kind.ANSWER, "q1", None),
        (Kind.TESTS, "q1_tests", 1.0),
        (Kind.TESTS, "q1_tests_2", 2.0),
        (Kind.ANSWER, "q2", None),
        (Kind.TESTS, "q2_tests", 2.0),
        (Kind.WRITTEN, "q3", 1.0),
    ]
    assert ex.total_points == 6
    assert ex.datasets == ["toy_numbers"]
    assert check_exercise(ex) == []


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = TOY.read_text()
    assert old in text, f"fixture does not contain {old!r}"
    path = tmp_path / "toy.md"
    path.write_text(text.replace(old, new, 1))
    return path


def _messages(path: Path) -> list[str]:
    return [e.message for e in check_exercise(read_exercise(path))]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (":points: 1\n", "", "has no positive points"),
        (":points: 2\n\nassert mean", ":points: 0\n\nassert mean", "has no positive points"),
        ('"points": 1}', '"points": 0}', "has no positive points"),
        ("### END SOLUTION\n```\n\n```{code-cell} python\n:tags: [tests]\n:points: 1",
         "```\n\n```{code-cell} python\n:tags: [tests]\n:points: 1",
         "balanced ### BEGIN SOLUTION"),
        (":tags: [tests]\n:points: 2\n\nassert double", ":tags: [setup]\n\nassert double",
         "is not followed by a tests cell"),
        ("Compute the mean", "Compute the mean (hint: mean = float(numbers.mean()))\n\nCompute",
         None),  # inline hint is not a whole leaked line: allowed
        ("Compute the mean", "mean = float(numbers.mean())\n\nCompute",
         "solution text is visible to students"),
        ("assert mean > 0", "assert mean > 0\nassert abs(mean - 2.5) < 1e-9",
         "hidden test text is visible to students"),
        (":tags: [answer]\n\ndef double", ":tags: [answer]\n:grade_id: q1\n\ndef double",
         "is used by 2 cells"),
        (":tags: [answer]\n\ndef double", ":tags: [answer]\n:grade_id: 2bad\n\ndef double",
         "is not a valid id"),
        ("import pandas as pd\n", "import pandas as pd\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n",
         "hidden-test markers outside a `tests` cell"),
        ('  title: "Toy exercise"\n', "", "no rta.title"),
    ],
)
def test_each_rule_fires(tmp_path: Path, old: str, new: str, expected: str | None) -> None:
    messages = _messages(_mutated(tmp_path, old, new))
    if expected is None:
        assert messages == []
    else:
        assert any(expected in m for m in messages), messages


def test_error_names_file_line_cell_and_fix(tmp_path: Path) -> None:
    path = _mutated(tmp_path, ":points: 1\n", "")
    (err,) = check_exercise(read_exercise(path))
    assert err.path == path
    assert err.cell is not None and err.line is not None
    assert path.read_text().splitlines()[err.line - 1].startswith("```{code-cell}") or \
        "assert isinstance(mean, float)" in path.read_text().splitlines()[err.line - 1]
    assert "points" in err.fix
    assert str(path) in str(err)


def test_unknown_dataset_is_reported(mini_course) -> None:
    path = mini_course.exercises / "toy.md"
    path.write_text(path.read_text().replace("[toy_numbers]", "[toy_numberz]"))
    messages = [e.message for e in check_exercise(read_exercise(path), mini_course)]
    assert any("toy_numberz" in m for m in messages)


@pytest.mark.parametrize("text", ["", "# no header\n", "---\nrta: [unclosed\n"])
def test_malformed_source_gets_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(text)
    with pytest.raises(ExerciseError) as info:
        read_exercise(path)
    assert str(path) in str(info.value) and info.value.fix
