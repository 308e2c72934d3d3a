"""Stopping a command at an exact step of its work, to kill it there or act while it waits.

`Stoppable` runs `newscorpus ARGS` in its own process through this file as a script, which
counts the command's file-system steps (os.replace, rename, link, unlink, fsync, mkdir, rmdir,
symlink, in the command's main process), optionally only those naming a path that contains
a given text. At step number `at` (0 is the first) it reports the step on a pipe of its own and
waits, blocked, for SIGUSR1 (go on) or SIGKILL. A command that ends before that step reports
how many steps it took. So a test synchronises on what the command did, never on time.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from typing import Any

STEPS = ("replace", "rename", "link", "unlink", "fsync", "mkdir", "rmdir", "symlink")


class Stoppable:
    """`newscorpus *args` (or `python -c CODE ...` when args start with "-c"), stopped before
    its step `at` (counting only the steps naming `inside`, when given)."""

    def __init__(self, args: list[str], at: int, *, inside: str = "", **popen: Any) -> None:
        read, write = os.pipe()
        command = [sys.executable, __file__, str(at), inside, str(write), *args]
        self.process = subprocess.Popen(command, pass_fds=(write,), **popen)
        os.close(write)
        self._reports = os.fdopen(read, encoding="utf-8")

    def reached(self) -> str | None:
        """Waits until the command stops at its step (returns the step's report) or ends
        (returns None; `steps` then says how many it took)."""
        line = self._reports.readline()
        if line.startswith("done "):
            self.steps = int(line.split()[1])
            self.process.wait()
            return None
        if not line:  # ended without a report: killed, or failed before reporting
            self.process.wait()
            self.steps = -1
            return None
        return line.strip()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._reports.close()

    def resume(self) -> None:
        self.process.send_signal(signal.SIGUSR1)

    def finish(self) -> int:
        """Resume it, and wait for its exit status (it stops at one step only)."""
        self.resume()
        self.reached()
        self._reports.close()
        return self.process.returncode


def _run(at: int, inside: str, fd: int, args: list[str]) -> None:
    reports = os.fdopen(fd, "w", encoding="utf-8", buffering=1)
    main_pid = os.getpid()
    steps = 0
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # waited for with sigwait

    def counted(name: str, real: Any) -> Any:
        @functools.wraps(real)
        def step(*call: Any, **keywords: Any) -> Any:
            nonlocal steps
            named = inside in " ".join(map(str, call)) if inside else True
            if os.getpid() == main_pid and named:
                if steps == at:
                    reports.write(f"step {steps} {name} {' '.join(map(str, call))}\n")
                    signal.sigwait({signal.SIGUSR1})
                steps += 1
            return real(*call, **keywords)

        return step

    for name in STEPS:
        setattr(os, name, counted(name, getattr(os, name)))
    try:
        if args[:1] == ["-c"]:  # a program of its own, as `python -c CODE ARGS...` runs it
            sys.argv = ["-c", *args[2:]]
            exec(compile(args[1], "<program>", "exec"), {"__name__": "__main__"})
        else:
            sys.argv = ["newscorpus", *args]
            from newscorpus.cli import main

            main()
    finally:
        if os.getpid() == main_pid:
            reports.write(f"done {steps}\n")


if __name__ == "__main__":
    _run(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4:])
