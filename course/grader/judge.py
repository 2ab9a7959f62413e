"""The judge: runs the test cells where student code never ran, and drives the notebook.

Forked from the warm zygote per notebook, before and apart from the student's process (see
student.py), it never executes student code and never exposes its state: it holds the
test cells (hidden tests included), asks the student's process to run each answer or
read-only cell, and for each test cell fetches the names the test reads (values.py: plain
data, rebuilt here) and runs the test in its own IPython shell, whose outputs are the
verdict. A function the student defined is called through `StudentFunction`: the call runs
in the student's process; arguments and the result cross as data. Read-only cells are
replayed here: tests call the judge's own copies of their helpers, and read the student's
copy of their data only while it still holds what the set-up made (given.py).
Events go to the zygote (channel.py): start, cell, flag, note, problem, sandbox, died, done.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import importlib.util
import keyword
import os
import signal
import sys
from typing import Any

from .channel import Sender
from .codes import Code
from .given import close_new_figures, copy_of, figures, still_holds
from .link import Student, StudentDied
from .names import defines_code, free_names, top_level_bindings
from .outputs import clean_outputs, uncheckable_output
from .rebuild import Decoder
from .shell import CaptureStream, Recorder, ZMQGradingShell
from .student import FdDrain, place_fds, run_cell, stamp
from .values import Encoder, Malformed, Uncheckable


class UncheckableValue(Exception):  # noqa: N818
    """A value the grader cannot check crossed (or failed to cross) a proxied call."""


class StudentFunction:
    """A function the student defined, as a test sees it: calling it runs it over there."""

    def __init__(self, judge: Judge, handle: int, name: str) -> None:
        self._judge, self._handle = judge, handle
        self.__name__ = self.__qualname__ = name if name.isidentifier() else "function"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # noqa: F841  (the test's traceback shows the student's frames)
        return self._judge.call(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


class Judge:
    def __init__(self, shell: ZMQGradingShell, events: Sender, limits: Any, scratch: str) -> None:
        self.shell = shell
        self.events = events
        self.recorder = Recorder(limits.output_chars)
        shell.attach(self.recorder)
        sys.stdout = CaptureStream("stdout", self.recorder)
        sys.stderr = CaptureStream("stderr", self.recorder)
        self.drain = FdDrain({"stdout": 1, "stderr": 2})
        self.budget = self.limit = limits.output_chars  # what the student's cells may add to the notebook
        self.scratch = scratch
        self.student: Student | None = None
        self.initial = set(shell.user_ns)  # In, Out, get_ipython, ...: never fetched
        self.owned: set[str] = set()  # bound by a test cell (and not rebound by the student since)
        self.helpers: set[str] = set()  # functions, classes, modules from replayed read-only cells
        self.given: dict[str, tuple[Any, int]] = {}  # data from replayed read-only cells, and the cell
        self.told: set[str] = set()  # set-up names the student changed, noted once each
        self.in_test = False
        self.reasons: list[str] = []

    # -- events to the zygote --------------------------------------------------------------
    def emit(self, t: str, **fields: Any) -> None:
        self.events.send({"t": t, **fields})

    def tampered(self, what: str) -> None:
        self.emit("flag", why=f"tampered with the grading: {what}", code=Code.TAMPERED.value)

    # -- the notebook ----------------------------------------------------------------------
    def drive(self, plan: list[tuple[int, str, str, str]], student: Student) -> None:
        self.student = student
        ec = self.shell.execution_count
        current = None
        try:
            for index, source, kind, label in plan:
                if not source.strip():
                    continue
                current = index
                self.emit("start", i=index)
                t0 = stamp()
                if kind == "test":
                    outputs, stop = self.run_test(index, source, ec, label), False
                else:
                    outputs, stop = self.run_answer(index, source, ec, kind)
                self.emit("cell", i=index, ec=ec, outputs=outputs, t0=t0, t1=stamp())
                current = None
                ec += 1
                if stop:
                    self.emit(
                        "flag",
                        why=f"exits the kernel (exit()/quit()) in cell {index + 1}",
                        code=Code.EXITED.value,
                    )
                    self.emit("done", exited=True)
                    return
            self.student.request({"op": "end"})
            if self.budget <= 0 or self.recorder.truncated:
                self.emit("note", why=f"output exceeded {self.limit:,} characters; truncated")
        except StudentDied as exc:
            self.emit("died", i=current, why=str(exc))
            return
        self.emit("done", exited=False)

    def run_answer(self, index: int, source: str, ec: int, kind: str) -> tuple[list[dict[str, Any]], bool]:
        assert self.student is not None
        rep, _ = self.student.request({"op": "run", "i": index, "ec": ec, "source": source, "kind": kind})
        outputs, self.budget, bad = clean_outputs(rep.get("outputs"), self.budget)
        if bad:
            self.tampered(f"cell results on the grading channel ({bad})")
        bound = top_level_bindings(source)
        code = kind == "locked" and defines_code(source)
        # data cells only where they bind what tests may read: not the self-check's `_rta_checks`
        if code or (kind == "locked" and any(not n.startswith("_") for n in bound)):
            self.replay(index, source, ec, data_only=not code)
        else:  # an answer cell (whatever it rebinds, set-up data stays the course's), or a
            self.owned -= bound  # read-only cell of private names only
            if kind == "locked":
                self.given = {k: v for k, v in self.given.items() if k not in bound}
        return outputs, bool(rep.get("exit"))

    def wants(self, name: str) -> bool:
        return not (
            name in self.owned or name in self.helpers or name in self.initial or hasattr(builtins, name)
        )

    def fetch(self, names: list[str], label: str) -> list[str]:
        """Bring the values the cell reads into the judge's namespace; the reasons why some
        cannot be checked."""
        if not names:
            return []
        assert self.student is not None
        rep, bufs = self.student.request({"op": "get", "names": names})
        values = rep.get("values")
        if not isinstance(values, dict):
            self.tampered("values on the grading channel")
            return [f"{label}: the values of {', '.join(names)} did not reach the grader"]
        dec = Decoder(bufs, self.proxy, self.module)
        ns, reasons = self.shell.user_ns, []
        for name in names:
            v = values.get(name)
            if isinstance(v, dict) and v.get("missing") is True:
                if not self.use_given(name):
                    ns.pop(name, None)  # a NameError in the test, as in the student's kernel
                continue
            try:
                if not isinstance(v, dict) or ("node" not in v and "error" not in v):
                    raise Malformed("no value")
                if "error" in v:
                    raise Uncheckable(str(v["error"])[:200])
                value = dec.decode(v["node"])
                if name in self.given and not still_holds(value, self.given[name][0]):
                    self.use_given(name)
                else:
                    ns[name] = value
            except Uncheckable as exc:
                if self.use_given(name):
                    continue
                reasons.append(f"{label}: `{name}` is {exc}, which the grader cannot check")
            except RecursionError:
                if self.use_given(name):
                    continue
                reasons.append(f"{label}: `{name}` is nested too deeply, which the grader cannot check")
            except (Exception, SystemExit) as exc:  # noqa: BLE001  (whatever the forged bytes make pandas or NumPy raise)
                self.tampered(f"a malformed value for `{name}` ({type(exc).__name__}: {str(exc)[:100]})")
                reasons.append(f"{label}: `{name}` did not reach the grader intact")
        return reasons

    def use_given(self, name: str) -> bool:
        """The test reads the set-up's own copy of `name` (the student changed, rebound,
        deleted or spoiled it); False when no set-up cell made it."""
        if name not in self.given:
            return False
        value, cell = self.given[name]
        self.shell.user_ns[name] = copy_of(value)
        if name not in self.told:
            self.told.add(name)
            self.emit("note", why=f"`{name}` is not what the read-only cell {cell + 1} made (changed, "
                                  "rebound or deleted): the tests used that cell's own copy")
        return True

    def run_test(self, index: int, source: str, ec: int, label: str) -> list[dict[str, Any]]:
        reasons = self.fetch([n for n in free_names(source) if self.wants(n)], label)
        if reasons:
            for why in reasons:
                self.emit("problem", why=why)
            return [uncheckable_output(reasons)]
        self.recorder.start(index)
        self.shell.execution_count = ec
        self.in_test = True
        try:
            run_cell(self.shell, source, store_history=True)
        except BaseException:  # noqa: BLE001  (an interrupt between IPython's handlers)
            self.shell.showtraceback()
        finally:
            self.in_test = False
        assert self.student is not None
        if self.student.dead:
            raise StudentDied(self.student.dead)
        self.drain.drain(self.recorder)
        self.recorder.flush()
        self.owned |= top_level_bindings(source)
        return self.recorder.cells.pop(index, [])

    def replay(self, index: int, source: str, ec: int, data_only: bool = False) -> None:
        """Run a read-only cell here too (outputs discarded): its helpers become the judge's,
        and its data the set-up's own copy (given.py). The student's kernel ran it; this copy
        is best effort: where it fails, tests read the student's values as before. Data made
        by calling the student's functions is not the course's: such a data cell is not
        replayed (a second call of a function with state would diverge from one kernel)."""
        wanted = [n for n in free_names(source) if self.wants(n)]
        self.fetch(wanted, f"cell {index + 1}")
        ns = self.shell.user_ns
        student_code = any(isinstance(ns.get(n), StudentFunction) for n in wanted)
        if data_only and student_code:
            for name in top_level_bindings(source):
                self.given.pop(name, None)
                self.owned.discard(name)
            return
        slot = -3 - index
        self.recorder.start(slot)
        self.shell.execution_count = ec
        before = figures()
        try:
            result = run_cell(self.shell, source, store_history=False, silent=True)
            ok = bool(getattr(result, "success", False))
        except BaseException:  # noqa: BLE001
            ok = False
        close_new_figures(before)  # silent runs show no figure; none may reach a later test
        self.recorder.flush()
        self.recorder.cells.pop(slot, None)
        for name in top_level_bindings(source):
            if name not in ns:
                continue
            if callable(ns[name]) or type(ns[name]).__name__ == "module":
                self.helpers.add(name)
                self.given.pop(name, None)
            elif ok and not student_code:
                self.given[name] = (copy_of(ns[name]), index)
            else:
                self.given.pop(name, None)

    # -- what crosses ----------------------------------------------------------------------
    def proxy(self, handle: int, name: str) -> StudentFunction:
        return StudentFunction(self, handle, name)

    def module(self, name: str) -> Any:
        """A module the student's value names: the judge's own import of it, only of a module it
        imported already or of one inside the Python installation (stdlib, site-packages);
        never a file elsewhere (a course directory or a submission on sys.path), never a
        `__main__`, and an import that fails or exits is a reason, not a crash."""
        if name in sys.modules:
            return sys.modules[name]
        from .sandbox import in_python_installation

        parts = name.split(".")
        if not all(p.isidentifier() for p in parts) or "__main__" in parts:
            raise Uncheckable(f"the module {name!r}, which the grader cannot import")
        try:
            spec = importlib.util.find_spec(name)
        except BaseException:  # noqa: BLE001  (a parent package's import failed or exited)
            spec = None
        if spec is None or not in_python_installation(getattr(spec, "origin", None) or "/nonexistent"):
            raise Uncheckable(f"the module {name!r}, which the grader cannot import")
        try:
            return importlib.import_module(name)
        except BaseException:  # noqa: BLE001  (ImportError, SystemExit, ... in its own code)
            raise Uncheckable(f"the module {name!r}, which the grader cannot import") from None

    def call(self, fn: StudentFunction, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        __tracebackhide__ = True  # noqa: F841
        assert self.student is not None

        def handle(value: Any) -> int:
            if isinstance(value, StudentFunction):
                return value._handle
            raise Uncheckable(f"a function of the test ({getattr(value, '__name__', '?')})")

        enc = Encoder(handle)
        try:
            anode, knode = enc.encode(tuple(args)), enc.encode(dict(kwargs))
        except Uncheckable as exc:
            raise UncheckableValue(f"{fn.__name__}() cannot be called with a value {exc}") from None
        rep, bufs = self.student.request(
            {"op": "call", "h": fn._handle, "args": anode, "kwargs": knode}, enc.buffers
        )
        self._replay_outputs(rep.get("outputs"))
        op = rep.get("op")
        dec = Decoder(bufs, self.proxy, self.module)
        if op == "return":
            try:
                return dec.decode(rep.get("value"))
            except Uncheckable as exc:
                self.emit("problem", why=f"{fn.__name__}() returned {exc}, which the grader cannot check")
                raise UncheckableValue(
                    f"{fn.__name__}() returned {exc}, which the grader cannot check"
                ) from None
            except (Exception, SystemExit):  # noqa: BLE001  (Malformed, MemoryError, NotImplementedError, ...)
                self.tampered(f"a malformed result of {fn.__name__}()")
                raise UncheckableValue(f"{fn.__name__}() returned a malformed value") from None
        if op == "uncheckable":
            msg = (
                f"{fn.__name__}() returned a value {str(rep.get('why'))[:200]}, which the grader cannot check"
            )
            self.emit("problem", why=msg)
            raise UncheckableValue(msg)
        if op == "raise":
            raise _rebuild(rep, dec)
        self.tampered(f"an unexpected reply to a call of {fn.__name__}()")
        raise UncheckableValue(f"{fn.__name__}() did not return")

    def _replay_outputs(self, outputs: Any) -> None:
        """What the student's function printed or displayed during the call joins the test's
        outputs, as it would in one kernel (stderr there fails the test, as in nbgrader)."""
        cleaned, self.budget, bad = clean_outputs(outputs, self.budget)
        if bad:
            self.tampered(f"outputs of a proxied call ({bad})")
        for out in cleaned:
            if out["output_type"] == "stream":
                (sys.stdout if out["name"] == "stdout" else sys.stderr).write(out["text"])
            elif out["output_type"] == "display_data":
                sys.stdout.flush()
                sys.stderr.flush()
                self.recorder.add(out)


_EXC_TYPES: dict[str, type[Exception]] = {}


def _rebuild(rep: dict[str, Any], dec: Decoder) -> Exception:
    """The student's exception, as an exception of the judge's: a builtin Exception type of
    that name, else a plain Exception subclass named alike (never a BaseException that
    IPython would swallow, such as SystemExit). Its traceback text is spliced in by the shell."""
    ename = rep.get("ename")
    if not isinstance(ename, str) or not ename.isidentifier() or keyword.iskeyword(ename) or len(ename) > 80:
        ename = "StudentError"
    cls = getattr(builtins, ename, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        cls = _EXC_TYPES.setdefault(ename, type(ename, (Exception,), {"__module__": "builtins"}))
    try:
        args = dec.decode(rep.get("args"))
        exc = cls(*args) if isinstance(args, tuple) else cls()
    except Exception:  # noqa: BLE001
        exc = _EXC_TYPES.setdefault(ename, type(ename, (Exception,), {"__module__": "builtins"}))(
            "(the message did not cross intact)"
        )
    tb = rep.get("tb")
    exc._rta_tb = [str(s) for s in tb][:200] if isinstance(tb, list) else []  # type: ignore[attr-defined]
    return exc


def judge_main(fds: dict[str, int], shell: ZMQGradingShell, spec: dict[str, Any]) -> None:
    """Entry point right after fork. Never returns."""
    code = 0
    events = Sender(5)
    try:
        place_fds(
            {
                3: fds["request"],
                4: fds["reply"],
                5: fds["events"],
                1: fds["out"],
                2: fds["err"],
                0: os.open(os.devnull, os.O_RDONLY),
            },
            keep_from=6,
        )
        from .sandbox import protect_judge

        protect_judge(spec["judge_scratch"], spec["limits"])
        judge = Judge(shell, events, spec["limits"], spec["scratch"])

        def on_interrupt(signum: int, frame: Any) -> None:
            if judge.in_test:  # only a test cell over time is interrupted
                raise KeyboardInterrupt

        signal.signal(signal.SIGINT, on_interrupt)
        judge.drive(spec["plan"], Student(judge, 3, 4, spec["student_pid"]))
    except BaseException as exc:  # noqa: BLE001
        code = 70
        with contextlib.suppress(BaseException):
            events.send({"t": "problem", "why": f"grader judge crashed: {type(exc).__name__}: {exc}"})
    finally:
        os._exit(code)
