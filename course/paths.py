"""Where things live. The layout shows the flow:

    exercises/*.md ─┬─> _generated/exercises/*.ipynb   (student view, rendered in the book)
                    └─> grading/source/ ─> grading/release/ ─> grading/submitted/
                                              ─> grading/autograded/ ─> grading/feedback/
    modules/**.md ──> _build/html                        (the book)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def repo_root() -> Path:
    """The course repository: $RTA_ROOT, else the nearest parent holding `_toc.yml`."""
    env = os.environ.get("RTA_ROOT")
    if env:
        return Path(env).resolve()
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "_toc.yml").exists() and (parent / "exercises").is_dir():
            return parent
    # Fall back to the checkout this package was imported from (editable installs).
    return Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def here(cls) -> Layout:
        return cls(repo_root())

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def modules(self) -> Path:
        return self.root / "modules"

    @property
    def datasets(self) -> Path:
        return self.root / "datasets"

    @property
    def generated(self) -> Path:
        """Build outputs the book renders (student notebooks); ignored by git."""
        return self.root / "_generated"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    @property
    def grading(self) -> Path:
        """The nbgrader course directory."""
        return self.root / "grading"

    def exercise_sources(self) -> list[Path]:
        return sorted(p for p in self.exercises.glob("*.md") if not p.name.startswith("_"))
