"""What the gradebook knows about an assignment, loaded once per batch and shipped to workers.

nbgrader's sanitizing preprocessors (OverwriteCells, OverwriteKernelspec) query the
gradebook for every cell of every submission; workers here get the same facts as plain
data, so they never touch the database and can run on other machines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any


@dataclass(frozen=True)
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    checksum: str | None
    source: str
    max_score: float | None = None  # set for grade cells
    solution: bool = False
    task: bool = False


@dataclass
class NotebookTemplate:
    name: str
    kernelspec: dict[str, Any]
    cells: list[SourceCell] = field(default_factory=list)  # gradebook order

    def cell(self, name: str) -> SourceCell | None:
        return next((c for c in self.cells if c.name == name), None)


@dataclass
class AssignmentTemplate:
    assignment: str
    notebooks: dict[str, NotebookTemplate]


def load_template(db_url: str, assignment: str) -> AssignmentTemplate:
    from nbgrader.api import Gradebook

    out: dict[str, NotebookTemplate] = {}
    with Gradebook(db_url) as gb:
        for nb in gb.find_assignment(assignment).notebooks:
            grades = {g.name: float(g.max_score) for g in nb.grade_cells}
            solutions = {s.name for s in nb.solution_cells}
            tasks = {t.name for t in nb.task_cells}
            cells = [SourceCell(c.name, c.cell_type, bool(c.locked), c.checksum, c.source,
                                grades.get(c.name), c.name in solutions, c.name in tasks)
                     for c in nb.source_cells]
            out[nb.name] = NotebookTemplate(nb.name, json.loads(nb.kernelspec or "null") or {}, cells)
    return AssignmentTemplate(assignment, out)


class TemplateBook:
    """The few Gradebook lookups nbgrader's sanitizing preprocessors make, served from a template."""

    def __init__(self, nb: NotebookTemplate) -> None:
        self.nb = nb

    def __enter__(self) -> TemplateBook:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _find(self, grade_id: str) -> SourceCell:
        from nbgrader.api import MissingEntry

        cell = self.nb.cell(grade_id)
        if cell is None:
            raise MissingEntry()
        return cell

    def find_source_cell(self, grade_id: str, notebook: str, assignment: str) -> SimpleNamespace:
        c = self._find(grade_id)
        return SimpleNamespace(name=c.name, cell_type=c.cell_type, locked=c.locked,
                               checksum=c.checksum, source=c.source)

    def find_graded_cell(self, grade_id: str, notebook: str, assignment: str) -> SimpleNamespace:
        c = self._find(grade_id)
        if c.max_score is None:
            from nbgrader.api import MissingEntry

            raise MissingEntry()
        return SimpleNamespace(name=c.name, max_score=c.max_score)

    def find_notebook(self, notebook: str, assignment: str) -> SimpleNamespace:
        return SimpleNamespace(kernelspec=json.dumps(self.nb.kernelspec))
