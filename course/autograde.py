"""`rta autograde`: grade what is in grading/submitted/<student>/<assignment>/ with stock nbgrader.

Each submission is graded by its own `nbgrader autograde --student` call, so one broken
submission is recorded as failed with nbgrader's reason and the batch goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .release import nbgrader


@dataclass
class Outcome:
    student: str
    score: float | None
    max_score: float
    error: str = ""
    manual_pending: float = 0.0  # points awaiting an instructor (written answers)

    @property
    def status(self) -> str:
        if self.error:
            return self.error
        return f"graded; {self.manual_pending:g} points to grade by hand" if self.manual_pending \
            else "graded"


def submissions(course_dir: Path, assignment: str) -> list[str]:
    root = course_dir / "submitted"
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def scores(course_dir: Path, assignment: str) -> dict[str, tuple[float, float, float]]:
    """(score, max_score, points pending manual grading) per student from the gradebook."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{course_dir / 'gradebook.db'}"
    out: dict[str, tuple[float, float, float]] = {}
    with Gradebook(url) as gb:
        for sub in gb.assignment_submissions(assignment):
            pending = sum(g.max_score for nb in sub.notebooks for g in nb.grades
                          if g.needs_manual_grade)
            out[sub.student_id] = (sub.score, sub.max_score, pending)
    return out


def autograde_stock(course_dir: Path, assignment: str,
                    progress: Callable[[str], None] | None = None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for student in submissions(course_dir, assignment):
        if progress:
            progress(student)
        try:
            nbgrader(["autograde", assignment, "--student", student, "--force", "--create"],
                     course_dir)
            error = ""
        except RuntimeError as exc:
            error = _reason(str(exc))
        outcomes.append(Outcome(student, None, 0.0, error))
    table = scores(course_dir, assignment)
    for o in outcomes:
        if o.student in table and not o.error:
            o.score, o.max_score, o.manual_pending = table[o.student]
    return outcomes


def _reason(log: str) -> str:
    """nbgrader's own first error line, shortened for a grades table."""
    for line in log.splitlines():
        if "| ERROR]" in line and "Please see" not in line:
            return "failed: " + line.split("]", 1)[1].strip()[:200]
    return "failed: nbgrader could not grade this submission (see the nbgrader log)"


def write_grades_csv(outcomes: list[Outcome], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "score", "max_score", "status"])
        for o in outcomes:
            w.writerow([o.student, "" if o.score is None else o.score, o.max_score,
                        o.status])
