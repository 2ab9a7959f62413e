"""Errors users see. Kept free of heavy imports so `rta --help` starts fast."""

from __future__ import annotations

from pathlib import Path


class ExerciseError(Exception):
    """An authoring or input error that names the file, the cell and the fix."""

    def __init__(self, path: Path | str, message: str, *, cell: int | None = None,
                 line: int | None = None, fix: str = "") -> None:
        self.path = Path(path)
        self.cell = cell
        self.line = line
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def location(self) -> str:
        loc = str(self.path)
        if self.line is not None:
            loc += f":{self.line}"
        if self.cell is not None:
            loc += f" (cell {self.cell})"
        return loc

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text
