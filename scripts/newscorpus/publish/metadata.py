"""Names of the dataset that the card and Croissant both state, defined once."""

from __future__ import annotations

PRETTY_NAME = "Annotated news corpus (newscorpus)"
LICENSE_NAME = "article-text-publisher-copyright"
