"""The student's process: runs the answer and read-only cells, answers the judge's requests.

It never sees a test cell. Requests (wire.py frames on fd 4, replies on fd 3):
  run   {i, ec, source}         run one cell; reply its outputs
  get   {names}                 the values a test cell reads, encoded by values.py
  call  {h, args, kwargs}       call a function the student defined (a test's proxy)
  end                           final checks, then exit
Everything here runs alongside student code, so nothing it sends is trusted: the judge
checks every reply, and only self-harm (a flag, an error) can come of forging one.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from datetime import UTC, datetime
from typing import Any

from . import wire
from .cheats import Guard, audit_hook
from .rebuild import Decoder
from .shell import CaptureStream, Recorder, ZMQGradingShell
from .values import Encoder, Uncheckable, type_name

_now = datetime.now
_kill = os.kill  # bound now: student code may replace os.kill
REPLY_FD, REQUEST_FD = 3, 4
CALL_CELL = -2  # the recorder's slot for outputs printed during a proxied call


def run_cell(shell: Any, source: str, **kwargs: Any) -> Any:
    """InteractiveShell.run_cell (IPython leaves it unannotated)."""
    return shell.run_cell(source, **kwargs)


def stamp() -> str:
    return _now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FdDrain:
    """Output written straight to file descriptors 1 and 2 (C code, subprocesses), as ipykernel
    forwards it: read back after each cell into the matching stream."""

    def __init__(self, fds: dict[str, int]) -> None:
        self.fds = fds
        self.pos = dict.fromkeys(fds, 0)

    def drain(self, recorder: Recorder) -> None:
        for name, fd in self.fds.items():
            try:
                data = os.pread(fd, 1_000_000, self.pos[name])
            except OSError:
                continue
            if data:
                self.pos[name] += len(data)
                recorder.write(name, data.decode("utf-8", "replace"))


class Kernel:
    """The student's side of the protocol."""

    def __init__(self, shell: ZMQGradingShell, paths: dict[str, Any], output_chars: int) -> None:
        random.seed()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        self.shell = shell
        self.recorder = Recorder(output_chars)
        self.recorder_limit = output_chars
        shell.attach(self.recorder)
        self.out, self.err = CaptureStream("stdout", self.recorder), CaptureStream("stderr", self.recorder)
        sys.stdout, sys.stderr = self.out, self.err
        self.drain = FdDrain({"stdout": 1, "stderr": 2})
        self.guard = Guard(shell, self.flag, self.out, self.err)
        self.handles: dict[int, Any] = {}
        sys.addaudithook(
            audit_hook(paths["scratch"], paths["trusted"], paths["watched"], self.flag, self.note)
        )

    def send(self, header: dict[str, Any], buffers: list[bytes] | tuple[bytes, ...] = ()) -> None:
        wire.send(REPLY_FD, header, buffers)

    def flag(self, why: str) -> None:
        self.send({"op": "flag", "why": why})

    def note(self, why: str) -> None:
        self.send({"op": "note", "why": why})

    def serve(self) -> None:
        """SIGINT (a cell over time) is held back except while student code runs: an interrupt
        must never cut a reply in half."""
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while True:
            req, bufs = wire.receive(REQUEST_FD)
            op, seq = req.get("op"), req.get("seq")
            if op == "run":
                self.send({"op": "cell", "seq": seq, **self.run(req)})
                if self.shell.exit_now:
                    return
            elif op == "get":
                self.get(seq, req)
            elif op == "call":
                self.call(seq, req, bufs)
            elif op == "end":
                self.guard.check()
                if self.recorder.truncated:
                    self.note(f"output exceeded {self.recorder_limit:,} characters; truncated")
                self.send({"op": "bye", "seq": seq, "truncated": self.recorder.truncated})
                return

    def run(self, req: dict[str, Any]) -> dict[str, Any]:
        index, source = req["i"], req["source"]
        self.recorder.start(index)
        self.shell.execution_count = req["ec"]
        t0 = stamp()
        try:
            with _interruptible():
                run_cell(self.shell, source, store_history=True)
        except BaseException as exc:  # noqa: BLE001  (e.g. an interrupt outside IPython's own handler)
            self.shell.showtraceback()
            self.note(f"cell {index + 1} ended with {type(exc).__name__} outside the shell")
        self.drain.drain(self.recorder)
        self.recorder.flush()
        if req.get("kind") == "locked":
            self.guard.after_locked_cell(source)
        return {
            "i": index,
            "outputs": self.recorder.cells.pop(index, []),
            "t0": t0,
            "t1": stamp(),
            "exit": bool(self.shell.exit_now),
        }

    def _encoder(self) -> Encoder:
        def handle(fn: Any) -> int:
            self.handles[id(fn)] = fn
            return id(fn)

        return Encoder(handle)

    def get(self, seq: Any, req: dict[str, Any]) -> None:
        names = [n for n in req.get("names", []) if isinstance(n, str)]
        self.guard.check_names(names)
        enc, values = self._encoder(), dict[str, dict[str, Any]]()
        ns = self.shell.user_ns
        for name in names:
            if name not in ns:
                values[name] = {"missing": True}
                continue
            try:
                values[name] = {"node": enc.encode(ns[name])}
            except Uncheckable as exc:
                values[name] = {"error": str(exc)}
            except RecursionError:
                values[name] = {"error": "nested too deeply"}
            except Exception as exc:  # noqa: BLE001  (a value whose own methods raise while read)
                values[name] = {"error": f"a value that raised {type(exc).__name__} while it was read"}
        self.send({"op": "values", "seq": seq, "values": values}, enc.buffers)

    def call(self, seq: Any, req: dict[str, Any], bufs: list[bytes]) -> None:
        __tracebackhide__ = True  # noqa: F841  (IPython leaves this frame out of tracebacks)
        fn = self.handles.get(req.get("h"))  # type: ignore[arg-type]
        dec = Decoder(bufs, lambda h, name: self.handles[h], __import__)
        self.recorder.start(CALL_CELL)
        try:
            args, kwargs = dec.decode(req["args"]), dec.decode(req["kwargs"])
            with _interruptible():
                value = _invoke(fn, args, kwargs)
        except BaseException as exc:  # noqa: BLE001  (the test sees the student's exception)
            self._raised(seq, exc)
            return
        outputs = self._call_outputs()
        enc = self._encoder()
        try:
            node = enc.encode(value)
        except (Uncheckable, RecursionError) as exc:
            why = str(exc) if isinstance(exc, Uncheckable) else "nested too deeply"
            self.send(
                {"op": "uncheckable", "seq": seq, "why": why, "type": type_name(value), "outputs": outputs}
            )
            return
        self.send({"op": "return", "seq": seq, "value": node, "outputs": outputs}, enc.buffers)

    def _call_outputs(self) -> list[dict[str, Any]]:
        self.drain.drain(self.recorder)
        self.recorder.flush()
        return self.recorder.cells.pop(CALL_CELL, [])

    def _raised(self, seq: Any, exc: BaseException) -> None:
        try:
            stb = self.shell.InteractiveTB.structured_traceback(type(exc), exc, exc.__traceback__)
        except Exception:  # noqa: BLE001
            stb = [f"{type(exc).__name__}: {exc}"]
        outputs = self._call_outputs()
        enc = self._encoder()
        try:
            args = enc.encode(tuple(exc.args))
        except (Uncheckable, RecursionError):
            enc, args = self._encoder(), ["t", [["s", str(exc)]]]
        self.send(
            {
                "op": "raise",
                "seq": seq,
                "ename": type(exc).__name__,
                "args": args,
                "tb": [str(s) for s in stb][:200],
                "outputs": outputs,
            },
            enc.buffers,
        )


