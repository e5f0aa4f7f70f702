"""Source readers: text, JSONL, HTML (trafilatura), WARC (warcio), RSS/Atom feeds."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rasad.doc import Document
from rasad.errors import InputError
from rasad.sources import iter_documents, iter_items
from rasad.sources.feeds import feed_date, html_text, iter_feed
from rasad.sources.html import HtmlRecord, html_to_document
from rasad.sources.warc import iter_warc

PARA = ("The foreign minister met his counterpart in the capital on Monday to discuss the border "
        "crossing, officials said, adding that talks would continue next week with both delegations.")
PAGE = f"""<html><head><title>Ministers meet | Example News</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-01-08T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2024/01/08/ministers-meet"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Ministers meet over border crossing</h1><p>{PARA}</p><p>{PARA}</p></article>
<footer>Copyright Example News</footer></body></html>"""
EMPTY_PAGE = "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>"


def _docs(items):
    return [d for d in items if isinstance(d, Document)]


def _errors(items):
    return [d for d in items if isinstance(d, InputError)]


# -- HTML -----------------------------------------------------------------------------------
def test_html_main_text_and_metadata():
    doc = html_to_document(PAGE.encode(), origin="page.html")
    assert PARA in doc.text
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.published == "2024-01-08"
    assert doc.meta["author"] == "Jane Roe"
    assert doc.meta["url"] == "https://news.example.com/2024/01/08/ministers-meet"
    assert "Ministers meet" in doc.meta["title"]
    assert doc.meta["origin"] == "page.html"


@pytest.mark.parametrize("page", [EMPTY_PAGE, "", "   ", "<html></html>"])
def test_html_without_text_is_an_input_error(page):
    with pytest.raises(InputError, match="page.html"):
        html_to_document(page, origin="page.html")


def test_html_record_is_lazy_and_hashes_raw_bytes(tmp_path):
    f = tmp_path / "a.html"
    f.write_text(PAGE, encoding="utf-8")
    items = list(iter_items(f))
    assert len(items) == 1 and isinstance(items[0], HtmlRecord)
    assert items[0].raw_id == HtmlRecord(PAGE.encode(), "x").raw_id
    doc = items[0].to_document()
    assert doc.meta["raw_id"] == items[0].raw_id
    assert [d.text for d in _docs(iter_documents(f))] == [doc.text]


# -- WARC -----------------------------------------------------------------------------------
def _warc_bytes(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)

    def response(uri: str, ctype: str, body: bytes, status: str = "200 OK") -> None:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                            http_headers=http))

    response("https://news.example.com/a", "text/html; charset=utf-8", PAGE.encode())
    response("https://news.example.com/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    response("https://news.example.com/missing", "text/html", b"<html>gone</html>", "404 Not Found")
    response("https://news.example.com/b", "text/html", PAGE.replace("Monday", "Tuesday").encode())
    w.write_record(w.create_warc_record("urn:text:c", "resource", payload=io.BytesIO(PARA.encode()),
                                        warc_content_type="text/plain"))
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_and_text_records(tmp_path, gz):
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    f.write_bytes(_warc_bytes(gz))
    items = list(iter_warc(f))
    pages = [i for i in items if isinstance(i, HtmlRecord)]
    assert [p.url for p in pages] == ["https://news.example.com/a", "https://news.example.com/b"]
    assert all(p.origin.startswith(f"{f}#") for p in pages)
    assert len(_docs(items)) == 1 and _docs(items)[0].text == PARA
    assert not _errors(items)
    docs = _docs(iter_documents(f))
    assert len(docs) == 3 and docs[0].meta["url"] == "https://news.example.com/a"
    assert docs[0].published == "2024-01-08"


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_the_records_before(tmp_path, gz):
    data = _warc_bytes(gz)
    f = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    f.write_bytes(data[: int(len(data) * 0.7)])
    items = list(iter_warc(f))
    assert any(isinstance(i, HtmlRecord) for i in items)
    errs = _errors(items)
    assert len(errs) == 1 and ("truncated" in str(errs[0]) or "cannot be read" in str(errs[0]))


# -- feeds ----------------------------------------------------------------------------------
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example</title>
<item><title>First &amp; foremost</title><link>https://news.example.com/1</link>
  <pubDate>Mon, 08 Jan 2024 10:00:00 GMT</pubDate><dc:creator>Jane Roe</dc:creator>
  <guid>n1</guid><description><![CDATA[<p>{PARA}</p><p>Second line.</p>]]></description></item>
<item><title>Only a title</title><link>https://news.example.com/2</link></item>
<item><title>Third</title><link>https://news.example.com/3</link>
  <content:encoded><![CDATA[<div>Full <b>text</b> here.<script>var x;</script></div>]]></content:encoded>
  <description>short</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title>
<entry><title>Atom entry</title><link rel="alternate" href="https://news.example.com/a1"/>
  <id>tag:example.com,2024:a1</id><published>2024-01-09T08:30:00Z</published>
  <author><name>John Doe</name></author><summary>{PARA}</summary></entry>
</feed>"""


