"""Reading Label Studio exports (JSON and JSON_MIN) into checked, tool-neutral annotations.

Every value is checked for shape before use: an export is outside input, so a wrong type, a
huge number or a deep nesting is a finding with its JSON pointer, never a traceback. Offsets
are checked against each region's `value.text`: Label Studio 1.23 counts code points (its
front end splits the text with `[...text]`); an export whose offsets count UTF-16 code units
(older clients) is recognised by the same check, so no span is ever shifted silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...findings import Finding, Findings, pointer
from ..common import is_offset, split_label
from ..utf16 import OffsetError, Utf16Offsets
from .config import COUNTRIES_TAG, MENTION, MENTION_TYPE, PER_REGION, SPAN_TAGS, TOPICS_TAG


@dataclass
class SpanRegion:
    key: str
    tag: str
    label: str
    start: int
    end: int
    where: str


@dataclass
class Link:
    source: str
    target: str
    label: str
    direction: str
    where: str


@dataclass
class Annotation:
    """One annotator's submitted result for one task, in code points."""

    where: str
    annotator: str | None
    regions: list[SpanRegion] = field(default_factory=list)
    attributes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    document: dict[str, list[str]] = field(default_factory=dict)
    carries_links: bool = True  # JSON_MIN drops region ids, links and per-region values
    findings: list[Finding] = field(default_factory=list)


def strings(value: Any) -> list[str] | None:
    """A list of strings, or None when `value` is anything else."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


class _Checker(Findings):
    """Makes the findings of one task of one file (`finding`), and checks its regions."""

    def __init__(self, file: str, doc_id: str, text: str) -> None:
        super().__init__(file, doc_id)
        self.text = text
        self._units: Utf16Offsets | None = None

    def span(self, value: dict[str, Any], where: str) -> tuple[int, int] | Finding:
        """Code-point offsets of a region, checked against its stated text."""
        start, end, stated = value.get("start"), value.get("end"), value.get("text")
        if not (is_offset(start) and is_offset(end)):
            return self.finding(
                "import-span-mismatch",
                where,
                f"offsets {start!r}-{end!r} are not two non-negative integers.",
                "re-export the project from Label Studio",
            )
        if not isinstance(stated, str):
            return self.finding(
                "import-span-unchecked",
                where,
                "the region has no value.text, so its offsets cannot be checked against the text.",
                "export with Label Studio's JSON or JSON_MIN export, which keep each region's text",
            )
        if 0 <= start < end <= len(self.text) and self.text[start:end] == stated:
            return start, end
        converted = self._from_utf16(start, end)
        if converted is not None and self.text[converted[0] : converted[1]] == stated:
            return converted
        found = self.text[start:end] if end <= len(self.text) else None
        return self.finding(
            "import-span-mismatch",
            where,
            f"[{start}, {end}) gives {found!r} in code points (and no other "
            f"reading of the offsets gives it) but the region says {stated!r}.",
            "the task text differs from the record's: make the tasks again "
            "with `newscorpus export labelstudio` and annotate those",
        )

    def _from_utf16(self, start: int, end: int) -> tuple[int, int] | None:
        if self._units is None:
            self._units = Utf16Offsets(self.text)
        try:
            return self._units.to_point(start), self._units.to_point(end)
        except OffsetError:
            return None


def read_result(result: Any, where: str, check: _Checker, annotation: Annotation) -> None:
    """Fill `annotation` from one Label Studio result list (JSON export)."""
    if not isinstance(result, list):
        annotation.findings.append(
            check.finding(
                "import-input-invalid",
                where,
                "the result is not a list of regions.",
                "export the project again with Label Studio's JSON export",
            )
        )
        return
    for j, item in enumerate(result):
        at = f"{where}/{j}"
        problem = _read_item(item, at, check, annotation)
        if problem is not None:
            annotation.findings.append(problem)


def _read_item(item: Any, at: str, check: _Checker, annotation: Annotation) -> Finding | None:
    if not isinstance(item, dict):
        return check.finding(
            "import-input-invalid",
            at,
            "a result item is not an object.",
            "export the project again with Label Studio's JSON export",
        )
    kind = item.get("type")
    if kind == "relation":
        return _read_link(item, at, check, annotation)
    name, value, key = item.get("from_name"), item.get("value"), item.get("id")
    if not isinstance(name, str) or not isinstance(value, dict):
        return check.finding(
            "import-input-invalid",
            at,
            f"a result of type {kind!r} without from_name or value.",
            "export the project again with Label Studio's JSON export",
        )
    if name in SPAN_TAGS:
        return _read_span(name, key, value, at, check, annotation)
    if kind in ("labels", "hypertextlabels"):
        return _read_foreign_mention(key, value, at, check, annotation)
    if name in PER_REGION or name in (TOPICS_TAG, COUNTRIES_TAG):
        values = strings(value.get("choices" if kind == "choices" else "text"))
        if kind not in ("choices", "textarea") or values is None:
            return check.finding(
                "import-input-invalid",
                at + "/value",
                f"{name!r} should hold a list of strings.",
                "use the labeling config that `newscorpus export labelstudio` wrote",
            )
        if name in PER_REGION:
            if not isinstance(key, str):
                return check.finding(
                    "import-input-invalid",
                    at + "/id",
                    f"the per-region value {name!r} names no region.",
                    "export the project again with Label Studio's JSON export",
                )
            annotation.attributes[(key, name)] = values
        else:
            annotation.document[name] = values
        return None
    return check.finding(
        "import-unknown-label",
        at + "/from_name",
        f"{name!r} is not a control of the newscorpus labeling config.",
        "create the project from the labeling-config.xml that "
        "`newscorpus export labelstudio` wrote",
    )


def _read_span(
    tag: str, key: Any, value: dict[str, Any], at: str, check: _Checker, annotation: Annotation
) -> Finding | None:
    labels = strings(value.get("labels"))
    if labels is None or len(labels) != 1:
        return check.finding(
            "import-unknown-label",
            at + "/value/labels",
            f"a {tag} region needs exactly one label, not {value.get('labels')!r}.",
            f"give the region one of the {tag} labels",
        )
    offsets = check.span(value, at + "/value")
    if isinstance(offsets, Finding):
        return offsets
    if not isinstance(key, str) or not key:
        key = f"{tag}@{offsets[0]}-{offsets[1]}"  # JSON_MIN regions have no id
    annotation.regions.append(SpanRegion(key, tag, labels[0], offsets[0], offsets[1], at))
    return None


def _read_foreign_mention(
    key: Any, value: dict[str, Any], at: str, check: _Checker, annotation: Annotation
) -> Finding | None:
    """A span from a project with its own config: one entity label, optionally NAM/NOM/PRO."""
    labels = strings(value.get("labels") or value.get("hypertextlabels"))
    label, kind, unknown = split_label(labels or [])
    if label is None or unknown:
        return check.finding(
            "import-unknown-label",
            at + "/value/labels",
            f"labels {value.get('labels')!r} are not one entity label (plus "
            "optionally NAM, NOM or PRO).",
            "use the labeling config that `newscorpus export labelstudio` wrote",
        )
    problem = _read_span(MENTION, key, {**value, "labels": [label]}, at, check, annotation)
    if problem is None:
        annotation.attributes[(annotation.regions[-1].key, MENTION_TYPE)] = [kind]
    return problem


def _read_link(
    item: dict[str, Any], at: str, check: _Checker, annotation: Annotation
) -> Finding | None:
    source, target = item.get("from_id"), item.get("to_id")
    labels = strings(item.get("labels"))
    direction = item.get("direction", "right")
    if not isinstance(source, str) or not isinstance(target, str):
        return check.finding(
            "import-input-invalid",
            at,
            "a relation without from_id and to_id.",
            "export the project again with Label Studio's JSON export",
        )
    if labels is None or len(labels) != 1:
        return check.finding(
            "import-unknown-label",
            at + "/labels",
            f"a relation needs exactly one label, not {item.get('labels')!r}.",
            "click the relation in Label Studio and choose one label",
        )
    if direction not in ("right", "left", "bi"):
        return check.finding(
            "import-input-invalid",
            at + "/direction",
            f"direction {direction!r} is not right, left or bi.",
            "export the project again with Label Studio's JSON export",
        )
    if direction == "left":
        source, target, direction = target, source, "right"
    annotation.links.append(Link(source, target, labels[0], direction, at))
    return None


def annotator_name(value: Any) -> str | None:
    """Who annotated: the user's email when the export has it, else `labelstudio-user-<id>`."""
    if isinstance(value, dict):
        email = value.get("email")
        if isinstance(email, str) and email:
            return email
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"labelstudio-user-{value}"
    if isinstance(value, str) and value:
        return value
    return None


