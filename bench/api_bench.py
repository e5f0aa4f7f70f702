"""API benchmark: the median latency of every endpoint on a 10,000-event database.

The database is built from real analyzed articles of the shared Arabic corpus, repeated with
shifted dates and fresh ids (a week apart per copy, so that copies stay separate events) until
it holds ``--events`` event mentions, all written through the store's own write path
(``doc_rows`` + ``Store.write``, deduplication included). Each endpoint is then called through
FastAPI's TestClient (the whole HTTP stack in process, no network), warmed up once and timed
``--repeat`` times. Prints a markdown table and writes it as the ``## api`` section of
bench/results.md (other sections are kept). Target: every median under 100 ms.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from results_md import commit, write_section  # noqa: E402  (bench/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "ar" / "saudinewsnet-aawsat-spa.jsonl"
RESULTS = ROOT / "bench" / "results.md"
SECTION = "api"
TARGET_MS = 100.0
SHIFT_DAYS = 7


def _shift(value: str | None, days: int) -> str | None:
    """The same date ``days`` later, at its grain (day, month or year)."""
    from rasad.store.rows import date_bounds

    lo, _ = date_bounds(value)
    if lo is None or value is None:
        return value
    d = lo + dt.timedelta(days=days)
    if len(value) == 4:
        return f"{d.year:04d}"
    if len(value) == 7:
        return f"{d.year:04d}-{d.month:02d}"
    if len(value) >= 10:
        return d.isoformat()
    return value


def shifted(doc: Any, k: int) -> Any:
    """Copy ``k`` of an analyzed document: new id, dates moved ``k`` weeks on."""
    if k == 0:
        return doc
    days = k * SHIFT_DAYS
    d = copy.copy(doc)
    d.id = f"{doc.id[:11]}{k:05x}"
    d.published = _shift(doc.published, days)
    d.meta = {**doc.meta, "url": f"{doc.meta.get('url') or 'copy'}#{k}", "origin": f"bench copy {k}"}
    d.events = [dataclasses.replace(e, id=f"{d.id}-{i}", date=_shift(e.date, days))
                for i, e in enumerate(doc.events)]
    d.times = [dataclasses.replace(t, value=_shift(t.value, days)) if t.value else t for t in doc.times]
    return d


def analyze_corpus(path: Path, limit: int) -> list[Any]:
    from rasad.api import run
    from rasad.doc import Document
    from rasad.errors import RasadError

    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            doc = Document(text=rec["content"], published=(rec.get("date_extracted") or "")[:10] or None,
                           meta={k: rec[k] for k in ("url", "source", "title", "author") if rec.get(k)})
            try:
                docs.append(run(doc))
            except RasadError:
                continue
            if len(docs) >= limit:
                break
    return docs


def build_db(db: Path, base: list[Any], events: int) -> tuple[int, int, float]:
    """Write copies of ``base`` until ``events`` event mentions are stored; (copies, documents, s)."""
    from rasad.store import open_store
    from rasad.store.rows import doc_rows

    per_copy = sum(len(d.events) for d in base)
    if per_copy == 0:
        raise SystemExit("bench: the sample articles have no events; nothing to benchmark")
    t0 = time.perf_counter()
    written = k = n_docs = 0
    with open_store(db) as store:
        while written < events:
            batch = []
            for doc in base:
                if written >= events:
                    break
                d = shifted(doc, k)
                batch.append(doc_rows(d))
                written += len(d.events)
                n_docs += 1
                if len(batch) == 256:
                    store.write(batch)
                    batch = []
            if batch:
                store.write(batch)
            k += 1
    return k, n_docs, time.perf_counter() - t0


def _time(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(db: Path, base: list[Any], repeat: int) -> list[tuple[str, list[float], str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from rasad.web import create_app

    rows: list[tuple[str, list[float], str]] = []
    app = create_app(db)
    with TestClient(app) as c:
        first = c.get("/events", params={"limit": 1}).json()["events"][0]
        merged = c.get("/events", params={"sort": "-mentions", "limit": 1}).json()["events"][0]
        busiest = c.get("/stats").json()["by_type"][0]["type"]
        article_text = base[0].text
        cases: list[tuple[str, str, dict[str, Any]]] = [
            ("GET /events (first page of 50)", "get", {"url": "/events"}),
            ("GET /events?type=…&country=IRQ&min_confidence=0.6", "get",
             {"url": "/events", "params": {"type": busiest, "country": "IRQ", "min_confidence": 0.6}}),
            ("GET /events?text=… (substring search)", "get", {"url": "/events", "params": {"text": "الرئيس"}}),
            ("GET /events?actor=…&since=…&until=…", "get",
             {"url": "/events", "params": {"actor": "IRN", "since": "2015-08-01", "until": "2015-12-31"}}),
            ("GET /events?offset=5000&sort=confidence", "get",
             {"url": "/events", "params": {"offset": 5000, "sort": "confidence"}}),
            ("GET /events?format=csv (page of 50)", "get", {"url": "/events", "params": {"format": "csv", "limit": 50}}),
            ("GET /events/{id} (with mentions and merge)", "get", {"url": f"/events/{merged['id']}"}),
            ("GET /articles/{id}", "get", {"url": f"/articles/{first['doc_id']}"}),
            ("GET /actors?q=…", "get", {"url": "/actors", "params": {"q": "ايران"}}),
            ("GET /stats", "get", {"url": "/stats"}),
            ("GET /stats?country=IRQ", "get", {"url": "/stats", "params": {"country": "IRQ"}}),
            ("GET /types", "get", {"url": "/types"}),
            ("GET / (the page)", "get", {"url": "/"}),
            ("POST /analyze (one article)", "post", {"url": "/analyze", "json": {"text": article_text}}),
        ]
        for name, method, kw in cases:
            call = getattr(c, method)
            r = call(**kw)  # warm-up (and the actor index, built once per database state)
            if r.status_code != 200:
                raise SystemExit(f"bench: {name} answered {r.status_code}: {r.text[:200]}")
            rows.append((name, _time(lambda call=call, kw=kw: call(**kw), repeat), ""))
        full = _time(lambda: c.get("/events", params={"format": "csv"}), max(3, repeat // 5))
        n = c.get("/events", params={"limit": 1}).json()["total"]
        rows.append((f"GET /events?format=csv (all {n:,} events: an export, not a page)", full, "info"))
    app.state.store.close()

    # ingest: a copy of the database opened for writing, one new article per request
    with tempfile.TemporaryDirectory() as tmp:
        wdb = Path(tmp) / "w.duckdb"
        shutil.copy(db, wdb)
        app = create_app(wdb, allow_ingest=True)
        with TestClient(app) as c:
            texts = [f"{base[i % len(base)].text}\n{i}" for i in range(repeat + 1)]
            c.post("/ingest", json={"text": texts[0]})
            it = iter(texts[1:])
            rows.append(("POST /ingest (one new article)",
                         _time(lambda: c.post("/ingest", json={"text": next(it)}), repeat), ""))
        app.state.store.close()
    return rows


def render(rows: list[tuple[str, list[float], str]], info: dict[str, Any]) -> str:
    lines = [
        f"## {SECTION}", "",
        f"Measured {dt.date.today().isoformat()}, Python {platform.python_version()}, commit {commit()}. "
        f"Command: `python bench/api_bench.py` (`make bench`). Database: {info['events']:,} event mentions "
        f"({info['clusters']:,} events after deduplication) in {info['documents']:,} articles: "
        f"{info['base']} real articles of `{info['corpus']}` analyzed once, written {info['copies']} times "
        f"a week apart through `Store.write` ({info['build_s']:.1f} s). Each endpoint through FastAPI's "
        f"TestClient, {info['repeat']} calls after a warm-up; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} when done (other work on the machine inflates the times). "
        f"Target: median < {TARGET_MS:.0f} ms.", "",
        "| endpoint | median ms | p90 ms | max ms | |", "|---|---:|---:|---:|---|",
    ]
    slow = []
    for name, times, note in rows:
        med = statistics.median(times)
        p90 = sorted(times)[max(0, int(len(times) * 0.9) - 1)]
        ok = "info" if note == "info" else ("ok" if med < TARGET_MS else "**over**")
        if ok == "**over**":
            slow.append(name)
        lines.append(f"| {name} | **{med:.1f}** | {p90:.1f} | {max(times):.1f} | {ok} |")
    lines.append("")
    lines.append("Every endpoint's median is under the target." if not slow
                 else f"Over the target: {', '.join(slow)}.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--articles", type=int, default=300, help="real articles analyzed (default: 300)")
    ap.add_argument("--events", type=int, default=10_000, help="event mentions in the database")
    ap.add_argument("--repeat", type=int, default=25, help="timed calls per endpoint")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    opts = ap.parse_args(argv)
    corpus = Path(opts.corpus)
    if not corpus.exists():
        print(f"bench: no corpus at {corpus}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    base = analyze_corpus(corpus, opts.articles)
    print(f"bench: analyzed {len(base)} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "api.duckdb"
        copies, n_docs, build_s = build_db(db, base, opts.events)
        from rasad.store import open_store

        with open_store(db, read_only=True) as store:
            info = {"events": store.count("events"), "clusters": store.count("event_clusters"),
                    "documents": store.count("documents")}
        print(f"bench: wrote {info['events']} events in {n_docs} articles ({copies} copies) in {build_s:.1f} s",
              file=sys.stderr)
        rows = measure(db, base, opts.repeat)
    info.update(base=len(base), copies=copies, build_s=build_s, repeat=opts.repeat, corpus=corpus.name)
    section = render(rows, info)
    print(section)
    if not opts.no_write:
        write_section(SECTION, section, Path(opts.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
