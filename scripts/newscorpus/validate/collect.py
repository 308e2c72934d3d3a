"""Where the checks of one record put their findings."""

from __future__ import annotations

from ..findings import Finding


class Collector:
    """The findings of one record file, each stamped with the file and the record id."""

    def __init__(self, file: str, record: str | None) -> None:
        self.file = file
        self.record = record
        self.findings: list[Finding] = []

    def add(self, code: str, where: str, message: str, hint: str) -> None:
        self.findings.append(Finding(code, self.file, self.record, where, message, hint))
