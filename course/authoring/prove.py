"""Prove an exercise with real nbgrader on a throw-away course directory.

For each exercise: the instructor's solution must score full autograded marks, the student
release must score zero, and replacing one answer with the student stub must lose exactly the
points of that question's tests. Authors run this in CI (`make test`) and by hand (`rta prove`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.authoring.exercise import Kind
from course.authoring.release import Released, ensure_course_dir, nbgrader, release
from course.gradebook import CellScore, read_cell_scores
from course.paths import Layout


@dataclass
class Proof:
    released: Released
    scores: dict[str, dict[str, CellScore]] = field(default_factory=dict)  # student -> cells

    def auto_total(self, student: str) -> float:
        return sum(c.score for c in self.scores[student].values() if not c.needs_manual_grade)

    @property
    def auto_max(self) -> float:
        return sum(c.points or 0 for c in self.released.exercise.cells if c.kind is Kind.TESTS)

    def verdict(self) -> bool:
        """The proof holds: the solution earns every autograded point, the blank release none,
        and stubbing any one answer loses at least that question's points."""
        stubs = {s: self.auto_total(s) for s in self.scores if s.startswith("wrong_q")}
        return (self.auto_total("solution") == self.auto_max and self.auto_total("blank") == 0
                and all(v <= self.expected_without(int(s.removeprefix("wrong_q")))
                        for s, v in stubs.items()))

    def expected_without(self, question: int) -> float:
        ex = self.released.exercise
        lost = sum(c.points or 0 for c in ex.cells
                   if c.kind is Kind.TESTS and c.question == question)
        return self.auto_max - lost


def stub_question(source_nb: nbformat.NotebookNode, release_nb: nbformat.NotebookNode,
                  grade_id: str) -> nbformat.NotebookNode:
    """The solution notebook with one answer cell replaced by its student stub."""
    stub = next(c for c in release_nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    nb: nbformat.NotebookNode = nbformat.from_dict(source_nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = stub.source
    return nb


def prove(layout: Layout, exercise: str, workdir: Path, *, stock_stubs: int | None = None) -> Proof:
    """Grade the solution, the blank release and every one-answer stub with stock nbgrader.
    With `stock_stubs=N` only the last N stubs go to stock nbgrader; the others are handed in
    under `<workdir>/<exercise>-held/` for another grader (the test suite grades every variant
    with rta autograde, proven identical to stock on the ones both graded)."""
    course_dir = workdir / exercise
    if course_dir.exists():
        shutil.rmtree(course_dir)
    ensure_course_dir(course_dir)
    (rel,) = release(layout, [exercise], course_dir)
    ex = rel.exercise
    source_nb = nbformat.read(rel.source, as_version=4)
    release_nb = nbformat.read(rel.release, as_version=4)

    submissions: dict[str, nbformat.NotebookNode] = {"solution": source_nb, "blank": release_nb}
    for q, cells in ex.questions().items():
        if cells[0].kind is Kind.ANSWER:
            submissions[f"wrong_q{q}"] = stub_question(source_nb, release_nb, cells[0].grade_id)
    stubs = [s for s in submissions if s.startswith("wrong_q")]
    held = stubs[: max(0, len(stubs) - stock_stubs)] if stock_stubs is not None else []
    for student, nb in submissions.items():
        base = workdir / f"{exercise}-held" if student in held else course_dir / "submitted"
        target = base / student / ex.id
        shutil.copytree(rel.release.parent, target)
        nbformat.write(nb, target / f"{ex.id}.ipynb")
    nbgrader(["autograde", ex.id, "--create", "--force"], course_dir)
    return Proof(rel, read_cell_scores(f"sqlite:///{course_dir / 'gradebook.db'}", ex.id, ex.id))
