"""The kit's mini book: the chosen modules' pages as executed notebooks (with their glue data),
so it builds with stock Jupyter Book, no execution and no course package.

Its `_config.yml` is the course's own (title, author, MyST extensions, the quiz assets and
Sphinx settings) with execution off and its own bibliography files.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import yaml

from course.book.minibook import module_pages
from course.errors import UserError
from course.identity import LICENCES, course_identity
from course.kit.texts import overview, render, title
from course.paths import Layout

Log = Callable[[str], None]
ROOT_PAGE = "export_index"
_MD_LINK = re.compile(r"\]\((?!https?:)([^)#\s]+?)\.md(#[^)]*)?\)")
# The course's Sphinx settings a stand-alone copy of some of its pages needs.
_SPHINX_KEYS = ("bibtex_reference_style", "suppress_warnings", "html_css_files", "html_js_files")


def from_book_cache(nb: nbformat.NotebookNode, cache_dir: Path) -> nbformat.NotebookNode | None:
    """The page's outputs from the book's execution cache (same code, same kernel), if the
    book was built since the page last changed: no second execution."""
    if not cache_dir.is_dir():
        return None
    try:
        from jupyter_cache import get_cache

        _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(nb)
    except Exception:  # no match (the page changed) or an unreadable cache: execute instead
        return None
    return merged


def execute_page(path: Path, cache_dir: Path | None = None) -> nbformat.NotebookNode:
    """Run a MyST page as a notebook in its own folder, as the book build does (or take its
    outputs from the book's execution cache when they are there)."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb: nbformat.NotebookNode = jupytext.read(path, fmt="md:myst")
    cached = from_book_cache(nb, cache_dir) if cache_dir else None
    if cached is not None:
        return cached
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as exc:
        raise UserError(f"a cell failed while executing the page\n{str(exc)[:2000]}", path=path,
                        fix=f"run `rta preview {path.parent.name}` to see it") from exc
    return nb


def export_book(layout: Layout, modules: list[str], out: Path, log: Log) -> None:
    from course.authoring.release import release
    from course.book.pipeline import student_pages

    book = out / "book"
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Layout(Path(tmp))
        exercises = [m for m in modules if (layout.exercises / f"{m}.md").exists()]
        student_pages(scratch, release(layout, exercises, course_dir=Path(tmp) / "course"))
        for module in modules:
            for page in module_pages(layout, module):
                if page.startswith("_generated/"):
                    dest = book / "exercises" / Path(page).name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(scratch.root / f"{page}.ipynb", dest.with_suffix(".ipynb"))
                    shutil.copy2(scratch.root / f"{page}.zip", dest.with_suffix(".zip"))
                    continue
                log(f"page {page}")
                nb = execute_page(layout.root / f"{page}.md", cache_dir=layout.build / ".jupyter_cache")
                nb.metadata["mystnb"] = {"execution_mode": "off"}
                for cell in nb.cells:  # pages ship as .ipynb: point links at them
                    if cell.cell_type == "markdown":
                        cell.source = _MD_LINK.sub(r"](\1.ipynb\2)", cell.source)
                dest = book / f"{page}.ipynb"
                dest.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, dest)
    reference = _reference_pages(layout, book)
    bibs = _bibliographies(layout, book)
    _write_toc_and_config(layout, modules, book, reference, bibs)


def _bibliographies(layout: Layout, book: Path) -> list[str]:
    """Modules cite each other's entries: ship every bibliography file, list only what is cited."""
    bibs = []
    (book / "bib").mkdir(exist_ok=True)
    for bib in sorted(layout.modules.glob("**/references.bib")):
        name = "references.bib" if bib.parent == layout.modules else f"{bib.parent.name}.bib"
        shutil.copy2(bib, book / "bib" / name)
        bibs.append(f"bib/{name}")
    return bibs


def _reference_pages(layout: Layout, book: Path) -> list[dict[str, str]]:
    shutil.copytree(layout.modules / "_static", book / "_static")
    (book / "bibliography.md").write_text("# Bibliography\n\n```{bibliography}\n```\n", encoding="utf-8")
    reference = [{"file": "bibliography"}]
    if (layout.modules / "glossary.md").exists():  # chapters link key terms to it
        shutil.copy2(layout.modules / "glossary.md", book / "glossary.md")
        reference.insert(0, {"file": "glossary"})
    return reference


def _write_toc_and_config(layout: Layout, modules: list[str], book: Path,
                          reference: list[dict[str, str]], bibs: list[str]) -> None:
    ident = course_identity(layout)
    chapters = []
    for module in modules:
        pages = module_pages(layout, module)
        sections = [{"file": p if not p.startswith("_generated/") else f"exercises/{Path(p).name}"}
                    for p in pages[1:]]
        chapters.append({"file": pages[0], "sections": sections})
    titles = "\n".join(f"- {title(overview(layout, m))}" for m in modules)
    (book / f"{ROOT_PAGE}.md").write_text(render("book_index.md", title=ident.title, author=ident.author,
                                                 modules=titles, licences=LICENCES), encoding="utf-8")
    toc = {"format": "jb-book", "root": ROOT_PAGE,
           "parts": [{"caption": "Modules", "chapters": chapters},
                     {"caption": "Reference", "chapters": reference}]}
    (book / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    (book / "_config.yml").write_text(yaml.safe_dump(kit_book_config(layout, bibs), sort_keys=False),
                                      encoding="utf-8")


def kit_book_config(layout: Layout, bibs: list[str]) -> dict[str, Any]:
    """The course's `_config.yml`, cut to what pre-executed pages need."""
    course = yaml.safe_load((layout.root / "_config.yml").read_text(encoding="utf-8"))
    ident = course_identity(layout)
    sphinx = (course.get("sphinx") or {}).get("config") or {}
    return {
        "title": f"{ident.title}: selected modules",
        "author": ident.author,
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "bibtex_bibfiles": bibs,
        "parse": course.get("parse") or {},
        "sphinx": {"config": {"html_static_path": ["_static"],
                              **{k: sphinx[k] for k in _SPHINX_KEYS if k in sphinx}}},
    }
