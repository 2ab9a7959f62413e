"""The pre-warmed grading process: imports the scientific stack once, forks per notebook.

Start-up (Python, pandas, matplotlib, statsmodels, IPython) dominates grading a small
notebook; here it is paid once per worker. Each notebook runs in two fresh processes forked
from this warm one (copy-on-write, nothing shared back): the student's, confined by
sandbox.py, and the judge's, which runs the tests (supervisor.py). This process is the
trusted side: it reads and repairs the submission (notebook.py), supervises the wall clock
and scores from what the judge reported.

Run as `python -m course.grader.zygote PRELOAD IN:OUT ...`; client.ZygoteClient does that and
speaks the pickle protocol over the pipes.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .client import ZygoteClient
from .supervisor import Context

__all__ = ["ZygoteClient", "grade", "imports_of", "main", "warm"]

SHELL: Any = None
CTX: Context | None = None


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
            except Exception:  # noqa: S112  (an optional library missing only means a slower first import)
                continue
        plots = any(m.split(".")[0] in ("matplotlib", "seaborn") for m in extra)
        if plots:
            try:
                import matplotlib.pyplot as plt

                plt.switch_backend(os.environ["MPLBACKEND"])
            except Exception:  # noqa: BLE001
                plots = False
        import nbgrader.preprocessors  # noqa: F401  (intake and scoring)
        import nbgrader.utils  # noqa: F401

        from . import judge, student, values  # noqa: F401  (imported once, before any fork)

        try:  # matplotlib's folders found now: in the sandbox they are read-only (no warning)
            import matplotlib

            matplotlib.get_configdir()
            matplotlib.get_cachedir()
        except Exception:  # noqa: BLE001,S110
            pass
        from .imports import fast_metadata_validation, fast_tracebacks

        fast_metadata_validation()
        fast_tracebacks()
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
    return 200000 + os.getpid() % 100000


def grade(job: Any) -> Any:
    from .jobs import JobResult
    from .notebook import grade_notebook

    assert CTX is not None
    t0 = time.monotonic()
    result = JobResult(job.student, job.assignment)
    tag = f"{os.getpid()}-{int(t0 * 1e6)}"
    scratch, judge_dir = CTX.scratch_root / f"s{tag}", CTX.scratch_root / f"j{tag}"
    try:
        _make_dirs(scratch, judge_dir, job)
        CTX.paths = _audit_paths(scratch, job.settings.hide)
        for name, tpl in job.template.notebooks.items():
            result.notebooks.append(grade_notebook(CTX, job, name, tpl, scratch, judge_dir))
    except RecursionError:
        result.error = "the submission is nested too deeply to be graded (RecursionError)"
    except Exception as exc:  # the batch goes on; the reason is recorded
        import traceback

        result.error = f"internal grader error: {type(exc).__name__}: {exc}"
        traceback.print_exc()
    finally:
        from .sandbox import kill_uid

        if any(n.problems for n in result.notebooks) or result.error:
            kill_uid(CTX.uid)  # a clean child already killed its own leftovers
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(judge_dir, ignore_errors=True)
    result.seconds = time.monotonic() - t0
    return result


def _make_dirs(scratch: Path, judge_dir: Path, job: Any) -> None:
    """The student's scratch directory (its files are written inside the sandbox, in its own
    capped tmpfs) and the judge's: the assignment's own files only, never the student's."""
    assert CTX is not None
    scratch.mkdir()
    judge_dir.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(scratch, CTX.uid, CTX.uid)
    root = str(judge_dir.resolve())
    for rel in job.judge_files:
        target = os.path.normpath(os.path.join(root, rel))
        if rel in job.files and target.startswith(root + os.sep):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(job.files[rel])


def _audit_paths(scratch: Path, hide: list[str]) -> dict[str, Any]:
    from .sandbox import python_dirs

    # the grader's own package, which the sandbox's root shows read-only: tracebacks through
    # its (hidden) frames and %autoreload's checks of every loaded module read these files
    trusted = [str(scratch), *python_dirs(), str(Path(__file__).resolve().parents[1])]
    try:
        import matplotlib

        trusted += [matplotlib.get_cachedir(), matplotlib.get_configdir()]
    except Exception:  # noqa: BLE001,S110
        pass
    watched = [*hide, str(scratch.parent)]

    def norm(ps: list[str]) -> tuple[str, ...]:
        return tuple(sorted({p.rstrip("/") + "/" for p in ps if p}))

    # cell "files" of ipykernel's compiler (tracebacks look them up; they never exist)
    cells = os.path.join(tempfile.gettempdir(), "ipykernel_")
    return {"scratch": str(scratch), "trusted": (*norm(trusted), cells), "watched": norm(watched)}


def main(argv: list[str]) -> None:
    """argv: PRELOAD IN:OUT [IN:OUT ...] - warm up once, then fork one sibling per extra pair."""
    from multiprocessing.connection import Connection

    from .imports import light_imports
    from .sandbox import world_writable_dirs

    light_imports()
    pairs = [tuple(int(x) for x in a.split(":")) for a in argv[2:]]
    warm(tuple(m for m in argv[1].split(",") if m))
    writable = world_writable_dirs()
    mine = pairs[0]
    for pair in pairs[1:]:
        if os.fork() == 0:  # a sibling: same warm state, its own pipes, scratch and uid
            mine = pair
            break
    for pair in pairs:
        if pair != mine:
            for fd in pair:
                os.close(fd)
    global CTX
    root = Path(tempfile.mkdtemp(prefix="rta-zygote-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(root, 0o711)
    from .forkserver import ForkServer

    CTX = Context(SHELL, ForkServer(SHELL), root, sandbox_uid(), writable, {})
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
        CTX.server.close()
        shutil.rmtree(root, ignore_errors=True)


def imports_of(sources: list[str]) -> tuple[str, ...]:
    """Top-level modules imported by notebook sources (to pre-import them in the zygote)."""
    import re

    mods: set[str] = set()
    for src in sources:
        for m in re.finditer(r"^\s*(?:import|from)\s+([A-Za-z_][\w.]*)", src, flags=re.MULTILINE):
            mods.add(m.group(1))
    return tuple(sorted(mods))


if __name__ == "__main__":
    # `python -m` put the coordinator's working directory (a course directory, say) first on
    # sys.path: no import of the zygote, the judge or a student's process may come from there
    if sys.path and sys.path[0] == os.getcwd():
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal stops the coordinator only
    main(sys.argv)
