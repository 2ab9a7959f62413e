"""`rta build` on a small real book: a machine with no browser still gets the book and the
site zip (the PDF is skipped with one line, and no page links to it); with a browser the PDF
comes back; a rebuild with nothing changed redoes nothing; Sphinx's log goes to a file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from course.book.pipeline import LOG_FILE, SphinxLog, Step, build
from course.book.webcheck import CHROMIUM
from course.paths import Layout

from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("small_book")]  # one book, built in order
HEADER = ("---\njupytext:\n  text_representation: {extension: .md, format_name: myst, "
          "format_version: 0.13}\nkernelspec: {display_name: Python 3 (ipykernel), language: "
          "python, name: python3}\n---\n\n")
START = HEADER + """# Start

```{raw} html
<ul>
<li><a href="offline/rta-mooc-site.zip" download>The whole site (.zip)</a></li>
<li class="rta-offline-pdf"><a href="offline/rta-mooc-book.pdf">The whole book (PDF)</a></li>
</ul>
```
"""
CHAPTER = HEADER + """# A chapter

```{code-cell} python
:tags: [remove-cell]
from myst_nb import glue
glue("answer", 6 * 7, display=False)
```

The answer is {glue:text}`answer`.
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Layout:
    root = tmp_path_factory.mktemp("book")
    (root / "exercises").mkdir()
    (root / "datasets").mkdir()
    (root / "modules").mkdir()
    (root / "modules" / "index.md").write_text(START)
    (root / "modules" / "chapter.md").write_text(CHAPTER)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: modules/index\nchapters:\n  - file: modules/chapter\n")
    cfg = (ROOT / "_config.yml").read_text()
    cfg = cfg.split("bibtex_bibfiles:")[0] + "sphinx:\n  config:\n    html_show_copyright: true\n"
    (root / "_config.yml").write_text(cfg)
    return Layout(root)


def _build(layout: Layout, monkeypatch, chromium: str | None) -> tuple[int, list[str], list[Step]]:
    if chromium:
        monkeypatch.setenv("RTA_CHROMIUM", chromium)
    else:
        monkeypatch.setenv("RTA_CHROMIUM", str(layout.root / "no-such-browser"))
    lines: list[str] = []
    steps: list[Step] = []
    status = build(layout, log=lines.append, progress=steps.append)
    return status, lines, steps


def test_no_browser_then_browser_then_nothing_to_do(book: Layout, monkeypatch) -> None:
    html = book.build / "html"
    # 1. No browser: everything but the PDF, one line that says why and how, no dead link.
    status, lines, steps = _build(book, monkeypatch, chromium=None)
    assert status == 0, lines
    skipped = [ln for ln in lines if ln.startswith("PDF skipped")]
    assert len(skipped) == 1 and "no-such-browser" in skipped[0] and "apt-get install chromium" in skipped[0]
    assert not (html / "offline" / "rta-mooc-book.pdf").exists()
    assert (html / "index.html").exists()  # Jupyter Book's redirect to the root page survives
    start = (html / "modules" / "index.html").read_text()
    assert "rta-mooc-book.pdf" not in start and "rta-mooc-site.zip" in start
    with zipfile.ZipFile(html / "offline" / "rta-mooc-site.zip") as zf:
        assert "rta-mooc-book.pdf" not in zf.read("rta-mooc/modules/index.html").decode()
    assert re.search(r"The answer is <span[^>]*>42<", (html / "modules" / "chapter.html").read_text())
    # quiet: no Sphinx chatter reached the log callback, all of it is in the log file
    assert not any(ln.startswith(("reading sources", "writing output")) for ln in lines)
    assert "reading sources" in (book.build / LOG_FILE).read_text()
    assert any(s.phase == "reading and executing" and "executed in" in s.item for s in steps)

    if not shutil.which(CHROMIUM):
        pytest.skip(f"no {CHROMIUM}: run `make test`, which installs it")
    # 2. A browser appears: the PDF is printed and the start page links to it again.
    status, lines, _ = _build(book, monkeypatch, chromium=CHROMIUM)
    assert status == 0, lines
    pdf = html / "offline" / "rta-mooc-book.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "rta-mooc-book.pdf" in (html / "modules" / "index.html").read_text()

    # 3. Nothing changed: no page rewritten, nothing executed or slimmed, PDF and zip kept
    # (Sphinx itself copies the theme's files again; they get their slimmed bytes back).
    def state() -> dict[Path, tuple[int, bytes]]:
        return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in html.rglob("*")
                if p.is_file() and (p.suffix == ".html" or "offline" in p.parts)}

    files = {p: p.read_bytes() for p in html.rglob("*") if p.is_file()}
    before = state()
    status, lines, steps = _build(book, monkeypatch, chromium=CHROMIUM)
    assert status == 0, lines
    assert state() == before
    assert {p: p.read_bytes() for p in html.rglob("*") if p.is_file()} == files
    assert not any("executed in" in s.item or s.phase.startswith(("PDF", "slimming", "site zip"))
                   for s in steps)