@contextlib.contextmanager
def _interruptible() -> Any:
    import signal

    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _invoke(fn: Any, args: Any, kwargs: Any) -> Any:
    __tracebackhide__ = True  # noqa: F841
    return fn(*args, **kwargs)


def place_fds(wanted: dict[int, int], keep_from: int) -> None:
    """Put each fd at its number and close every other from `keep_from` up (the grader's own
    pipes must be out of reach). Moved high first: a source may sit on another's target."""
    import fcntl

    high = {target: fcntl.fcntl(src, fcntl.F_DUPFD, 1000) for target, src in wanted.items()}
    for target, src in high.items():
        os.dup2(src, target)
    os.closerange(keep_from, 65536)


def child_main(fds: dict[str, int], shell: ZMQGradingShell, job: dict[str, Any]) -> None:
    """Entry point right after fork. Never returns: the process always ends with os._exit."""
    code = 0
    try:
        place_fds(
            {
                REPLY_FD: fds["reply"],
                REQUEST_FD: fds["request"],
                1: fds["out"],
                2: fds["err"],
                0: os.open(os.devnull, os.O_RDONLY),
            },
            keep_from=5,
        )  # the grader's own pipes must be out of reach of student code
        import signal

        # the zygote ignores Ctrl-C; a kernel does not (timeouts interrupt the cell)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from .sandbox import confine

        conf = confine(job["scratch"], job["hide"], job["limits"], job["uid"], job["files"], job["writable"])
        wire.send(REPLY_FD, {"op": "sandbox", "applied": conf.applied, "skipped": conf.skipped})
        Kernel(shell, job["paths"], job["limits"].output_chars).serve()
        if os.getuid() == job["uid"] != 0:  # only ever as the sandbox's own uid: its leftovers
            _kill(-1, 9)
    except BaseException as exc:  # noqa: BLE001 - report anything, then die
        code = 70
        with contextlib.suppress(BaseException):
            wire.send(REPLY_FD, {"op": "crash", "why": f"{type(exc).__name__}: {exc}"})
    finally:
        os._exit(code)
