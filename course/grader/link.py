"""The judge's end of the student's channel: one request, one reply, in order.

The replies come from the student's process: a late reply (to a request given up on after
an interrupt) is dropped, a forged or out-of-order one flags the notebook, garbage ends it.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from typing import Any, Protocol

from . import wire

REPLY_WAIT = 1.0  # seconds the student's process gets to answer after an interrupt


class Events(Protocol):
    def emit(self, t: str, **fields: Any) -> None: ...

    def tampered(self, what: str) -> None: ...


class StudentDied(Exception):  # noqa: N818
    """The student's process ended (or was killed): later cells cannot run."""


class Student:
    """The judge's end of the student's channel: one request, one reply, in order."""

    def __init__(self, judge: Events, request_fd: int, reply_fd: int, pid: int) -> None:
        self.judge, self.request_fd, self.reply_fd, self.pid = judge, request_fd, reply_fd, pid
        self.seq = 0
        self.dead: str | None = None

    def request(
        self, header: dict[str, Any], buffers: list[bytes] | tuple[bytes, ...] = ()
    ) -> tuple[dict[str, Any], list[bytes]]:
        __tracebackhide__ = True  # noqa: F841
        if self.dead:
            raise StudentDied(self.dead)
        self.seq += 1
        seq = self.seq
        try:
            wire.send(self.request_fd, {**header, "seq": seq}, buffers)
        except OSError as exc:
            self._die(f"the kernel stopped ({exc.strerror})")
        while True:
            try:
                rep, bufs = wire.receive(self.reply_fd)
            except KeyboardInterrupt:
                self._interrupt(seq)
                raise
            except EOFError:
                self._die("the kernel stopped")
            except (wire.Garbage, ValueError) as exc:
                self.judge.tampered(f"malformed data written to the grading channel ({exc})")
                self._die("malformed data on the grading channel", kill=True)
            if self._relay(rep) or rep.get("seq", seq) < seq:
                continue  # an event, or a late reply to a request given up on after an interrupt
            if rep.get("seq") != seq:
                self.judge.tampered("a forged or out-of-order message on the grading channel")
                continue
            return rep, bufs

    def _relay(self, rep: dict[str, Any]) -> bool:
        op = rep.get("op")
        if op in ("flag", "note"):
            self.judge.emit(op, why=str(rep.get("why"))[:300])
        elif op == "sandbox":
            self.judge.emit("sandbox", skipped=[str(s)[:300] for s in rep.get("skipped", [])][:20])
        elif op == "crash":
            # sent by the student's process: its own code broke it (a trace clearing frames, ...)
            why = str(rep.get("why"))[:200]
            self.judge.emit("problem", why=f"the process running the notebook's code crashed: {why}")
        else:
            return False
        return True

    def _interrupt(self, seq: int) -> None:
        """The cell ran out of time while the student's process was busy: interrupt it too and
        wait briefly for its answer, so that the channel stays in step (or kill it)."""
        try:
            os.kill(self.pid, signal.SIGINT)
            ready, _, _ = select.select([self.reply_fd], [], [], REPLY_WAIT)
            while ready:
                rep, _ = wire.receive(self.reply_fd)
                if not self._relay(rep) and rep.get("seq") == seq:
                    return
                ready, _, _ = select.select([self.reply_fd], [], [], REPLY_WAIT)
        except (OSError, EOFError, wire.Garbage, ValueError):
            pass
        self._die("the kernel did not stop when interrupted", kill=True)

    def _die(self, why: str, kill: bool = False) -> Any:
        self.dead = why
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        raise StudentDied(why)
