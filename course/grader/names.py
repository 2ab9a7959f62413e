"""What a cell reads and binds, by static analysis (`symtable` on IPython's transformed source).

The judge asks the student's process only for a test cell's *free* names: those it reads
(at top level or as globals inside its functions and comprehensions) and never binds itself.
"""

from __future__ import annotations

import ast
import symtable
from typing import Any

MAX_MAGIC_LINES = 100  # IPython's transformer is quadratic in them: 501 lines take 13 s


def transformable(source: str) -> bool:
    """False for a cell the grader does not run through IPython's transformer (its kernel still
    does): one of more than 100 magic or shell lines, or of more than 1 MB. No honest answer is
    either, and analysing it would cost the grader minutes outside every limit."""
    if len(source) > 1_000_000:
        return False
    return sum(1 for line in source.splitlines() if line.lstrip()[:1] in ("%", "!")) <= MAX_MAGIC_LINES


def python_source(source: str) -> str | None:
    """The cell as Python (magics and shell escapes transformed as IPython does), or None."""
    if not transformable(source):
        return None
    try:
        from IPython.core import inputtransformer2

        manager: Any = inputtransformer2.TransformerManager
        code: str = manager().transform_cell(source)
        ast.parse(code)
        return code
    except Exception:  # noqa: BLE001  (SyntaxError, RecursionError, MemoryError, IPython's own RuntimeError ...)
        return None


def free_names(source: str) -> list[str]:
    code = python_source(source)
    if code is None:
        return []
    try:
        top = symtable.symtable(code, "<cell>", "exec")
    except Exception:  # noqa: BLE001
        return []
    bound = {
        s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()
    }
    used: set[str] = set()
    tables = [top]
    while tables:
        t = tables.pop()
        for s in t.get_symbols():
            if s.is_referenced() and (t is top or s.is_global()):
                used.add(s.get_name())
        tables.extend(t.get_children())
    return sorted(used - bound)


def top_level_bindings(source: str) -> set[str]:
    """Names a cell binds at module level (assignments, imports, def, class)."""
    code = python_source(source)
    if code is None:
        return set()
    try:
        top = symtable.symtable(code, "<cell>", "exec")
    except Exception:  # noqa: BLE001
        return set()
    return {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}


def defines_code(source: str) -> bool:
    """True when a read-only cell defines a function or class or imports something: the judge
    replays such cells to hold its own copy of those helpers."""
    code = python_source(source)
    if code is None:
        return False
    try:
        tree = ast.parse(code)
    except Exception:  # noqa: BLE001
        return False
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
    return any(isinstance(node, kinds) for node in tree.body)