def min_annotation(row: dict[str, Any], where: str, check: _Checker) -> Annotation:
    """One JSON_MIN row: spans and document values only (no region ids, links, attributes)."""
    annotation = Annotation(where, annotator_name(row.get("annotator")), carries_links=False)
    for tag in SPAN_TAGS:
        spans = row.get(tag, [])
        for j, value in enumerate(spans if isinstance(spans, list) else [spans]):
            at = pointer(*[p for p in where.split("/") if p], tag, j)
            if not isinstance(value, dict):
                annotation.findings.append(
                    check.finding(
                        "import-input-invalid",
                        at,
                        f"a {tag} region is not an object.",
                        "export the project again with Label Studio's JSON_MIN export",
                    )
                )
                continue
            problem = _read_span(tag, None, value, at, check, annotation)
            if problem is not None:
                annotation.findings.append(problem)
    for name in (TOPICS_TAG, COUNTRIES_TAG):
        if name in row:
            annotation.document[name] = min_values(row[name])
    return annotation


def min_values(value: Any) -> list[str]:
    """JSON_MIN writes a single choice or text as a string and several as {"choices": [...]}."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return strings(value.get("choices")) or strings(value.get("text")) or []
    if isinstance(value, list):
        return [v for item in value for v in min_values(item)]
    return []


def checker(file: str, doc_id: str, text: str) -> _Checker:
    return _Checker(file, doc_id, text)
