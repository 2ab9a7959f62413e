"""Import only what grading needs; both the coordinator and each zygote pay imports once.

- `import nbgrader.api` first runs nbgrader/__init__.py, which loads nbgrader's Jupyter
  server extensions (jupyter_server, tornado, the exchange: ~3 s). The package is
  registered without running it; its submodules import as usual and behave the same.
- jsonschema imports rfc3987_syntax when installed, which builds a grammar (~2 s) used only
  to check the "iri" string format; notebook validation never checks formats.
- nbgrader.utils imports setuptools for `nbgrader zip_collect`'s archive helpers (0.25 s of
  each zygote's warm-up, and of the coordinator's start): they import it when called.
None of this changes what nbgrader computes; a process that imported nbgrader already is
left alone. The zygote also formats tracebacks faster (`fast_tracebacks`): the same text,
without work that IPython and stack_data redo for every error.
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
    if "setuptools" not in sys.modules:
        sys.modules.setdefault("setuptools.archive_util", _archive_util())


ARCHIVE_HELPERS = ("unpack_archive", "unpack_tarfile", "unpack_zipfile")


def _archive_util() -> Any:
    """A stand-in for setuptools.archive_util whose helpers import the real module when called."""
    import types

    module = types.ModuleType("setuptools.archive_util")

    def real(name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            if sys.modules.get("setuptools.archive_util") is module:
                del sys.modules["setuptools.archive_util"]
            return getattr(importlib.import_module("setuptools.archive_util"), name)(*args, **kwargs)
        return call

    for name in ARCHIVE_HELPERS:
        setattr(module, name, real(name))
    return module


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
    """IPython formats every error with `inspect.getmodule` on each frame, several times. For
    a frame of a notebook cell (a file that is no module's), each call scans all of
    sys.modules (2,000 to 3,000 entries once statsmodels is imported, many with a slow lazy
    `__getattr__`) to map modules imported since the last scan: most of the cost of a
    traceback, paid in many cells of wrong and blank submissions. A scan maps nothing new
    while sys.modules keeps its size and last entry (an import or a removal changes them), so
    it is skipped then, and the answer is the one the scan would give."""
    import inspect

    real = inspect.getmodule
    if getattr(real, "_rta_fast", False):
        return
    scanned: list[tuple[int, object]] = [(-1, None)]  # sys.modules as of the last full scan

    def getmodule(object: Any, _filename: str | None = None) -> Any:  # noqa: A002  (inspect's names)
        if inspect.ismodule(object) or hasattr(object, "__module__"):
            return real(object, _filename)  # answered without a scan
        if _filename is not None and _filename in inspect.modulesbyfile:
            return real(object, _filename)
        try:
            file = inspect.getabsfile(object, _filename)
        except (TypeError, FileNotFoundError):
            return None
        if file in inspect.modulesbyfile:
            return sys.modules.get(inspect.modulesbyfile[file])
        state = (len(sys.modules), next(reversed(sys.modules), None))
        if state == scanned[0]:
            return None  # the scan would map no module: the file is still no module's
        module = real(object, _filename)  # scans
        scanned[0] = state
        return module

    getmodule._rta_fast = True  # type: ignore[attr-defined]
    inspect.getmodule = getmodule


def fast_tracebacks() -> None:
    """IPython's tracebacks, the same text at a quarter of the cost (24.6 -> 6.1 ms, a new
    cell's error in a process that imported statsmodels): wrong and blank submissions raise in many
    cells, in the student's process and in the judge. Besides `fast_getmodule`, three pure
    results are kept instead of rebuilt for each error: stack_data's lexer class (a new
    subclass per call, whose token rules pygments compiles again each time), the highlight
    style derived from the theme, and pygments' nearest terminal colour of an RGB value.
    A library whose internals differ is left as it is."""
    import contextlib

    fast_getmodule()
    with contextlib.suppress(Exception):
        _cache_stack_data_lexer()
    with contextlib.suppress(Exception):
        _cache_executing_style()
    with contextlib.suppress(Exception):
        _cache_closest_colour()


def _cache_stack_data_lexer() -> None:
    pygments: Any = importlib.import_module("pygments")
    lexers: Any = importlib.import_module("pygments.lexers")
    core: Any = importlib.import_module("stack_data.core")
    if getattr(core._pygmented_with_ranges, "_rta_fast", False):
        return
    classes: dict[type, type] = {}

    def lexer_class(base: Any) -> type:
        """stack_data's MyLexer, with the ranges on the instance instead of in a closure."""

        def get_tokens(self: Any, text: str) -> Any:
            length = 0
            for ttype, value in base.get_tokens(self, text):
                if any(start <= length < end for start, end in self._rta_ranges):
                    ttype = ttype.ExecutingNode
                length += len(value)
                yield ttype, value

        return type("MyLexer", (base,), {"get_tokens": get_tokens})

    def pygmented_with_ranges(formatter: Any, code: str, ranges: Any) -> list[str]:
        base = type(lexers.get_lexer_by_name("python3"))
        cls = classes.get(base)
        if cls is None:
            cls = classes[base] = lexer_class(base)
        lexer: Any = cls(stripnl=False)
        lexer._rta_ranges = ranges
        try:
            highlighted = pygments.highlight(code, lexer, formatter)
        except Exception:  # noqa: BLE001  (stack_data's own fallback)
            highlighted = code
        return str(highlighted).splitlines()

    pygmented_with_ranges._rta_fast = True  # type: ignore[attr-defined]
    core._pygmented_with_ranges = pygmented_with_ranges


def _cache_executing_style() -> None:
    stack_data: Any = importlib.import_module("stack_data")
    real = stack_data.style_with_executing_node
    if getattr(real, "_rta_fast", False):
        return
    styles: dict[tuple[Any, str], Any] = {}

    def style_with_executing_node(style: Any, modifier: str) -> Any:
        key = (style, modifier)
        if key not in styles:
            styles[key] = real(style, modifier)
        return styles[key]

    style_with_executing_node._rta_fast = True  # type: ignore[attr-defined]
    stack_data.style_with_executing_node = style_with_executing_node


def _cache_closest_colour() -> None:
    formatter: Any = importlib.import_module("pygments.formatters.terminal256").Terminal256Formatter
    real = formatter._closest_color
    if getattr(real, "_rta_fast", False):
        return
    nearest: dict[tuple[int, int, int], int] = {}

    def closest_color(self: Any, r: int, g: int, b: int) -> int:
        # the 256-colour table is the same for every formatter (_build_color_table)
        key = (r, g, b)
        if key not in nearest:
            nearest[key] = real(self, r, g, b)
        return nearest[key]

    closest_color._rta_fast = True  # type: ignore[attr-defined]
    formatter._closest_color = closest_color
