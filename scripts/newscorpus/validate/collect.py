"""Where the checks of one record put their findings: the one collector, findings.Findings."""

from __future__ import annotations

from ..findings import Findings as Collector

__all__ = ["Collector"]
