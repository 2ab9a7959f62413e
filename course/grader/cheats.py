"""Cheat detection: a static scan of what the student wrote and run-time guards in the child.

Student code shares the process with the test cells, so a test can be fooled (nbgrader's
known weakness). Each pattern found here flags the notebook for manual review and the
autograder awards it no points. The static scan runs in the trusted grader; the guards run
inside the sandboxed child and report through the grading channel as soon as they fire.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from collections.abc import Callable
from typing import Any

# Text patterns in student cells that only make sense when tampering with the grader.
STATIC_PATTERNS: list[tuple[str, str]] = [
    (r"\bshowtraceback\b|\bInteractiveTB\b|\bset_custom_exc\b|\bexcepthook\b",
     "changes how errors are reported (showtraceback / excepthook)"),
    (r"__eq__|__ne__", "defines a custom __eq__ / __ne__ (an object that equals anything?)"),
    (r"\b__builtins__\b|\bimport\s+builtins\b|\bfrom\s+builtins\b|\bbuiltins\.",
     "modifies Python builtins"),
    (r"\bos\s*\.\s*_exit\b|\bos\s*\.\s*kill(pg)?\b|\bos\s*\.\s*abort\b|\bsignal\s*\.\s*(raise_signal|pthread_kill)",
     "exits or kills the kernel"),
    (r"\bsys\s*\.\s*exit\b|^\s*(exit|quit)\s*\(", "exits the kernel"),
    (r"\bos\s*\.\s*(fork|forkpty|setsid)\b|\bpty\s*\.\s*fork\b", "forks the kernel process"),
    (r"\bsys\s*\.\s*(settrace|setprofile|displayhook|modules\s*\[)", "tampers with the interpreter"),
    (r"\bsys\s*\.\s*(stdout|stderr)\s*=(?!=)", "redirects sys.stdout / sys.stderr"),
    (r"\bctypes\b|\bgc\s*\.\s*get_(objects|referrers)\b", "inspects or patches interpreter memory"),
    (r"\b_getframe\b|\bf_back\b|\bf_locals\b|\binspect\s*\.\s*(stack|currentframe|getouterframes)\b",
     "inspects the grader's call frames"),
    (r"\bevents\s*\.\s*(register|unregister)\b|\bpost_run_cell\b|\bpre_run_cell\b",
     "hooks into cell execution"),
]

# Builtins whose rebinding in the student namespace changes what an assert means.
SENSITIVE_BUILTINS = {"AssertionError", "Exception", "BaseException", "isinstance", "float", "int",
                      "abs", "round", "len", "bool", "type", "all", "any", "str", "issubclass",
                      "True", "False", "repr", "hash", "callable"}


def static_flags(source: str) -> list[str]:
    """Reasons to flag one student-editable cell (empty when it looks like ordinary work)."""
    found: list[str] = []
    for pattern, reason in STATIC_PATTERNS:
        if re.search(pattern, source, flags=re.MULTILINE):
            found.append(reason)
    for name in sorted(bound_names(source) & SENSITIVE_BUILTINS):
        found.append(f"rebinds the builtin '{name}'")
    return found


def bound_names(source: str) -> set[str]:
    tree = _parse(source)
    if tree is None:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def used_names(source: str) -> set[str]:
    tree = _parse(source)
    if tree is None:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _parse(source: str) -> ast.Module | None:
    from .names import transformable

    if not transformable(source):
        return None
    try:
        from IPython.core import inputtransformer2

        manager: Any = inputtransformer2.TransformerManager
        tree: ast.Module = ast.parse(manager().transform_cell(source))
        return tree
    except Exception:  # a syntax error is the student's own failing cell, not a cheat
        return None


class Guard:
    """Run-time integrity checks inside the sandboxed child.

    A snapshot of the objects tests rely on is taken before any student code runs; before
    each test cell and at the end it is compared with the live objects.
    """

    WATCHED_MODULES = ("builtins", "math", "operator", "numpy", "numpy.testing", "pandas",
                       "pandas.testing", "io", "os", "sys")
    SHELL_METHODS = ("showtraceback", "_showtraceback", "run_cell", "run_code", "run_ast_nodes",
                     "showsyntaxerror", "get_exception_only", "ask_exit")

    def __init__(self, shell: Any, report: Callable[[str], None], stdout: Any, stderr: Any) -> None:
        self.shell = shell
        self.report = report
        self.stdout, self.stderr = stdout, stderr
        self.reported: set[str] = set()
        self.modules = {name: dict(vars(sys.modules[name])) for name in self.WATCHED_MODULES
                        if name in sys.modules}
        self.methods = {m: getattr(type(shell), m) for m in self.SHELL_METHODS}
        self.exc_types = {n: getattr(builtins, n) for n in SENSITIVE_BUILTINS if hasattr(builtins, n)}
        self.locked_bindings: dict[str, int] = {}

    def flag(self, reason: str) -> None:
        if reason not in self.reported:
            self.reported.add(reason)
            self.report(reason)

    def after_locked_cell(self, source: str) -> None:
        """Remember what the notebook's own (read-only) cells define: helpers, data, modules."""
        ns = self.shell.user_ns
        for name in bound_names(source):
            if name in ns:
                self.locked_bindings[name] = id(ns[name])

    def check_names(self, names: list[str]) -> None:
        """Before the judge reads these names for a test cell (defence in depth: the verdict
        no longer depends on this process, but tampering still flags the notebook)."""
        self.check()
        self._check_inputs(sorted(names))

    def check(self, test_source: str | None = None) -> None:
        for modname, snapshot in self.modules.items():
            live = vars(sys.modules.get(modname, object()))
            for key, value in snapshot.items():
                if key.startswith("__") and modname != "builtins":
                    continue
                if key in ("_", "__", "___", "_ih", "_oh", "_dh", "In", "Out", "exit", "quit",
                           "get_ipython", "display", "copyright", "credits", "license", "help"):
                    continue
                if live.get(key, _MISSING) is not value and not _harmless(modname, key):
                    self.flag(f"replaced {modname}.{key}")
        for m, original in self.methods.items():
            if m in vars(self.shell) or getattr(type(self.shell), m) is not original:
                self.flag(f"overrode the shell's {m}")
        if sys.stdout is not self.stdout or sys.stderr is not self.stderr:
            self.flag("redirected sys.stdout / sys.stderr")
            sys.stdout, sys.stderr = self.stdout, self.stderr
        if sys.gettrace() is not None or sys.getprofile() is not None:
            self.flag("installed a trace or profile function")
        if sys.excepthook is not sys.__excepthook__ and sys.excepthook.__module__ == "__main__":
            self.flag("replaced sys.excepthook")
        if test_source is not None:
            self._check_inputs(sorted(used_names(test_source)))

    def _check_inputs(self, names: list[str]) -> None:
        ns = self.shell.user_ns
        for name in names:
            if name not in ns:
                continue
            value = ns[name]
            if name in self.exc_types and value is not self.exc_types[name]:
                self.flag(f"rebound the builtin '{name}' that the tests use")
            if name in self.locked_bindings and id(value) != self.locked_bindings[name] and (
                    callable(value) or type(value).__name__ == "module"):
                self.flag(f"redefined '{name}', which the tests rely on")
            for obj in _sample(value):
                if _fake_equality(obj):
                    self.flag(f"'{name}' holds an object that compares equal to anything")
                    break


