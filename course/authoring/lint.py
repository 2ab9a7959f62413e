"""`rta check`: authoring rules for exercises and module pages, each error with its location and fix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import jupytext
import yaml

from course.authoring.exercise import GRADE_ID, Cell, Exercise, Kind, read_exercise
from course.errors import ExerciseError
from course.markers import (
    HIDDEN_TESTS,
    SOLUTION,
    balanced,
    has_begin,
    has_marker,
    inside,
    is_begin,
    strip,
)
from course.paths import Layout

# Lines shorter than this (e.g. "return n") are too generic to count as leaked solution text.
MIN_LEAK_CHARS = 16

Report = Callable[[Cell | None, str, str], None]


def check_exercise(ex: Exercise, layout: Layout | None = None) -> list[ExerciseError]:
    errors: list[ExerciseError] = []

    def err(cell: Cell | None, message: str, fix: str) -> None:
        errors.append(ExerciseError(ex.path, message, cell=cell.index if cell else None,
                                    line=cell.line if cell else None, fix=fix))

    _check_header(ex, layout, err)
    _check_cells(ex, err)
    _check_order(ex, err)
    _check_leaks(ex, err)
    _check_test_bindings(ex, err)
    return errors


def _check_test_bindings(ex: Exercise, err: Report) -> None:
    """Tests run in the grader's judge process (grading/SANDBOX.md): a name a test cell binds
    never reaches the student's kernel, so no later answer or set-up cell may read it."""
    from course.grader.names import free_names, top_level_bindings

    for k, c in enumerate(ex.cells):
        if c.kind is not Kind.TESTS:
            continue
        bound = top_level_bindings(c.source)
        for later in ex.cells[k + 1:]:
            if later.cell_type == "code" and later.kind in (Kind.ANSWER, Kind.SETUP):
                for name in sorted(bound & set(free_names(later.source))):
                    err(later, f"reads `{name}`, which the tests cell {c.grade_id or c.index} defines: "
                               "tests run apart from the student's kernel, which never sees it",
                        f"define `{name}` in a read-only set-up cell instead, or rename the test's copy")


def _check_header(ex: Exercise, layout: Layout | None, err: Report) -> None:
    if not ex.meta.get("title"):
        err(None, "the header has no rta.title",
            "add `rta: {title: ..., module: ..., datasets: [...]}` to the YAML header")
    if layout is not None:
        for name in ex.datasets:
            if not (layout.datasets / f"{name}.csv").exists():
                err(None, f"dataset '{name}' listed in rta.datasets does not exist in datasets/",
                    "use a name from `rta data list`")
    ids = Counter(c.grade_id for c in ex.cells)
    for c in ex.cells:
        if not GRADE_ID.match(c.grade_id):
            err(c, f"grade_id '{c.grade_id}' is not a valid id",
                "use letters, digits, '_' or '-', starting with a letter")
        if ids[c.grade_id] > 1:
            err(c, f"grade_id '{c.grade_id}' is used by {ids[c.grade_id]} cells",
                "give each cell a unique grade_id (or drop grade_id to derive one)")
    if not any(c.graded for c in ex.cells):
        err(None, "no graded cell", "add a `tests` code cell with :points: after each answer")


def _check_cells(ex: Exercise, err: Report) -> None:
    """Points on graded cells; markers balanced, and only in the cells they belong to."""
    for c in ex.cells:
        if c.graded and (c.points is None or c.points <= 0):
            err(c, f"graded cell '{c.grade_id}' has no positive points",
                "add `:points: N` (code cell) or `\"points\": N` (markdown cell metadata)")
        if c.kind is Kind.ANSWER:
            if not has_begin(c.source, SOLUTION, exact=True) or not balanced(c.source, SOLUTION,
                                                                              exact=True):
                err(c, "answer cell needs one balanced ### BEGIN SOLUTION / ### END SOLUTION region",
                    "wrap the model answer in the two marker lines")
        elif has_marker(c.source, SOLUTION, exact=True):
            err(c, "solution markers outside an `answer` cell",
                "tag the cell `answer`, or remove the markers")
        if c.kind is Kind.TESTS:
            if not balanced(c.source, HIDDEN_TESTS, exact=True):
                err(c, "unbalanced ### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS",
                    "close every hidden-test region")
            if c.question is None:
                err(c, "tests cell comes before any answer cell", "move it after the answer it tests")
        elif has_marker(c.source, HIDDEN_TESTS, exact=True):
            err(c, "hidden-test markers outside a `tests` cell",
                "tag the cell `tests`, or remove the markers")


