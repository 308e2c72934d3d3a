"""Curator tools: add a seed as a draft, suggest mentions for it, show a record with its
layers, re-anchor it onto a corrected seed, measure the agreement of two annotations."""
