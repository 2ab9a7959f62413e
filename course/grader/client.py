"""The coordinator's handle on a zygote: pipes, start-up, one restart when it dies."""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any


class ZygoteClient:
    """One zygote's pipes. `group` starts one process that warms up once and forks the
    others; a client whose zygote dies is restarted on its own."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self.proc: Any = None  # the process this client may kill (None for forked siblings)
        self.inp: Any = None
        self.out: Any = None
        self.preload = preload
        self.ready = False
        self.connected = False

    @classmethod
    def group(cls, n: int, preload: tuple[str, ...] = ()) -> list[ZygoteClient]:
        from multiprocessing.connection import Connection

        clients = [cls(preload) for _ in range(max(1, n))]
        pipes = [(os.pipe(), os.pipe()) for _ in clients]  # (to zygote, from zygote)
        proc = _popen(preload, [(to[0], frm[1]) for to, frm in pipes])
        for client, (to, frm) in zip(clients, pipes, strict=True):
            os.close(to[0])
            os.close(frm[1])
            client.inp, client.out = Connection(frm[0], writable=False), Connection(to[1], readable=False)
            client.connected = True
        clients[0].proc = proc
        return clients

    def spawn(self) -> None:
        self.close()
        (fresh,) = ZygoteClient.group(1, self.preload)
        self.proc, self.inp, self.out, self.connected = fresh.proc, fresh.inp, fresh.out, True

    def run(self, job: Any) -> Any:
        from .jobs import JobResult

        for attempt in range(2):
            try:
                if not self.connected:
                    self.spawn()
                if not self.ready:
                    hello = self.inp.recv()
                    self.ready = "ready" in hello
                self.out.send(job)
                return self.inp.recv()
            except (EOFError, OSError, pickle.PicklingError) as exc:
                self.close()
                if attempt:
                    return JobResult(job.student, job.assignment, error=f"grader process failed: {exc}")
        raise AssertionError("unreachable")

    def close(self) -> None:
        for c in (self.inp, self.out):
            with contextlib.suppress(Exception):
                c.close()
        if self.proc is not None:  # closed pipes end its loop: let it remove its scratch root
            try:
                self.proc.wait(3)
            except Exception:
                with contextlib.suppress(Exception):
                    self.proc.kill()
                    self.proc.wait(5)
        self.proc = self.inp = self.out = None
        self.ready = self.connected = False


def _popen(preload: tuple[str, ...], pairs: list[tuple[int, int]]) -> Any:
    import subprocess

    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    fds = tuple(fd for pair in pairs for fd in pair)
    # Only what Python, matplotlib and the grader read: the zygote's first environment stays in
    # its memory and /proc/PID/environ, and so in every student process forked from it (no
    # tokens or database URLs of the coordinator may be there).
    env = {k: v for k, v in os.environ.items() if k in ZYGOTE_ENV or k.startswith(ZYGOTE_ENV_PREFIXES)}
    return subprocess.Popen([sys.executable, "-m", "course.grader.zygote", ",".join(preload),
                             *(f"{r}:{w}" for r, w in pairs)],
                            pass_fds=fds, stdin=subprocess.DEVNULL, env={**env, "PYTHONPATH": path})


ZYGOTE_ENV = frozenset({"PATH", "HOME", "LANG", "TZ", "TMPDIR", "VIRTUAL_ENV", "MPLCONFIGDIR",
                        "IPYTHONDIR", "SOURCE_DATE_EPOCH"})
# What changes a notebook's results or outputs, as it would in stock nbgrader's kernel (the
# machine's OPENBLAS_CORETYPE picks the BLAS kernels, so the last digits of a fit): the
# interpreter's, the numeric libraries', the locale's, Jupyter's and matplotlib's settings.
ZYGOTE_ENV_PREFIXES = ("PYTHON", "OPENBLAS_", "OMP_", "MKL_", "NPY_", "NUMPY_", "NUMEXPR_", "BLIS_",
                       "GOTO", "KMP_", "VECLIB_", "NVPL_", "LC_", "JUPYTER_", "XDG_", "MPL")
