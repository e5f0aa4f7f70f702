"""resolve: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("resolve", requires=("mentions",), assigns=("actors",))
def resolve(doc: Document) -> Document:
    return doc
