"""Errors users see. Kept free of heavy imports so `rta --help` starts fast.

One model: a `UserError` carries what went wrong, where (a file, line, cell, when known) and
the fix; a `ToolError` is a user error raised when a tool we drive (nbgrader, Jupyter Book)
failed, and carries the tail of that tool's log. The CLI prints both the same way
("error <where>: <what>" / "fix: ...") and exits non-zero, never with a traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem the user can fix: names the place (when there is one) and the fix."""

    def __init__(self, message: str, *, path: Path | str | None = None, cell: int | None = None,
                 line: int | None = None, fix: str = "") -> None:
        self.path = Path(path) if path is not None else None
        self.cell = cell
        self.line = line
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def location(self) -> str:
        loc = str(self.path) if self.path is not None else ""
        if self.line is not None:
            loc += f":{self.line}"
        if self.cell is not None:
            loc += f" (cell {self.cell})"
        return loc

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        return f"{text}\n  fix: {self.fix}" if self.fix else text


class ExerciseError(UserError):
    """An authoring or input error that names the file, the cell and the fix."""

    def __init__(self, path: Path | str, message: str, *, cell: int | None = None,
                 line: int | None = None, fix: str = "") -> None:
        super().__init__(message, path=path, cell=cell, line=line, fix=fix)


class ToolError(UserError):
    """A tool we drive failed; `log_tail` holds the end of what it printed."""

    def __init__(self, message: str, *, log_tail: str = "", path: Path | str | None = None,
                 fix: str = "") -> None:
        self.log_tail = log_tail
        super().__init__(message, path=path, fix=fix)
