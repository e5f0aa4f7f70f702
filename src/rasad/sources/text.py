"""Plain text and JSONL sources, read carefully: encodings, binary data, size limits."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..doc import Document
from ..errors import InputError

# one article is never this large; a larger file is refused rather than read whole
MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256."""
    if not data.strip():
        raise InputError(f"cannot read '{name}': it is empty; give a file with news text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"cannot read '{name}': it claims UTF-16 but is not") from None
    if b"\x00" in data[:8192]:
        raise InputError(
            f"cannot read '{name}': not text (binary data); give a .txt, .html or .jsonl file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data, name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes, name: str) -> str:
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        raise InputError(
            f"cannot read '{name}': bytes that are neither UTF-8 nor Windows-1256 text"
        ) from None
    # cp1256 decodes almost anything: insist that the result mostly reads as words
    letters = sum(c.isalpha() or c.isspace() for c in text[:4000])
    if letters < 0.6 * min(len(text), 4000):
        raise InputError(f"cannot read '{name}': not text (binary data); give a .txt or .jsonl file")
    return text


def read_text_file(path: str | Path) -> str:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    if p.is_dir():
        raise InputError(f"cannot read '{path}': it is a folder")
    if size > MAX_BYTES:
        raise InputError(
            f"cannot read '{path}': {size // (1024 * 1024)} MB is over the {MAX_BYTES // (1024 * 1024)} MB "
            "limit for one article; split it, or give a .jsonl file with one article a line"
        )
    return decode_bytes(p.read_bytes(), str(path))


def _doc_from_record(rec: dict[str, Any], text_field: str, where: str) -> Document:
    text = rec.get(text_field)
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no text in field '{text_field}' (use --text-field)")
    published = rec.get("published") or rec.get("date") or rec.get("date_extracted")
    if isinstance(published, str):
        published = published[:10]
    meta = {k: rec[k] for k in ("url", "source", "title", "author") if rec.get(k)}
    if rec.get("id") is not None:
        meta["record_id"] = str(rec["id"])
    meta["origin"] = where
    return Document(text=text.replace("\r\n", "\n"), lang=rec.get("lang"),
                    published=published if isinstance(published, str) else None, meta=meta)


def iter_jsonl(path: Path, text_field: str = "text") -> Iterator[Document | InputError]:
    """One Document per line; a bad line yields an InputError in its place (and the rest go on)."""
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield InputError(f"{where}: not a JSON line ({exc.__class__.__name__})")
                continue
            if not isinstance(rec, dict):
                yield InputError(f"{where}: a JSON line must be an object")
                continue
            try:
                yield _doc_from_record(rec, text_field, where)
            except InputError as exc:
                yield exc


def iter_documents(path: str | Path, text_field: str = "text") -> Iterator[Document | InputError]:
    """Documents from a file or a folder (text, JSONL, HTML, WARC and feed files, sorted by name)."""
    for item in iter_items(path, text_field):
        if isinstance(item, (Document, InputError)):
            yield item
            continue
        try:  # an HtmlRecord: extract it now
            yield item.to_document()
        except InputError as exc:
            yield exc


def _readable(f: Path) -> bool:
    from .feeds import FEED_SUFFIXES
    from .html import HTML_SUFFIXES
    from .warc import is_warc

    return f.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES or is_warc(f)


def iter_items(path: str | Path, text_field: str = "text") -> Iterator[Any]:
    """Like ``iter_documents`` but HTML pages come as ``HtmlRecord`` (extracted by the caller)."""
    from .feeds import FEED_SUFFIXES, iter_feed
    from .html import HTML_SUFFIXES, iter_html_file
    from .warc import is_warc, iter_warc

    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and _readable(f))
        if not files:
            yield InputError(f"nothing to read in '{path}': no .txt, .jsonl, .html, .warc or feed files")
        for f in files:
            yield from iter_items(f, text_field)
        return
    if not p.exists():
        yield InputError(f"cannot read '{path}': no such file")
        return
    suffix = p.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from iter_jsonl(p, text_field)
        return
    if is_warc(p):
        yield from iter_warc(p)
        return
    if suffix in HTML_SUFFIXES:
        yield from iter_html_file(p)
        return
    if suffix in FEED_SUFFIXES:
        yield from iter_feed(p)
        return
    try:
        yield Document(text=read_text_file(p), meta={"origin": str(p)})
    except InputError as exc:
        yield exc