def _check_order(ex: Exercise, err: Report) -> None:
    # Every answer (solution region) is followed by a test before the next question starts.
    for q, cells in ex.questions().items():
        first = cells[0]
        if first.kind is Kind.ANSWER and not any(c.kind is Kind.TESTS for c in cells):
            err(first, f"answer '{first.grade_id}' (question {q}) is not followed by a tests cell",
                "add a `tests` code cell with :points: right after the answer")
    # A question's prompt is its own cell. Right after a written answer, an answer or a
    # written cell means the prompt was typed into the model answer: hidden from students.
    for before, c in zip(ex.cells, ex.cells[1:], strict=False):
        if before.kind is Kind.WRITTEN and c.kind in (Kind.ANSWER, Kind.WRITTEN):
            err(c, f"'{c.grade_id}' directly follows the written answer '{before.grade_id}' "
                   "with no prompt between them: the prompt is probably inside that model answer, "
                   "which students never see",
                f"end the written cell '{before.grade_id}' with a `+++` line, then write the "
                "next prompt in its own markdown cell")


def secret_lines(ex: Exercise) -> list[tuple[str, str]]:
    """(what, line) for every line students must never see: solutions, hidden tests, model
    answers (lines too short or generic to be telling left out)."""
    secrets: list[tuple[str, str]] = []
    for c in ex.cells:
        if c.kind is Kind.ANSWER:
            secrets += [("solution", s) for s in inside(c.source, SOLUTION, exact=True)]
        if c.kind is Kind.TESTS:
            secrets += [("hidden test", s) for s in inside(c.source, HIDDEN_TESTS, exact=True)]
        if c.kind is Kind.WRITTEN:
            secrets += [("model answer", s.strip()) for s in c.source.splitlines()]
    return [(k, s) for k, s in secrets if len(s) >= MIN_LEAK_CHARS and not s.startswith("#")]


def _check_leaks(ex: Exercise, err: Report) -> None:
    """Nothing a student sees may contain solution text or hidden-test text."""
    secrets = secret_lines(ex)
    for c in ex.cells:
        visible = c.source
        if c.kind is Kind.ANSWER:
            visible = strip(c.source, SOLUTION, exact=True)
        elif c.kind is Kind.TESTS:
            visible = strip(c.source, HIDDEN_TESTS, exact=True)
        elif c.kind is Kind.WRITTEN:
            continue
        lines = {ln.strip() for ln in visible.splitlines()}
        for what, secret in secrets:
            if secret in lines:
                err(c, f"{what} text is visible to students: {secret!r}",
                    f"remove it from this cell or keep it only inside the {what} region")


def check_page(path: Path) -> list[ExerciseError]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md" and not text.lstrip().startswith("---"):
        return [ExerciseError(path, "missing jupytext header", line=1,
                              fix="start the page with the jupytext/kernelspec YAML header")]
    try:
        jupytext.reads(text, fmt="md:myst")
    except Exception as exc:
        return [ExerciseError(path, f"not a valid MyST notebook ({exc})",
                              fix="fix the MyST syntax")]
    for i, line in enumerate(text.splitlines(), start=1):
        if is_begin(line, SOLUTION, exact=False) or is_begin(line, HIDDEN_TESTS, exact=False):
            return [ExerciseError(path, "nbgrader markers in a book page", line=i,
                                  fix="graded work belongs in exercises/, not modules/")]
    return []


def toc_files(layout: Layout) -> list[str]:
    toc = yaml.safe_load((layout.root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            if "glob" in node:
                found.append("glob:" + node["glob"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(toc.get("parts", toc.get("chapters", [])))
    return found


def check_course(layout: Layout) -> list[ExerciseError]:
    errors: list[ExerciseError] = []
    for path in layout.exercise_sources():
        try:
            errors += check_exercise(read_exercise(path), layout)
        except ExerciseError as exc:
            errors.append(exc)
    for path in sorted(layout.modules.rglob("*.md")):
        errors += check_page(path)
    exercise_ids = {p.stem for p in layout.exercise_sources()}
    for entry in toc_files(layout):
        if entry.startswith("glob:"):
            continue  # a module may not have chapters yet; jupyter-book reports empty globs
        if entry.startswith("_generated/"):
            if Path(entry).stem not in exercise_ids:
                errors.append(ExerciseError(layout.root / "_toc.yml",
                                            f"toc entry '{entry}' has no exercise source",
                                            fix=f"add exercises/{Path(entry).stem}.md or remove it"))
            continue
        if not any((layout.root / f"{entry}{ext}").exists() for ext in ("", ".md", ".ipynb")):
            errors.append(ExerciseError(layout.root / "_toc.yml", f"toc entry '{entry}' not found",
                                        fix="create the page or fix the path"))
    return errors
