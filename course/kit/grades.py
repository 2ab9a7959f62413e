"""The gradebook in Canvas's and Moodle's CSV import formats (`rta grades`)."""

from __future__ import annotations

import csv
from pathlib import Path

from course.gradebook import read_grades


def _cell(score: float | None) -> str:
    return "" if score is None else f"{score:g}"  # no submission: blank, never zero


def write_canvas_csv(db_url: str, out: Path) -> Path:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column per assignment; the second row holds Points Possible."""
    grades = read_grades(db_url)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *grades.assignments])
        w.writerow(["Points Possible", "", "", "", "",
                    *[f"{grades.max_scores.get(a, 0):g}" for a in grades.assignments]])
        for s in grades.students:
            name = f"{s.last_name}, {s.first_name}".strip(", ") or s.id
            w.writerow([name, s.lms_user_id, s.id, s.email or s.id, "",
                        *[_cell(s.scores[a]) for a in grades.assignments]])
    return out


def write_moodle_csv(db_url: str, out: Path) -> Path:
    """Moodle grade import (CSV): an identifier column to map users on (ID number = the
    nbgrader student id; email when known), then one column per grade item."""
    grades = read_grades(db_url)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ID number", "Email address", "First name", "Last name", *grades.assignments])
        for s in grades.students:
            w.writerow([s.id, s.email, s.first_name, s.last_name,
                        *[_cell(s.scores[a]) for a in grades.assignments]])
    return out
