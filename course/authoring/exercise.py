"""Read an exercise source (MyST Markdown notebook) into a model: the one truth per exercise.

Authoring syntax (see AUTHORING.md):

* ``{code-cell}`` tagged ``answer``   -> autograded answer; holds ``### BEGIN/END SOLUTION``.
* ``{code-cell}`` tagged ``tests``    -> autograder tests with ``:points:``; may hold
  ``### BEGIN/END HIDDEN TESTS``.
* markdown cell tagged ``written``    -> manually graded written answer with ``points``;
  its text is the model answer, replaced by a stub for students.
* every other cell                     -> read-only prompt or setup.

Grade ids are derived (``q1``, ``q1_tests``, ``q1_tests_2``, ``q2`` ...) unless a cell sets
``grade_id`` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import jupytext
import nbformat

from course import markers
from course.errors import ExerciseError as ExerciseError  # raised here, caught by importers

# The marker lines as authors type them (course.markers parses them).
SOLUTION_BEGIN, SOLUTION_END = markers.SOLUTION.begin, markers.SOLUTION.end
HIDDEN_BEGIN, HIDDEN_END = markers.HIDDEN_TESTS.begin, markers.HIDDEN_TESTS.end
GRADE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class Kind(StrEnum):
    PROSE = "prose"  # read-only markdown
    SETUP = "setup"  # read-only code
    ANSWER = "answer"  # autograded answer (solution region)
    TESTS = "tests"  # autograder tests
    WRITTEN = "written"  # manually graded markdown answer


@dataclass
class Cell:
    index: int  # position in the notebook, 1-based as authors count
    line: int  # first line of the cell in the source file
    cell_type: str  # "code" | "markdown"
    kind: Kind
    source: str
    metadata: dict[str, Any]
    grade_id: str = ""
    points: float | None = None
    question: int | None = None

    @property
    def graded(self) -> bool:
        return self.kind in (Kind.TESTS, Kind.WRITTEN)


@dataclass
class Exercise:
    path: Path
    notebook: nbformat.NotebookNode
    cells: list[Cell]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Assignment id and notebook stem: the file name (e.g. ``m06_mse``)."""
        return self.path.stem

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.id)

    @property
    def module(self) -> str:
        return str(self.meta.get("module", ""))

    @property
    def datasets(self) -> list[str]:
        return list(self.meta.get("datasets", []))

    @property
    def total_points(self) -> float:
        return sum(c.points or 0 for c in self.cells if c.graded)

    def questions(self) -> dict[int, list[Cell]]:
        out: dict[int, list[Cell]] = {}
        for c in self.cells:
            if c.question is not None:
                out.setdefault(c.question, []).append(c)
        return out


def _kind(cell: nbformat.NotebookNode) -> Kind:
    tags = set(cell.metadata.get("tags", []))
    if cell.cell_type == "markdown":
        return Kind.WRITTEN if "written" in tags else Kind.PROSE
    if "answer" in tags:
        return Kind.ANSWER
    if "tests" in tags:
        return Kind.TESTS
    return Kind.SETUP


def _line_numbers(text: str, cells: list[nbformat.NotebookNode]) -> list[int]:
    """First line of each cell in the source file (jupytext keeps no positions)."""
    lines = text.splitlines()
    pos, out = 0, []
    for cell in cells:
        first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
        found = pos
        for i in range(pos, len(lines)):
            if first and lines[i].strip() == first:
                found = i
                break
        out.append(found + 1)
        pos = found + 1
    return out


def read_exercise(path: Path | str) -> Exercise:
    """Parse an exercise source. Raises ExerciseError for unreadable files."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExerciseError(path, f"cannot read the file ({exc})",
                            fix="check that the file exists and is UTF-8 text") from exc
    if not text.lstrip().startswith("---"):
        raise ExerciseError(path, "missing jupytext header", line=1,
                            fix="start the file with the YAML header shown in AUTHORING.md")
    try:
        nb = jupytext.reads(text, fmt="md:myst")
    except Exception as exc:  # jupytext raises many types for malformed input
        raise ExerciseError(path, f"not a valid MyST notebook ({exc})",
                            fix="compare with the worked example in AUTHORING.md") from exc

    meta = dict(nb.metadata.get("rta", {}))
    lines = _line_numbers(text, nb.cells)
    cells: list[Cell] = []
    question = 0
    tests_in_question = 0
    for i, (nbcell, line) in enumerate(zip(nb.cells, lines, strict=True), start=1):
        kind = _kind(nbcell)
        cell = Cell(index=i, line=line, cell_type=nbcell.cell_type, kind=kind,
                    source=nbcell.source, metadata=dict(nbcell.metadata))
        explicit = nbcell.metadata.get("grade_id")
        if kind in (Kind.ANSWER, Kind.WRITTEN):
            question += 1
            tests_in_question = 0
            cell.question = question
            cell.grade_id = explicit or f"q{question}"
        elif kind is Kind.TESTS:
            tests_in_question += 1
            cell.question = question or None
            suffix = "" if tests_in_question == 1 else f"_{tests_in_question}"
            cell.grade_id = explicit or f"q{question}_tests{suffix}"
        else:
            cell.grade_id = explicit or f"{kind.value}_{i:02d}"
        if kind in (Kind.TESTS, Kind.WRITTEN) and "points" in nbcell.metadata:
            try:
                cell.points = float(nbcell.metadata["points"])
            except (TypeError, ValueError):
                cell.points = None
        cells.append(cell)
    return Exercise(path=path, notebook=nb, cells=cells, meta=meta)


def region_text(source: str, begin: str, end: str) -> list[str]:
    """The non-blank lines inside begin/end regions (exact marker lines)."""
    region = next(r for r in (markers.SOLUTION, markers.HIDDEN_TESTS) if (r.begin, r.end) == (begin, end))
    return markers.inside(source, region, exact=True)
