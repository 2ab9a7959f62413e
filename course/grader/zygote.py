"""The pre-warmed grading process: imports the scientific stack once, forks a child per notebook.

Start-up (Python, pandas, matplotlib, statsmodels, IPython) dominates grading a small
notebook; here it is paid once per worker. Each notebook still runs in a fresh process
(fork: copy-on-write, nothing shared back), confined by sandbox.py. This process is the
trusted side: it reads and repairs the submission, supervises the child's wall-clock time,
and scores from what the child reported.

Run as `python -m course.grader.zygote IN_FD OUT_FD`; ZygoteClient does that and speaks the
pickle protocol over the two pipes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Imported once in the zygote: the modules the assignment's source notebook imports (a
# student's extra imports are paid in the child, as in a fresh kernel).
GRACE = 2.0  # seconds between the interrupt and the kill of a cell over time

SHELL: Any = None
SCRATCH_ROOT: Path | None = None


def warm(extra: tuple[str, ...] = ()) -> None:
    """Import what student notebooks import; create the shell before matplotlib's inline backend
    is loaded so that it registers with the shell exactly as in a fresh kernel."""
    global SHELL
    os.environ.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                       "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
    import importlib
    import warnings

    from .shell import make_shell

    SHELL = make_shell()
    # import as a cell would: get_ipython() defined (pandas reads it at import to pick defaults)
    with warnings.catch_warnings(), SHELL.builtin_trap:
        warnings.simplefilter("ignore")
        for mod in extra:
            try:
                importlib.import_module(mod)
            except Exception:  # an optional library missing only means a slower first import
                continue
        plots = any(m.split(".")[0] in ("matplotlib", "seaborn") for m in extra)
        if plots:
            try:
                import matplotlib.pyplot as plt

                plt.switch_backend(os.environ["MPLBACKEND"])
            except Exception:
                plots = False
        import nbgrader.preprocessors  # noqa: F401  (intake and scoring)
        import nbgrader.utils  # noqa: F401

        from .imports import fast_metadata_validation

        fast_metadata_validation()
        _warm_first_use(plots)


def _warm_first_use(plots: bool) -> None:
    """Pay once what the first traceback and the first figure cost (pygments, fonts, PNG):
    nothing of it is visible to a notebook (no history, no figures left, counters unchanged)."""
    import gc

    before = set(SHELL.user_ns)
    cells = ["def _rta_warm():\n    raise ValueError('warm')\n_rta_warm()"]
    if plots:
        cells.append("import matplotlib.pyplot as _plt\n_f, _a = _plt.subplots()\n"
                     "_a.plot([1, 2], [1, 2], label='x')\n_a.set_title('warm')\n_a.legend()\n"
                     "_a.set_xlabel('x (units)')\n_f")
    for cell in cells:
        SHELL.run_cell(cell, store_history=False, silent=True)
    for name in set(SHELL.user_ns) - before:
        del SHELL.user_ns[name]
    if plots:
        import matplotlib.pyplot as plt

        plt.close("all")
    gc.collect()
    gc.freeze()  # forked children then never touch (copy) the zygote's objects while collecting


def sandbox_uid() -> int:
    # one uid per zygote: its processes can be counted (RLIMIT_NPROC) and killed as a group
    return 200_000 + os.getpid()


def grade(job: Any) -> Any:
    from .jobs import JobResult

    t0 = time.monotonic()
    result = JobResult(job.student, job.assignment)
    scratch = SCRATCH_ROOT / f"s{os.getpid()}-{int(t0 * 1e6)}"
    try:
        _write_files(scratch, job.files)
        for name, tpl in job.template.notebooks.items():
            result.notebooks.append(grade_notebook(job, name, tpl, scratch))
    except Exception as exc:  # the batch goes on; the reason is recorded
        import traceback

        result.error = f"internal grader error: {type(exc).__name__}: {exc}"
        traceback.print_exc()
    finally:
        from .sandbox import kill_uid

        if any(n.problems for n in result.notebooks) or result.error:
            kill_uid(sandbox_uid())  # a clean child already killed its own leftovers
        shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.monotonic() - t0
    return result


def _write_files(scratch: Path, files: dict[str, bytes]) -> None:
    scratch.mkdir(parents=True)
    for rel, data in files.items():
        target = (scratch / rel).resolve()
        if not str(target).startswith(str(scratch.resolve()) + os.sep):
            continue  # a path escaping the scratch directory is never written
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if os.geteuid() == 0:
        uid = sandbox_uid()
        for d, _dirs, fs in os.walk(scratch):
            os.chown(d, uid, uid)
            for f in fs:
                os.chown(os.path.join(d, f), uid, uid)


def cell_kind(cell: Any) -> str:
    nbg = cell.metadata.get("nbgrader", {})
    if nbg.get("solution"):
        return "student"
    if nbg.get("grade") and cell.cell_type == "code":
        return "test"
    return "locked" if nbg.get("locked") else "student"


def grade_notebook(job: Any, name: str, tpl: Any, scratch: Path) -> Any:
    import nbformat

    from .cheats import static_flags
    from .intake import read_submission, resources_for
    from .jobs import NotebookResult
    from .scoring import not_executed, postprocess, score
    from .shell import language_info

    cfg = job.settings.nbgrader_config
    res = NotebookResult(name)
    intake = read_submission(job.notebooks.get(name), tpl, job.student, job.assignment, cfg)
    res.notes.extend(intake.notes)
    if intake.nb is None:
        res.reason = intake.reason
        return res
    nb = intake.nb
    plan = [(i, c.source, cell_kind(c)) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for i, source, kind in plan:
        if kind == "student":
            for why in static_flags(source):
                if why not in res.flags:
                    res.flags.append(f"cell {i + 1}: {why}")
    run = supervise(job, plan, scratch)
    res.sandbox.extend(run["skipped"])
    res.flags.extend(f for f in run["flags"] if f not in res.flags)
    res.notes.extend(run["notes"])
    res.problems.extend(run["problems"])
    stop = run["stopped"]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        done = run["cells"].get(i)
        cell.metadata["execution"] = {}
        if done is not None:
            cell.outputs = [nbformat.from_dict(o) for o in done["outputs"]]
            cell.execution_count = done["ec"]
            cell.metadata["execution"] = {"iopub.execute_input": done["t0"], "iopub.status.busy": done["t0"],
                                          "iopub.status.idle": done["t1"], "shell.execute_reply": done["t1"]}
        else:
            cell.outputs = [not_executed(stop or "the kernel stopped before this cell")]
        if i in run["timeouts"]:
            cell.outputs.append(nbformat.from_dict(TIMEOUT_OUTPUT))
    nb.metadata["language_info"] = language_info()
    resources = resources_for(job.student, job.assignment, name)
    postprocess(nb, cfg, resources)
    score(nb, res)
    text = nbformat.writes(nb, version=4)
    res.notebook = text if text.endswith("\n") else text + "\n"
    return res


TIMEOUT_OUTPUT = {"output_type": "error", "ename": "CellTimeoutError", "evalue": "",
                  "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"]}


def _audit_paths(scratch: Path, hide: list[str]) -> dict[str, Any]:
    import tempfile

    from .sandbox import python_dirs

    trusted = [str(scratch), *python_dirs()]
    try:
        import matplotlib

        trusted += [matplotlib.get_cachedir(), matplotlib.get_configdir()]
    except Exception:
        pass
    watched = [*hide, "/root", "/home", "/srv", "/mnt", "/work", str(scratch.parent)]
    norm = lambda ps: tuple(sorted({p.rstrip("/") + "/" for p in ps if p}))  # noqa: E731
    # cell "files" of ipykernel's compiler (tracebacks look them up; they never exist)
    cells = os.path.join(tempfile.gettempdir(), "ipykernel_")
    return {"scratch": str(scratch), "trusted": (*norm(trusted), cells), "watched": norm(watched)}


def supervise(job: Any, plan: list[tuple[int, str, str]], scratch: Path) -> dict[str, Any]:
    """Fork the child, read its messages, enforce the per-cell wall clock; never raises."""
    from .channel import Receiver
    from .runner import child_main

    limits = job.settings.limits
    run: dict[str, Any] = {"cells": {}, "flags": [], "notes": [], "problems": [], "skipped": [],
                           "timeouts": set(), "stopped": None}
    r, w = os.pipe()
    # the child's file descriptors 1 and 2 (C-level output), unlinked files the sandbox cannot see
    out_f = tempfile.TemporaryFile(dir=SCRATCH_ROOT)  # noqa: SIM115  (closed right after fork)
    err_f = tempfile.TemporaryFile(dir=SCRATCH_ROOT)  # noqa: SIM115
    spec = {"scratch": str(scratch), "hide": job.settings.hide, "limits": limits, "uid": sandbox_uid(),
            "plan": plan, "paths": _audit_paths(scratch, job.settings.hide)}
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        child_main(w, out_f.fileno(), err_f.fileno(), SHELL, spec)
    os.close(w)
    out_f.close()
    err_f.close()
    receiver = Receiver()
    pending = {i for i, source, _ in plan if source.strip()}
    started: set[int] = set()

    def tampered(what: str) -> None:
        why = f"tampered with the grading: {what}"
        if why not in run["flags"]:
            run["flags"].append(why)

    current: int | None = None
    deadline = float("inf")
    interrupted = False
    done = False
    status: int | None = None
    try:
        while True:
            wait = max(0.0, min(deadline - time.monotonic(), 0.5))
            ready, _, _ = select.select([r], [], [], wait)
            if ready:
                data = os.read(r, 1 << 20)
                if not data:
                    break
                for msg in receiver.feed(data):
                    kind = msg["t"]
                    if msg.get("pid") != pid:
                        tampered("a forked process or a forged message on the grading channel")
                        continue
                    if kind == "start":
                        if msg.get("i") not in pending or msg["i"] in started or current is not None:
                            tampered("cell order on the grading channel")
                            continue
                        current, interrupted = msg["i"], False
                        started.add(current)
                        deadline = time.monotonic() + limits.timeout
                    elif kind == "cell":
                        if msg.get("i") != current or not isinstance(msg.get("outputs"), list):
                            tampered("cell results on the grading channel")
                            continue
                        run["cells"][msg["i"]] = msg
                        current, deadline = None, float("inf")
                    elif kind == "flag":
                        run["flags"].append(str(msg.get("why"))[:300])
                    elif kind == "note":
                        run["notes"].append(str(msg.get("why"))[:300])
                    elif kind == "sandbox":
                        run["skipped"] = [str(s) for s in msg.get("skipped", [])]
                    elif kind == "crash":
                        run["problems"].append(f"grading kernel crashed: {str(msg.get('why'))[:200]}")
                    elif kind == "done":
                        done = True
                        if current is not None or (pending - set(run["cells"]) and not any(
                                "exits the kernel" in f for f in run["flags"])):
                            tampered("'done' before every cell had run")
                if done:
                    break
                continue
            if status is not None:
                break  # the child is gone and nothing more arrived (a grandchild may hold the pipe)
            wpid, st = os.waitpid(pid, os.WNOHANG)
            if wpid:
                status = st
                continue  # one more round to drain the pipe
            if time.monotonic() >= deadline and current is not None:
                if not interrupted:
                    run["timeouts"].add(current)
                    run["problems"].append(f"timed out in cell {current + 1} after {limits.timeout:g} s")
                    _signal(pid, signal.SIGINT)
                    interrupted = True
                    deadline = time.monotonic() + GRACE
                else:
                    run["stopped"] = (f"not run: the kernel was killed after cell {current + 1} "
                                      f"timed out ({limits.timeout:g} s)")
                    run["problems"].append(f"killed: cell {current + 1} did not stop when interrupted")
                    break
    finally:
        os.close(r)
        _signal(pid, signal.SIGKILL)
        if status is None:
            _, status = os.waitpid(pid, 0)
    if receiver.garbage:
        tampered("malformed data written to the grading channel")
    if not done and run["stopped"] is None:
        run["stopped"] = _death(status, current, limits, run)
    for f in run["cells"].values():
        for o in f["outputs"]:
            if isinstance(o, dict) and o.get("ename") == "MemoryError":
                msg = f"memory limit {limits.memory / 1024 ** 3:g} GiB reached in cell {f['i'] + 1}"
                if msg not in run["problems"]:
                    run["problems"].append(msg)
    return run


def _signal(pid: int, sig: int) -> None:
    for target in (-pid, pid):  # the child's process group first: its subprocesses too
        with contextlib.suppress(OSError):
            os.kill(target, sig)


def _death(status: int | None, current: int | None, limits: Any, run: dict[str, Any]) -> str:
    where = f"in cell {current + 1}" if current is not None else "before running any cell"
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            why = f"killed: CPU time limit {limits.cpu_seconds} s {where}"
        elif sig == signal.SIGKILL:
            why = f"killed (SIGKILL) {where}: memory limit {limits.memory / 1024 ** 3:g} GiB or killed itself"
        else:
            why = f"kernel died {where} ({signal.Signals(sig).name})"
    else:
        code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "?"
        why = f"kernel exited {where} (exit code {code})"
    run["problems"].append(why)
    if current is not None and not any("kernel" in f for f in run["flags"]):
        run["flags"].append(f"the kernel exited or was killed by the notebook {where}")
    return f"not run: {why}"


def main(argv: list[str]) -> None:
    """argv: PRELOAD IN:OUT [IN:OUT ...] - warm up once, then fork one sibling per extra pair."""
    from multiprocessing.connection import Connection

    from .imports import light_imports

    light_imports()
    pairs = [tuple(int(x) for x in a.split(":")) for a in argv[2:]]
    warm(tuple(m for m in argv[1].split(",") if m))
    mine = pairs[0]
    for pair in pairs[1:]:
        if os.fork() == 0:  # a sibling: same warm state, its own pipes, scratch and uid
            mine = pair
            break
    for pair in pairs:
        if pair != mine:
            for fd in pair:
                os.close(fd)
    global SCRATCH_ROOT
    SCRATCH_ROOT = Path(tempfile.mkdtemp(prefix="rta-zygote-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(SCRATCH_ROOT, 0o711)
    inp, out = Connection(mine[0], writable=False), Connection(mine[1], readable=False)
    out.send({"ready": os.getpid()})
    try:
        while True:
            try:
                job = inp.recv()
            except EOFError:
                break
            out.send(grade(job))
    finally:
        shutil.rmtree(SCRATCH_ROOT, ignore_errors=True)


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
    return subprocess.Popen([sys.executable, "-m", "course.grader.zygote", ",".join(preload),
                             *(f"{r}:{w}" for r, w in pairs)],
                            pass_fds=fds, stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": path})


def imports_of(sources: list[str]) -> tuple[str, ...]:
    """Top-level modules imported by notebook sources (to pre-import them in the zygote)."""
    import re

    mods: set[str] = set()
    for src in sources:
        for m in re.finditer(r"^\s*(?:import|from)\s+([A-Za-z_][\w.]*)", src, flags=re.MULTILINE):
            mods.add(m.group(1))
    return tuple(sorted(mods))


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal stops the coordinator only
    main(sys.argv)
