"""WARC files from news crawls (.warc, .warc.gz), read with warcio, one record at a time.

HTML responses become ``HtmlRecord``s (extracted later, in the ingest's workers); plain-text
records (``conversion`` records of WET files, text/plain responses) become Documents. A record
that is truncated or corrupt is reported, and reading stops there: the records before it stand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..doc import Document
from ..errors import InputError
from .html import HtmlRecord
from .text import MAX_BYTES, decode_bytes

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _content_type(record) -> str:  # type: ignore[no-untyped-def]
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    return (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()


def _truncated(record, data: bytes) -> bool:  # type: ignore[no-untyped-def]
    """The file ended inside the record: fewer bytes than its Content-Length, or none given."""
    if record.rec_headers.get_header("Content-Length") is None:
        return True  # the headers themselves were cut
    left = getattr(record.raw_stream, "limit", None)
    if isinstance(left, int) and left > 0:
        return True
    length = getattr(record, "length", None)
    return record.http_headers is None and isinstance(length, int) and len(data) < length


def _read_all(stream, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    # warcio's readers return short reads: loop until the end (or past the limit)
    parts, size = [], 0
    while size < limit:
        chunk = stream.read(65536)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def iter_warc(path: Path) -> Iterator[HtmlRecord | Document | InputError]:
    """Records of a WARC file that hold news: HTML pages and plain text."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield InputError(f"cannot read '{path}': reading WARC needs warcio; pip install warcio")
        return
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield InputError(f"cannot read '{path}': {exc.strerror or exc}")
        return
    n = 0
    with fh:
        it = ArchiveIterator(fh)
        offset = 0
        try:
            for record in it:
                n += 1
                # warcio knows a record's offset only once it is read to its end
                data = _read_all(record.content_stream(), MAX_BYTES + 1)
                offset = it.get_record_offset()
                where = f"{path}#{offset}"
                if _truncated(record, data):
                    yield InputError(f"{where}: record {n} is truncated; the {n - 1} records before it were read")
                    return
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue
                ctype = _content_type(record)
                is_html = ctype in ("text/html", "application/xhtml+xml")
                is_text = ctype == "text/plain" or record.rec_type == "conversion"
                if not (is_html or is_text):
                    continue
                if record.http_headers is not None:
                    status = record.http_headers.get_statuscode()
                    if status and not status.startswith("2"):
                        continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                if len(data) > MAX_BYTES:
                    yield InputError(f"{where}: a record over {MAX_BYTES // (1024 * 1024)} MB; skipped")
                    continue
                if is_html:
                    yield HtmlRecord(data=data, origin=where, url=url, date=date)
                    continue
                try:
                    text = decode_bytes(data, where)
                except InputError as exc:
                    yield exc
                    continue
                meta = {"origin": where}
                if url:
                    meta["url"] = url
                published = date[:10] if date and len(date) >= 10 else None
                yield Document(text=text, published=published, meta=meta)
            end = getattr(it, "offset", None)
            size = path.stat().st_size
            if isinstance(end, int) and end < size:
                yield InputError(f"{path}: the {size - end} bytes after byte {end} are not a complete "
                                 f"record (truncated or corrupt); the {n} records before them were read")
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            yield InputError(
                f"{path}: record {n} (near byte {offset}) is truncated or corrupt "
                f"({exc.__class__.__name__}); the {max(n - 1, 0)} records before it were read"
            )
        except Exception as exc:  # zlib.error and friends from a damaged gzip member
            yield InputError(
                f"{path}: record {n} (near byte {offset}) cannot be read "
                f"({exc.__class__.__name__}); the {max(n - 1, 0)} records before it were read"
            )
