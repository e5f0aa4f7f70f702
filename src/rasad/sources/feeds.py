"""RSS 2.0, RSS 1.0 (RDF) and Atom files, read as a stream with ElementTree (no dependency).

Each item is a Document: the text of its content (or description/summary) with the markup
taken out, and its title, link, date and author as metadata. A broken feed yields an error
where it breaks; the items before it stand.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from ..doc import Document
from ..errors import InputError

FEED_SUFFIXES = (".rss", ".atom", ".xml")
_ITEM_TAGS = frozenset({"item", "entry"})
_ROOT_TAGS = frozenset({"rss", "feed", "RDF", "channel"})
# markup that ends a line of text
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "section", "article", "figure", "figcaption", "header", "footer", "pre", "hr",
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if "}" in tag else tag


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block elements end lines, blank lines collapse."""
    if "<" not in fragment and "&" not in fragment:
        raw = fragment
    else:
        p = _TextParser()
        p.feed(fragment)
        p.close()
        raw = "".join(p.parts)
    lines = (" ".join(line.split()) for line in raw.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def feed_date(value: str | None) -> str | None:
    """YYYY-MM-DD from an RSS (RFC 822) or Atom (ISO 8601) date, else None."""
    if not value:
        return None
    v = value.strip()
    try:
        return dt.datetime.fromisoformat(v.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(v).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _item_document(item: ET.Element, where: str) -> Document:
    fields: dict[str, str] = {}
    link = None
    for child in item:
        name = _local(child.tag)
        if name == "link":
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                link = link or href
            elif child.text and child.text.strip():
                link = link or child.text.strip()
            continue
        if name == "author":  # Atom: <author><name>…</name></author>
            text = "".join(child.itertext()).strip()
        else:
            text = (child.text or "").strip()
        if text and name not in fields:
            fields[name] = " ".join(text.split()) if name in ("title", "creator", "author") else text
    body = fields.get("encoded") or fields.get("content") or fields.get("description") or fields.get("summary")
    text = html_text(body) if body else ""
    if not text:
        raise InputError(f"{where}: the item has no text (no content, description or summary)")
    meta = {"origin": where}
    if fields.get("title"):
        meta["title"] = html_text(fields["title"])
    if link:
        meta["url"] = link
    author = fields.get("creator") or fields.get("author")
    if author:
        meta["author"] = author
    if fields.get("guid") or fields.get("id"):
        meta["record_id"] = fields.get("guid") or fields.get("id") or ""
    published = feed_date(fields.get("pubDate") or fields.get("published") or fields.get("date")
                          or fields.get("updated") or fields.get("issued"))
    return Document(text=text, published=published, meta=meta)


def iter_feed(path: Path) -> Iterator[Document | InputError]:
    """One Document per item of an RSS or Atom file."""
    n = 0
    root_checked = False
    try:
        for event, elem in ET.iterparse(str(path), events=("start", "end")):
            if event == "start":
                if not root_checked:
                    root_checked = True
                    if _local(elem.tag) not in _ROOT_TAGS:
                        yield InputError(f"cannot read '{path}': not an RSS or Atom feed "
                                         f"(its root element is <{_local(elem.tag)}>)")
                        return
                continue
            if _local(elem.tag) in _ITEM_TAGS:
                n += 1
                try:
                    yield _item_document(elem, f"{path}#item{n}")
                except InputError as exc:
                    yield exc
                elem.clear()
    except ET.ParseError as exc:
        yield InputError(f"{path}: broken XML ({exc}); the {n} items before it were read")
        return
    except OSError as exc:
        yield InputError(f"cannot read '{path}': {exc.strerror or exc}")
        return
    if root_checked and n == 0:
        yield InputError(f"nothing to read in '{path}': the feed has no items")
