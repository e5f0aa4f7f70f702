"""quotes: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("quotes", requires=("sentences","mentions","actors","times",), assigns=("quotes",))
def quotes(doc: Document) -> Document:
    return doc
