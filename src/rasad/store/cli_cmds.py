"""The store's commands: ``rasad ingest``, ``rasad events``, ``rasad articles``, ``rasad export``.

The database is ``--db FILE``, else ``$RASAD_DB``, else ``./rasad.duckdb``: configuration is
read here, on the command line's side, and passed down.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from . import DEFAULT_DB

MAX_REPORTED_FAILURES = 20
ID_SHOWN = 10  # an event id's first characters are enough for --explain


def default_db() -> str:
    return os.environ.get("RASAD_DB") or DEFAULT_DB


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, metavar="FILE",
                   help=f"the database (default: $RASAD_DB, else ./{DEFAULT_DB})")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", help="from this date on (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--until", help="up to this date (inclusive)")
    p.add_argument("--actor", help="an actor id, a code such as IRNGOV, or part of its name")
    p.add_argument("--country", help="ISO 3166 alpha-3 code of the source, target or place")
    p.add_argument("--type", help="PLOVER event type(s), comma-separated")
    p.add_argument("--min-confidence", type=float, default=None, metavar="X")
    p.add_argument("--text", help="words the sentence (or the title) contains")
    p.add_argument("--limit", type=int, default=None, metavar="N")


def add_store_commands(sub: Any) -> None:
    """Register the store's subcommands on the main parser's subparsers."""
    i = sub.add_parser("ingest", help="analyze sources and store them in the database")
    i.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or folders: .txt, .jsonl, .html, .warc(.gz), .rss/.atom/.xml")
    _add_db(i)
    i.add_argument("--workers", type=int, default=None, metavar="N",
                   help=f"worker processes (default: {default_workers()}; 0 runs in this process)")
    i.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    i.add_argument("--batch", type=int, default=256, metavar="N",
                   help="documents per transaction (default: 256)")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    i.set_defaults(func=cmd_ingest)

    e = sub.add_parser("events", help="list stored events (one row per real-world event)")
    _add_db(e)
    _add_filters(e)
    e.add_argument("-f", "--format", choices=("table", "json", "csv"), default="table")
    e.add_argument("--mentions", action="store_true",
                   help="one row per event found in an article, not per real-world event")
    e.add_argument("--explain", metavar="ID", help="why the mentions of event ID were merged")
    e.set_defaults(func=cmd_events)

    a = sub.add_parser("articles", help="list stored articles")
    _add_db(a)
    _add_filters(a)
    a.add_argument("-f", "--format", choices=("table", "json", "csv"), default="table")
    a.add_argument("--failures", action="store_true", help="list the records that failed instead")
    a.set_defaults(func=cmd_articles)

    x = sub.add_parser("export", help="export events: PLOVER JSONL, CSV, Parquet, GDELT table")
    x.add_argument("-f", "--format", required=True, choices=("plover-jsonl", "csv", "parquet", "gdelt"))
    x.add_argument("--out", required=True, metavar="PATH")
    _add_db(x)
    _add_filters(x)
    x.add_argument("--mentions", action="store_true",
                   help="one record per event found in an article, not per real-world event")
    x.set_defaults(func=cmd_export)


def _filters(args: argparse.Namespace) -> Any:
    from .query import Filters

    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1")
    return Filters(since=args.since, until=args.until, actor=args.actor, country=args.country,
                   type=args.type, min_confidence=args.min_confidence, text=args.text,
                   limit=args.limit)


# -- ingest ------------------------------------------------------------------------------------
class _Reporter:
    """Progress on a terminal (rich), or a line now and then when output goes to a log."""

    def __init__(self, quiet: bool) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.quiet = quiet
        self.live = not quiet and self.console.is_terminal
        self.last_line = 0.0
        self.reported = 0
        self.unreported = 0
        self.progress: Any = None
        self.task: Any = None
        if self.live:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                     TimeElapsedColumn(), console=self.console, transient=True)
            self.task = self.progress.add_task("starting the workers…", total=None)
            self.progress.start()

    @staticmethod
    def _describe(s: Any) -> str:
        return (f"{s.stored} articles stored · {s.rate:.0f} articles/s · {s.events} events · "
                f"{s.failed} errors · {s.skipped} already stored")

    def update(self, stats: Any) -> None:
        if self.live:
            self.progress.update(self.task, description=self._describe(stats))
            return
        now = time.monotonic()
        if not self.quiet and (self.last_line == 0.0 or now - self.last_line >= 5.0):
            self.last_line = now
            print(f"rasad: {self._describe(stats)}", file=sys.stderr, flush=True)

    def failure(self, f: tuple[str, str | None, str | None, str]) -> None:
        origin, _, stage, reason = f
        if self.reported >= MAX_REPORTED_FAILURES:
            self.unreported += 1
            return
        self.reported += 1
        msg = reason if stage in (None, "source", "input") or reason.startswith(origin) else f"{origin}: {stage}: {reason}"
        if self.live:
            self.progress.console.print(f"rasad: {msg}", markup=False)
        else:
            print(f"rasad: {msg}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self.live:
            self.progress.stop()
        if self.unreported:
            print(f"rasad: … and {self.unreported} more failures ('rasad articles --failures' lists them)",
                  file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .db import open_store
    from .ingest import ingest

    db = args.db or default_db()
    workers = default_workers() if args.workers is None else args.workers
    if workers < 0:
        raise InputError("--workers must be 0 or more")
    if args.batch < 1:
        raise InputError("--batch must be at least 1")
    reporter = _Reporter(args.quiet)
    try:
        with open_store(db) as store:
            stats = ingest(store, args.paths, workers=workers, text_field=args.text_field,
                           batch_size=args.batch, progress=reporter.update,
                           on_failure=reporter.failure)
    finally:
        reporter.stop()
    line = (f"ingested {stats.stored} articles into {db} in {stats.seconds:.1f} s "
            f"({stats.rate:.0f} articles/s): {stats.events} events, {stats.clusters} new event "
            f"clusters; {stats.skipped} already stored, {stats.failed} failed")
    if stats.failed:
        line += " ('rasad articles --failures' lists them)"
    print(line, flush=True)
    if stats.interrupted:
        print("rasad: interrupted; what was stored is kept: run the same command again to finish",
              file=sys.stderr)
        return 130
    if stats.stored == 0 and stats.skipped == 0 and stats.failed:
        return 1
    return 0


# -- output helpers ----------------------------------------------------------------------------
def _plain(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def _flat(rec: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in rec.items():
        if isinstance(v, dict) and k in ("source", "target", "location"):
            for kk, vv in v.items():
                out[f"{prefix}{k}_{kk}"] = vv
        elif v is None and k in ("source", "target", "location"):
            continue
        else:
            out[f"{prefix}{k}"] = _plain(v)
    return out


def _print_json_array(records: Iterable[dict[str, Any]]) -> int:
    n = 0
    out = sys.stdout
    out.write("[")
    for rec in records:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(rec, ensure_ascii=False, default=str))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _print_csv(records: Iterable[dict[str, Any]]) -> int:
    writer = None
    n = 0
    for rec in records:
        row = _flat(rec)
        if writer is None:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(row)
        n += 1
    return n


def _console() -> Any:
    from rich.console import Console

    con = Console(highlight=False)
    if not con.is_terminal:  # piped or logged: wide lines rather than squeezed columns
        con = Console(highlight=False, width=160)
    return con


def _short(text: Any, n: int) -> str:
    s = " ".join(str("" if text is None else text).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _code(country: Any, sector: Any, text: Any = None) -> str:
    return f"{country or ''}{sector or ''}" or _short(text, 16) or "-"


# -- events ------------------------------------------------------------------------------------
def cmd_events(args: argparse.Namespace) -> int:
    from .db import open_store
    from .query import event_record, events, mentions

    db = args.db or default_db()
    with open_store(db, read_only=True) as store:
        if args.explain:
            return _explain(store, args.explain, args.format)
        f = _filters(args)
        if args.format == "table" and f.limit is None:
            from dataclasses import replace

            f = replace(f, limit=50)
        if args.mentions:
            rows: Iterator[dict[str, Any]] = (_mention_record(r) for r in mentions(store, f))
        else:
            rows = (event_record(r) for r in events(store, f))
        if args.format == "json":
            _print_json_array(rows)
        elif args.format == "csv":
            _print_csv(rows)
        else:
            _events_table(list(rows), args.mentions)
    return 0


def _mention_record(r: dict[str, Any]) -> dict[str, Any]:
    drop = {"extra", "size"}
    out = {k: v for k, v in r.items() if k not in drop}
    out["date_lo"] = out["date_lo"].isoformat() if out.get("date_lo") else None
    out["date_hi"] = out["date_hi"].isoformat() if out.get("date_hi") else None
    return out


def _events_table(recs: list[dict[str, Any]], mention_level: bool) -> None:
    from rich.table import Table

    con = _console()
    if not recs:
        con.print("no events match; 'rasad events' without filters lists them all")
        return
    t = Table(title="event mentions" if mention_level else "events", title_justify="left")
    widths = {"id": 10, "date": 10, "type": 11, "source": 10, "target": 10, "where": 10, "n": 7, "conf": 4}
    for name, w in widths.items():
        t.add_column(name, no_wrap=True, overflow="ellipsis", min_width=min(w, 7), max_width=w)
    t.add_column("sentence", overflow="ellipsis", no_wrap=True, min_width=20)
    for r in recs:
        if mention_level:
            ident = f"{r['doc_id']}:{r['event_id']}"
            src = _code(r.get("source_country"), r.get("source_sector"), r.get("source_text"))
            tgt = _code(r.get("target_country"), r.get("target_sector"), r.get("target_text"))
            where = r.get("location_name") or r.get("location_country") or "-"
            n = "1"
            text = r.get("sentence_text")
        else:
            ident = r["id"][:ID_SHOWN]
            s, g = r.get("source") or {}, r.get("target") or {}
            src = _code(s.get("country"), s.get("sector"), s.get("text"))
            tgt = _code(g.get("country"), g.get("sector"), g.get("text"))
            loc = r.get("location") or {}
            where = loc.get("name") or loc.get("country") or "-"
            n = f"{r['num_mentions']}/{r['num_articles']}/{r['num_sources']}"
            text = r.get("sentence")
        typ = ("not " if r.get("negated") else "") + str(r.get("type"))
        conf = f"{r['confidence']:.2f}" if r.get("confidence") is not None else "-"
        t.add_row(ident, r.get("date") or "-", typ, src, tgt, _short(where, 16), n, conf, _short(text, 60))
    con.print(t)
    if not mention_level:
        con.print("n = mentions/articles/sources; 'rasad events --explain ID' shows why mentions merged")


def _explain(store: Any, ident: str, fmt: str) -> int:
    from .query import explain

    info = explain(store, ident)
    if fmt == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return 0
    c, members = info["cluster"], info["members"]
    docs = len({m["doc_id"] for m in members})
    print(f"event {c['id']}: {c['type']}{' (negated)' if c['negated'] else ''}, "
          f"source {_code(c['source_country'], c['source_sector'])}, "
          f"target {_code(c['target_country'], c['target_sector'])}, "
          f"dates {c['span_lo'] or '?'}…{c['span_hi'] or '?'}; "
          f"{len(members)} mentions in {docs} articles")
    for m in members:
        score = "" if m["score"] is None else f" (score {m['score']})"
        print(f"  {m['n']}. {m['doc_id']}:{m['event_id']}  {m['lang'] or '?'}  {m['outlet'] or '-'}  "
              f"{m['date'] or '-'}  {m['url'] or ''}")
        print(f"     {m['reason']}{score}")
        print(f"     «{_short(m['sentence_text'], 100)}»")
    return 0


# -- articles ----------------------------------------------------------------------------------
def cmd_articles(args: argparse.Namespace) -> int:
    from .db import open_store
    from .query import articles, failures

    db = args.db or default_db()
    with open_store(db, read_only=True) as store:
        rows: Iterable[dict[str, Any]]
        if args.failures:
            rows = failures(store, args.limit)
            if args.format == "table":
                _table(list(rows), ("origin", "stage", "reason"), "failures", "no failures")
        else:
            f = _filters(args)
            if args.format == "table" and f.limit is None:
                from dataclasses import replace

                f = replace(f, limit=50)
            rows = articles(store, f)
            if args.format == "table":
                shown = [{**r, "title": r["title"] or r["origin"]} for r in rows]
                _table(shown, ("id", "published", "lang", "source", "title", "events"), "articles",
                       "no articles match")
        if args.format == "json":
            _print_json_array(rows)
        elif args.format == "csv":
            _print_csv(rows)
    return 0


def _table(rows: list[dict[str, Any]], cols: tuple[str, ...], title: str, empty: str) -> None:
    from rich.table import Table

    con = _console()
    if not rows:
        con.print(empty)
        return
    t = Table(*cols, title=title, title_justify="left")
    for r in rows:
        t.add_row(*(_short(r.get(c), 70) if r.get(c) is not None else "-" for c in cols))
    con.print(t)


# -- export ------------------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    from .db import open_store
    from .export import export

    db = args.db or default_db()
    with open_store(db, read_only=True) as store:
        n = export(store, args.format, args.out, _filters(args), mentions=args.mentions)
    what = "event mentions" if args.mentions else "events"
    print(f"wrote {n} {what} to {args.out} ({args.format})")
    return 0