def test_rss_items(tmp_path):
    f = tmp_path / "feed.rss"
    f.write_text(RSS, encoding="utf-8")
    items = list(iter_feed(f))
    docs, errs = _docs(items), _errors(items)
    assert len(docs) == 2 and len(errs) == 1 and "item2" in str(errs[0])
    first, third = docs
    assert first.text == f"{PARA}\nSecond line."
    assert first.meta == {"origin": f"{f}#item1", "title": "First & foremost",
                          "url": "https://news.example.com/1", "author": "Jane Roe", "record_id": "n1"}
    assert first.published == "2024-01-08"
    assert third.text == "Full text here."  # content:encoded wins over description; no script


def test_atom_entries(tmp_path):
    f = tmp_path / "feed.atom"
    f.write_text(ATOM, encoding="utf-8")
    [doc] = list(iter_feed(f))
    assert doc.text == PARA and doc.published == "2024-01-09"
    assert doc.meta["url"] == "https://news.example.com/a1" and doc.meta["author"] == "John Doe"


def test_broken_and_foreign_xml(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text(RSS[: RSS.index("<item><title>Third")] + "<item><title>Thi", encoding="utf-8")
    items = list(iter_documents(broken))
    assert len(_docs(items)) == 1
    assert "broken XML" in str(_errors(items)[-1])
    other = tmp_path / "sitemap.xml"
    other.write_text("<urlset><url><loc>x</loc></url></urlset>", encoding="utf-8")
    [err] = list(iter_documents(other))
    assert isinstance(err, InputError) and "not an RSS or Atom feed" in str(err)


@pytest.mark.parametrize("value,day", [
    ("Mon, 08 Jan 2024 10:00:00 GMT", "2024-01-08"),
    ("Tue, 9 Jan 2024 23:30:00 +0300", "2024-01-09"),
    ("2024-01-09T08:30:00Z", "2024-01-09"),
    ("2024-01-09", "2024-01-09"),
    ("yesterday", None),
    (None, None),
])
def test_feed_dates(value, day):
    assert feed_date(value) == day


@pytest.mark.parametrize("fragment,text", [
    ("<p>a</p><p>b</p>", "a\nb"),
    ("a<br>b", "a\nb"),
    ("x &amp; y", "x & y"),
    ("<style>p{}</style>only", "only"),
    ("plain   words", "plain words"),
])
def test_html_text(fragment, text):
    assert html_text(fragment) == text


# -- JSONL and folders ----------------------------------------------------------------------
def test_shared_corpus_jsonl_format(tmp_path, shared):
    src = shared / "data" / "corpora" / "ar" / "saudinewsnet-aawsat-spa.jsonl"
    f = tmp_path / "two.jsonl"
    with src.open(encoding="utf-8") as fh:
        lines = [next(fh), next(fh)]
    f.write_text("".join(lines) + "{broken\n", encoding="utf-8")
    items = list(iter_documents(f, text_field="content"))
    docs, errs = _docs(items), _errors(items)
    rec = json.loads(lines[0])
    assert len(docs) == 2 and len(errs) == 1 and f"{f}:3" in str(errs[0])
    assert docs[0].text == rec["content"].replace("\r\n", "\n")
    assert docs[0].published == rec["date_extracted"][:10]
    assert docs[0].meta["origin"] == f"{f}:1"
    assert docs[0].meta["url"] == rec["url"] and docs[0].meta["title"] == rec["title"]


def test_folder_reads_every_kind(tmp_path):
    (tmp_path / "a.txt").write_text(PARA, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "Another article text."}) + "\n", encoding="utf-8")
    (tmp_path / "d.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "e.warc.gz").write_bytes(_warc_bytes(True))
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    items = list(iter_documents(tmp_path))
    assert not _errors(items)
    origins = [Path(d.meta["origin"].split("#")[0].split(":")[0]).name for d in _docs(items)]
    assert origins == ["a.txt", "b.html", "c.jsonl", "d.atom", "e.warc.gz", "e.warc.gz", "e.warc.gz"]
