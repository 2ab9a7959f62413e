"""The generated blocks of grading/HUB.md: `python -m course.hub.guide grading/HUB.md` refreshes
them from `course.hub.config.example()`; tests/test_hub.py fails when they differ."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .config import (
    example,
    jupyterhub_config,
    nbgrader_config_all,
    nbgrader_config_instructors,
    tljh_snippet,
    z2jh_values,
)


def guide_snippets() -> dict[str, str]:
    """The generated blocks of grading/HUB.md, by marker name."""
    cfg = example()
    return {"jupyterhub_config": jupyterhub_config(cfg), "nbgrader_all": nbgrader_config_all(cfg),
            "nbgrader_instructors": nbgrader_config_instructors(cfg), "tljh": tljh_snippet(cfg),
            "z2jh": z2jh_values(cfg)}


_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n```[a-z]*\n)(.*?)(```\n<!-- end -->)", re.S)


def refresh_guide(path: Path) -> str:
    """HUB.md with its generated blocks re-rendered from `example()`."""
    snippets = guide_snippets()
    return _BLOCK.sub(lambda m: m.group(1) + snippets[m.group(2)].rstrip("\n") + "\n" + m.group(4),
                      path.read_text(encoding="utf-8"))


def guide_blocks(text: str) -> dict[str, str]:
    return {m.group(2): m.group(3) for m in _BLOCK.finditer(text)}


if __name__ == "__main__":  # python -m course.hub.guide grading/HUB.md
    target = Path(sys.argv[1])
    target.write_text(refresh_guide(target), encoding="utf-8")
