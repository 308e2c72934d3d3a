"""The label inventory and the other curated definitions of schema/, and which copy is read.

schema/labels.json is the one source of every label set: the JSON Schema enums, the
validator's role and argument checks and the ClassLabel names of the published configs all
derive from the constants defined here.

Which schema/ a command reads: each file (labels.json, record.schema.json, dataset.json,
GUIDELINES.md) comes from the corpus root's own `schema/` when that file is there, else from
the copy packaged with newscorpus (a wheel holds it as newscorpus/_schema; a source checkout
reads its schema/). The command line selects the root (`--root`, default the current folder)
before it loads anything from schema/, with `use_root`; code that selects nothing reads the
packaged copy.

The label constants (ENTITY_LABELS, VALUE_LABELS, ...) are computed on first use, not at
import, so that start-up stays cheap and they come from the selected root. Modules bind them
when they are imported, so the inventory and the record schema are read once per process: a
process never mixes two label sets. Reading them while a root whose copy differs from the one
already read is selected is an error (the command line runs one root per process, and its
imports read nothing from schema/; a worker process inherits the selection through
NEWSCORPUS_ROOT). The metadata (dataset.json) and the guidelines version are read per call,
from the selected root.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from .errors import NewscorpusError

_PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA = "schema"
# The files of schema/ the package reads, each from the root's schema/ or the packaged copy.
SCHEMA_FILES = ("labels.json", "record.schema.json", "dataset.json", "GUIDELINES.md")
# The corpus root selected by the command line, passed on to worker processes.
ROOT_ENV = "NEWSCORPUS_ROOT"

# The version of schema/record.schema.json that records written by this package carry.
SCHEMA_VERSION = "1.1.0"

_selected: Path | None = None


@cache
def packaged_schema_dir() -> Path:
    """The schema folder shipped with the package: inside a wheel, or a source tree's own."""
    for candidate in (_PACKAGE_DIR / "_schema", _PACKAGE_DIR.parent.parent / SCHEMA):
        if (candidate / "labels.json").is_file():
            return candidate
    raise FileNotFoundError("schema/labels.json not found next to the newscorpus package")


def selected_root() -> Path | None:
    """The corpus root whose schema/ is read, or None for the packaged copy alone."""
    if _selected is not None:
        return _selected
    inherited = os.environ.get(ROOT_ENV)
    return Path(inherited) if inherited else None


@cache
def _schema_file(root: Path | None, name: str) -> Path:
    if root is not None:
        local = root / SCHEMA / name
        if local.is_file():
            return local
    return packaged_schema_dir() / name


def schema_file(name: str) -> Path:
    """The file `name` of schema/ that is read: the selected root's own, else the packaged one."""
    return _schema_file(selected_root(), name)


def schema_files() -> list[Path]:
    """Every file of schema/ the package reads, as `schema_file` finds them."""
    return [path for path in map(schema_file, SCHEMA_FILES) if path.is_file()]


def shown_schema_file(path: Path) -> str:
    """`schema/NAME` for a file of the selected root, the full path for the packaged copy."""
    root = selected_root()
    if root is not None and path.parent == root / SCHEMA:
        return f"{SCHEMA}/{path.name}"
    return str(path)


@contextmanager
def use_root(root: Path) -> Iterator[None]:
    """Within the block, read schema/ from `root` (file by file, the packaged copy otherwise).

    The inventory and the record schema are read once per process: reading them in the block
    is a NewscorpusError when `root`'s differ from the ones this process has already read.
    """
    global _selected
    previous, inherited = _selected, os.environ.get(ROOT_ENV)
    _selected = root.resolve()
    os.environ[ROOT_ENV] = str(_selected)
    try:
        yield
    finally:
        _selected = previous
        if inherited is None:
            os.environ.pop(ROOT_ENV, None)
        else:
            os.environ[ROOT_ENV] = inherited


# name -> (the file read, its bytes, its parsed content); filled on first use.
_loaded: dict[str, tuple[Path, bytes, Any]] = {}


