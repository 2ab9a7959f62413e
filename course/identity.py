"""The course's identity, read once from the book's `_config.yml` (its `title` and `author`),
so what an exported kit, its cartridge and its attribution say cannot drift from the book."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from course.errors import UserError
from course.paths import Layout

# The licences of the course (README "Licences"), in the one line every copy carries.
LICENCES = "Course text CC BY 4.0; code MIT; data under the terms stated by each publisher."
CC_BY = "Creative Commons Attribution 4.0 International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Identity:
    title: str  # the book's title: what the course is about
    author: str  # who made it and who funded it

    @property
    def attribution(self) -> str:
        """How a reuse credits the course (CC BY 4.0 asks for title, author and licence)."""
        return f"*{self.title}* - {self.author}, licensed under CC BY 4.0"


def course_identity(layout: Layout) -> Identity:
    path = layout.root / "_config.yml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    cfg = cfg if isinstance(cfg, dict) else {}
    missing = [k for k in ("title", "author") if not str(cfg.get(k) or "").strip()]
    if missing:
        raise UserError(f"the book configuration has no {' and no '.join(missing)}", path=path,
                        fix="set `title:` and `author:` in _config.yml (the kit and its licence use them)")
    return Identity(str(cfg["title"]).strip(), str(cfg["author"]).strip())
