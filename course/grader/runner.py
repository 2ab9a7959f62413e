"""Inside the sandboxed child: execute a notebook's code cells and stream the outputs back.

Messages (see channel.py): `sandbox` (what confinement held), `start` (cell i begins),
`cell` (its outputs and execution count), `flag` (a cheating pattern, immediately),
`note`, `done`. The grader treats a missing `done` as a crash of the kernel.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from datetime import UTC, datetime
from typing import Any

from .channel import Sender
from .cheats import Guard, audit_hook
from .shell import CaptureStream, Recorder, ZMQGradingShell

_now = datetime.now
_kill = os.kill  # bound now: student code may replace os.kill


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


def run_cells(shell: ZMQGradingShell, chan: Sender, plan: list[tuple[int, str, str]],
              paths: dict[str, Any], drain: FdDrain, output_chars: int) -> None:
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    recorder = Recorder(output_chars)
    shell.attach(recorder)
    out, err = CaptureStream("stdout", recorder), CaptureStream("stderr", recorder)
    sys.stdout, sys.stderr = out, err

    def flag(why: str) -> None:
        chan.send({"t": "flag", "why": why})

    def note(why: str) -> None:
        chan.send({"t": "note", "why": why})

    guard = Guard(shell, flag, out, err)
    sys.addaudithook(audit_hook(paths["scratch"], paths["trusted"], paths["watched"], flag, note))
    for index, source, kind in plan:
        if not source.strip():
            continue
        chan.send({"t": "start", "i": index})
        recorder.start(index)
        if kind == "test":
            guard.check(source)
        count = shell.execution_count
        t0 = stamp()
        try:
            shell.run_cell(source, store_history=True)
        except BaseException as exc:  # e.g. an interrupt outside IPython's own handler
            shell.showtraceback()
            note(f"cell {index + 1} ended with {type(exc).__name__} outside the shell")
        drain.drain(recorder)
        recorder.flush()
        if kind == "locked":
            guard.after_locked_cell(source)
        chan.send({"t": "cell", "i": index, "ec": count, "outputs": recorder.cells.get(index, []),
                   "t0": t0, "t1": stamp()})
        if shell.exit_now:
            flag(f"exits the kernel (exit()/quit()) in cell {index + 1}")
            break
    guard.check()
    if recorder.truncated:
        note(f"output exceeded {output_chars:,} characters; truncated")
    chan.send({"t": "done"})


def child_main(chan_fd: int, out_fd: int, err_fd: int, shell: ZMQGradingShell, job: dict[str, Any]) -> None:
    """Entry point right after fork. Never returns: the process always ends with os._exit."""
    code = 0
    try:
        os.dup2(chan_fd, 3)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.closerange(4, 65536)  # the grader's own pipes must be out of reach of student code
        chan = Sender(3)
        import signal

        # the zygote ignores Ctrl-C; a kernel does not (timeouts interrupt the cell)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from .sandbox import confine

        conf = confine(job["scratch"], job["hide"], job["limits"], job["uid"])
        chan.send({"t": "sandbox", "applied": conf.applied, "skipped": conf.skipped})
        # fds 1 and 2 were opened before confinement; read them back through /proc
        drain = FdDrain({"stdout": 1, "stderr": 2})
        run_cells(shell, chan, job["plan"], job["paths"], drain, job["limits"].output_chars)
        if os.getuid() == job["uid"] != 0:  # only ever as the sandbox's own uid: its leftovers
            _kill(-1, 9)
    except BaseException as exc:  # noqa: BLE001 - report anything, then die
        code = 70
        with contextlib.suppress(BaseException):
            Sender(3).send({"t": "crash", "why": f"{type(exc).__name__}: {exc}"})
    finally:
        os._exit(code)