def _definition(name: str) -> Any:
    held = _loaded.get(name)
    if held is not None:
        _check_same_definition(name)
    else:
        path = schema_file(name)
        from .jsonio import load_json  # the one strict reader; imported when first needed

        try:
            data = path.read_bytes()
            parsed = load_json(data, shown_schema_file(path), "a JSON object")
        except (OSError, NewscorpusError) as err:
            raise NewscorpusError(
                f"{shown_schema_file(path)} cannot be read as JSON ({err}); fix it, or remove "
                f"it to use the copy packaged with newscorpus ({packaged_schema_dir()})"
            ) from None
        if name == "labels.json":
            _check_inventory(parsed, shown_schema_file(path))
        elif name == "record.schema.json":
            _check_record_schema(parsed, data, path)
        held = _loaded[name] = (path, data, parsed)
    return held[2]


def _check_record_schema(schema: Any, data: bytes, path: Path) -> None:
    """A root's own record schema is itself checked against the JSON Schema meta-schema (by
    jsonschema, which names the place), so that an edit to it is an error saying where, not a
    traceback from the validator that compiles it. The packaged copy is checked by the tests."""
    packaged = packaged_schema_dir() / "record.schema.json"
    try:
        if path.resolve() == packaged.resolve() or data == packaged.read_bytes():
            return
    except OSError:
        pass
    import jsonschema

    kind = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    error = jsonschema.exceptions.best_match(kind(kind.META_SCHEMA).iter_errors(schema))
    if error is None:
        return
    steps = (str(step).replace("~", "~0").replace("/", "~1") for step in error.absolute_path)
    raise NewscorpusError(
        f"{shown_schema_file(path)}:/{'/'.join(steps)}: not a valid JSON Schema: "
        f"{error.message}; fix it, or remove the file to use the copy packaged with "
        f"newscorpus ({packaged_schema_dir()})"
    )


# Inventory sections that map each label to a definition (a string, or an object with these
# keys), and those that list labels of another section.
_DEFINED = {
    "entity_labels": (),
    "mention_types": (),
    "quote_types": (),
    "modalities": (),
    "event_types": ("definition", "roles"),
    "roles": (),
    "relation_types": ("definition", "head", "tail"),
    "topics": (),
    "passage_types": (),
    "splits": (),
    "statuses": (),
}
_LISTED = ("value_labels", "temporal_labels", "hierarchical_relations")


def _check_inventory(inv: Any, where: str) -> None:
    """The shape the constants and the card need; a NewscorpusError names what is wrong."""

    def fail(pointer: str, problem: str) -> NoReturn:
        raise NewscorpusError(
            f"{where}: at {pointer or '/'}, {problem}; fix it (the packaged copy, "
            f"{packaged_schema_dir() / 'labels.json'}, shows the expected shape)"
        )

    if not isinstance(inv, dict):
        fail("", f"an object of label sections is expected, not {type(inv).__name__}")
    for section, keys in _DEFINED.items():
        labels = inv.get(section)
        if not isinstance(labels, dict) or not labels:
            fail(f"/{section}", "an object mapping each label to its definition is expected")
        for label, spec in labels.items():
            here = f"/{section}/{label}"
            if not keys:
                if not isinstance(spec, str):
                    fail(here, "the label's definition (a string) is expected")
                continue
            if not isinstance(spec, dict) or not isinstance(spec.get("definition"), str):
                fail(here, f"an object with {', '.join(map(repr, keys))} is expected")
            for key in keys[1:]:
                value = spec.get(key)
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    fail(f"{here}/{key}", "a list of labels is expected")
    for section in _LISTED:
        value = inv.get(section)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f"/{section}", "a list of labels is expected")


def _check_same_definition(name: str) -> None:
    """A NewscorpusError when the selected root's file differs from the one already read."""
    held = _loaded.get(name)
    if held is None:
        return
    path = schema_file(name)
    if path != held[0] and not _same_bytes(path, held[1]):
        raise NewscorpusError(
            f"{path} differs from {held[0]}, which this process has already read; the labels "
            "and the record schema cannot change within one process: run a newscorpus command "
            "of its own for each corpus root"
        )


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return _same_bytes_at(path, stat.st_mtime_ns, stat.st_size, data)


