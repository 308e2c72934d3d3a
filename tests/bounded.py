"""Running a command on a hostile input as a user would, in its own process, with the time
and peak memory it took: every hostile input must finish in under 10 s and 500 MB."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SECONDS = 10.0
MEGABYTES = 500.0

# The command's own process reports its peak resident memory (VmHWM, KiB) as it exits,
# whatever the exit status.
_MEASURED = """
import resource, sys
sys.argv = ["newscorpus", *sys.argv[1:]]
try:
    from newscorpus.cli import main
    main()
finally:
    # VmHWM is this program's own peak: ru_maxrss also keeps the peak of the process that was
    # forked before exec, here the whole test session, however small this program stayed.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak-rss-kib {peak}", file=sys.stderr)
"""


@dataclass
class Run:
    code: int
    output: str
    seconds: float
    megabytes: float


def run_bounded(*args: str, timeout: float = 120) -> Run:
    """`newscorpus ARGS...`, asserting that it stayed within SECONDS and MEGABYTES."""
    env = {**os.environ, "COLUMNS": "200"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    seconds = time.monotonic() - started
    found = re.search(r"peak-rss-kib (\d+)", done.stderr)
    assert found is not None, done.stderr[-2000:]
    megabytes = int(found.group(1)) / 1024
    output = done.stdout + done.stderr.replace(found.group(0), "")
    assert "Traceback" not in output, output[-3000:]
    assert seconds < SECONDS, (seconds, output[-2000:])
    assert megabytes < MEGABYTES, (megabytes, output[-2000:])
    print(f"bounded: {' '.join(args[:2])}: {seconds:.1f} s, {megabytes:.0f} MB")  # pytest -s
    return Run(done.returncode, output, seconds, megabytes)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (the cache aside), by relative path: what must not change."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".newscorpus-cache" not in p.parts
    }
