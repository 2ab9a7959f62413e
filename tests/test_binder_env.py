"""The launch environment (Binder) installs what learners' notebooks import, pinned as in
pyproject.toml, and nothing an author-only tool needs."""

from __future__ import annotations

import re
import tomllib

import jupytext

from .conftest import ROOT


def test_binder_installs_the_core_package() -> None:
    text = (ROOT / ".binder" / "requirements.txt").read_text()
    lines = [ln.split("#")[0].strip() for ln in text.splitlines()]
    assert [ln for ln in lines if ln] == ["."]


def test_core_dependencies_cover_notebook_imports_and_are_pinned() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {re.split(r"[=<>]", d)[0].lower(): d for d in meta["dependencies"]}
    assert all("==" in d for d in core.values()), "core dependencies are pinned"
    imported = set()
    for path in [*(ROOT / "modules").rglob("*.md"), *(ROOT / "exercises").glob("*.md")]:
        nb = jupytext.read(path, fmt="md:myst")
        for cell in nb.cells:
            if cell.cell_type == "code":
                imported |= set(re.findall(r"^\s*(?:import|from)\s+([a-zA-Z_]\w*)", cell.source, re.M))
    stdlib = {"__future__", "math", "itertools", "collections", "dataclasses", "functools", "pathlib",
              "typing", "random", "statistics", "json", "re", "string", "textwrap", "warnings", "io",
              "os", "sys", "hashlib", "importlib", "subprocess", "urllib", "datetime", "operator",
              "copy", "difflib", "html", "enum", "abc", "numbers", "decimal", "fractions", "csv"}
    aliases = {"mpl": "matplotlib", "yaml": "pyyaml", "course": "rta-course", "myst_nb": "myst-nb",
               "IPython": "ipykernel"}
    needed = {aliases.get(m, m).lower() for m in imported - stdlib} - {"rta-course"}
    missing = needed - set(core) - {"ipykernel"}
    assert not missing, f"notebooks import {sorted(missing)} but core dependencies lack them"
