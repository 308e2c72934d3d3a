"""Ordered maps over worker processes, with a bounded number of tasks in flight.

validate and build both run a pure per-shard function over the corpus; this is the one place
that decides how. Results come back in task order, so outputs do not depend on `jobs`.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
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


def bounded_map(func: Callable[[T], R], tasks: Iterable[T], jobs: int) -> Iterator[R]:
    """map(func, tasks) in `jobs` processes, at most 2 x jobs tasks ahead of the consumer.

    The bound keeps memory flat when the consumer (e.g. a Parquet writer) is slower than the
    workers. With jobs <= 1 it is a plain map in this process.
    """
    if jobs <= 1 or (isinstance(tasks, list) and len(tasks) <= 1):
        yield from map(func, tasks)  # a pool would only add its start-up
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    queued = iter(tasks)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future[R]] = deque(
            pool.submit(func, task) for task in itertools.islice(queued, 2 * jobs)
        )
        while pending:
            result = pending.popleft().result()
            for task in itertools.islice(queued, 1):
                pending.append(pool.submit(func, task))
            yield result
