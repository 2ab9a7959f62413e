"""Confine the forked child that runs one submission (Linux).

Applied in order, each step recorded so the grading report says what actually held:
  1. a new session (so a timeout kills every process the submission started);
  2. new mount, network and IPC namespaces: no network interface but a down loopback; a
     minimal root of its own (pivot_root): the system's programs and libraries, the Python
     installation and the grader's package, read-only; a few devices; a /proc that shows only
     the sandbox's own processes; one capped writable tmpfs (/tmp, the scratch directory,
     /dev/shm). Nothing else of the host exists there. Where that cannot be built, the
     course directory, exercise sources, homes and world-writable folders are hidden instead;
  3. resource limits: CPU seconds, address space, processes, file size, open files, no core;
  4. a scrubbed environment and the scratch directory as working directory;
  5. an unprivileged uid/gid of its own (no supplementary groups, no new privileges).
Steps that the host does not permit (not root, no user namespaces) are skipped and named.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC = 0x00020000, 0x40000000, 0x08000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
DEVICES = ("null", "zero", "full", "random", "urandom")  # what the minimal root holds of /dev
GiB = 1024 ** 3


@dataclass(frozen=True)
class Limits:
    timeout: float = 60.0  # wall-clock seconds per cell (nbgrader's Execute.timeout)
    cpu_seconds: int = 300  # CPU time for the whole notebook
    memory: int = 2 * GiB  # address space the submission may add to the pre-warmed process
    processes: int = 64  # processes and threads of the sandbox uid
    file_size: int = 64 * 1024 ** 2  # largest file the submission may write
    tmp_size: int = 256 * 1024 ** 2  # the one writable tmpfs: scratch directory, /tmp, /dev/shm
    inodes: int = 20_000  # files and folders in that tmpfs
    open_files: int = 256
    output_chars: int = 10_000_000  # captured text per notebook


@dataclass
class Confinement:
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_libc: Any = None


def _c() -> Any:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return _libc


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(src: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_c().mount(src.encode() if src else None, target.encode(),
                      fstype.encode() if fstype else None, flags,
                      data.encode() if data else None), f"mount {target}")


def _vm_size() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def python_dirs() -> list[str]:
    """Where the interpreter and its libraries live (kept visible, read-only)."""
    import site
    import sys

    dirs = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    dirs.update(os.path.realpath(p) for p in site.getsitepackages() if os.path.isdir(p))
    # drop entries inside another entry: one bind mount covers them
    return sorted(d for d in dirs if not any(d != o and _under(d, o) for o in dirs))


def in_python_installation(path: str) -> bool:
    """The file lies in the interpreter's own folders (stdlib, site-packages), links resolved."""
    real = os.path.realpath(path)
    return any(_under(real, d) and real != d for d in python_dirs())


def matplotlib_cache() -> str | None:
    """matplotlib's font cache directory (as matplotlib would find it, without importing it)."""
    home = os.path.expanduser("~")
    d = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "matplotlib")
    return d if os.path.isdir(d) else None


def world_writable_dirs() -> list[str]:
    """Host directories anyone may write to (/tmp, /var/tmp, /dev/shm, /run/lock, /dev/mqueue,
    ...), found once per zygote: each is hidden from the sandbox."""
    found: set[str] = set()
    skip = ("/proc", "/sys", *python_dirs())

    def walk(path: str, depth: int) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        for e in entries:
            try:
                if not e.is_dir(follow_symlinks=False) or any(_under(e.path, s) for s in skip):
                    continue
                if e.stat(follow_symlinks=False).st_mode & 0o002:
                    found.add(e.path)
                elif depth < 3:
                    walk(e.path, depth + 1)
            except OSError:
                continue

    for top in ("/", "/run", "/var", "/dev"):
        if os.path.isdir(top):
            walk(top, 1 if top == "/" else 2)
    return sorted(p for p in found if not any(p != q and _under(p, q) for q in found))


