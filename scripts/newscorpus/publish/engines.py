"""Engines that run a build's shard tasks: worker processes on this machine, or a Ray cluster.

Each engine maps a pure task function over tasks and yields the results in task order, at
most a few tasks ahead of the consumer; nothing else about the build depends on which one ran.
The table `ENGINES` is what `newscorpus build --engine` offers.

Ray: with no address a local Ray instance is started for the build (and stopped after); with
`--address` (`auto`, `ray://host:10001`, ...) the build joins a running cluster. Workers must
import the same version of this package and its pinned libraries, and see the corpus root and
the build's staging folder at the same path (shared storage). A task whose worker dies is
retried (`RETRIES` times; a retry rewrites the shard's files from scratch); a task that still
fails, or raises, fails the build before anything is published.
"""

from __future__ import annotations

import itertools
import os
import socket
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ..errors import BuildError
from ..parallel import bounded_map

T = TypeVar("T")
R = TypeVar("R")

RETRIES = 3  # attempts after the first for a task whose worker died


def local_engine(
    func: Callable[[T], R], tasks: Iterable[T], *, jobs: int, address: str | None = None
) -> Iterator[R]:
    """Worker processes on this machine (`--jobs`)."""
    if address is not None:
        raise BuildError("--address is for --engine ray; the local engine runs here")
    return bounded_map(func, tasks, jobs)


def ray_engine(
    func: Callable[[T], R], tasks: Iterable[T], *, jobs: int, address: str | None = None
) -> Iterator[R]:
    """Ray tasks, one per shard, at most two per CPU of the cluster in flight."""
    # Ray reports usage statistics over the network unless told not to; a build never calls out.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address is not None:
        _reachable(address)
    try:
        import ray
    except ImportError:
        raise BuildError(
            "--engine ray needs Ray: pip install 'newscorpus[ray]' (on every worker too)"
        ) from None
    started = not ray.is_initialized()
    if started:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address is None:
            options["num_cpus"] = jobs
        try:
            ray.init(address=address, **options)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise BuildError(f"cannot reach the Ray cluster at {address}: {err}") from None
    try:
        remote = ray.remote(max_retries=RETRIES, retry_exceptions=False)(func)
        ahead = 2 * max(1, int(ray.cluster_resources().get("CPU", jobs)))
        queued = iter(tasks)
        pending = deque(remote.remote(task) for task in itertools.islice(queued, ahead))
        while pending:
            try:
                result = ray.get(pending.popleft())
            except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError) as err:
                raise BuildError(
                    f"a Ray worker died {RETRIES + 1} times on one shard ({err}); "
                    "nothing was published"
                ) from None
            pending.extend(remote.remote(task) for task in itertools.islice(queued, 1))
            yield result
    finally:
        if started:
            ray.shutdown()


CONNECT_SECONDS = 10  # how long a cluster's address may take to accept a connection


def _reachable(address: str) -> None:
    """Fail within CONNECT_SECONDS, naming the address, when nothing accepts a connection
    there (Ray itself would retry for minutes); `auto` is left to Ray."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if address == "auto" or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), CONNECT_SECONDS).close()
    except (OSError, ValueError, OverflowError) as err:
        raise BuildError(
            f"cannot reach the Ray cluster at {address} within {CONNECT_SECONDS} s "
            f"({getattr(err, 'strerror', None) or err}); nothing was published. Check that "
            "the cluster runs and the address is its head node's (ray start --head prints it)"
        ) from None


Engine = Callable[..., Iterator[Any]]
ENGINES: dict[str, Engine] = {"local": local_engine, "ray": ray_engine}


def run_tasks(
    engine: str,
    func: Callable[[T], R],
    tasks: Iterable[T],
    *,
    jobs: int,
    address: str | None = None,
) -> Iterator[R]:
    if engine not in ENGINES:
        raise BuildError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    return ENGINES[engine](func, tasks, jobs=jobs, address=address)
