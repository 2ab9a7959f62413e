"""Grading on an existing Dask distributed cluster (`--scheduler tcp://host:8786`).

Each Dask worker process keeps one pre-warmed zygote; tasks carry the submission's bytes
and the assignment template, so workers need neither the course directory nor the
database. Results stream back to the caller, which stays the gradebook's single writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .jobs import Job, JobResult

_ZYGOTE = None


def grade_on_worker(job: Job) -> JobResult:
    global _ZYGOTE
    from .client import ZygoteClient

    if _ZYGOTE is None:
        _ZYGOTE = ZygoteClient(job.settings.preload)
    result: JobResult = _ZYGOTE.run(job)
    return result


def run_dask(jobs: Iterable[Job], address: str, window: int | None = None) -> Iterator[JobResult]:
    import distributed

    dist: Any = distributed  # untyped library: its calls are checked here, not in distributed
    with dist.Client(address, set_as_default=False) as client:
        n = window or max(2, 2 * sum(client.nthreads().values()))
        owner: dict[Any, Job] = {}
        it = iter(jobs)
        first: list[Any] = []
        for job in it:  # a bounded window in flight: a class of 10,000 is not all in memory
            fut = client.submit(grade_on_worker, job, pure=False)
            owner[fut.key] = job
            first.append(fut)
            if len(first) >= n:
                break
        if not first:
            return
        pending = dist.as_completed(first, loop=client.loop)
        for fut in pending:
            job = owner.pop(fut.key)
            try:
                yield fut.result()
            except Exception as exc:  # a lost worker or task: the submission is reported, not lost
                yield JobResult(job.student, job.assignment, error=f"dask task failed: {exc}")
            nxt = next(it, None)
            if nxt is not None:
                f2 = client.submit(grade_on_worker, nxt, pure=False)
                owner[f2.key] = nxt
                pending.add(f2)
