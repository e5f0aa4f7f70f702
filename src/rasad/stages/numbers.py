"""numbers: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("numbers", requires=("norm_text","tokens","lang",), assigns=("quantities",))
def numbers(doc: Document) -> Document:
    return doc
