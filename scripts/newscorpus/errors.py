"""The errors the library raises on purpose, all under one base, NewscorpusError.

A NewscorpusError is a problem with the user's input or data, and its message says where and
how to fix it: the CLI prints it and exits 1. Any other exception is a bug in this package and
fails loudly, with its traceback. Each name says what the caller has run into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Report


class NewscorpusError(Exception):
    """Bad input or data, not a bug; the message names the file and the fix."""


class IngestError(NewscorpusError):
    """The seed cannot become a record, or the record id is not a valid slug."""


class RecordExistsError(NewscorpusError, FileExistsError):
    """Writing would replace a record; the caller must ask for it explicitly."""


class RecordNotFoundError(NewscorpusError):
    """No record file has the requested id."""


class RecordUnreadableError(NewscorpusError):
    """The record file exists but is not a record that can be used."""


class WriteError(NewscorpusError):
    """A file could not be written (disk full, no permission); it was left as it was."""


class ViewError(NewscorpusError):
    """A valid record that a view still cannot represent without losing information."""


class StatsMarkerError(NewscorpusError):
    """A document lacks the stats markers, or has them out of order."""


class MetadataError(NewscorpusError):
    """schema/dataset.json lacks a fact the outputs need, or holds a placeholder."""


class BuildError(NewscorpusError):
    """The build cannot proceed; nothing was published."""


class InvalidCorpusError(BuildError):
    """Validation found errors in the records to publish; the report says where."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"validation failed: {report.summary()}")
        self.report = report


class ReanchorError(NewscorpusError):
    """The record cannot be moved onto the new seed; nothing was written."""


class AgreementError(NewscorpusError):
    """The two records cannot be compared; the message says why."""


class EvaluationError(NewscorpusError):
    """The predictions cannot be scored: no gold to score against, or an unsound gold record."""


class DiffError(NewscorpusError):
    """The two states of the corpus cannot be compared (an unknown revision, a folder without
    records, a record that cannot be read); the message says which and why."""


class ReleaseError(NewscorpusError):
    """A release was refused (a dirty tree, a version that does not fit the change, invalid
    or stale outputs); nothing was committed or tagged."""


class AdjudicationError(NewscorpusError):
    """Two annotations cannot be adjudicated, or a decisions file cannot be used; the message
    names the file, the decision and the fix. Nothing was written."""
