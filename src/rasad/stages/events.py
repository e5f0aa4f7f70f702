"""events: (not yet written)."""

from __future__ import annotations

from ..doc import Document
from ..pipeline import stage


@stage("events", requires=("sentences","mentions","actors","times","quotes","quantities",), assigns=("events",))
def events(doc: Document) -> Document:
    return doc
