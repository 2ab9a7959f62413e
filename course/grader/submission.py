"""Read one submission folder without trusting it, once, before anything is graded.

The coordinator may run as root, and everything under `submitted/<student>/` is the
student's: a symbolic link there could make the coordinator read the solution, the gradebook
or any host file and hand it back in the autograded folder or the feedback. So the folder is
walked with directory file descriptors and `O_NOFOLLOW` from the course's `submitted/`
directory down: no path is ever resolved through a link, and an entry that is not a plain
file or folder is refused with a reason while the rest is graded:

- symbolic links (to anything, even inside the submission),
- FIFOs, sockets and device files (reading one can block the batch or read hardware),
- files with more than one hard link (a hard link can name any file on the same disk),
- too deep, too many files, or a file over the size limit.

What is read here is all the grader and the gradebook writer ever see of the submission
(the notebooks, the extra files, `timestamp.txt`), so nothing can change between grading
and copying into `autograded/`.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

MAX_DEPTH = 16
MAX_FILES = 2000
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK


@dataclass
class Submission:
    student: str
    notebooks: dict[str, bytes | None]  # name (no .ipynb) -> bytes, None when not submitted
    files: dict[str, bytes] = field(default_factory=dict)  # other files, relative paths
    timestamp: str | None = None  # the text of timestamp.txt, if there is one
    collected: datetime | None = None  # when the folder was last changed (set by collection)
    notes: list[str] = field(default_factory=list)  # what was refused or left out, and why
    refused: str | None = None  # the folder itself cannot be read safely


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "a special file"


def _open_chain(base: Path, parts: list[str]) -> int:
    """A descriptor for base/parts[0]/parts[1]/..., refusing a link at any step."""
    fd = os.open(base, _DIR_FLAGS)
    try:
        for part in parts:
            nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_file(name: str, dir_fd: int, max_bytes: int) -> bytes:
    fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped for something else since the listing
            raise OSError(f"is {_kind(st.st_mode)}")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
        return b"".join(chunks)
    finally:
        os.close(fd)


class _Walk:
    def __init__(self, sub: Submission, ignore: list[str], wanted: set[str], max_bytes: int) -> None:
        self.sub, self.ignore, self.wanted, self.max_bytes = sub, ignore, wanted, max_bytes
        self.count = 0

    def refuse(self, rel: str, why: str) -> None:
        self.sub.notes.append(f"file {rel} {why}: not read, the rest is graded")

    def walk(self, dir_fd: int, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.refuse(prefix.rstrip("/"), f"is nested more than {MAX_DEPTH} folders deep")
            return
        for name in sorted(os.listdir(dir_fd)):
            rel = prefix + name
            if any(fnmatch.fnmatch(name, pat) for pat in self.ignore):
                continue
            self.count += 1
            if self.count > MAX_FILES:
                self.refuse(rel, f"is past the limit of {MAX_FILES} files")
                return
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                self.refuse(rel, "is a symbolic link (links are never followed)")
            elif stat.S_ISDIR(st.st_mode):
                try:
                    sub_fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
                except OSError as exc:
                    self.refuse(rel, f"could not be opened as a folder ({exc.strerror})")
                    continue
                try:
                    self.walk(sub_fd, rel + "/", depth + 1)
                finally:
                    os.close(sub_fd)
            elif not stat.S_ISREG(st.st_mode):
                self.refuse(rel, f"is {_kind(st.st_mode)}")
            elif st.st_nlink > 1:
                self.refuse(rel, "has other hard links (a hard link can name any file on the disk)")
            else:
                self.file(name, rel, dir_fd, st.st_size, top=not prefix)

    def file(self, name: str, rel: str, dir_fd: int, size: int, top: bool) -> None:
        if size > self.max_bytes:
            self.sub.notes.append(f"file {rel} ({size / 1024 ** 2:.0f} MB) is too large to grade "
                                  "with; left out")
            return
        try:
            data = _read_file(name, dir_fd, self.max_bytes)
        except OSError as exc:
            self.refuse(rel, exc.strerror or str(exc))
            return
        if top and name.endswith(".ipynb") and name[:-6] in self.wanted:
            self.sub.notebooks[name[:-6]] = data
        elif top and name == "timestamp.txt":
            self.sub.timestamp = data[:200].decode("utf-8", "replace")
            self.sub.files[rel] = data
        elif not name.endswith(".ipynb"):
            self.sub.files[rel] = data


def read_submission_tree(course_dir: Path, student: str, assignment: str, notebooks: list[str],
                         ignore: list[str], max_bytes: int) -> Submission:
    """Everything of `submitted/<student>/<assignment>/` that may be graded, read safely."""
    sub = Submission(student, dict.fromkeys(notebooks))
    try:
        fd = _open_chain(course_dir / "submitted", [student, assignment])
    except OSError as exc:
        sub.refused = (f"the submission folder submitted/{student}/{assignment} is a link or cannot "
                       f"be opened ({exc.strerror or exc}); nothing was read")
        return sub
    try:
        st = os.fstat(fd)
        # naive UTC, as nbgrader stores submission times
        sub.collected = datetime.fromtimestamp(st.st_mtime, tz=UTC).replace(tzinfo=None)
        _Walk(sub, ignore, set(notebooks), max_bytes).walk(fd, "", 0)
    finally:
        os.close(fd)
    return sub


def submitted_students(course_dir: Path, assignment: str) -> list[str]:
    """Students with a `submitted/<student>/<assignment>/` entry. A link there is listed too,
    so that it is reported (and refused) rather than silently skipped."""
    root = course_dir / "submitted"
    if not root.is_dir():
        return []
    out = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        inner = Path(entry.path) / assignment
        if entry.is_symlink() or (entry.is_dir(follow_symlinks=False) and os.path.lexists(inner)):
            out.append(entry.name)
    return out


def submission_time(sub: Submission) -> tuple[datetime | None, str | None]:
    """The time in timestamp.txt, or a recorded fallback when the file is malformed (stock
    nbgrader stops the whole assignment there). An empty file means no time, as in stock."""
    if sub.timestamp is None or not sub.timestamp.strip():
        return None, None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(sub.timestamp.strip()), None
    except Exception:
        shown = sub.timestamp.strip()[:40]
        when = sub.collected
        return when, (f"timestamp.txt is malformed ({shown!r}); graded with the time the folder was "
                      f"collected ({when:%Y-%m-%d %H:%M:%S} UTC) as the submission time"
                      if when else f"timestamp.txt is malformed ({shown!r}); graded with no time")
