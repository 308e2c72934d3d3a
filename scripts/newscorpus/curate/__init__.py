"""Curator tools: suggest mentions for a draft, re-anchor a record onto a corrected seed,
measure agreement of two annotations, show a record with its layers."""
