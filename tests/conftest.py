"""Shared fixtures: the real repository layout and throw-away nbgrader course directories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.paths import Layout

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout(ROOT)


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
