"""The fault model (README, "Nothing is lost"), one class of fault at a time.

Each test makes the fault for real where the machine allows: FIFOs, device links and dangling
links in the corpus; a non-root user (root ignores permissions) through setpriv; a full disk
through a 3 MB tmpfs; SIGKILL while commands write; two commands at once; a forged cache.
Each asserts the exit code, the message, and that every file that existed before is
byte-identical afterwards. Tests that need root to set up (setpriv, mount) are skipped
without it; those that start many processes are marked slow.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from killpoint import Stoppable
from newscorpus.cache import WorkCache
from newscorpus.cli import main
from newscorpus.jsonio import dumps
from newscorpus.publish import transaction as transaction_module

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "publish" / "root"
RECORD = "corpus/records/fixture_000.json"
NOBODY = 65534
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_setpriv = pytest.mark.skipif(
    not (IS_ROOT and shutil.which("setpriv")), reason="needs root and setpriv to run as nobody"
)


def files(root: Path) -> dict[str, bytes]:
    """Every regular file under the root, the cache aside, by relative path."""
    found = {}
    for path in sorted(root.rglob("*")):
        if ".newscorpus-cache" in path.parts or path.is_symlink():
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISREG(path.lstat().st_mode):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def leftovers(root: Path) -> list[str]:
    """Temp files, staging folders and empty seeds: what a failed or killed write must not
    leave behind."""
    found = [p.name for p in root.glob(".corpus-staging-*")]
    found += [p.name for p in root.rglob("*.tmp") if ".newscorpus-cache" not in p.parts]
    found += [p.name for p in (root / "seeds").glob("*") if p.is_file() and not p.stat().st_size]
    return found


def cli(root: Path, *args: str, user: int | None = None, timeout: float = 120) -> Any:
    """The real command in its own process (as `user` when given), with a time limit: a hang
    is a failure, not a stuck test run."""
    command = [sys.executable, "-m", "newscorpus.cli", *args, "--root", str(root)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    env = {**os.environ, "HOME": "/tmp", "COLUMNS": "200"}
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--root", str(root)])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "root"
    shutil.copytree(PUBLISHED, root)
    assert invoke(root, "build").exit_code == 0
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "root"
    shutil.copytree(built, target, symlinks=True)
    return target


@pytest.fixture
def shared_root(built: Path) -> Iterator[Path]:
    """A copy of the built corpus that the nobody user owns (outside root's private tmp)."""
    folder = Path(tempfile.mkdtemp(prefix="newscorpus-faults-", dir="/tmp"))
    os.chmod(folder, 0o755)
    target = folder / "root"
    shutil.copytree(built, target)
    for path in [target, *target.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    yield target
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(folder)


# --- hostile entries: FIFOs, device links, dangling links -----------------------------------


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


HOSTILE_ENTRIES = {
    "fifo-record": lambda root: _fifo(root / "corpus/records/hostile.json"),
    "fifo-other": lambda root: _fifo(root / "corpus/records/hostile.ann"),
    "symlink-record": lambda root: os.symlink(root / RECORD, root / "corpus/records/linked.json"),
    "dangling-record": lambda root: os.symlink("/no/such", root / "corpus/records/gone.json"),
    "zero-seed": lambda root: (
        (root / "seeds/fixture_000.txt").unlink(),
        os.symlink("/dev/zero", root / "seeds/fixture_000.txt"),
    ),
    "fifo-seed": lambda root: _fifo(root / "seeds/fixture_000.txt"),
    "fifo-extra-seed": lambda root: _fifo(root / "seeds/extra.txt"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ENTRIES))
def test_a_hostile_entry_is_a_finding_and_the_build_publishes_nothing(root: Path, case: str):
    HOSTILE_ENTRIES[case](root)
    before = files(root)
    validated = cli(root, "validate", timeout=60)
    assert validated.returncode == 1, validated.stdout + validated.stderr
    assert "file-not-regular" in validated.stdout or "not a regular file" in validated.stdout
    built = cli(root, "build", timeout=60)
    assert built.returncode == 1, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    assert files(root) == before and not leftovers(root)


def test_a_fifo_given_to_validate_or_add_does_not_hang(root: Path, tmp_path: Path):
    _fifo(tmp_path / "pipe.json")
    result = cli(root, "validate", str(tmp_path / "pipe.json"), timeout=60)
    assert result.returncode == 1 and "file-not-regular" in result.stdout
    before = files(root)
    for seed in (tmp_path / "pipe.json", Path("/dev/zero")):
        result = cli(root, "add", str(seed), "--id", "piped", timeout=60)
        assert result.returncode == 1 and "not a regular file" in result.stderr, result.stderr
    assert files(root) == before and not leftovers(root)


# --- permissions, as a user that root's bypass does not cover --------------------------------


def _chmod(path: Path, mode: int) -> None:
    os.chmod(path, mode)


@needs_setpriv
@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder", "mode", "message"),
    [
        ("corpus/records", 0o000, "not readable and writable (mode 000)"),
        ("corpus/records", 0o555, "not readable and writable"),
        ("corpus", 0o555, "not readable and writable"),
        (".", 0o555, "cannot write"),
    ],
)
def test_build_refuses_a_folder_it_cannot_read_or_clear(
    shared_root: Path, folder: str, mode: int, message: str
):
    (shared_root / "corpus/records/fixture_000.json").write_text(
        (shared_root / RECORD).read_text().replace('"notes": null', '"notes": "edited"')
    )  # something to publish, so the build gets past its no-op check
    (shared_root / ".newscorpus-cache").mkdir(exist_ok=True)
    os.lchown(shared_root / ".newscorpus-cache", NOBODY, NOBODY)
    before = files(shared_root)
    _chmod(shared_root / folder, mode)
    try:
        result = cli(shared_root, "build", user=NOBODY)
        validated = cli(shared_root, "validate", user=NOBODY)
    finally:
        _chmod(shared_root / folder, 0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr and "nothing was published" in result.stderr
    assert "Traceback" not in result.stderr + validated.stderr
    if folder == "corpus/records" and mode == 0:
        assert validated.returncode == 1 and "file-unreadable" in validated.stdout
    assert files(shared_root) == before and not leftovers(shared_root)


@needs_setpriv
@pytest.mark.slow
def test_a_read_only_cache_only_costs_time_and_folder_modes_are_kept(shared_root: Path):
    record = shared_root / RECORD
    record.write_text(record.read_text().replace('"notes": null', '"notes": "edited"'))
    records = shared_root / "corpus/records"
    os.chmod(records, 0o775)
    _chmod(shared_root / ".newscorpus-cache", 0o555)
    try:
        result = cli(shared_root, "build", user=NOBODY)
    finally:
        _chmod(shared_root / ".newscorpus-cache", 0o755)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stat.S_IMODE(records.stat().st_mode) == 0o775
    assert not leftovers(shared_root)


def _seed_outside(root: Path) -> Path:
    text = (root / "seeds/fixture_000.txt").read_text() + "\nA new closing paragraph.\n"
    seed = root.parent / "incoming.txt"
    seed.write_text(text)
    os.lchown(seed, NOBODY, NOBODY)
    return seed


WRITERS = {
    "add": lambda root: ["add", str(_seed_outside(root)), "--id", "incoming"],
    "add-force": lambda root: [
        "add",
        str(root / "seeds/fixture_000.txt"),
        "--id",
        "fixture_000",
        "--force",
    ],
    "reanchor-force": lambda root: ["reanchor", "fixture_000", str(_seed_outside(root)), "--force"],
    "synth": lambda root: ["synth", "3"],
    "import-force": lambda root: ["import", "brat", str(_brat_export(root)), "--force"],
}


def _brat_export(root: Path) -> Path:
    out = root.parent / "brat"
    if not out.exists():
        assert invoke(root, "export", "brat", str(out)).exit_code == 0
        ann = out / "fixture_000.ann"
        ann.write_text("\n".join(ann.read_text().splitlines()[:1]) + "\n")  # one mention left
        for path in [out, *out.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)
    return out


@needs_setpriv
@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("folder", ["corpus/records", "seeds"])
def test_a_read_only_folder_is_a_message_and_changes_nothing(
    shared_root: Path, command: str, folder: str
):
    args = WRITERS[command](shared_root)
    before = files(shared_root)
    _chmod(shared_root / folder, 0o555)
    try:
        result = cli(shared_root, *args, user=NOBODY)
    finally:
        _chmod(shared_root / folder, 0o755)
    if folder == "seeds" and command in ("add-force", "import-force", "synth"):
        # these write no new seed (synth's seeds go beside records only for new ids)
        assert "Traceback" not in result.stderr
        return
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Permission denied" in result.stderr or "permission" in result.stdout.lower()
    assert files(shared_root) == before and not leftovers(shared_root)


# --- a full disk ------------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)])


def _fill(disk: Path) -> Path:
    """Fill the disk to the last byte (new files and folder entries still fit: tmpfs counts
    only their data)."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 4096)
    with filler.open("ab", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0")
    return filler


FULL_DISK = {
    **WRITERS,
    "build": lambda root: ["build", "--no-cache"],
    "export": lambda root: ["export", "conll", str(root / "out.conll")],
    "export-brat": lambda root: ["export", "brat", str(root / "out-brat")],
}


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")
@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(FULL_DISK))
def test_a_full_disk_is_a_message_leaves_nothing_half_made_and_a_retry_works(
    built: Path, tmp_path: Path, command: str
):
    with small_disk(tmp_path) as disk:
        root = disk / "root"
        shutil.copytree(built, root)
        (root / RECORD).write_text(
            (root / RECORD).read_text().replace('"notes": null', '"notes": "x"')
        )
        args = FULL_DISK[command](root)
        before = files(root)
        filler = _fill(disk)
        result = cli(root, *args)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "No space left on device" in result.stderr + result.stdout
        assert files(root) == before and not leftovers(root)
        filler.unlink()
        retried = cli(root, *args)
        assert retried.returncode == 0, retried.stdout + retried.stderr
        assert not leftovers(root)


# --- kills while writing ---------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("command", ["add", "add-force", "reanchor-force", "import-force", "synth"])
def test_sigkill_while_writing_loses_nothing_and_a_retry_works(
    built: Path, tmp_path: Path, command: str
):
    """Killed before each of its file-system steps in turn (up to 12, spread over them): every
    record is a version that existed, nothing is half-written, and running it again succeeds."""
    env = {**os.environ, "HOME": "/tmp"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    counted = tmp_path / "counted"
    shutil.copytree(built, counted)
    whole = Stoppable([*WRITERS[command](counted), "--root", str(counted)], at=-1, **quiet)
    assert whole.reached() is None and whole.process.returncode == 0
    steps = whole.steps
    assert steps > 0
    for attempt, at in enumerate(sorted({i * (steps - 1) // 11 for i in range(12)})):
        root = tmp_path / f"root{attempt}"
        shutil.copytree(built, root)
        args = WRITERS[command](root)
        versions = files(root)
        process = Stoppable([*args, "--root", str(root)], at=at, **quiet)
        assert process.reached() is not None, f"{command} took no step {at} of {steps}"
        process.kill()
        after = files(root)
        for name, data in versions.items():
            kept = [v for k, v in after.items() if k == name or k.startswith(name + ".")]
            assert data in kept, f"{name} lost after a kill before step {at}"
        # Run again: it completes (synth with --force, over the records it had written), or
        # says the killed run had already finished (reanchor onto the same seed).
        retried = cli(root, *args, *(["--force"] if command == "synth" else []))
        done = any(
            said in retried.stderr
            for said in ("already anchored to this version", "incoming.json already exists")
        )
        assert retried.returncode == 0 or done, retried.stdout + retried.stderr
        assert not leftovers(root)
        assert cli(root, "validate").returncode == 0


@pytest.mark.slow
def test_workers_die_with_their_parent(built: Path, tmp_path: Path):
    root = tmp_path / "root"
    shutil.copytree(built, root)
    assert invoke(root, "synth", "400").exit_code == 0
    # The command reports each worker it starts (its pid) on a pipe, then goes on.
    read, write = os.pipe()
    started = (
        "import os, sys; from newscorpus import parallel; real = parallel._die_with_parent\n"
        "fd = int(sys.argv[1])\n"
        "def reported(parent):\n"
        "    real(parent); os.write(fd, b'%d\\n' % os.getpid())\n"
        "parallel._die_with_parent = reported\n"
        "sys.argv = ['newscorpus', *sys.argv[2:]]\n"
        "from newscorpus.cli import main; main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", started, str(write), "validate", "--no-cache", "--jobs", "2",
         "--root", str(root)],
        stdout=subprocess.DEVNULL, pass_fds=(write,),
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as reports:  # open until the end: a worker's report never fails
        worker = int(reports.readline())  # the first worker is running
        ended = os.pidfd_open(worker)  # becomes readable when the worker ends, child or not
        try:
            process.send_signal(signal.SIGKILL)
            process.wait()
            readable, _, _ = select.select([ended], [], [], 10)
            assert readable, f"worker {worker} outlived its parent by 10 s"
        finally:
            os.close(ended)


def test_jobs_is_capped_at_the_cpus(root: Path, monkeypatch: pytest.MonkeyPatch):
    """--jobs 10000 starts as many workers as there are CPUs; on a corpus of more batches than
    CPUs, so that the cap, not the number of tasks, is what limits them."""
    from newscorpus import parallel
    from newscorpus.validate.run import VALIDATE_BATCH

    assert invoke(root, "synth", str(3 * VALIDATE_BATCH)).exit_code == 0  # four batches at least
    monkeypatch.setattr(parallel, "max_jobs", lambda: 2)  # a machine of two CPUs
    pools: list[int] = []
    real = parallel.ProcessPoolExecutor

    def counted(*args: Any, max_workers: int, **keywords: Any) -> Any:
        pools.append(max_workers)
        return real(*args, max_workers=max_workers, **keywords)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", counted)
    result = invoke(root, "validate", "--no-cache", "--jobs", "10000")
    assert result.exit_code == 0, result.output
    assert pools == [2]


@needs_setpriv
@pytest.mark.slow
def test_a_process_limit_runs_the_work_in_process(shared_root: Path):
    assert invoke(shared_root, "synth", "130").exit_code == 0  # three batches
    for path in [shared_root, *shared_root.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    command = ["prlimit", "--nproc=1", "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
               "--clear-groups", sys.executable, "-m", "newscorpus.cli", "validate", "--no-cache",
               "--jobs", "2", "--root", str(shared_root)]  # fmt: skip
    env = {**os.environ, "HOME": "/tmp", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr


# --- races -----------------------------------------------------------------------------------


def test_add_force_just_before_the_exchange_keeps_the_gold_version(
    root: Path, monkeypatch: pytest.MonkeyPatch
):
    from newscorpus.fsutil import write_atomic

    record_path = root / RECORD
    gold = record_path.read_bytes()
    draft = dumps(
        {**json.loads(gold), "annotation": {**json.loads(gold)["annotation"], "notes": "new draft"}}
    )
    (root / "seeds/extra.txt").write_text("x")  # an input change, so the build runs
    (root / "seeds/extra.txt").unlink()
    real = transaction_module.exchange

    def add_force_then_exchange(new: Path, live: Path) -> None:
        write_atomic(record_path, draft, overwrite=True)  # what `add --force` does
        real(new, live)

    monkeypatch.setattr(transaction_module, "exchange", add_force_then_exchange)
    assert invoke(root, "build", "--no-cache").exit_code == 0
    assert record_path.read_text() == draft
    assert (root / (RECORD + ".bak")).read_bytes() == gold


@pytest.mark.slow
def test_two_adds_of_one_id_at_once_write_one_record(root: Path):
    seed = _seed_outside(root)
    command = [sys.executable, "-m", "newscorpus.cli", "add", str(seed), "--id", "twice",
               "--root", str(root)]  # fmt: skip
    processes = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = sorted(p.wait() for p in processes)
    assert codes == [0, 1]
    assert "already exists" in "".join(p.stderr.read() for p in processes)
    assert not leftovers(root)


@pytest.mark.slow
def test_a_build_and_an_add_at_once_lose_nothing(root: Path):
    seed = _seed_outside(root)
    build = Stoppable(
        ["build", "--no-cache", "--root", str(root)], at=1, inside=".corpus-staging-",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert build.reached() is not None, "the build wrote no staging folder"
    added = cli(root, "add", str(seed), "--id", "during")  # while the build writes its outputs
    build.finish()
    assert added.returncode == 0, added.stderr
    assert (root / "corpus/records/during.json").is_file()  # whatever the build did
    assert not leftovers(root)
    assert cli(root, "build").returncode == 0


# --- the cache can only make a run faster ----------------------------------------------------


def _break(root: Path) -> None:
    record = json.loads((root / RECORD).read_text())
    record["mentions"][0]["text"] += "x"  # span-text-mismatch
    (root / RECORD).write_text(dumps(record))


def test_an_edited_cache_entry_is_ignored(root: Path):
    assert invoke(root, "validate").exit_code == 0  # fills the cache
    _break(root)
    cache = WorkCache(root, "validate")
    sha = __import__("hashlib").sha256((root / RECORD).read_bytes()).hexdigest()
    cache.entries[RECORD]["sha"] = sha  # claims the broken bytes were valid, without the key
    cache.dirty = True
    cache.save()
    result = invoke(root, "validate")
    assert result.exit_code == 1 and "span-text-mismatch" in result.output


def test_a_forged_cache_never_reaches_what_is_published(root: Path):
    before = files(root)
    _break(root)
    broken = files(root)
    cache = WorkCache(root, "validate")
    sha = __import__("hashlib").sha256((root / RECORD).read_bytes()).hexdigest()
    cache.store(RECORD, sha, None, [])  # sealed with the key: as good as a real entry
    cache.save()
    for args in (["build"], ["build", "--no-cache"], ["build", "--check"]):
        result = invoke(root, *args)
        assert result.exit_code == 1, (args, result.output)
    assert files(root) == broken and broken != before


# --- duplicates across records ----------------------------------------------------------------


def test_one_article_under_four_names_is_an_error(root: Path):
    seed = root / "seeds/fixture_000.txt"
    for name in ("a", "b", "c"):
        shutil.copyfile(seed, root / f"seeds/copy_{name}.txt")
        assert invoke(root, "add", str(root / f"seeds/copy_{name}.txt")).exit_code == 0
    result = invoke(root, "validate")
    assert result.exit_code == 1
    assert result.output.count("text-duplicate") == 3
    before = files(root)
    assert invoke(root, "build").exit_code == 1
    assert files(root) == before


def test_ids_that_differ_only_in_case_are_refused(root: Path):
    seed = _seed_outside(root)
    assert invoke(root, "add", str(seed), "--id", "Incoming").exit_code == 0
    before = files(root)
    result = invoke(root, "add", str(seed), "--id", "incoming")
    assert result.exit_code == 1 and "only in case" in result.output
    assert files(root) == before
    record = json.loads((root / "corpus/records/Incoming.json").read_text())
    record["id"] = "INCOMING"
    (root / "corpus/records/INCOMING.json").write_text(dumps(record))
    result = invoke(root, "validate")
    assert result.exit_code == 1 and "id-case-collision" in result.output


# --- names a seed cannot have ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "record_id", "seed_name"),
    [
        ("café.txt", "cafe", "cafe.txt"),
        ("my seed.txt", "my-seed", "my-seed.txt"),
        ("-lead.txt", "lead", "lead.txt"),
        ("new\nline.txt", "new-line", "new-line.txt"),
        ("a;b.txt", "a-b", "a-b.txt"),
    ],
)
def test_add_derives_a_safe_id_and_seed_name(root: Path, name: str, record_id: str, seed_name: str):
    folder = root.parent / "incoming"
    folder.mkdir()
    seed = folder / name
    seed.write_text(_seed_outside(root).read_text())
    result = invoke(root, "add", str(seed))
    assert result.exit_code == 0, result.output
    record = json.loads((root / f"corpus/records/{record_id}.json").read_text())
    assert record["source"]["seed_path"] == f"seeds/{seed_name}"
    assert invoke(root, "validate").exit_code == 0


def test_an_unsafe_name_inside_seeds_is_refused_before_anything_is_written(root: Path):
    seed = root / "seeds" / "bad name.txt"
    seed.write_text(_seed_outside(root).read_text())
    before = files(root)
    result = invoke(root, "add", str(seed))
    assert result.exit_code == 1 and "rename it" in result.output
    assert files(root) == before


def test_records_follow_the_umask(root: Path):
    seed = _seed_outside(root)
    old = os.umask(0o002)
    try:
        assert invoke(root, "add", str(seed), "--id", "masked").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((root / "corpus/records/masked.json").stat().st_mode) == 0o664


# --- show ------------------------------------------------------------------------------------


def test_show_html_never_writes_over_a_record_a_seed_or_a_file(root: Path, tmp_path: Path):
    before = files(root)
    for target in (root / RECORD, root / "seeds/fixture_000.txt"):
        for extra in ([], ["--force"]):
            result = invoke(root, "show", "fixture_000", "--html", str(target), *extra)
            assert result.exit_code == 1 and "nothing was written" in result.output
    page = tmp_path / "page.html"
    page.write_text("mine")
    result = invoke(root, "show", "fixture_000", "--html", str(page))
    assert result.exit_code == 1 and "already exists" in result.output
    assert page.read_text() == "mine" and files(root) == before
    assert invoke(root, "show", "fixture_000", "--html", str(page), "--force").exit_code == 0
    assert page.read_text().startswith("<!")


def test_show_prints_markup_and_escapes_as_text(root: Path):
    record = json.loads((root / RECORD).read_text())
    record["entities"][0]["name"] = "Acme [/] corp [/bold] [link=http://evil]x[/link] \x1b[2J"
    record["annotation"]["annotators"] = ["[bold red]me[/]"]
    (root / RECORD).write_text(dumps(record))
    result = CliRunner().invoke(
        main, ["show", "fixture_000", "--root", str(root)], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    assert "Acme [/] corp [/bold] [link=http://evil]x[/link]" in result.output
    assert "\x1b" not in result.output and "\\u001b[2J" in result.output
    assert "[bold red]me[/]" in result.output
    assert "string-control-character" in invoke(root, "validate").output


# --- text ------------------------------------------------------------------------------------


def test_a_mention_that_splits_a_flag_is_caught(tmp_path: Path):
    from newscorpus.ingest import draft_record
    from newscorpus.validate import validate_record

    record = draft_record("Fans wave 🇵🇰 flags.\n".encode(), "seeds/flag.txt", "flag")
    at = record["text"].index("🇵")
    record["mentions"] = [
        {"id": "m1", "start": at, "end": at + 1, "text": "🇵", "label": "GPE",
         "mention_type": "NAM", "entity": "e1"}
    ]  # fmt: skip
    record["entities"] = [{"id": "e1", "label": "GPE", "name": "🇵"}]
    codes = {f.code for f in validate_record(record, file="flag.json", root=None, stem="flag")}
    assert "mention-token-boundary" in codes


def test_a_right_to_left_override_in_the_text_is_caught():
    from newscorpus.ingest import draft_record
    from newscorpus.validate import validate_record

    record = draft_record(b"Title\n\nPlain text here.\n", "seeds/rtl.txt", "rtl")
    record["text"] = record["text"].replace("Plain", "Pl\u202eain")
    for passage in record["passages"][1:]:
        passage["end"] += 1
    codes = {f.code for f in validate_record(record, file="rtl.json", root=None, stem="rtl")}
    assert "string-control-character" in codes


# --- a root that is not a corpus -------------------------------------------------------------


def test_build_at_a_typo_root_creates_nothing(tmp_path: Path):
    typo = tmp_path / "no-such-corpus"
    result = invoke(typo, "build")
    assert result.exit_code == 1 and "no corpus under" in result.output
    assert not typo.exists()


def test_a_build_killed_right_after_its_exchange_is_finished_by_the_next(
    root: Path, monkeypatch: pytest.MonkeyPatch
):
    """Killed after the exchange, before carrying over a file saved in that instant and
    before placing the datasheet: the next build links the file back and places it."""
    from newscorpus.publish import build as build_module

    record = root / RECORD
    record.write_text(record.read_text().replace('"notes": null', '"notes": "edited"'))
    real = transaction_module.exchange
    note = root / "corpus" / "saved-meanwhile.txt"

    def save_exchange_then_die(new: Path, live: Path) -> None:
        note.write_text("written during the build\n")
        real(new, live)
        raise KeyboardInterrupt  # stands in for SIGKILL: no clean-up runs

    monkeypatch.setattr(transaction_module, "exchange", save_exchange_then_die)
    monkeypatch.setattr(transaction_module.BuildTransaction, "recover", lambda self: False)
    with pytest.raises(KeyboardInterrupt):
        build_module.build(root, use_cache=False)
    monkeypatch.undo()
    assert list(root.glob(".corpus-staging-*")) and not note.exists()
    assert invoke(root, "build", "--no-cache").exit_code == 0
    assert note.read_text() == "written during the build\n"
    assert not leftovers(root)
    assert invoke(root, "build", "--check").exit_code == 0


def test_a_fifo_in_place_of_the_cache_or_its_key_does_not_hang(root: Path):
    assert invoke(root, "validate").exit_code == 0
    cache = root / ".newscorpus-cache"
    for name in [p.name for p in cache.glob("validate-*.json")] + ["key"]:
        _fifo(cache / name)
    result = cli(root, "validate", timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_backup_left_by_a_killed_write_is_reused_not_doubled(tmp_path: Path):
    """Killed between linking the backup and renaming the new file into place: the backup
    is the current file itself, and the retry keeps that one rather than making another."""
    from newscorpus.fsutil import write_atomic

    record = tmp_path / "r.json"
    record.write_text("gold\n")
    os.link(record, tmp_path / "r.json.bak")  # what the killed write had done
    assert write_atomic(record, "draft\n", overwrite=True) == tmp_path / "r.json.bak"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.json.bak"]
    assert (tmp_path / "r.json.bak").read_text() == "gold\n"
    assert record.read_text() == "draft\n"
