"""Shared fixtures: the real repository layout and throw-away nbgrader course directories."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from course.paths import Layout

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def submit(course_dir: Path, student: str, notebook, assignment: str = "toy") -> Path:
    """Hand in a submission as a student would: the released folder (data included) with the
    student's notebook in it. `notebook` is a NotebookNode, a path, text or bytes (for
    deliberately broken files)."""
    import nbformat

    target = course_dir / "submitted" / student / assignment
    shutil.copytree(course_dir / "release" / assignment, target)
    path = target / f"{assignment}.ipynb"
    if isinstance(notebook, Path):
        shutil.copy2(notebook, path)
    elif isinstance(notebook, bytes):
        path.write_bytes(notebook)
    elif isinstance(notebook, str):
        path.write_text(notebook)
    else:
        nbformat.write(notebook, path)
    return target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite tests/golden/ from what the code makes now (tests/goldens.py)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each `xdist_group` on one worker. pytest-xdist 3.8 tags grouped tests by setting
    `item._nodeid`, which pytest 9 no longer reads (node ids live in `item._id`), so
    `--dist loadgroup` silently spread the book's browser tests over both workers: the book
    fixtures ran twice and one worker idled on the book lock. Re-tag them where pytest looks."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        tag = "@" + "_".join(names)
        if names and not item.nodeid.endswith(tag):
            item._id = coerce_node_id(item.nodeid + tag)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout(ROOT)


@pytest.fixture(scope="session")
def built_book(layout: Layout) -> Path:
    """The whole book, built once per test session exactly as `make book` builds it
    (executed, warnings as errors, slimmed, offline edition). Set RTA_BOOK_HTML to test an
    existing build instead (authors iterating on the browser tests)."""
    existing = os.environ.get("RTA_BOOK_HTML")
    if existing:
        return Path(existing)
    from course.book.pipeline import build

    # Several xdist workers may ask for the book: one builds it, the others wait and reuse it.
    layout.build.mkdir(parents=True, exist_ok=True)
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
    done = layout.build / f".book-built-{run_id}"
    log_path = layout.build / "book-build.log"
    with open(layout.build / ".book-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            for old in layout.build.glob(".book-built-*"):
                old.unlink()
            lines: list[str] = []
            status = build(layout, log=lines.append)
            log_path.write_text("\n".join(lines))
            assert status == 0, "book build failed:\n" + "\n".join(
                ln for ln in lines if "WARNING" in ln or "ERROR" in ln or "Error" in ln)[-5000:]
            done.write_text("ok")
    return layout.build / "html"


def course_repo(root: Path, exercise: str = "toy") -> Layout:
    """A tiny course repository at `root`: one exercise from tests/fixtures, the toy dataset."""
    for d in ("exercises", "modules", "datasets"):
        (root / d).mkdir(parents=True)
    shutil.copy(FIXTURES / f"{exercise}.md", root / "exercises" / f"{exercise}.md")
    shutil.copy(FIXTURES / "toy_numbers.csv", root / "datasets" / "toy_numbers.csv")
    (root / "_toc.yml").write_text("format: jb-book\nroot: modules/index\n")
    (root / "modules" / "index.md").write_text(
        "---\njupytext:\n  text_representation: {extension: .md, format_name: myst}\n"
        "kernelspec: {display_name: Python 3, language: python, name: python3}\n---\n\n# Toy\n")
    return Layout(root)


@pytest.fixture
def mini_course(tmp_path: Path) -> Layout:
    """A tiny course repository (one toy exercise, one dataset) in a temp dir."""
    return course_repo(tmp_path / "course")
