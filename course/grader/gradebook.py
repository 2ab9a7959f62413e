"""The single writer: records results in nbgrader's gradebook exactly as stock autograde does.

Rows are written through nbgrader's Gradebook API (sqlite or PostgreSQL URLs alike):
student, submission with its timestamp, each grade's auto_score and needs_manual_grade
(SaveAutoGrades), each answer's auto_comment, late penalties (AssignLatePenalties), and
the autograded directory on disk. So formgrader, `nbgrader generate_feedback` and
`nbgrader export` keep working. What rta adds: a notebook that could not be graded or
that tried to cheat scores zero, needs manual grading and is flagged.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .jobs import JobResult
from .submission import Submission, submission_time


@dataclass
class Outcome:
    student: str
    score: float | None
    max_score: float
    manual_pending: float = 0.0  # points awaiting an instructor (written answers, reviews)
    reasons: list[str] = field(default_factory=list)  # nothing could be graded, because...
    problems: list[str] = field(default_factory=list)  # graded, but: timeouts, kills, limits
    flags: list[str] = field(default_factory=list)  # cheating patterns: no points, review
    notes: list[str] = field(default_factory=list)  # repairs made to the submission
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.score is None

    @property
    def status(self) -> str:
        if self.failed:
            return "failed: " + "; ".join(self.reasons)
        if self.flags:
            return "flagged for review (no points awarded): " + "; ".join(self.flags[:3])
        parts = ["graded"]
        if self.manual_pending:
            parts.append(f"{self.manual_pending:g} points to grade by hand")
        parts.extend(self.problems)
        return "; ".join(parts)


class GradebookWriter:
    def __init__(self, db_url: str, course_dir: Path, assignment: str, config: Any) -> None:
        from nbgrader.api import Gradebook
        from nbgrader.coursedir import CourseDirectory

        self.course_dir = course_dir
        self.assignment = assignment
        self.config = config
        self.coursedir = CourseDirectory(config=config)
        self.coursedir.root = str(course_dir)
        self.gb = Gradebook(db_url, self.coursedir.course_id)
        self.permissions = 0o664 if self.coursedir.groupshared else 0o444
        self._cell_names: dict[str, str] | None = None

    def cell_name(self, row: Any) -> str:
        """A grade's or comment's cell name (`row.name`, which costs a query per row through
        the ORM's expired cell): the assignment's cells are read once per batch."""
        if self._cell_names is None:
            from nbgrader.api import Assignment, BaseCell, Notebook

            q = (self.gb.db.query(BaseCell.id, BaseCell.name)
                 .join(Notebook, BaseCell.notebook_id == Notebook.id)
                 .join(Assignment, Notebook.assignment_id == Assignment.id)
                 .filter(Assignment.name == self.assignment))
            self._cell_names = {str(i): str(n) for i, n in q}
        name = self._cell_names.get(row.cell_id)
        return name if name is not None else str(row.name)

    def close(self) -> None:
        self.gb.close()

    def record(self, result: JobResult, submitted: Submission) -> Outcome:
        """Write one result; `submitted` is what was read of the submission folder (its extra
        files and timestamp.txt, never read again from the student's folder)."""
        gb = self.gb
        try:
            return self._record(result, submitted)
        except Exception:
            gb.db.rollback()
            raise

    def _record(self, result: JobResult, submitted: Submission) -> Outcome:
        """All or nothing: the autograded folder is staged in full first (a write that fails
        leaves the gradebook untouched), then the rows, then the folder is swapped in before
        the last commit."""
        gb, a, s = self.gb, self.assignment, result.student
        dest = self.course_dir / "autograded" / s / a
        staging = dest.parent / f".{a}.rta-staging"
        try:
            self._copy_files(submitted, staging)
            for nbr in result.notebooks:
                if nbr.notebook is not None:
                    (staging / f"{nbr.name}.ipynb").write_text(nbr.notebook, encoding="utf-8")
            self._set_permissions(staging)
        except Exception:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            outcome = self._rows(result, submitted)
            _swap(staging, dest)
            gb.db.commit()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return outcome

    def _rows(self, result: JobResult, submitted: Submission) -> Outcome:
        gb, a, s = self.gb, self.assignment, result.student
        gb.update_or_create_student(s)
        ts, ts_note = submission_time(submitted)
        sub = (gb.update_or_create_submission(a, s, timestamp=ts) if ts
               else gb.update_or_create_submission(a, s))
        outcome = Outcome(s, None, 0.0, seconds=result.seconds)
        if ts_note:
            outcome.notes.append(ts_note)
        if submitted.refused:
            outcome.reasons.append(submitted.refused)
        if result.error:
            outcome.reasons.append(result.error)
        graded_any = False
        for nbr in result.notebooks:
            snb = gb.find_submission_notebook(nbr.name, a, s)
            outcome.notes.extend(nbr.notes)
            outcome.flags.extend(str(f) for f in nbr.flags)
            outcome.problems.extend(nbr.problems + [f"sandbox: {x}" for x in nbr.sandbox])
            if nbr.notebook is None:
                outcome.reasons.append(nbr.reason or "not graded")
                not_submitted = (nbr.reason or "").endswith("was not submitted")
                for grade in snb.grades:  # stock gives a missing notebook zero; rta also a broken one
                    grade.auto_score = 0
                    grade.needs_manual_grade = not not_submitted
                snb.flagged = not not_submitted
                continue
            graded_any = True
            for grade in snb.grades:
                name = self.cell_name(grade)
                if name in nbr.grades:
                    grade.auto_score = nbr.grades[name]
                    grade.needs_manual_grade = bool(
                        grade.manual_score is not None or grade.auto_score is None or nbr.flags)
            for comment in snb.comments:
                name = self.cell_name(comment)
                if name in nbr.comments:
                    comment.auto_comment = nbr.comments[name]
            snb.flagged = bool(nbr.flags)
            gb.db.flush()
            self._late_penalty(sub, snb, s)
        gb.db.flush()
        if graded_any and not result.error:
            sub = gb.find_submission(a, s)
            outcome.score = float(sub.score)
            outcome.reasons = [r for r in outcome.reasons if r]
        outcome.max_score = float(sub.max_score)
        outcome.manual_pending = self._manual_pending(sub)
        return outcome

    def _manual_pending(self, sub: Any) -> float:
        """Points of the submission's grades that wait for a human, in one query (the ORM
        would load each grade's deferred max_score on its own)."""
        from nbgrader.api import Grade, SubmittedNotebook
        from sqlalchemy import func

        total = (self.gb.db.query(func.sum(Grade.max_score))
                 .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                 .filter(SubmittedNotebook.assignment_id == sub.id, Grade.needs_manual_grade.is_(True))
                 .scalar())
        return float(total or 0.0)

    def _late_penalty(self, sub: Any, snb: Any, student: str) -> None:
        """AssignLatePenalties.preprocess, on this writer's open gradebook."""
        snb.late_submission_penalty = None
        if sub.total_seconds_late > 0:
            from nbgrader.preprocessors import AssignLatePenalties  # slow import: only when late

            pp = AssignLatePenalties(config=self.config)
            pp.init_plugin()
            penalty = pp.plugin_inst.late_submission_penalty(student, snb.score, sub.total_seconds_late)
            if penalty is not None:
                snb.late_submission_penalty = pp._check_late_penalty(snb, penalty)
        self.gb.db.flush()

    def _copy_files(self, submitted: Submission, dest: Path) -> None:
        """Stock autograde's file handling: fresh directory, the student's extra files, then the
        source's files on top (data can not be tampered with). The student's files are the
        bytes read safely at intake: no link in the submission is ever followed here."""
        from nbgrader.utils import find_all_files

        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        root = self.course_dir / "source" / self.assignment
        ignore = [*self.coursedir.ignore, "*.ipynb"]
        own = set()
        if root.is_dir():
            own = {os.path.relpath(f, root) for f in find_all_files(str(root), ignore)}
        for rel, data in without_conflicts(dict(submitted.files), own).items():
            if rel in own:
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if root.is_dir():
            for f in find_all_files(str(root), ignore):
                target = dest / os.path.relpath(f, root)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    target.unlink()
                shutil.copy(f, target)

    def _set_permissions(self, dest: Path) -> None:
        for d, _, files in os.walk(dest):
            for f in files:
                os.chmod(os.path.join(d, f), self.permissions)


def _swap(staging: Path, dest: Path) -> None:
    """Put the staged folder in place of the old one (renames: never half of each)."""
    old = dest.parent / f".{dest.name}.rta-old"
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    try:
        staging.rename(dest)
    except OSError:
        if old.exists():
            old.rename(dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


def scratch_files(course_dir: Path, assignment: str, submitted: Submission,
                  ignore: list[str]) -> dict[str, bytes]:
    """The files a submission runs next to: its own extra files (as read at intake), then the
    source's on top."""
    from nbgrader.utils import find_all_files

    own: dict[str, bytes] = {}
    root = course_dir / "source" / assignment
    if root.is_dir():
        for f in find_all_files(str(root), [*ignore, "*.ipynb"]):
            with open(f, "rb") as fh:
                own[os.path.relpath(f, root)] = fh.read()
    # the assignment's first: they are written in this order, so a student's large files can
    # fill the scratch space only after the data is there
    files = {**own, **{k: v for k, v in submitted.files.items() if k not in own}}
    return without_conflicts(files, set(own))


def without_conflicts(files: dict[str, bytes], keep: set[str]) -> dict[str, bytes]:
    """Drop the student's files that cannot sit beside the assignment's (a file `data` where
    the assignment has a folder `data/`, or a folder where it has a file): the assignment's
    win, as its files win over the student's of the same name (they stay in submitted/)."""
    dirs = {str(Path(k).parent) for k in keep} | {str(p) for k in keep for p in Path(k).parents}
    return {rel: data for rel, data in files.items()
            if rel in keep or not (rel in dirs or any(str(p) in keep for p in Path(rel).parents))}
