"""times: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("times", requires=("norm_text","sentences","lang",), assigns=("times","published_inferred",))
def times(doc: Document) -> Document:
    return doc
