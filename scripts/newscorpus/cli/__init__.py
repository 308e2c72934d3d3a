"""The `newscorpus` command line: thin command modules over the library's functions.

`main` (in `main.py`) is the group; each module here registers the commands of one flow:
`curate` (show, diff, evaluate, agreement, reanchor, release), `edit` (phrase edits, fmt),
`exchange` (import and export), `adjudicate`, `suggest` and `serve`.
"""

from __future__ import annotations

from .main import main as main

__all__ = ["main"]
