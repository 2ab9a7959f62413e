"""nbgrader's gradebook, read: the one reader (`rta grades`, `rta prove`).

The grader writes the gradebook (`course/grader/gradebook.py`), as stock nbgrader does; what
is read back goes through here as typed records, so every reader agrees on what a score is:
a missing submission is None (left blank in a grade file, never zero), a cell waiting for a
manual grade counts nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CellScore:
    grade_id: str
    score: float  # what nbgrader recorded (0 while a manual grade is pending)
    max_score: float
    needs_manual_grade: bool


@dataclass
class StudentScores:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""
    scores: dict[str, float | None] = field(default_factory=dict)  # assignment -> total or None


@dataclass
class Grades:
    assignments: list[str]
    max_scores: dict[str, float]
    students: list[StudentScores]


def read_grades(db_url: str) -> Grades:
    """Every assignment's total per student, with the students' names and LMS ids."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        assignments = [a.name for a in gb.assignments]
        max_scores = {a.name: float(a.max_score) for a in gb.assignments}
        students = []
        for s in gb.students:
            row = StudentScores(s.id, s.first_name or "", s.last_name or "", s.email or "",
                                s.lms_user_id or "")
            for a in assignments:
                try:
                    row.scores[a] = float(gb.find_submission(a, s.id).score)
                except MissingEntry:  # no submission: left blank, never zero
                    row.scores[a] = None
            students.append(row)
    return Grades(assignments, max_scores, students)


def read_cell_scores(db_url: str, assignment: str, notebook: str) -> dict[str, dict[str, CellScore]]:
    """student -> grade id -> the cell's score, for one notebook of one assignment."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, CellScore]] = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            nb = gb.find_submission_notebook(notebook, assignment, sub.student_id)
            out[sub.student_id] = {
                g.name: CellScore(g.name, float(g.score or 0), float(g.max_score),
                                  bool(g.needs_manual_grade))
                for g in nb.grades
            }
    return out
