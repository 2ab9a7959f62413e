"""The environment `make` sets up: tools start without paying for what they never use."""

from __future__ import annotations

import subprocess
import sys


def test_nbformat_starts_without_compiling_the_iri_grammar() -> None:
    """rfc3987-syntax builds a Lark grammar at import (1.6 s of CPU in every nbgrader and
    jupyter-book process); the venv's rta_skip_rfc3987.pth (Makefile) keeps it from loading."""
    code = ("import sys, nbformat, jsonschema\n"
            "assert sys.modules.get('rfc3987_syntax') is None, 'rfc3987_syntax was imported'\n"
            "nbformat.validate(nbformat.v4.new_notebook())\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
