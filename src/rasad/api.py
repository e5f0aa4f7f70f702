"""The Python front door: ``analyze`` a text with the default pipeline."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from .doc import Document
from .errors import InputError
from .pipeline import Pipeline


@functools.cache
def default_pipeline() -> Pipeline:
    return Pipeline()


def check_date(value: str | None, what: str = "published") -> str | None:
    """``YYYY-MM-DD`` (or a longer ISO timestamp, cut to the day), else InputError."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InputError(f"bad {what} date '{value}': give it as YYYY-MM-DD") from None


def analyze(text: str, lang: str | None = None, published: str | None = None,
            meta: dict[str, Any] | None = None) -> Document:
    """Run the whole pipeline on ``text`` and return the annotated Document."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("nothing to analyze: the text is empty")
    doc = Document(text=text, lang=lang, published=check_date(published), meta=dict(meta or {}))
    return default_pipeline()(doc)


def run(doc: Document) -> Document:
    """Run the default pipeline on a Document made elsewhere (a source reader)."""
    doc.published = check_date(doc.published)
    return default_pipeline()(doc)
