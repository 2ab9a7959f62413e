"""The unit of work shipped to a worker, and what comes back. Plain, picklable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .codes import Code, Flag
from .sandbox import Limits
from .template import AssignmentTemplate


@dataclass
class Settings:
    limits: Limits = field(default_factory=Limits)
    nbgrader_config: dict[str, Any] = field(default_factory=dict)  # traitlets config as a dict
    hide: list[str] = field(default_factory=list)  # paths the sandbox must not see
    preload: tuple[str, ...] = ()  # modules the zygote imports before forking


@dataclass
class Job:
    student: str
    assignment: str
    notebooks: dict[str, bytes | None]  # notebook name -> submitted bytes (None: not submitted)
    files: dict[str, bytes]  # relative path -> content for the scratch directory
    template: AssignmentTemplate
    settings: Settings
    judge_files: tuple[str, ...] = ()  # those of `files` that are the assignment's own (the judge's copy)


@dataclass
class NotebookResult:
    name: str
    notebook: str | None = None  # the autograded notebook (nbformat JSON), None if not gradable
    grades: dict[str, float | None] = field(default_factory=dict)  # grade id -> auto score
    comments: dict[str, str | None] = field(default_factory=dict)  # grade id -> auto comment
    reason: str | None = None  # why it could not be graded (nothing was scored)
    problems: list[str] = field(default_factory=list)  # timeouts, kills, limits: scored anyway
    flags: list[Flag] = field(default_factory=list)  # cheating patterns: manual review, no points
    notes: list[str] = field(default_factory=list)  # repairs made to the submission
    sandbox: list[str] = field(default_factory=list)  # confinement steps that did not apply

    def add_flag(self, code: Code, text: str) -> None:
        if all(f.text != text for f in self.flags):
            self.flags.append(Flag(code, text))


@dataclass
class JobResult:
    student: str
    assignment: str
    notebooks: list[NotebookResult] = field(default_factory=list)
    error: str | None = None  # the grader itself failed for this submission
    seconds: float = 0.0
