"""zones: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("zones", requires=("norm_text","lang",), assigns=("zones","byline","credits",))
def zones(doc: Document) -> Document:
    return doc
