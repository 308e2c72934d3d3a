"""UTF-16 code-unit offsets (JavaScript string indices) to and from code-point offsets.

Label Studio and doccano run in the browser and count offsets in UTF-16 code units, so each
character outside the Basic Multilingual Plane (an emoji, each half of a flag) counts twice
there and once in a record. Converting through a per-text table keeps the mapping exact.
"""

from __future__ import annotations


class OffsetError(ValueError):
    """A UTF-16 offset beyond the text or inside a surrogate pair."""


class Utf16Offsets:
    """Converts offsets of one text between UTF-16 code units and code points."""

    def __init__(self, text: str) -> None:
        self.text = text
        # unit index -> code-point index; None marks the second unit of a surrogate pair.
        self._to_point: list[int | None] = []
        self._to_unit: list[int] = []
        for point, char in enumerate(text):
            self._to_unit.append(len(self._to_point))
            self._to_point.append(point)
            if ord(char) > 0xFFFF:
                self._to_point.append(None)
        self._to_unit.append(len(self._to_point))
        self._to_point.append(len(text))

    @property
    def length(self) -> int:
        """The text's length in UTF-16 code units."""
        return len(self._to_point) - 1

    def to_point(self, unit: int) -> int:
        if not 0 <= unit < len(self._to_point):
            raise OffsetError(f"UTF-16 offset {unit} is outside the text (length {self.length})")
        point = self._to_point[unit]
        if point is None:
            raise OffsetError(f"UTF-16 offset {unit} falls inside a surrogate pair")
        return point

    def to_unit(self, point: int) -> int:
        return self._to_unit[point]


def utf16_length(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)
