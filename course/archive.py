"""The one zip writer. Deterministic: entries in the order given (trees sorted), fixed
timestamps and permissions, so the same files always give the same bytes (a rebuilt book's
downloads are not "changed", a kit's cartridge diffs clean)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

FIXED_DATE = (2026, 1, 1, 0, 0, 0)
Entry = tuple[str, bytes]  # (name inside the archive, content)


def tree(root: Path, prefix: str = "", keep: Callable[[Path], bool] = lambda rel: True) -> Iterator[Entry]:
    """Every file below `root` (sorted), named `prefix/relative path`; `keep` sees the relative path."""
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if f.is_file() and keep(rel):
            yield (str(Path(prefix) / rel) if prefix else str(rel)), f.read_bytes()


def write_zip(target: Path | BinaryIO, entries: Iterable[Entry], compresslevel: int | None = None) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel)


def zip_bytes(entries: Iterable[Entry], compresslevel: int | None = None) -> bytes:
    buf = io.BytesIO()
    write_zip(buf, entries, compresslevel)
    return buf.getvalue()