def test_a_warning_is_shown_in_full_and_fails_the_build_again_next_time(book: Layout, monkeypatch) -> None:
    bad = book.modules / "chapter.md"
    good = bad.read_text()
    bad.write_text(good + "\nSee {doc}`no-such-page`.\n")
    try:
        for _ in range(2):  # the second, incremental build must not forget the warning
            status, lines, _ = _build(book, monkeypatch, chromium=None)
            assert status != 0
            assert any("chapter.md" in ln and "WARNING" in ln and "no-such-page" in ln for ln in lines)
    finally:
        bad.write_text(good)


def test_sphinx_log_reader_turns_lines_into_steps() -> None:
    steps: list[Step] = []
    shown: list[str] = []
    reader = SphinxLog(steps.append, shown.append)
    for line in [
        "\x1b[01mupdating environment: \x1b[39;49;00m[new config] 3 added, 0 changed, 0 removed",
        "\x1b[01mreading sources... \x1b[39;49;00m[ 33%] \x1b[35mmodules/a\x1b[39;49;00m",
        "/x/modules/a.md: Executing notebook using local CWD [mystnb]",
        "/x/modules/a.md: Executed notebook in 1.50 seconds [mystnb]",
        "\x1b[01mreading sources... \x1b[39;49;00m[ 66%] \x1b[35mmodules/b\x1b[39;49;00m",
        "/x/modules/b.md: Using cached notebook: ID=2 [mystnb]",
        "/x/modules/b.md:12: WARNING: undefined label: 'nope'",
        "    more detail of the warning",
        "writing output... [100%] modules/b",
    ]:
        reader.feed(line)
    assert steps[0] == Step("reading and executing", done=0, total=3)
    assert any(s.item == "/x/modules/a.md executed in 1.50 s" or s.item.endswith("a.md executed in 1.50 s")
               for s in steps)
    assert any(s.item.endswith("b.md (cache hit)") for s in steps)
    assert shown == ["/x/modules/b.md:12: WARNING: undefined label: 'nope'", "    more detail of the warning"]
    assert (reader.executed, reader.cached) == (1, 1)


def _script_path(tmp_path: Path, tools: list[str]) -> str:
    """A PATH that holds only the named tools (no apt-get), to play a machine without it."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in tools:
        found = shutil.which(tool)
        assert found, tool
        os.symlink(found, bindir / tool)
    return str(bindir)


def test_system_deps_without_a_package_manager(tmp_path: Path) -> None:
    env = {"PATH": _script_path(tmp_path, ["id", "ls"]), "RTA_CHROMIUM": str(tmp_path / "none")}
    bash = shutil.which("bash")
    optional = subprocess.run([bash, ".ci/system-deps", "--optional", "chromium"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
    assert optional.returncode == 0, optional.stderr
    assert "no apt-get" in optional.stdout and "without its PDF" in optional.stdout
    required = subprocess.run([bash, ".ci/system-deps", "chromium"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
    assert required.returncode == 1 and "cannot install" in required.stderr


def test_an_exercise_with_an_authoring_error_stops_the_build_with_a_fix(mini_course, monkeypatch) -> None:
    """`rta build` releases the student pages first: an exercise that fails its lint stops the
    build there, named with its fix, before Jupyter Book runs, and no traceback is shown."""
    from typer.testing import CliRunner

    from course.cli import app

    monkeypatch.setenv("RTA_ROOT", str(mini_course.root))
    path = mini_course.exercises / "toy.md"
    path.write_text(path.read_text().replace(":points: 1\n", "", 1))
    result = CliRunner().invoke(app, ["build"])
    assert result.exit_code == 1, result.output
    assert "toy.md" in result.output and "no positive points" in result.output and "fix:" in result.output
    assert "Traceback" not in result.output and not (mini_course.build / "html").exists()
