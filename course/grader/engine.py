"""`rta autograde`: grade every submission of an assignment, in parallel, into the gradebook."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from course.errors import UserError

from .config import cell_timeout, db_url, load_nbgrader_config
from .gradebook import GradebookWriter, Outcome, scratch_files
from .jobs import Job, JobResult, Settings
from .sandbox import Limits
from .submission import Submission, read_submission_tree, submitted_students
from .template import load_template


class GradingError(UserError):
    """The batch cannot start (no assignment in the gradebook, no submissions)."""


def submissions(course_dir: Path, assignment: str) -> list[str]:
    return submitted_students(course_dir, assignment)


def autograde(course_dir: Path, assignment: str, *, workers: int = 2, scheduler: str | None = None,
              db: str | None = None, limits: Limits | None = None, timeout: float | None = None,
              students: list[str] | None = None,
              progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    from .imports import light_imports

    light_imports()
    course_dir = course_dir.resolve()
    preload = source_imports(course_dir, assignment)
    pool = None
    if not scheduler:
        from .local import LocalPool

        pool = LocalPool(workers, preload)  # warms up while the gradebook is read
    cfg = load_nbgrader_config(course_dir)
    url = db_url(course_dir, cfg, db)
    if db:
        cfg.CourseDirectory.db_url = db
    try:
        template = load_template(url, assignment)
    except Exception as exc:
        if pool:
            pool.close()
        raise GradingError(f"assignment '{assignment}' is not in the gradebook ({url}): run "
                           f"`rta release {assignment}` (or `nbgrader generate_assignment`) first") from exc
    limits = limits or Limits()
    # nbgrader's Execute.timeout applies per cell unless --timeout says otherwise
    limits = replace(limits, timeout=timeout or cell_timeout(cfg, limits.timeout))
    hide = [str(course_dir)]
    exercises = course_dir.parent / "exercises"
    if exercises.is_dir():
        hide.append(str(exercises))  # the MyST sources hold the solutions
    settings = Settings(limits, cfg, hide, preload)
    names = students if students is not None else submissions(course_dir, assignment)
    writer = GradebookWriter(url, course_dir, assignment, cfg)
    ignore = list(writer.coursedir.ignore)
    read: dict[str, Submission] = {}
    own = source_files(course_dir, assignment, ignore)

    def jobs() -> Iterator[Job]:
        for s in names:
            sub = read_submission_tree(course_dir, s, assignment, list(template.notebooks), ignore,
                                       limits.file_size)
            read[s] = sub
            files = scratch_files(course_dir, assignment, sub, ignore)
            yield Job(s, assignment, dict(sub.notebooks), files, template, settings, own)

    if pool is None:
        from .dask_backend import run_dask

        results = run_dask(jobs(), scheduler or "")
    else:
        results = pool.run(jobs())
    try:
        return _record_all(results, read, writer, progress)
    finally:
        writer.close()
        if pool:
            pool.close()


def _record_all(results: Iterable[JobResult], read: dict[str, Submission], writer: GradebookWriter,
                progress: Callable[[Outcome], None] | None) -> list[Outcome]:
    """Each result into the gradebook as one unit (rows, autograded folder), or a reason."""
    outcomes: list[Outcome] = []
    for result in results:
        submitted = read.pop(result.student)
        try:
            outcome = writer.record(result, submitted)
        except Exception as exc:  # a write that fails must not stop the batch or lose the student
            outcome = Outcome(result.student, None, 0.0, reasons=[
                f"could not record the result in the gradebook: {type(exc).__name__}: {exc}; no score "
                "and no autograded file of it was written"])
        outcome.notes = submitted.notes + outcome.notes
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return sorted(outcomes, key=lambda o: o.student)


def source_files(course_dir: Path, assignment: str, ignore: list[str]) -> tuple[str, ...]:
    """The assignment's own files (data): the judge's working directory holds only these."""
    import os

    from nbgrader.utils import find_all_files

    root = course_dir / "source" / assignment
    if not root.is_dir():
        return ()
    return tuple(os.path.relpath(f, root) for f in find_all_files(str(root), [*ignore, "*.ipynb"]))


def source_imports(course_dir: Path, assignment: str) -> tuple[str, ...]:
    """Modules the assignment's source notebooks import (read as JSON: no nbformat needed)."""
    import json

    from .zygote import imports_of

    sources = []
    for path in (course_dir / "source" / assignment).glob("*.ipynb"):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
            sources += ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                        for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return imports_of(sources)

