"""Import only what grading needs; both the coordinator and each zygote pay imports once.

- `import nbgrader.api` first runs nbgrader/__init__.py, which loads nbgrader's Jupyter
  server extensions (jupyter_server, tornado, the exchange: ~3 s). The package is
  registered without running it; its submodules import as usual and behave the same.
- jsonschema imports rfc3987_syntax when installed, which builds a grammar (~2 s) used only
  to check the "iri" string format; notebook validation never checks formats.
Both change nothing in what nbgrader computes; a process that imported nbgrader already is
left alone.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any


def light_imports() -> None:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    if "nbgrader" in sys.modules:
        return
    spec = importlib.util.find_spec("nbgrader")
    if spec is None or spec.loader is None:
        return
    pkg = importlib.util.module_from_spec(spec)  # the package object, __init__ not executed
    sys.modules["nbgrader"] = pkg
    pkg.__version__ = importlib.import_module("nbgrader._version").__version__  # type: ignore[attr-defined]


def fast_metadata_validation() -> None:
    """nbgrader's CheckCellMetadata calls jsonschema.validate per cell, which re-checks the
    (constant) schema every time: 90 % of its cost. Same checks, schema checked once."""
    import importlib

    from nbgrader.nbgraderformat import common

    jsonschema: Any = importlib.import_module("jsonschema")  # no stubs installed
    best_match = importlib.import_module("jsonschema.exceptions").best_match
    validators: dict[int, Any] = {}

    def validate(instance: object, schema: dict[str, Any]) -> None:
        v = validators.get(id(schema))
        if v is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            v = validators[id(schema)] = (cls(schema), schema)  # keep schema alive: stable id
        error = best_match(v[0].iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = type("CachedJsonschema", (), {"validate": staticmethod(validate)})

