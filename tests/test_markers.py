"""course.markers: the two rules for a marker line (exact, as authors write them; substring, as
nbgrader reads a notebook) and what each helper keeps."""

from __future__ import annotations

from course import markers
from course.markers import HIDDEN_TESTS, SOLUTION

CELL = "x = 1\n### BEGIN HIDDEN TESTS\nassert x == 1\n\n### END HIDDEN TESTS\nprint(x)"
LOOSE = "x = 1\n# BEGIN HIDDEN TESTS (typed loosely)\nassert x == 1\n# END HIDDEN TESTS\nprint(x)"


def test_exact_rule_reads_only_whole_marker_lines() -> None:
    assert markers.strip(CELL, HIDDEN_TESTS, exact=True) == "x = 1\nprint(x)"
    assert markers.inside(CELL, HIDDEN_TESTS, exact=True) == ["assert x == 1"]
    assert markers.strip(LOOSE, HIDDEN_TESTS, exact=True) == LOOSE  # not markers to an author
    assert not markers.has_marker(LOOSE, HIDDEN_TESTS, exact=True)


def test_substring_rule_is_nbgraders() -> None:
    assert markers.strip(LOOSE, HIDDEN_TESTS, exact=False) == "x = 1\nprint(x)"
    assert markers.has_marker(LOOSE, HIDDEN_TESTS, exact=False)
    assert not markers.has_marker(LOOSE, SOLUTION, exact=False)


def test_balance() -> None:
    ok = "a\n### BEGIN SOLUTION\nb\n### END SOLUTION\n"
    assert markers.balanced(ok, SOLUTION, exact=True) and markers.has_begin(ok, SOLUTION, exact=True)
    assert not markers.balanced(ok + "### END SOLUTION", SOLUTION, exact=True)  # closed twice
    nested = "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION"
    assert not markers.balanced(nested, SOLUTION, exact=True)
    assert not markers.balanced("### BEGIN SOLUTION\nb", SOLUTION, exact=True)  # never closed
