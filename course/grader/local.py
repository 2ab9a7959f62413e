"""Local parallelism: N pre-warmed zygotes, each fed by a thread; results come back in
completion order to the caller's thread, which is the gradebook's only writer."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator

from .client import ZygoteClient
from .jobs import Job, JobResult


class LocalPool:
    def __init__(self, workers: int, preload: tuple[str, ...] = ()) -> None:
        # one process warms up (while the caller reads the gradebook) and forks the others
        self.zygotes = ZygoteClient.group(workers, preload)

    def run(self, jobs: Iterable[Job]) -> Iterator[JobResult]:
        todo: queue.Queue[Job | None] = queue.Queue(maxsize=len(self.zygotes) * 2)
        done: queue.Queue[JobResult | BaseException | None] = queue.Queue()

        def work(zygote: ZygoteClient) -> None:
            try:
                while (job := todo.get()) is not None:
                    try:
                        done.put(zygote.run(job))
                    except Exception as exc:  # never lose a submission: report it as failed
                        done.put(JobResult(job.student, job.assignment, error=f"grader failed: {exc}"))
            finally:
                done.put(None)

        threads = [threading.Thread(target=work, args=(z,), daemon=True) for z in self.zygotes]
        for t in threads:
            t.start()

        def feed() -> None:
            try:
                for job in jobs:
                    todo.put(job)
            except BaseException as exc:
                done.put(exc)
            finally:
                for _ in threads:
                    todo.put(None)

        threading.Thread(target=feed, daemon=True).start()
        finished = 0
        while finished < len(threads):
            item = done.get()
            if item is None:
                finished += 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item

    def close(self) -> None:
        for z in self.zygotes:
            z.close()