@cache
def _same_bytes_at(path: Path, mtime: int, size: int, data: bytes) -> bool:
    """Compared once per file and version of it (its mtime and size)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def inventory() -> dict[str, Any]:
    """schema/labels.json, as read once by this process."""
    inv: dict[str, Any] = _definition("labels.json")
    return inv


def record_schema() -> dict[str, Any]:
    """schema/record.schema.json, as read once by this process."""
    schema: dict[str, Any] = _definition("record.schema.json")
    return schema


# --- the constants derived from the inventory, computed on first use -------------------------

ENTITY_LABELS: tuple[str, ...]
MENTION_TYPES: tuple[str, ...]
QUOTE_TYPES: tuple[str, ...]
MODALITIES: tuple[str, ...]
EVENT_TYPES: tuple[str, ...]
ROLES: tuple[str, ...]
RELATION_TYPES: tuple[str, ...]
TOPICS: tuple[str, ...]
PASSAGE_TYPES: tuple[str, ...]
SPLITS: tuple[str, ...]
STATUSES: tuple[str, ...]
EVENT_ROLES: dict[str, tuple[str, ...]]
RELATION_ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
# Entity labels of value expressions (dates, amounts, numbers) rather than names.
VALUE_LABELS: tuple[str, ...]
# Labels whose mentions may serve as an event's time.
TEMPORAL_LABELS: tuple[str, ...]
# Relation types that order entities (a part is never a whole of its whole).
HIERARCHICAL_RELATIONS: tuple[str, ...]
# BIO tag names of the NER view, in a fixed order: O, then B-/I- for each entity label.
NER_TAGS: tuple[str, ...]
# The schema $defs that must list exactly the keys of an inventory section.
SCHEMA_ENUMS: dict[str, tuple[str, ...]]

# Inventory sections whose keys (or items) are a label set, by constant name.
_SECTIONS = {
    "ENTITY_LABELS": "entity_labels",
    "MENTION_TYPES": "mention_types",
    "QUOTE_TYPES": "quote_types",
    "MODALITIES": "modalities",
    "EVENT_TYPES": "event_types",
    "ROLES": "roles",
    "RELATION_TYPES": "relation_types",
    "TOPICS": "topics",
    "PASSAGE_TYPES": "passage_types",
    "SPLITS": "splits",
    "STATUSES": "statuses",
    "VALUE_LABELS": "value_labels",
    "TEMPORAL_LABELS": "temporal_labels",
    "HIERARCHICAL_RELATIONS": "hierarchical_relations",
}
_ENUM_DEFS = {
    "entity_label": "ENTITY_LABELS",
    "mention_type": "MENTION_TYPES",
    "quote_type": "QUOTE_TYPES",
    "modality": "MODALITIES",
    "event_type": "EVENT_TYPES",
    "role": "ROLES",
    "relation_type": "RELATION_TYPES",
    "topic": "TOPICS",
    "passage_type": "PASSAGE_TYPES",
    "split": "SPLITS",
    "status": "STATUSES",
}


@cache
def _constants() -> dict[str, Any]:
    inv = inventory()
    out: dict[str, Any] = {name: tuple(inv[key]) for name, key in _SECTIONS.items()}
    out["EVENT_ROLES"] = {name: tuple(spec["roles"]) for name, spec in inv["event_types"].items()}
    out["RELATION_ARGUMENTS"] = {
        name: (tuple(spec["head"]), tuple(spec["tail"]))
        for name, spec in inv["relation_types"].items()
    }
    out["NER_TAGS"] = ("O",) + tuple(
        f"{prefix}-{label}" for label in out["ENTITY_LABELS"] for prefix in ("B", "I")
    )
    out["SCHEMA_ENUMS"] = {key: out[name] for key, name in _ENUM_DEFS.items()}
    return out


_CONSTANTS = frozenset(
    [*_SECTIONS, "EVENT_ROLES", "RELATION_ARGUMENTS", "NER_TAGS", "SCHEMA_ENUMS"]
)


def __getattr__(name: str) -> Any:
    if name in _CONSTANTS:
        _check_same_definition("labels.json")
        return _constants()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