def _write_scratch(scratch: Path, files: dict[str, bytes], uid: int) -> None:
    """The scratch directory's files, written inside the sandbox's own (capped) tmpfs."""
    root = str(scratch)
    for rel, data in files.items():
        target = os.path.normpath(os.path.join(root, rel))
        if not target.startswith(root + os.sep):
            continue  # a path escaping the scratch directory is never written
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(data)
    if os.geteuid() == 0:
        for d, _dirs, fs in os.walk(root):
            os.chown(d, uid, uid)
            for name in fs:
                os.chown(os.path.join(d, name), uid, uid)


def _hide(path: str, writable: bool, limits: Limits) -> None:
    if writable:
        opts = f"size={limits.tmp_size},nr_inodes={limits.inodes},mode=1777"
    else:  # an empty placeholder; made read-only once anything kept is bound back into it
        opts = "size=1m,nr_inodes=4096,mode=755"
    _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts)


def _namespaces(scratch: Path, hide: list[str], limits: Limits, writable: list[str], c: Confinement) -> bool:
    """Mount and network namespaces, then the minimal root; where the root cannot be built,
    the hiding fallback below: all the sandbox may write is one tmpfs at /tmp (capped in bytes
    and inodes) holding the scratch directory; every other world-writable directory is an
    empty read-only tmpfs, except /dev/shm, bound to a folder of that same tmpfs."""
    mpl = matplotlib_cache()  # kept readable: without its font cache matplotlib rebuilds it and warns
    _check(_c().unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    c.applied.append("no network (empty network namespace)")
    from .rootfs import minimal_root, root_paths

    try:
        missing = minimal_root(scratch, hide, limits)
    except OSError as exc:
        c.skipped.append(f"minimal root ({exc.strerror or exc}): world-readable host files stay readable")
    else:
        c.applied.append("file system: a minimal root of its own: read-only " + ", ".join(root_paths())
                         + "; /dev/" + ", /dev/".join(DEVICES) + "; /proc showing only its own processes")
        if missing:
            c.skipped.append("minimal root without " + ", ".join(missing))
        c.applied.append(f"writable: one tmpfs of {limits.tmp_size // 1024 ** 2} MiB and {limits.inodes:,} "
                         "inodes (scratch directory, /tmp, /dev/shm)")
        return True
    wanted = [p for p in dict.fromkeys(["/tmp", *hide, "/root", "/home", *writable]) if os.path.isdir(p)]
    if not _under(str(scratch), "/tmp"):
        wanted.append(str(scratch))
    # a path inside another hidden one (a course directory under /tmp) is hidden with it
    hidden = [p for p in wanted if not any(p != q and _under(p, q) for q in wanted)]
    # the Python installation may live under a hidden path (e.g. ~/.pyenv): bound back read-only
    keep = [p for p in [*python_dirs(), *([mpl] if mpl else [])]
            if any(_under(p, h) for h in hidden) and not any(_under(p, h) or _under(h, p) for h in hide)]
    fds = {p: os.open(p, os.O_RDONLY | os.O_DIRECTORY) for p in keep}
    for path in hidden:
        _hide(path, path in ("/tmp", str(scratch)), limits)
    for path in keep:
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fds[path]}", path, None, MS_BIND | MS_REC)
        _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)
        os.close(fds[path])
    os.makedirs(scratch, exist_ok=True)
    for path in hidden:
        if path == "/dev/shm" and os.path.isdir("/tmp"):
            os.makedirs("/tmp/.rta-shm", mode=0o1777, exist_ok=True)
            os.chmod("/tmp/.rta-shm", 0o1777)
            _mount("/tmp/.rta-shm", path, None, MS_BIND)
        elif path not in ("/tmp", str(scratch)):
            _mount(None, path, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    c.applied.append("hidden: " + ", ".join(hidden))
    c.applied.append(f"writable: one tmpfs of {limits.tmp_size // 1024 ** 2} MiB and {limits.inodes:,} "
                     "inodes (scratch directory, /tmp, /dev/shm)")
    return True


def confine(scratch: Path, hide: list[str], limits: Limits, uid: int, files: dict[str, bytes] | None = None,
            writable: list[str] | None = None) -> Confinement:
    """Confine the calling (freshly forked, single-threaded) process. Never raises."""
    c = Confinement()
    mpl = matplotlib_cache()
    vm = _vm_size()  # read before the root changes
    os.setsid()
    try:
        shared = writable if writable is not None else ["/tmp", "/var/tmp", "/dev/shm"]
        _namespaces(scratch, hide, limits, shared, c)
    except OSError as exc:
        c.skipped.append(f"namespaces ({exc.strerror or exc}): network and file system not isolated; "
                         "scratch directory on the host disk, not capped")
    try:
        _write_scratch(scratch, files or {}, uid)
    except OSError as exc:
        c.skipped.append(f"scratch files ({exc.strerror or exc})")
    _rlimits(limits, c, vm)
    os.chdir(scratch)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(scratch),
                       "TMPDIR": "/tmp", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                       "NBGRADER_EXECUTION": "autograde",
                       "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                       **({"MPLCONFIGDIR": mpl} if mpl else {})})
    c.applied.append("scrubbed environment, working directory = scratch")
    if os.geteuid() == 0:
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            c.applied.append(f"unprivileged uid {uid}")
        except OSError as exc:
            c.skipped.append(f"dropping privileges ({exc.strerror})")
    else:
        c.skipped.append("dropping privileges (grader is not root): runs as the grader's user")
    _c().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _c().prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    return c


def _rlimits(limits: Limits, c: Confinement, vm: int) -> None:
    wanted = {
        "CPU": (resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5)),
        "memory": (resource.RLIMIT_AS, (vm + limits.memory,) * 2),
        "processes": (resource.RLIMIT_NPROC, (limits.processes,) * 2),
        "file size": (resource.RLIMIT_FSIZE, (limits.file_size,) * 2),
        "open files": (resource.RLIMIT_NOFILE, (limits.open_files,) * 2),
        "core dumps": (resource.RLIMIT_CORE, (0, 0)),
    }
    for name, (res, value) in wanted.items():
        try:
            resource.setrlimit(res, value)
        except (ValueError, OSError) as exc:
            c.skipped.append(f"limit {name} ({exc})")
    c.applied.append(f"limits: CPU {limits.cpu_seconds} s, memory {limits.memory / GiB:g} GiB, "
                     f"{limits.processes} processes, files {limits.file_size // 1024 ** 2} MiB")


