"""mentions: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("mentions", requires=("norm_text","tokens","zones","lang",), assigns=("mentions",))
def mentions(doc: Document) -> Document:
    return doc
