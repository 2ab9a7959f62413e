"""`rta build`: student notebooks for the exercise pages, then the executed Jupyter Book.

The book shows learners the *student* view of every exercise: the notebook stock nbgrader
released (no solutions, no hidden tests), plus a zip of that notebook with its data.

Rebuilds do only what changed: an exercise is released again only when its fingerprint
changes, student pages are rewritten only when their bytes change (so Sphinx does not re-read
them), Sphinx builds incrementally into `_build/html`, and the PDF and the zip are remade only
when the pages they are made from changed. Sphinx's whole log goes to `_build/logs/book.log`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.archive import tree, zip_bytes
from course.authoring.release import Released, release, tool_env
from course.book.lighten import VERSION as LIGHTEN_VERSION
from course.book.lighten import lighten
from course.book.minibook import prepare_preview
from course.book.offline import PdfUnavailable, book_pdf, drop_pdf_links, pdf_unavailable, site_zip
from course.paths import Layout

BOOK_COURSE_DIR = "nbgrader-course"  # under _build/: the book never touches grading/
LOG_FILE = Path("logs") / "book.log"  # under _build/


@dataclass(frozen=True)
class Step:
    """One thing the build did, for a progress display. `total` is set when a phase's size
    becomes known; `done` counts items finished in the phase; `item` is the current one."""
    phase: str
    item: str = ""
    done: int = 0
    total: int | None = None


Progress = Callable[[Step], None]


def _quiet(step: Step) -> None:
    pass


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False  # same bytes, same mtime: Sphinx does not read the page again
    path.write_bytes(data)
    return True


def student_pages(layout: Layout, released: list[Released]) -> list[Path]:
    """Write each released notebook to <book>/_generated/exercises/ with a zip beside it;
    files whose bytes did not change are left alone, stale ones are removed."""
    out_dir = layout.generated / "exercises"
    out_dir.mkdir(parents=True, exist_ok=True)
    pages, keep = [], set()
    for rel in released:
        ex_id = rel.exercise.id
        archive = out_dir / f"{ex_id}.zip"
        _write_if_changed(archive, zip_bytes(tree(rel.release.parent, ex_id)))
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
        _write_if_changed(page, (nbformat.writes(nb) + "\n").encode())
        pages.append(page)
        keep.update({page.name, archive.name})
    for stale in out_dir.iterdir():
        if stale.name not in keep:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    return pages


# --- running Jupyter Book: a quiet progress display, the full log in a file ---------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ENV = re.compile(r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed")
_READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)")
_WRITING = re.compile(r"^writing output\.\.\. \[\s*(\d+)%\] (\S+)")
_NB = re.compile(r"^(\S+?\.(?:md|ipynb)): (Executing notebook|Executed notebook in ([\d.]+) seconds|"
                 r"Using cached notebook)")
_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|^Traceback|Exception occurred|^\S+Error\b")
_PHASES = {"loading pickled environment": "loading", "building [": "checking sources",
           "looking for now-outdated files": "checking sources", "checking consistency": "linking",
           "copying static files": "writing", "dumping search index": "search index",
           "build succeeded": "done", "build finished with problems": "done"}


class SphinxLog:
    """Reads Jupyter Book's output line by line: progress steps, problems in full, the rest
    only in the log file. `problem_files` are sources that produced a warning."""

    def __init__(self, progress: Progress, show: Callable[[str], None]) -> None:
        self.progress, self.show = progress, show
        self.total = 0
        self.read = self.executed = self.cached = 0
        self.in_problem = False
        self.problem_files: set[Path] = set()
        self.wrote = 0

    def feed(self, raw: str) -> None:
        line = _ANSI.sub("", raw.rstrip("\n"))
        if m := _ENV.search(line):
            self.total = int(m.group(1)) + int(m.group(2))
            self.progress(Step("reading and executing", done=0, total=self.total))
        elif m := _READING.match(line):
            self.read += 1
            self.progress(Step("reading and executing", item=m.group(1), done=self.read - 1,
                               total=self.total or None))
        elif m := _NB.match(line):
            doc = os.path.relpath(m.group(1)) if os.path.isabs(m.group(1)) else m.group(1)
            if m.group(2).startswith("Executing"):
                self.progress(Step("reading and executing", item=f"{doc} (executing)",
                                   done=self.read - 1, total=self.total or None))
            elif m.group(3):
                self.executed += 1
                self.progress(Step("reading and executing", item=f"{doc} executed in {m.group(3)} s",
                                   done=self.read - 1, total=self.total or None))
            else:
                self.cached += 1
                self.progress(Step("reading and executing", item=f"{doc} (cache hit)",
                                   done=self.read - 1, total=self.total or None))
        elif m := _WRITING.match(line):
            self.wrote += 1
            self.progress(Step("writing pages", item=m.group(2), done=int(m.group(1)), total=100))
        elif _PROBLEM.search(line):
            self.in_problem = True
            self.show(line)
            path = line.split(":", 1)[0]
            if os.path.isfile(path):
                self.problem_files.add(Path(path))
        elif self.in_problem and line.strip() and not line.startswith(("reading", "writing", "[")):
            self.show(line)  # a traceback or a warning's continuation lines: shown in full
        else:
            self.in_problem = False
            for key, phase in _PHASES.items():
                if line.startswith(key):
                    self.progress(Step(phase))
                    break


def run_jupyter_book(layout: Layout, log: Callable[[str], None], extra: list[str] | None = None,
                     builder: str = "html", progress: Progress = _quiet,
                     verbose: bool = False) -> int:
    """Run `jupyter-book build` with warnings as errors; keep its exit status.

    Every line goes to `_build/logs/book.log`; `log` gets problems (warnings, errors and their
    tracebacks, in full) or, with `verbose`, every line. A source that warned is touched so the
    next incremental build reads it again and reports the warning again."""
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(layout.root),
           "--path-output", str(layout.root), "-W", "-n", "--keep-going", "--builder", builder,
           *(extra or [])]
    log_path = layout.build / LOG_FILE
    log_path.parent.mkdir(parents=True, exist_ok=True)
    reader = SphinxLog(progress, show=log)
    with open(log_path, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        proc = subprocess.Popen(cmd, cwd=layout.root, stdout=subprocess.PIPE, env=tool_env(),
                                stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert proc.stdout is not None
        for line in proc.stdout:
            if "Kernel is running over TCP without encryption" in line:
                continue  # ipykernel's notice on every kernel start: noise, not a problem
            out.write(_ANSI.sub("", line))
            if verbose:
                log(line.rstrip("\n"))
            else:
                reader.feed(line)
        status = proc.wait()
    for path in reader.problem_files:
        path.touch()
    if not verbose:
        progress(Step("notebooks", item=f"{reader.executed} executed, {reader.cached} from the cache",
                      done=reader.read, total=reader.read))
    return status


# --- fingerprints: remake the PDF and the zip only when their inputs changed --------------

def tree_fingerprint(root: Path, skip: tuple[str, ...] = (), content: bool = False) -> str:
    """Names and sizes plus mtimes (cheap) or contents (immune to rewrites of the same bytes)."""
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if f.is_file() and not rel.startswith(skip):
            st = f.stat()
            tag = hashlib.sha256(f.read_bytes()).hexdigest() if content else str(st.st_mtime_ns)
            h.update(f"{rel}\0{st.st_size}\0{tag}\n".encode())
    return h.hexdigest()


def _assets(html: Path) -> list[Path]:
    """Every file of the site but the offline edition."""
    return [f for f in sorted(html.rglob("*"))
            if f.is_file() and f.relative_to(html).parts[0] != "offline"]


def lighten_incremental(html: Path, cache: Path, stamps: dict[str, str], log: Callable[[str], None],
                        progress: Progress) -> bool:
    """Slim the site, reusing earlier work. Sphinx copies the theme's files and the figures and
    writes the search and index pages again on every build; a file whose bytes were slimmed
    before gets its slimmed bytes back from the cache, and when every file is then as it was,
    nothing else is redone. Returns whether the slimming ran."""
    cache = cache / LIGHTEN_VERSION  # a changed slimming step makes other bytes: a fresh cache
    for old in cache.parent.glob("*"):
        if old != cache:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    cache.mkdir(parents=True, exist_ok=True)
    for f in _assets(html):
        hit = cache / hashlib.sha256(f.read_bytes()).hexdigest()
        if hit.exists():
            data = hit.read_bytes()
            if f.read_bytes() != data:
                f.write_bytes(data)
    now = tree_fingerprint(html, skip=("offline/",), content=True)
    if stamps.get("lightened") == now and stamps.get("lighten") == LIGHTEN_VERSION:
        return False
    progress(Step("slimming pages"))
    stock = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in _assets(html)}
    lighten(html, log)
    for f, key in stock.items():
        if f.exists():
            data = f.read_bytes()
            (cache / key).write_bytes(data)
            (cache / hashlib.sha256(data).hexdigest()).write_bytes(data)
    stamps["lightened"] = tree_fingerprint(html, skip=("offline/",), content=True)
    stamps["lighten"] = LIGHTEN_VERSION
    return True


def _stamps(layout: Layout) -> Path:
    return layout.build / ".rta-stamps.json"


def _read_stamps(layout: Layout) -> dict[str, str]:
    try:
        return dict(json.loads(_stamps(layout).read_text()))
    except (OSError, ValueError):
        return {}


def _drop_stale_pages(layout: Layout, html: Path) -> int:
    """Sphinx never deletes the page of a removed source: remove pages with no source."""
    removed = 0
    for page in html.rglob("*.html"):
        rel = page.relative_to(html)
        if rel.parts[0] in ("_static", "_sources", "_images", "reports", "offline") or \
                rel.as_posix() in ("index.html", "search.html", "genindex.html"):
            continue  # Sphinx's own pages and Jupyter Book's redirect to the root page
        stem = layout.root / rel.with_suffix("")
        if not any(stem.with_suffix(s).exists() for s in (".md", ".ipynb")):
            page.unlink()
            removed += 1
    return removed


def build(layout: Layout, log: Callable[[str], None], progress: Progress = _quiet,
          verbose: bool = False) -> int:
    """Student pages, the executed HTML book, then slimming and the offline edition."""
    course_dir = layout.build / BOOK_COURSE_DIR
    n = len(layout.exercise_sources())
    done = [0]

    def released_one(name: str) -> None:
        progress(Step("student pages", item=name, done=done[0], total=n))
        done[0] += 1

    released = release(layout, course_dir=course_dir, progress=released_one, reuse=True)
    student_pages(layout, released)
    progress(Step("student pages", done=n, total=n))
    html = layout.build / "html"
    (layout.build / LOG_FILE).unlink(missing_ok=True)
    status = run_jupyter_book(layout, log, progress=progress, verbose=verbose)
    if status != 0:
        return status
    _drop_stale_pages(layout, html)
    stamps = _read_stamps(layout)
    lighten_incremental(html, layout.build / ".lighten-cache", stamps,
                        log if verbose else (lambda line: None), progress)
    status = _offline(layout, html, stamps, log, progress, verbose)
    _stamps(layout).write_text(json.dumps(stamps, indent=1, sort_keys=True))
    progress(Step("book built", done=1, total=1))
    return status


def _offline(layout: Layout, html: Path, stamps: dict[str, str], log: Callable[[str], None],
             progress: Progress, verbose: bool) -> int:
    """The PDF (when a browser can print it) and the site zip, each only when out of date."""
    def doctrees() -> str:  # what the pages were built from
        d = layout.build / ".doctrees"
        return tree_fingerprint(d) if d.exists() else ""

    pdf = html / "offline" / "rta-mooc-book.pdf"
    reason = pdf_unavailable()
    if reason:
        log(f"PDF skipped: {reason}. The HTML book and the site zip are complete.")
        _unlink_pdf(layout, html)
        stamps.pop("pdf", None)
    elif stamps.get("pdf") != doctrees() or not pdf.exists():
        progress(Step("PDF: single-page build"))
        status = run_jupyter_book(layout, log, builder="singlehtml", progress=progress,
                                  verbose=verbose)
        if status != 0:
            return status
        progress(Step("PDF: printing in Chromium"))
        try:
            book_pdf(layout, layout.build / "singlehtml")
            stamps["pdf"] = doctrees()  # after the single-page build, which re-saves them
        except PdfUnavailable as exc:
            log(f"PDF skipped: {exc}. The HTML book and the site zip are complete.")
            _unlink_pdf(layout, html)
    site_now = tree_fingerprint(html, skip=("offline/",), content=True)
    if stamps.get("zip") != site_now or not (html / "offline" / "rta-mooc-site.zip").exists():
        progress(Step("site zip"))
        site_zip(html)
        stamps["zip"] = site_now
    stamps["lightened"] = site_now
    return 0


def _unlink_pdf(layout: Layout, html: Path) -> None:
    """Drop the PDF links; touch their sources so a later build with a browser restores them."""
    for page in drop_pdf_links(html):
        source = layout.root / page.relative_to(html).with_suffix(".md")
        if source.exists():
            source.touch()


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
