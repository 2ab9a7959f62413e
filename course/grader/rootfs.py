"""The sandbox's own root file system (Linux): what student code can see of the host.

Built in a fresh tmpfs inside the sandbox's mount namespace, then entered with pivot_root and
the host's root detached, so no host path can be named, by a link or otherwise. It holds the
system's programs and libraries, the Python installation and the grader's package read-only,
a few devices and a private pty instance, a /proc that shows only the sandbox uid's own
processes, and the one capped writable tmpfs (/tmp, the scratch directory, /dev/shm).
sandbox.confine falls back to hiding paths of the host's root where this cannot be built.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
from pathlib import Path

from .sandbox import (
    DEVICES,
    MS_BIND,
    MS_NODEV,
    MS_NOSUID,
    MS_RDONLY,
    MS_REC,
    MS_REMOUNT,
    Limits,
    _c,
    _check,
    _hide,
    _mount,
    _under,
    matplotlib_cache,
    python_dirs,
)

MS_NOEXEC, MNT_DETACH = 8, 2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}  # the syscall's number (no libc wrapper)
# the loader's library cache, the time zone, fontconfig's configuration (matplotlib's font search)
ETC_FILES = ("ld.so.cache", "localtime", "fonts")
STAGING = "/tmp"  # where the new root is built: any folder will do, this mount namespace is ours


def root_paths() -> list[str]:
    """What the minimal root shows of the host, read-only: the system's programs and libraries
    (/usr, and /lib and the like where they are folders rather than links into /usr), the
    Python installation, the grader's own package (imported lazily) and matplotlib's font cache."""
    mpl = matplotlib_cache()
    dirs = {"/usr", *python_dirs(), str(Path(__file__).resolve().parents[1])}
    dirs.update(top for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
                if os.path.isdir(top) and not os.path.islink(top))
    if mpl:
        dirs.add(os.path.realpath(mpl))
    return sorted(d for d in dirs if not any(d != o and _under(d, o) for o in dirs))


def _bind_ro(fd: int, target: str, flags: int = MS_NOSUID | MS_NODEV) -> None:
    _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
    _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | flags)


def minimal_root(scratch: Path, hide: list[str], limits: Limits) -> list[str]:
    """Build the root and pivot into it. Returns what could not be provided (each named in
    the grading report); raises OSError (nothing changed) where it cannot be built."""
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise OSError(38, f"pivot_root: no syscall number known for {platform.machine()}")
    keep = root_paths()
    opened: dict[str, int] = {}
    missing: list[str] = []
    new = STAGING
    try:
        for path in [*keep, *(f"/etc/{f}" for f in ETC_FILES), *(f"/dev/{d}" for d in DEVICES)]:
            if os.path.exists(path) and not (path.startswith("/etc/") and os.path.islink(path)):
                opened[path] = os.open(path, os.O_PATH | os.O_CLOEXEC)
        links = {p: os.readlink(p) for p in ("/bin", "/sbin", "/lib", "/lib64", "/etc/localtime")
                 if os.path.islink(p)}
        _mount("tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,nr_inodes=4096,mode=755")
        try:
            _host_parts(new, keep, opened, links, missing)
            _own_parts(new, scratch, hide, keep, limits, missing)
            os.chdir(new)
            _check(_c().syscall(number, b".", b"."), "pivot_root")
        except BaseException:
            os.chdir("/")
            _c().umount2(new.encode(), MNT_DETACH)
            raise
    finally:
        for fd in opened.values():
            os.close(fd)
    # pivoted: the host's root is stacked on ours until detached; if that fails, grading stops
    # (a crash, recorded for the notebook) rather than going on with the host's files in reach
    if _c().umount2(b".", MNT_DETACH) != 0:
        raise RuntimeError(f"sandbox: cannot detach the host's root ({os.strerror(ctypes.get_errno())})")
    os.chdir("/")
    with contextlib.suppress(OSError):  # the skeleton itself read-only (what is written goes to /tmp)
        _mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return missing


def _host_parts(new: str, keep: list[str], opened: dict[str, int], links: dict[str, str],
                missing: list[str]) -> None:
    """What the root shows of the host: folders and files bound read-only, devices, links."""
    for path in keep:
        os.makedirs(new + path, exist_ok=True)
        _bind_ro(opened[path], new + path)
    for name in (*(f"/etc/{f}" for f in ETC_FILES), *(f"/dev/{d}" for d in DEVICES)):
        os.makedirs(os.path.dirname(new + name), mode=0o755, exist_ok=True)
        if name not in opened:
            if name.startswith("/dev/"):
                missing.append(name)
            continue
        if os.path.isdir(name):
            os.makedirs(new + name)
        else:
            open(new + name, "w").close()  # a mount point for one file
        if name.startswith("/dev/"):  # a device node: its own mount, writes allowed
            _mount(f"/proc/self/fd/{opened[name]}", new + name, None, MS_BIND)
        else:
            _bind_ro(opened[name], new + name)
    for path, target in links.items():
        if not os.path.lexists(new + path):
            os.symlink(target, new + path)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{new}/dev/{name}")


def _own_parts(new: str, scratch: Path, hide: list[str], keep: list[str], limits: Limits,
               missing: list[str]) -> None:
    """What is the sandbox's own: its /proc, the capped writable tmpfs, the scratch directory."""
    os.makedirs(new + "/proc")
    try:  # hidepid: the sandbox's uid sees its own processes only (not the judge, not the host)
        _mount("proc", new + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")
    except OSError:
        missing.append("/proc")
    os.makedirs(new + "/dev/pts")
    try:  # a private instance: `!ls` in a cell runs through a pty (IPython's pexpect), as in a kernel
        _mount("devpts", new + "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
               "newinstance,ptmxmode=0666,mode=0620")
        os.symlink("pts/ptmx", new + "/dev/ptmx")
    except OSError:
        missing.append("/dev/pts")
    os.makedirs(new + "/tmp")
    _hide(new + "/tmp", True, limits)
    os.makedirs(new + "/tmp/.rta-shm", mode=0o1777)
    os.chmod(new + "/tmp/.rta-shm", 0o1777)
    os.makedirs(new + "/dev/shm")
    _mount(new + "/tmp/.rta-shm", new + "/dev/shm", None, MS_BIND)
    if _under(str(scratch), "/tmp"):
        os.makedirs(new + str(scratch), exist_ok=True)
    else:
        os.makedirs(new + "/tmp/.rta-scratch")
        os.makedirs(new + str(scratch))
        _mount(new + "/tmp/.rta-scratch", new + str(scratch), None, MS_BIND)
    for path in hide:  # a course directory inside a folder that is kept
        if os.path.isdir(new + path) and any(_under(path, k) for k in keep):
            _hide(new + path, False, limits)
            _mount(None, new + path, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
