"""Import only what grading needs; both the coordinator and each zygote pay imports once.

- `import nbgrader.api` first runs nbgrader/__init__.py, which loads nbgrader's Jupyter
  server extensions (jupyter_server, tornado, the exchange: ~3 s). The package is
  registered without running it; its submodules import as usual and behave the same.
- jsonschema imports rfc3987_syntax when installed, which builds a grammar (~2 s) used only
  to check the "iri" string format; notebook validation never checks formats.
Both change nothing in what nbgrader computes; a process that imported nbgrader already is
left alone. The zygote also remembers which files are no module's (`fast_getmodule`), the
largest cost of formatting a traceback.
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



def fast_getmodule() -> None:
    """IPython formats every error with `inspect.getmodule` on each frame, several times; for
    a frame of a notebook cell (a file that is no module's) each call scans all of
    sys.modules, 2,000 to 3,000 entries once statsmodels is imported: two thirds of the cost of
    a traceback, which wrong and blank submissions pay in many cells. A file that a full scan
    did not find is remembered while sys.modules keeps its size and last entry (an import or a
    removal changes them), so the answer is the one the scan would give."""
    import inspect

    real = inspect.getmodule
    if getattr(real, "_rta_fast", False):
        return
    misses: dict[str, tuple[int, object]] = {}

    def getmodule(object: Any, _filename: str | None = None) -> Any:  # noqa: A002  (inspect's names)
        if inspect.ismodule(object) or hasattr(object, "__module__"):
            return real(object, _filename)  # answered without a scan
        code = getattr(object, "f_code", None) or getattr(object, "__code__", None) or object
        key = _filename if _filename is not None else getattr(code, "co_filename", None)
        if not isinstance(key, str):
            return real(object, _filename)
        state = (len(sys.modules), next(reversed(sys.modules), None))
        if misses.get(key) == state:
            return None
        module = real(object, _filename)
        if module is None:
            misses[key] = state
        return module

    getmodule._rta_fast = True  # type: ignore[attr-defined]
    inspect.getmodule = getmodule
