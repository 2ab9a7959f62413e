"""Where students' processes come from: a copy of the warm zygote made before any job arrived.

A process forked from the zygote while it grades holds that job in memory: the notebook with
its hidden tests, the assignment's template, other notebooks. The student's process must
never hold any of it (the garbage collector, frames or a memory scan would find it), so it
is forked from this server instead, which the zygote forks once right after warming up and
which only ever receives what the student's process needs (its scratch files, limits and
the ends of its pipes, passed as file descriptors over a Unix socket).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import struct
from typing import Any

_LEN = struct.Struct(">Q")
FDS = ("reply", "request", "out", "err")


def _send(sock: socket.socket, obj: Any, fds: list[int] | None = None) -> None:
    data = pickle.dumps(obj)
    head = _LEN.pack(len(data))
    if fds:
        socket.send_fds(sock, [head], fds)
    else:
        sock.sendall(head)
    sock.sendall(data)


def _recv(sock: socket.socket, want_fds: int = 0) -> tuple[Any, list[int]]:
    if want_fds:
        head, fds, _, _ = socket.recv_fds(sock, _LEN.size, want_fds)
    else:
        head, fds = sock.recv(_LEN.size, socket.MSG_WAITALL), []
    if len(head) < _LEN.size:
        raise EOFError("fork server closed")
    (n,) = _LEN.unpack(head)
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 22))
        if not chunk:
            raise EOFError("fork server closed")
        chunks.append(chunk)
        got += len(chunk)
    return pickle.loads(b"".join(chunks)), list(fds)  # noqa: S301  (from the zygote, trusted)


class ForkServer:
    """The zygote's handle: `start` forks the server; `spawn` asks it for a student process."""

    def __init__(self, shell: Any) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            ours.close()
            keep = theirs.fileno()
            os.closerange(3, keep)  # the zygote's pipes to the coordinator are none of its business
            os.closerange(keep + 1, 65536)
            code = 0
            try:
                _serve(theirs, shell)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.sock, self.pid = ours, pid

    def spawn(self, spec: dict[str, Any], fds: dict[str, int]) -> int:
        _send(self.sock, spec, [fds[k] for k in FDS])
        pid, _ = _recv(self.sock)
        return int(pid)

    def wait(self, timeout: float | None) -> int | None:
        """The student's wait status once it has ended (None if still running after timeout)."""
        import select

        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return None
        status, _ = _recv(self.sock)
        return int(status)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(OSError, ChildProcessError):
            os.waitpid(self.pid, 0)


def _serve(sock: socket.socket, shell: Any) -> None:
    from .student import child_main

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            spec, fds = _recv(sock, len(FDS))
        except EOFError:
            return
        pid = os.fork()
        if pid == 0:
            sock.close()
            child_main(dict(zip(FDS, fds, strict=True)), shell, spec)
        for fd in fds:
            os.close(fd)
        _send(sock, pid)
        _, status = os.waitpid(pid, 0)
        _send(sock, status)
