"""`rta preview MODULE`: one module of a small real course built as its own book (pages
executed, glue resolved, warnings as errors), fast; an unknown module is a message with a fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.cli import app

from .conftest import ROOT

runner = CliRunner()
HEADER = ("---\njupytext:\n  text_representation: {extension: .md, format_name: myst, "
          "format_version: 0.13}\nkernelspec: {display_name: Python 3 (ipykernel), language: "
          "python, name: python3}\n---\n\n")
OVERVIEW = HEADER + "# Toy module\n\nWhat this module is about.\n"
CHAPTER = HEADER + """# Counting

```{code-cell} python
:tags: [remove-cell]
from myst_nb import glue
glue("answer", 6 * 7, display=False)
```

The answer is {glue:text}`answer`.
"""


def _course(root: Path) -> Path:
    for d in ("exercises", "datasets", "modules/m01_toy"):
        (root / d).mkdir(parents=True)
    (root / "modules" / "index.md").write_text(HEADER + "# Toy course\n")
    (root / "modules" / "m01_toy" / "index.md").write_text(OVERVIEW)
    (root / "modules" / "m01_toy" / "01_counting.md").write_text(CHAPTER)
    (root / "modules" / "m02_other").mkdir()
    (root / "modules" / "m02_other" / "index.md").write_text(HEADER + "# Another module\n")
    (root / "_toc.yml").write_text("""\
format: jb-book
root: modules/index
parts:
  - caption: Modules
    chapters:
      - file: modules/m01_toy/index
        sections:
          - file: modules/m01_toy/01_counting
      - file: modules/m02_other/index
""")
    cfg = (ROOT / "_config.yml").read_text().split("bibtex_bibfiles:")[0]
    (root / "_config.yml").write_text(cfg + "sphinx:\n  config:\n    html_show_copyright: true\n")
    return root


@pytest.mark.slow
def test_preview_builds_one_module(tmp_path: Path, monkeypatch) -> None:
    root = _course(tmp_path / "course")
    monkeypatch.setenv("RTA_ROOT", str(root))
    result = runner.invoke(app, ["preview", "m01_toy"])
    assert result.exit_code == 0, result.output
    html = root / "_build" / "preview" / "m01_toy" / "_build" / "html"
    assert f"preview built: {html / 'index.html'}" in result.output.replace("\n", "")
    chapter = (html / "modules" / "m01_toy" / "01_counting.html").read_text()
    assert re.search(r"The answer is <span[^>]*>42<", chapter)  # executed, glue resolved
    assert not (html / "modules" / "m02_other").exists()  # only the module asked for


def test_unknown_module_lists_the_known_ones(tmp_path: Path, monkeypatch) -> None:
    root = _course(tmp_path / "course")
    monkeypatch.setenv("RTA_ROOT", str(root))
    result = runner.invoke(app, ["preview", "m03_missing"])
    assert result.exit_code == 1
    assert "unknown module(s): m03_missing" in result.output and "m01_toy, m02_other" in result.output
    assert "fix:" in result.output and "Traceback" not in result.output
