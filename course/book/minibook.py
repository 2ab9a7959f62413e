"""A book of a subset of modules: `rta preview MODULE` (authors) and exports (instructors).

The course `_toc.yml` is the single source of which pages a module has; a mini book keeps the
entries of the chosen modules plus the reference pages they need (the bibliography).
"""

from __future__ import annotations

import copy
import glob
import os
import shutil
from pathlib import Path
from typing import Any

import yaml

from course.paths import Layout

# Pages that chapters refer to ({term} links, citations): every small book carries them.
REFERENCE_PAGES = ("modules/glossary", "modules/bibliography")


def module_ids(layout: Layout) -> list[str]:
    return sorted(p.name for p in layout.modules.iterdir()
                  if p.is_dir() and (p / "index.md").exists())


def _module_of(entry: dict[str, Any]) -> str | None:
    path = entry.get("file") or entry.get("glob") or ""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "modules" else None


def module_entries(layout: Layout, modules: list[str]) -> list[dict[str, Any]]:
    toc = yaml.safe_load((layout.root / "_toc.yml").read_text(encoding="utf-8"))
    found = []
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            if _module_of(chapter) in modules:
                found.append(copy.deepcopy(chapter))
    return found


def module_pages(layout: Layout, module: str) -> list[str]:
    """Every page of a module in book order (globs expanded), without suffixes."""
    pages: list[str] = []
    for entry in module_entries(layout, [module]):
        pages.append(entry["file"])
        for section in entry.get("sections", []):
            if "glob" in section:
                hits = sorted(glob.glob(str(layout.root / section["glob"])))
                pages += [str(Path(h).relative_to(layout.root).with_suffix("")) for h in hits]
            else:
                pages.append(section["file"])
    return pages


def check_modules(layout: Layout, modules: list[str]) -> None:
    unknown = set(modules) - set(module_ids(layout))
    if unknown:
        raise ValueError(f"unknown module(s): {', '.join(sorted(unknown))}; "
                         f"choose from: {', '.join(module_ids(layout))}")


def minibook_toc(layout: Layout, modules: list[str]) -> dict[str, Any]:
    """A jb-book toc for `modules`, rooted at the first module's overview."""
    check_modules(layout, modules)
    entries = module_entries(layout, modules)
    reference = [{"file": p} for p in REFERENCE_PAGES if (layout.root / f"{p}.md").exists()]
    first, rest = entries[0], entries[1:]
    chapters = [*first.get("sections", []), *rest]
    parts = [{"caption": "Module", "chapters": chapters}] if chapters else []
    if reference:  # a part with no chapters is not a valid toc
        parts.append({"caption": "Reference", "chapters": reference})
    return {"format": "jb-book", "root": first["file"], "parts": parts}


def prepare_preview(layout: Layout, module: str) -> Layout:
    """_build/preview/<module>/: a book root whose `modules/` links to the course sources."""
    check_modules(layout, [module])
    dest = layout.build / "preview" / module
    dest.mkdir(parents=True, exist_ok=True)
    link = dest / "modules"
    if not link.exists():
        os.symlink(layout.modules, link)
    shutil.copy2(layout.root / "_config.yml", dest / "_config.yml")
    toc = minibook_toc(layout, [module])
    (dest / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return Layout(dest)
