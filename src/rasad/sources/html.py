"""HTML pages: the main text, title, date, author and URL, extracted with trafilatura.

Extraction is the slow part of reading a page (tens of ms), so readers yield an ``HtmlRecord``
(the raw bytes and where they came from) and ``HtmlRecord.to_document()`` extracts; the ingest
runs it in its worker processes, ``iter_documents`` right away.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..doc import Document
from ..errors import InputError
from .text import MAX_BYTES

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# less than this is a menu or a caption that the extractor fell back on, not an article
MIN_TEXT_CHARS = 25

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HtmlRecord:
    """A page not yet extracted: raw bytes and where they came from."""

    data: bytes
    origin: str
    url: str | None = None
    date: str | None = None  # a fallback publication date (a crawl's WARC-Date)

    @property
    def raw_id(self) -> str:
        """A hash of the raw page, so that a rerun skips it before extracting it again."""
        return hashlib.blake2b(self.data, digest_size=8).hexdigest()

    def to_document(self) -> Document:
        """Extract the page (InputError when it holds no main text)."""
        doc = html_to_document(self.data, origin=self.origin, url=self.url, fallback_date=self.date)
        doc.meta["raw_id"] = self.raw_id
        return doc


def html_to_document(html: bytes | str, origin: str = "html", url: str | None = None,
                     fallback_date: str | None = None) -> Document:
    """A Document from an HTML page: trafilatura's main text with title, date, author, URL."""
    try:
        import trafilatura
    except ImportError:
        raise InputError(
            f"cannot read '{origin}': reading HTML needs trafilatura; pip install 'rasad[html]'"
        ) from None
    if not html or not html.strip():
        raise InputError(f"cannot read '{origin}': the page is empty")
    try:
        res = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises on malformed input in many ways
        raise InputError(f"cannot read '{origin}': not an HTML page ({exc.__class__.__name__})") from None
    if res is None:
        data: dict = {}
    else:
        data = res.as_dict() if hasattr(res, "as_dict") else dict(res)
    text = (data.get("text") or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        raise InputError(f"cannot read '{origin}': no main text found in the page")
    meta = {"origin": origin}
    for key in ("title", "author", "url"):
        if data.get(key):
            meta[key] = str(data[key])
    if url:  # where the page was fetched from wins over the canonical link it claims
        meta["url"] = url
    source = data.get("sitename") or data.get("hostname")
    if source:
        meta["source"] = str(source)
    published = _day(data.get("date")) or _day(fallback_date)
    return Document(text=text.replace("\r\n", "\n"), published=published, meta=meta)


def _day(value: object) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    v = value[:10]
    return v if v[4] == "-" and v[7] == "-" and v[:4].isdigit() else None


def iter_html_file(path: Path) -> Iterator[HtmlRecord | InputError]:
    """One record for an HTML file (not yet extracted)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield InputError(f"cannot read '{path}': {size // (1024 * 1024)} MB is too large for one page")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"cannot read '{path}': {exc.strerror or exc}")
        return
    if not data.strip():
        yield InputError(f"cannot read '{path}': it is empty")
        return
    yield HtmlRecord(data=data, origin=str(path))
