"""nbgrader's region markers, parsed here and nowhere else.

Two rules read a marker line, and each caller names the one it means (`exact`):

* exact (the authoring rule): the line, stripped, is the marker (``### BEGIN SOLUTION``).
  Exercise sources are checked and compiled with it, so a marker is never half-typed.
* substring (nbgrader's rule, ``ClearSolutions`` and ``ClearHiddenTests``): the line contains
  the marker's words (``BEGIN HIDDEN TESTS``). Whatever reads a notebook as nbgrader will
  (a student's submission, a page that must not hold graded work) uses it.

Kept free of imports from the rest of `course` so the grader can use it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A begin/end pair of marker lines, e.g. the solution or the hidden tests."""

    name: str
    words_begin: str  # what nbgrader looks for in a line
    words_end: str

    @property
    def begin(self) -> str:
        return f"### {self.words_begin}"

    @property
    def end(self) -> str:
        return f"### {self.words_end}"


SOLUTION = Region("solution", "BEGIN SOLUTION", "END SOLUTION")
HIDDEN_TESTS = Region("hidden tests", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _is(line: str, marker: str, words: str, exact: bool) -> bool:
    return line.strip() == marker if exact else words in line


def is_begin(line: str, region: Region, *, exact: bool) -> bool:
    return _is(line, region.begin, region.words_begin, exact)


def is_end(line: str, region: Region, *, exact: bool) -> bool:
    return _is(line, region.end, region.words_end, exact)


def has_marker(source: str, region: Region, *, exact: bool) -> bool:
    """Any begin or end line of `region` in `source`."""
    return any(is_begin(ln, region, exact=exact) or is_end(ln, region, exact=exact)
               for ln in source.splitlines())


def has_begin(source: str, region: Region, *, exact: bool) -> bool:
    return any(is_begin(ln, region, exact=exact) for ln in source.splitlines())


def balanced(source: str, region: Region, *, exact: bool) -> bool:
    """Every begin closed by an end, never nested."""
    depth = 0
    for ln in source.splitlines():
        if is_begin(ln, region, exact=exact):
            depth += 1
            if depth > 1:
                return False
        elif is_end(ln, region, exact=exact):
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _lines(source: str, region: Region, exact: bool) -> Iterator[tuple[str, bool]]:
    """(line, inside a region) for every line that is not a marker."""
    within = False
    for ln in source.splitlines():
        if is_begin(ln, region, exact=exact):
            within = True
        elif is_end(ln, region, exact=exact):
            within = False
        else:
            yield ln, within


def strip(source: str, region: Region, *, exact: bool) -> str:
    """`source` without its regions (markers included)."""
    return "\n".join(ln for ln, within in _lines(source, region, exact) if not within)


def inside(source: str, region: Region, *, exact: bool) -> list[str]:
    """The non-blank lines inside the regions, stripped."""
    return [ln.strip() for ln, within in _lines(source, region, exact) if within and ln.strip()]
