"""Codes for what the grader reports: decisions test a code, never the wording of a message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Code(Enum):
    STATIC = "static"  # a cheating pattern in what the student wrote
    GUARD = "guard"  # a run-time check in the student's process fired
    TAMPERED = "tampered"  # the grading channel or its protocol was abused
    EXITED = "exited"  # the notebook exited the kernel (exit(), sys.exit at top level)
    KILLED = "killed"  # the kernel exited or was killed by the notebook
    READ = "read"  # tried to read a file outside the sandbox


@dataclass(frozen=True)
class Flag:
    """A cheating pattern: the notebook scores zero and waits for a human."""

    code: Code
    text: str

    def __str__(self) -> str:
        return self.text
