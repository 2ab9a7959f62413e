"""What every slimming step walks: the site's pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Log = Callable[[str], None]


def pages(html_root: Path) -> list[Path]:
    return sorted(p for p in html_root.rglob("*.html") if "_static" not in p.parts)


def edit_pages(html_root: Path, edit: Callable[[str, Path], str]) -> int:
    """Rewrite each page as `edit(text, path)` returns it; count the pages that changed."""
    changed = 0
    for page in pages(html_root):
        text = page.read_text(encoding="utf-8")
        new = edit(text, page)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
