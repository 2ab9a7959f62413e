"""The zygote's side of one notebook: fork the student's process and the judge, enforce the
per-cell wall clock, read the judge's events, and tell a crash from a kill from a limit."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .channel import Receiver
from .codes import Code, Flag
from .sandbox import Limits

GRACE = 2.0  # seconds between the interrupt and the kill of a cell over time

PlanEntry = tuple[int, str, str, str]  # cell index, source, kind (student/locked/test), label


@dataclass
class CellRun:
    i: int
    ec: int | None
    outputs: list[dict[str, Any]]
    t0: str
    t1: str


@dataclass
class Run:
    cells: dict[int, CellRun] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timeouts: set[int] = field(default_factory=set)
    stopped: str | None = None
    exited: bool = False

    def flag(self, code: Code, text: str) -> None:
        if all(f.text != text for f in self.flags):
            self.flags.append(Flag(code, text))

    def tampered(self, what: str) -> None:
        self.flag(Code.TAMPERED, f"tampered with the grading: {what}")


@dataclass
class Context:
    """What the zygote hands each notebook: its warm shell and where scratch goes."""

    shell: Any
    server: Any  # forkserver.ForkServer: where students' processes are forked from
    scratch_root: Path
    uid: int
    writable: list[str]
    paths: dict[str, Any]


@dataclass
class Children:
    student: int
    judge: int
    events: int
    student_status: int | None = None
    judge_status: int | None = None


def _fork_both(ctx: Context, job: Any, plan: list[PlanEntry], scratch: Path, judge_dir: Path) -> Children:
    from .judge import judge_main

    req_r, req_w = os.pipe()  # judge -> student requests
    rep_r, rep_w = os.pipe()  # student -> judge replies
    ev_r, ev_w = os.pipe()  # judge -> zygote events
    # fds 1 and 2 of each child (C-level output), unlinked files the sandbox cannot see
    tmp = [tempfile.TemporaryFile(dir=ctx.scratch_root) for _ in range(4)]  # noqa: SIM115
    limits: Limits = job.settings.limits
    sys.stdout.flush()
    sys.stderr.flush()
    spec = {
        "scratch": str(scratch),
        "hide": job.settings.hide,
        "limits": limits,
        "uid": ctx.uid,
        "paths": ctx.paths,
        "files": job.files,
        "writable": ctx.writable,
    }
    # the student's process comes from the fork server: it never held this job in memory
    student = ctx.server.spawn(
        spec, {"reply": rep_w, "request": req_r, "out": tmp[0].fileno(), "err": tmp[1].fileno()}
    )
    judge = os.fork()
    if judge == 0:
        judge_main(
            {
                "request": req_w,
                "reply": rep_r,
                "events": ev_w,
                "out": tmp[2].fileno(),
                "err": tmp[3].fileno(),
            },
            ctx.shell,
            {
                "plan": plan,
                "limits": limits,
                "scratch": str(scratch),
                "judge_scratch": str(judge_dir),
                "student_pid": student,
            },
        )
    for fd in (req_r, req_w, rep_r, rep_w, ev_w):
        os.close(fd)
    for f in tmp:
        f.close()
    return Children(student, judge, ev_r)


def supervise(ctx: Context, job: Any, plan: list[PlanEntry], scratch: Path, judge_dir: Path) -> Run:
    """Run one notebook; never raises."""
    limits: Limits = job.settings.limits
    run = Run()
    kids = _fork_both(ctx, job, plan, scratch, judge_dir)
    kinds = {i: kind for i, _, kind, _ in plan}
    current: int | None = None
    try:
        current = _events(ctx, kids, run, limits, kinds, {i for i, src, _, _ in plan if src.strip()})
    finally:
        os.close(kids.events)
        if kids.student_status is None and current is not None:  # its own death, not our kill
            kids.student_status = ctx.server.wait(1.0)
        _signal(kids.student, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(kids.judge, signal.SIGKILL)
        if kids.student_status is None:
            kids.student_status = ctx.server.wait(None)
        if kids.judge_status is None:
            _, kids.judge_status = os.waitpid(kids.judge, 0)
    if run.stopped is None and current is not None:
        run.stopped = _death(kids.student_status, current, limits, run)
    for c in run.cells.values():
        for o in c.outputs:
            if isinstance(o, dict) and o.get("ename") == "MemoryError":
                msg = f"memory limit {limits.memory / 1024**3:g} GiB reached in cell {c.i + 1}"
                if msg not in run.problems:
                    run.problems.append(msg)
    return run


MAX_NOTES = 50  # notes relayed from a notebook's run (a flood of distinct ones is cut)


class _State:
    def __init__(self) -> None:
        self.current: int | None = None
        self.deadline = float("inf")
        self.interrupted = False
        self.finished = False  # the judge said done (or that the student died)
        self.died_in: int | None = None
        self.started: set[int] = set()


def _events(
    ctx: Context, kids: Children, run: Run, limits: Limits, kinds: dict[int, str], pending: set[int]
) -> int | None:
    """Read the judge's events until it is done; returns the cell the kernel died in, if any."""
    receiver, st = Receiver(), _State()
    while not st.finished:
        wait = max(0.0, min(st.deadline - time.monotonic(), 0.5))
        ready, _, _ = select.select([kids.events], [], [], wait)
        if ready:
            data = os.read(kids.events, 1 << 20)
            if not data:
                if run.stopped is None and st.died_in is None:
                    run.problems.append("the grader's judge stopped unexpectedly")
                    run.stopped = "not run: the grader's judge stopped"
                break
            for msg in receiver.feed(data):
                if msg.get("pid") != kids.judge:
                    run.tampered("a message on the grading channel not from the judge")
                    continue
                _event(msg, run, st, limits, pending)
        if st.finished:
            break
        if not ready:
            _reap(ctx, kids)
        # the clock is read after every read too: a stream of events must not stop it
        if time.monotonic() >= st.deadline and st.current is None:
            # between cells or after the last: nothing may take a cell's timeout (a student
            # process that hangs its final check); what ran is graded
            run.problems.append(f"the kernel did not answer within {limits.timeout:g} s after its last cell")
            break
        if time.monotonic() >= st.deadline and not _over_time(kids, run, st, limits, kinds):
            break
    if receiver.garbage:
        run.tampered("malformed data written to the grading channel")
    return st.died_in


