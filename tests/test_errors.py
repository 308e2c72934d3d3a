"""One error base: every error the library raises on purpose is a NewscorpusError, which the
CLI prints as one line; any other exception is a bug and must not be dressed up as a message."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from click.testing import CliRunner

import newscorpus
from newscorpus import validate
from newscorpus.cli import main
from newscorpus.errors import NewscorpusError, RecordNotFoundError
from newscorpus.publish import derive

# Raised and caught inside one importer, never seen by a caller.
INTERNAL = {"newscorpus.interop.utf16.OffsetError"}


def _exception_classes() -> dict[str, type[BaseException]]:
    found = {}
    for info in pkgutil.walk_packages(newscorpus.__path__, "newscorpus."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == info.name
            ):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_domain_error_derives_from_the_base():
    classes = _exception_classes()
    assert "newscorpus.errors.BuildError" in classes
    outside = [
        name
        for name, cls in classes.items()
        if not issubclass(cls, NewscorpusError) and name not in INTERNAL
    ]
    assert outside == []


def test_error_names_are_distinct():
    names = [qualified.rsplit(".", 1)[1] for qualified in _exception_classes()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_cli_prints_a_domain_error_as_one_line(monkeypatch, tmp_path):
    def missing(root, doc_id):
        raise RecordNotFoundError(f"no record {doc_id!r}")

    monkeypatch.setattr(validate, "load_record", missing)
    result = CliRunner().invoke(main, ["show", "nothing", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == "Error: no record 'nothing'\n"


def test_cli_lets_a_bug_fail_loudly(monkeypatch, tmp_path):
    def broken(root, **options):
        raise ValueError("a bug")

    monkeypatch.setattr(derive, "check_valid", broken)
    result = CliRunner().invoke(main, ["stats", "--root", str(tmp_path)])
    assert isinstance(result.exception, ValueError)
    assert "Error: a bug" not in result.output


def test_an_output_that_cannot_be_hashed_is_an_error_not_a_none(tmp_path):
    from newscorpus.errors import BuildError
    from newscorpus.publish.build import _sha256

    with pytest.raises(BuildError, match="cannot read"):
        _sha256(tmp_path / "missing.parquet")
