"""`rta build`: student notebooks for the exercise pages, then the executed Jupyter Book.

The book shows learners the *student* view of every exercise: the notebook stock nbgrader
released (no solutions, no hidden tests), plus a zip of that notebook with its data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat

from .lighten import lighten
from .minibook import prepare_preview
from .offline import book_pdf, site_zip
from .paths import Layout
from .release import Released, release, tool_env

BOOK_COURSE_DIR = "nbgrader-course"  # under _build/: the book never touches grading/


def student_pages(layout: Layout, released: list[Released]) -> list[Path]:
    """Copy each released notebook into <book>/_generated/exercises/ with a zip beside it."""
    out_dir = layout.generated / "exercises"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    pages = []
    for rel in released:
        ex_id = rel.exercise.id
        release_dir = rel.release.parent
        archive = out_dir / f"{ex_id}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(release_dir.rglob("*")):
                if f.is_file():  # fixed timestamps: the same release gives the same zip
                    info = zipfile.ZipInfo(str(Path(ex_id) / f.relative_to(release_dir)),
                                           date_time=(2026, 1, 1, 0, 0, 0))
                    zf.writestr(info, f.read_bytes(), zipfile.ZIP_DEFLATED)
        nb = nbformat.read(rel.release, as_version=4)
        # A book-only note (not in the student's file) pointing at notebook + data.
        note = nbformat.v4.new_markdown_cell(
            "```{admonition} Work on this exercise\n:class: tip\n"
            f"Download [the assignment with its data (.zip)]({ex_id}.zip), unzip it and open "
            f"`{ex_id}.ipynb` in Jupyter, or use the launch button at the top of this page. "
            "Your instructor may instead release it on your course JupyterHub.\n```"
        )
        note["id"] = "rta-book-download"
        nb.cells.insert(1, note)
        # Student notebooks are meant to be completed, not run: never execute them in the book.
        nb.metadata["mystnb"] = {"execution_mode": "off"}
        page = out_dir / f"{ex_id}.ipynb"
        nbformat.write(nb, page)
        pages.append(page)
    return pages




def run_jupyter_book(layout: Layout, log: Callable[[str], None], extra: list[str] | None = None,
                     builder: str = "html") -> int:
    """Run `jupyter-book build` with warnings as errors; stream its log; keep its exit status."""
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(layout.root),
           "--path-output", str(layout.root), "-W", "-n", "--keep-going", "--builder", builder,
           *(extra or [])]
    proc = subprocess.Popen(cmd, cwd=layout.root, stdout=subprocess.PIPE, env=tool_env(),
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Kernel is running over TCP without encryption" in line:
            continue  # ipykernel's notice on every kernel start: noise, not a problem
        log(line.rstrip("\n"))
    return proc.wait()


def build(layout: Layout, log: Callable[[str], None],
          progress: Callable[[str], None] | None = None, offline: bool = True) -> int:
    """Student pages, the executed HTML book, then slimming and the offline edition."""
    course_dir = layout.build / BOOK_COURSE_DIR
    released = release(layout, course_dir=course_dir, progress=progress)
    student_pages(layout, released)
    html = layout.build / "html"
    if html.exists():  # Sphinx never deletes stale pages; executions stay cached elsewhere
        shutil.rmtree(html)
    status = run_jupyter_book(layout, log)
    if status != 0:
        return status
    lighten(html, log)
    if offline:
        log("offline edition: single-page build for the PDF (notebooks come from the cache)")
        status = run_jupyter_book(layout, log, builder="singlehtml")
        if status != 0:
            return status
        log(f"offline edition: {book_pdf(layout, layout.build / 'singlehtml')}")
        log(f"offline edition: {site_zip(html)}")
    return 0


def preview(layout: Layout, module: str, log: Callable[[str], None]) -> tuple[int, Path]:
    """Build one module as its own small book under _build/preview/<module>/."""
    book = prepare_preview(layout, module)
    names = [module] if (layout.exercises / f"{module}.md").exists() else []
    released = release(layout, names, course_dir=book.build / BOOK_COURSE_DIR) if names else []
    student_pages(book, released)
    status = run_jupyter_book(book, log)
    if status == 0:
        lighten(book.build / "html", log)
    return status, book.build / "html" / "index.html"
