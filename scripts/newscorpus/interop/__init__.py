"""Exchange with annotation tools and other NLP ecosystems: one module per external format.

The import and export engine is `engine.py` (the tables of formats, `export_corpus`,
`import_documents`); each format has its module or package beside it.
"""

from __future__ import annotations

from .engine import EXPORTERS as EXPORTERS
from .engine import IMPORTERS as IMPORTERS
from .engine import export_corpus as export_corpus
from .engine import import_documents as import_documents
