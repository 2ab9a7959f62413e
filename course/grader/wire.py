"""Framed messages between the judge and the student's process: a JSON header plus byte buffers.

    frame = b"RTA1" | u32 header length | u32 buffer count | header (JSON) | (u64 length | bytes)*

The reader is the judge (trusted) reading the student's process (untrusted): sizes are
bounded and anything that does not parse is `Garbage`, never believed.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

MAGIC = b"RTA1"
HEAD = struct.Struct(">4sII")
LEN = struct.Struct(">Q")
MAX_HEADER = 64 * 1024**2
MAX_FRAME = 512 * 1024**2

_write = os.write  # bound now: student code may later replace os.write or json.dumps
_read = os.read
_dumps = json.dumps


class Garbage(Exception):  # noqa: N818
    """Bytes on the channel that are not a frame."""


def send(fd: int, header: dict[str, Any], buffers: list[bytes] | tuple[bytes, ...] = ()) -> None:
    body = _dumps(header, ensure_ascii=True, allow_nan=False).encode()
    parts = [HEAD.pack(MAGIC, len(body), len(buffers)), body]
    for b in buffers:
        parts += [LEN.pack(len(b)), b]
    view = memoryview(b"".join(parts))
    while view:
        n = _write(fd, view)
        view = view[n:]


def _exactly(fd: int, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        data = _read(fd, min(n - got, 1 << 22))
        if not data:
            raise EOFError("channel closed")
        chunks.append(data)
        got += len(data)
    return b"".join(chunks)


def receive(fd: int, max_frame: int = MAX_FRAME) -> tuple[dict[str, Any], list[bytes]]:
    magic, hlen, nbuf = HEAD.unpack(_exactly(fd, HEAD.size))
    if magic != MAGIC or hlen > MAX_HEADER or nbuf > 1_000_000:
        raise Garbage("not a frame")
    try:
        header = json.loads(_exactly(fd, hlen))
    except ValueError as exc:
        raise Garbage(f"header is not JSON: {exc}") from None
    except RecursionError:
        raise Garbage("header nested too deeply") from None
    if not isinstance(header, dict):
        raise Garbage("header is not an object")
    total, buffers = hlen, []
    for _ in range(nbuf):
        (n,) = LEN.unpack(_exactly(fd, LEN.size))
        total += n
        if total > max_frame:
            raise Garbage(f"frame larger than {max_frame // 1024**2} MiB")
        buffers.append(_exactly(fd, n))
    return header, buffers
