"""Ordered maps over worker processes, with a bounded number of tasks in flight.

validate and build both run a pure per-shard function over the corpus; this is the one place
that decides how. Results come back in task order, so outputs do not depend on `jobs`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def max_jobs() -> int:
    """More workers than CPUs only add start-up and memory; --jobs is capped here."""
    return default_jobs()


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Worker start-up: ask the kernel to kill this worker when its parent dies (even by
    SIGKILL, which runs no clean-up), so no orphan keeps reading or writing."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def bounded_map(func: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """map(func, tasks) in `jobs` processes, at most 2 x jobs tasks ahead of the consumer.

    The bound keeps memory flat when the consumer (e.g. a Parquet writer) is slower than the
    workers. With jobs <= 1 it is a plain map in this process. `jobs` is capped at the CPUs
    available and at the number of tasks; workers die with this process. When no worker can
    be started at all (a process limit), the map runs in this process instead.
    """
    tasks = list(tasks)
    jobs = max(1, min(jobs, max_jobs(), len(tasks)))
    if jobs <= 1:
        yield from map(func, tasks)  # a pool would only add its start-up
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    queued = iter(tasks)
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    )
    try:
        try:
            pending: deque[Future[R]] = deque(
                pool.submit(func, task) for task in itertools.islice(queued, 2 * jobs)
            )
        except (OSError, RuntimeError):  # fork refused (EAGAIN under a process limit)
            # Workers started before the refusal wait on a queue nobody will feed: stop them,
            # or the interpreter would wait for them at exit.
            for worker in list((getattr(pool, "_processes", None) or {}).values()):
                worker.terminate()
                worker.join()
            pool.shutdown(wait=False, cancel_futures=True)
            yield from map(func, tasks)
            return
        while pending:
            result = pending.popleft().result()
            for task in itertools.islice(queued, 1):
                pending.append(pool.submit(func, task))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