_MISSING = object()


def _harmless(modname: str, key: str) -> bool:
    # attributes that legitimately change while ordinary code runs
    return (modname == "sys" and key in {"stdout", "stderr", "displayhook", "excepthook", "ps1", "ps2",
                                          "last_type", "last_value", "last_traceback", "last_exc",
                                          "path_importer_cache", "modules", "path", "meta_path",
                                          "path_hooks", "argv"}) or \
        (modname == "os" and key in {"environ"}) or (modname == "builtins" and key == "_")


def _sample(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, list | tuple | set):
        out.extend(list(value)[:50])
    elif isinstance(value, dict):
        out.extend(list(value.values())[:50])
    return out


class _Probe:
    """A fresh object nothing honest compares equal to."""


def _fake_equality(obj: Any) -> bool:
    cls = type(obj)
    if cls.__module__ in ("builtins", "numpy", "pandas") or cls.__module__.startswith(
            ("numpy.", "pandas.", "matplotlib.", "statsmodels.", "scipy.")):
        return False
    try:
        return bool(obj == _Probe()) or not bool(obj != _Probe())
    except Exception:
        return False


AuditHook = Callable[[str, tuple[Any, ...]], None]


# what libraries read as ordinary behaviour (the loader, time zones, fonts, /proc/self): the
# reads that pass without being trusted; everything else outside `trusted` is the host's
SYSTEM = ("/proc/", "/sys/", "/dev/", "/etc/", "/usr/", "/lib/", "/lib32/", "/lib64/", "/libx32/",
          "/bin/", "/sbin/")


def audit_hook(scratch: str, trusted: tuple[str, ...], watched: tuple[str, ...],
               report: Callable[[str], None], note: Callable[[str], None]) -> AuditHook:
    """A sys.addaudithook callback: attempts to read host files are flagged, network noted.

    `trusted`: the scratch directory, the Python installation and the grader's package;
    `watched`: paths hidden from student code even where they lie under a system folder. A
    read anywhere else than `trusted` and SYSTEM is flagged, wherever the course lives (a
    list of the host's folders to watch missed a checkout under /check).
    Audit hooks cannot be removed from Python code; the callables it needs are bound now so
    that later monkeypatching of os.path does not blind it.
    """
    import os

    abspath, fspath, startswith, endswith = os.path.abspath, os.fspath, str.startswith, str.endswith
    getpid, pid = os.getpid, os.getpid()
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT
    seen: set[str] = set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        # only the student's process itself reports: a child forked to exec a command
        # (IPython's `!ls` through pexpect) must not write on the grading channel, and a
        # failure there would fail its exec (an audit hook's exception is the call's)
        if getpid() != pid:
            return
        if event == "open":
            path, mode, flags = args[0], args[1], args[2] if len(args) > 2 else None
            if isinstance(path, int):
                return
            try:
                p = abspath(fspath(path))
            except Exception:
                return
            if p in seen or startswith(p + "/", trusted):
                return
            seen.add(p)
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and bool(flags & write_flags))
            if writing:
                if not startswith(p, "/dev/"):  # /dev/null, a pty: nothing of the host's
                    note(f"wrote outside the scratch directory: {p}")
            elif not startswith(p + "/", SYSTEM) or startswith(p + "/", watched) \
                    or endswith(p, (".ipynb", ".db", ".sqlite", ".md")):
                report(f"tried to read a file outside the sandbox: {p}")
        elif event in ("socket.connect", "socket.getaddrinfo", "urllib.Request") and "net" not in seen:
            seen.add("net")
            note("tried to use the network (blocked)")
        elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                       "os.forkpty") \
                and "proc" not in seen:
            seen.add("proc")
            note("started a subprocess")

    return hook