def _event(msg: dict[str, Any], run: Run, st: _State, limits: Limits, pending: set[int]) -> None:
    kind = msg["t"]
    if kind == "start":
        i = msg.get("i")
        if i not in pending or i in st.started or st.current is not None:
            run.tampered("cell order on the grading channel")
            return
        st.current, st.interrupted = i, False
        st.started.add(i)
        st.deadline = time.monotonic() + limits.timeout
    elif kind == "cell" and msg.get("i") == st.current and isinstance(msg.get("outputs"), list):
        run.cells[msg["i"]] = CellRun(
            msg["i"], msg.get("ec"), msg["outputs"], str(msg.get("t0")), str(msg.get("t1"))
        )
        st.current, st.deadline = None, time.monotonic() + limits.timeout  # until the next start
    elif kind == "flag":
        code = msg.get("code")
        run.flag(Code(code) if code in {c.value for c in Code} else Code.GUARD, str(msg.get("why"))[:300])
    elif kind == "note" and str(msg.get("why"))[:300] not in run.notes and len(run.notes) < MAX_NOTES:
        run.notes.append(str(msg.get("why"))[:300])
    elif kind == "problem":
        run.problems.append(str(msg.get("why"))[:300])
    elif kind == "sandbox":
        run.skipped = [str(s) for s in msg.get("skipped", [])]
    elif kind == "died":
        st.died_in = msg.get("i") if isinstance(msg.get("i"), int) else st.current
        st.finished = True
    elif kind == "done":
        st.finished = True
        run.exited = bool(msg.get("exited"))
        if st.current is not None or (pending - set(run.cells) and not run.exited):
            run.tampered("'done' before every cell had run")


def _reap(ctx: Context, kids: Children) -> None:
    """A dead student's process group is killed, so that no grandchild keeps its pipe open."""
    if kids.student_status is None:
        status = ctx.server.wait(0)
        if status is not None:
            kids.student_status = status
            _signal(kids.student, signal.SIGKILL)


def _over_time(kids: Children, run: Run, st: _State, limits: Limits, kinds: dict[int, str]) -> bool:
    """Interrupt the cell over time (the judge for a test cell: it interrupts a proxied call
    itself); kill both if it does not stop. False when grading must stop."""
    assert st.current is not None
    if not st.interrupted:
        run.timeouts.add(st.current)
        run.problems.append(f"timed out in cell {st.current + 1} after {limits.timeout:g} s")
        if kinds.get(st.current) == "test":
            with contextlib.suppress(OSError):
                os.kill(kids.judge, signal.SIGINT)
        else:
            _signal(kids.student, signal.SIGINT)
        st.interrupted = True
        st.deadline = time.monotonic() + GRACE + (1.0 if kinds.get(st.current) == "test" else 0.0)
        return True
    run.stopped = (
        f"not run: the kernel was killed after cell {st.current + 1} timed out ({limits.timeout:g} s)"
    )
    run.problems.append(f"killed: cell {st.current + 1} did not stop when interrupted")
    return False


def _signal(pid: int, sig: int) -> None:
    for target in (-pid, pid):  # the child's process group first: its subprocesses too
        with contextlib.suppress(OSError):
            os.kill(target, sig)


def _death(status: int | None, current: int | None, limits: Limits, run: Run) -> str:
    where = f"in cell {current + 1}" if current is not None else "before running any cell"
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            why = f"killed: CPU time limit {limits.cpu_seconds} s {where}"
        elif sig == signal.SIGKILL:
            why = f"killed (SIGKILL) {where}: memory limit {limits.memory / 1024**3:g} GiB or killed itself"
        else:
            why = f"kernel died {where} ({signal.Signals(sig).name})"
    else:
        code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else "?"
        why = f"kernel exited {where} (exit code {code})"
    run.problems.append(why)
    if current is not None and not any(f.code in (Code.EXITED, Code.KILLED) for f in run.flags):
        run.flag(Code.KILLED, f"the kernel exited or was killed by the notebook {where}")
    return f"not run: {why}"