def protect_judge(scratch: str, limits: Limits) -> None:
    """The judge runs no student code, but reads what the student's process sends: it keeps
    the grader's uid (the sandbox uid cannot signal or trace it), is not dumpable (no ptrace,
    no /proc/PID/mem even for the same uid), imports nothing from a working directory, and
    has a memory limit."""
    import sys

    PR_SET_DUMPABLE = 4  # noqa: N806
    _c().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    _c().prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    os.chdir(scratch)
    sys.path[:] = [p for p in sys.path if p not in ("", ".", scratch)]
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + 2 * limits.memory,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def kill_uid(uid: int) -> None:
    """Kill every process left running as `uid` (fork bombs, daemons); fork so we keep root."""
    if os.geteuid() != 0:
        return
    pid = os.fork()
    if pid == 0:
        try:
            os.setresuid(uid, uid, uid)
            for _ in range(3):
                os.kill(-1, 9)
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


def parse_size(text: str) -> int:
    """'2GiB', '512MiB', '1.5G', '1000000' -> bytes."""
    import re

    m = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]?)(i?B?)\s*", text, flags=re.IGNORECASE)
    if not m:
        raise ValueError(f"cannot read the size {text!r}; write e.g. 2GiB or 512MiB")
    unit = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}[m.group(2).upper()]
    return int(float(m.group(1)) * unit)
