"""Shared fixtures: the real repository layout and throw-away nbgrader course directories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from course.paths import Layout

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


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
    from course.book import build

    lines: list[str] = []
    status = build(layout, log=lines.append)
    log_path = layout.build / "book-build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text("\n".join(lines))
    assert status == 0, "book build failed:\n" + "\n".join(
        ln for ln in lines if "WARNING" in ln or "ERROR" in ln or "Error" in ln)[-5000:]
    return layout.build / "html"


@pytest.fixture
def mini_course(tmp_path: Path) -> Layout:
    """A tiny course repository (one toy exercise, one dataset) in a temp dir."""
    root = tmp_path / "course"
    (root / "exercises").mkdir(parents=True)
    (root / "modules").mkdir()
    (root / "datasets").mkdir()
    shutil.copy(FIXTURES / "toy.md", root / "exercises" / "toy.md")
    shutil.copy(FIXTURES / "toy_numbers.csv", root / "datasets" / "toy_numbers.csv")
    (root / "_toc.yml").write_text("format: jb-book\nroot: modules/index\n")
    (root / "modules" / "index.md").write_text(
        "---\njupytext:\n  text_representation: {extension: .md, format_name: myst}\n"
        "kernelspec: {display_name: Python 3, language: python, name: python3}\n---\n\n# Toy\n")
    return Layout(root)
