"""`rta check`: authoring rules for exercises and module pages, each error with its location and fix."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jupytext
import yaml

from course.authoring.exercise import (
    GRADE_ID,
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    SOLUTION_END,
    Exercise,
    ExerciseError,
    Kind,
    read_exercise,
    region_text,
    strip_region,
)
from course.paths import Layout

# Lines shorter than this (e.g. "return n") are too generic to count as leaked solution text.
MIN_LEAK_CHARS = 16


def _balanced(source: str, begin: str, end: str) -> bool:
    depth = 0
    for ln in source.splitlines():
        s = ln.strip()
        if s == begin:
            depth += 1
            if depth > 1:
                return False
        elif s == end:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _has(source: str, marker: str) -> bool:
    return any(ln.strip() == marker for ln in source.splitlines())


def check_exercise(ex: Exercise, layout: Layout | None = None) -> list[ExerciseError]:
    errors: list[ExerciseError] = []

    def err(cell, message: str, fix: str) -> None:
        errors.append(ExerciseError(ex.path, message, cell=cell.index if cell else None,
                                    line=cell.line if cell else None, fix=fix))

    if not ex.meta.get("title"):
        err(None, "the header has no rta.title",
            fix="add `rta: {title: ..., module: ..., datasets: [...]}` to the YAML header")
    if layout is not None:
        for name in ex.datasets:
            if not (layout.datasets / f"{name}.csv").exists():
                err(None, f"dataset '{name}' listed in rta.datasets does not exist in datasets/",
                    fix="use a name from `rta data list`")

    ids = Counter(c.grade_id for c in ex.cells)
    for c in ex.cells:
        if not GRADE_ID.match(c.grade_id):
            err(c, f"grade_id '{c.grade_id}' is not a valid id",
                fix="use letters, digits, '_' or '-', starting with a letter")
        if ids[c.grade_id] > 1:
            err(c, f"grade_id '{c.grade_id}' is used by {ids[c.grade_id]} cells",
                fix="give each cell a unique grade_id (or drop grade_id to derive one)")

    graded = [c for c in ex.cells if c.graded]
    if not graded:
        err(None, "no graded cell", fix="add a `tests` code cell with :points: after each answer")

    for c in ex.cells:
        if c.graded and (c.points is None or c.points <= 0):
            err(c, f"graded cell '{c.grade_id}' has no positive points",
                fix="add `:points: N` (code cell) or `\"points\": N` (markdown cell metadata)")
        if c.kind is Kind.ANSWER:
            if not _has(c.source, SOLUTION_BEGIN) or not _balanced(c.source, SOLUTION_BEGIN,
                                                                      SOLUTION_END):
                err(c, "answer cell needs one balanced ### BEGIN SOLUTION / ### END SOLUTION region",
                    fix="wrap the model answer in the two marker lines")
        elif _has(c.source, SOLUTION_BEGIN) or _has(c.source, SOLUTION_END):
            err(c, "solution markers outside an `answer` cell",
                fix="tag the cell `answer`, or remove the markers")
        if c.kind is Kind.TESTS:
            if not _balanced(c.source, HIDDEN_BEGIN, HIDDEN_END):
                err(c, "unbalanced ### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS",
                    fix="close every hidden-test region")
            if c.question is None:
                err(c, "tests cell comes before any answer cell",
                    fix="move it after the answer it tests")
        elif _has(c.source, HIDDEN_BEGIN) or _has(c.source, HIDDEN_END):
            err(c, "hidden-test markers outside a `tests` cell",
                fix="tag the cell `tests`, or remove the markers")

    # Every answer (solution region) is followed by a test before the next question starts.
    for q, cells in ex.questions().items():
        first = cells[0]
        if first.kind is Kind.ANSWER and not any(c.kind is Kind.TESTS for c in cells):
            err(first, f"answer '{first.grade_id}' (question {q}) is not followed by a tests cell",
                fix="add a `tests` code cell with :points: right after the answer")

    # A question's prompt is its own cell. Right after a written answer, an answer or a
    # written cell means the prompt was typed into the model answer: hidden from students.
    for before, c in zip(ex.cells, ex.cells[1:], strict=False):
        if before.kind is Kind.WRITTEN and c.kind in (Kind.ANSWER, Kind.WRITTEN):
            err(c, f"'{c.grade_id}' directly follows the written answer '{before.grade_id}' "
                   "with no prompt between them: the prompt is probably inside that model answer, "
                   "which students never see",
                fix=f"end the written cell '{before.grade_id}' with a `+++` line, then write the "
                    "next prompt in its own markdown cell")

    # Nothing a student sees may contain solution text or hidden-test text.
    secrets: list[tuple[str, str]] = []
    for c in ex.cells:
        if c.kind is Kind.ANSWER:
            secrets += [("solution", s) for s in region_text(c.source, SOLUTION_BEGIN, SOLUTION_END)]
        if c.kind is Kind.TESTS:
            secrets += [("hidden test", s) for s in region_text(c.source, HIDDEN_BEGIN, HIDDEN_END)]
        if c.kind is Kind.WRITTEN:
            secrets += [("model answer", s.strip()) for s in c.source.splitlines()]
    secrets = [(k, s) for k, s in secrets if len(s) >= MIN_LEAK_CHARS and not s.startswith("#")]
    for c in ex.cells:
        visible = c.source
        if c.kind is Kind.ANSWER:
            visible = strip_region(c.source, SOLUTION_BEGIN, SOLUTION_END)
        elif c.kind is Kind.TESTS:
            visible = strip_region(c.source, HIDDEN_BEGIN, HIDDEN_END)
        elif c.kind is Kind.WRITTEN:
            continue
        lines = {ln.strip() for ln in visible.splitlines()}
        for what, secret in secrets:
            if secret in lines:
                err(c, f"{what} text is visible to students: {secret!r}",
                    fix=f"remove it from this cell or keep it only inside the {what} region")
    return errors


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
        if SOLUTION_BEGIN in line or HIDDEN_BEGIN in line:
            return [ExerciseError(path, "nbgrader markers in a book page", line=i,
                                  fix="graded work belongs in exercises/, not modules/")]
    return []


def toc_files(layout: Layout) -> list[str]:
    toc = yaml.safe_load((layout.root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(node) -> None:
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
