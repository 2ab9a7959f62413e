"""The package stays readable: no file in course/ over 400 lines, no function over 60, data
tables (literals: a constant table, a function that only returns one) excepted; one test
module per `rta` command."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60

# Over the limits today, split by their owner's rework (README "Layout").
KNOWN: set[str] = set()  # exceptions, each with a reason; none today


def _is_literal(node: ast.AST | None) -> bool:
    try:
        ast.literal_eval(node)  # type: ignore[arg-type]
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return False
    return node is not None


def _lines(node: ast.AST) -> int:
    return node.end_lineno - node.lineno + 1  # type: ignore[attr-defined, no-any-return]


def _table_lines(tree: ast.Module) -> int:
    """Lines of module-level constants that are literals (data tables)."""
    return sum(_lines(n) for n in tree.body
               if isinstance(n, ast.Assign | ast.AnnAssign) and _is_literal(n.value))


def _is_table_function(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], ast.Return) and _is_literal(body[0].value)


def measure(path: Path, root: Path = ROOT) -> list[tuple[str, int, int]]:
    """(name, lines, limit) of whatever in `path` is over its limit."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(root).as_posix()
    over = []
    code_lines = len(path.read_text(encoding="utf-8").splitlines()) - _table_lines(tree)
    if code_lines > MAX_FILE_LINES:
        over.append((rel, code_lines, MAX_FILE_LINES))
    for node in ast.walk(tree):
        if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not _is_table_function(node)
                and _lines(node) > MAX_FUNCTION_LINES):
            over.append((f"{rel}::{node.name}", _lines(node), MAX_FUNCTION_LINES))
    return over


def test_files_and_functions_within_limits() -> None:
    over = [o for p in sorted(COURSE.rglob("*.py")) for o in measure(p)]
    new = [f"{name}: {n} lines (limit {limit})" for name, n, limit in over if name not in KNOWN]
    assert not new, "split these (a module by job, a function by step):\n" + "\n".join(new)


def test_the_measure_catches_a_long_function_and_spares_a_table(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    table = "\n".join(f"        {i}: 'row {i}'," for i in range(MAX_FUNCTION_LINES))
    src = f"def long():\n{body}\n\n\ndef table():\n    return {{\n{table}\n    }}\n"
    path = tmp_path / "probe.py"
    path.write_text(src, encoding="utf-8")
    assert [name for name, _, _ in measure(path, tmp_path)] == ["probe.py::long"]
    path.write_text(src + "\n" * MAX_FILE_LINES, encoding="utf-8")
    assert [name for name, _, _ in measure(path, tmp_path)] == ["probe.py", "probe.py::long"]


def _commands() -> list[str]:
    from course.cli import app

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    return sorted(names | {g.name for g in app.registered_groups if g.name})


def test_each_command_has_its_test_module() -> None:
    """tests/test_rta_<command>.py (a command with a subsystem of its own, e.g. `rta hub`,
    may keep its tests in tests/test_<command>*.py)."""
    tests = ROOT / "tests"
    missing = [c for c in _commands() if not (tests / f"test_rta_{c}.py").exists()
               and not list(tests.glob(f"test_{c}*.py"))]
    assert not missing, f"no test module for: {', '.join(f'rta {c}' for c in missing)}"
    assert {"check", "release", "prove", "autograde", "feedback", "grades", "build", "preview",
            "publish", "export", "data"} <= set(_commands())
