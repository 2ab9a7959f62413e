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


def submissions(course_dir: Path, assignment: str) -> list[str]:
    root = course_dir / "submitted"
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def scores(course_dir: Path, assignment: str) -> dict[str, tuple[float, float]]:
    """(score, max_score) per student from the gradebook."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{course_dir / 'gradebook.db'}"
    out: dict[str, tuple[float, float]] = {}
    with Gradebook(url) as gb:
        for sub in gb.assignment_submissions(assignment):
            out[sub.student_id] = (sub.score, sub.max_score)
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
            error = str(exc).splitlines()[0]
        outcomes.append(Outcome(student, None, 0.0, error))
    table = scores(course_dir, assignment)
    for o in outcomes:
        if o.student in table:
            o.score, o.max_score = table[o.student]
    return outcomes


def write_grades_csv(outcomes: list[Outcome], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "score", "max_score", "status"])
        for o in outcomes:
            w.writerow([o.student, "" if o.score is None else o.score, o.max_score,
                        o.error or "graded"])
