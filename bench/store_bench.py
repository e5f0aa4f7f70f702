"""Store benchmark: ingest speed against the bare pipeline, rerun time, and flat memory.

Each measurement runs in a fresh child process (so its peak RSS is its own):

1. the bare pipeline (one process) over the Arabic benchmark corpus;
2. ``ingest --workers 2`` of the same corpus into a new database (articles/s, peak RSS of the
   reading process, of the largest writer process and of the largest worker);
3. the same ingest again (it must add nothing: the rerun time);
4. ``ingest --workers 2`` of the corpus four times over (each copy's texts carry a marker line,
   so that their content hashes differ and all 4x really ingest): peak RSS must stay flat.

Prints a markdown table and writes it as the ``## store`` section of bench/results.md (other
sections are kept).

    python bench/store_bench.py [--limit N] [--workers 2] [--no-4x]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results_md import write_section  # noqa: E402  (bench/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "ar" / "saudinewsnet-aawsat-spa.jsonl"
RESULTS = ROOT / "bench" / "results.md"
SECTION = "store"
TEXT_FIELD = "content"


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def child_bare(corpus: Path) -> dict:
    from rasad.api import default_pipeline, run
    from rasad.doc import Document
    from rasad.sources import iter_documents

    default_pipeline()
    docs = [d for d in iter_documents(corpus, TEXT_FIELD) if isinstance(d, Document)]
    failed = 0
    t0 = time.perf_counter()
    for d in docs:
        try:
            run(d)
        except Exception:
            failed += 1
    secs = time.perf_counter() - t0
    return {"articles": len(docs), "failed": failed, "seconds": secs, "rate": len(docs) / secs,
            "rss_mb": _rss_mb()}


def child_ingest(corpus: Path, db: Path, workers: int) -> dict:
    from rasad.store import open_store
    from rasad.store.ingest import ingest

    t0 = time.perf_counter()
    with open_store(db) as store:
        st = ingest(store, [corpus], workers=workers, text_field=TEXT_FIELD)
        clusters = store.count("event_clusters")
    secs = time.perf_counter() - t0
    return {"stored": st.stored, "skipped": st.skipped, "failed": st.failed, "events": st.events,
            "clusters": clusters, "seconds": secs, "rate": (st.stored + st.skipped + st.failed) / secs,
            "rss_mb": _rss_mb(), "writer_rss_mb": st.writer_peak_rss_mb,
            "worker_rss_mb": st.worker_peak_rss_mb,
            "db_mb": db.stat().st_size / 1e6}


def _child(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                         env=env, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"bench: child {args[0]} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_copies(corpus: Path, dest: Path, times: int, limit: int | None) -> int:
    """``times`` copies of the corpus; copy k's texts end with a marker line, so ids differ."""
    n = 0
    with dest.open("w", encoding="utf-8") as out:
        for k in range(times):
            with corpus.open(encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if limit is not None and i >= limit:
                        break
                    rec = json.loads(line)
                    if k and isinstance(rec.get(TEXT_FIELD), str):
                        rec[TEXT_FIELD] += f"\n\n#{k}"
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    n += 1
    return n


def render(bare: dict, first: dict, second: dict, four: dict | None, opts: argparse.Namespace,
           articles: int) -> str:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ratio = first["rate"] / bare["rate"]
    lines = [
        f"## {SECTION}",
        "",
        f"Measured {now} on {platform.processor() or platform.machine()} ({os.cpu_count()} cores, "
        f"load {load:.1f} at the end), Python {platform.python_version()}. "
        f"Command: `python bench/store_bench.py` (corpus `{Path(opts.corpus).name}`, "
        f"{articles} articles, `--workers {opts.workers}`).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| bare pipeline, one process | {bare['rate']:.1f} articles/s |",
        f"| `ingest --workers {opts.workers}` into a new database | **{first['rate']:.1f} articles/s** "
        f"({ratio:.0%} of the bare pipeline; {first['seconds']:.1f} s with start-up) |",
        f"| stored: documents / events / event clusters / failures | {first['stored']} / "
        f"{first['events']} / {first['clusters']} / {first['failed']} |",
        f"| the same ingest again (adds {second['stored']}, skips {second['skipped']}) | "
        f"**{second['seconds']:.2f} s** |",
        f"| peak RSS, 1×: reader / writer / largest worker | {first['rss_mb']:.0f} MB / "
        f"{first['writer_rss_mb']:.0f} MB / {first['worker_rss_mb']:.0f} MB |",
        f"| database size, 1× | {first['db_mb']:.1f} MB |",
    ]
    if four:
        def flat(key: str) -> str:
            return f"{four[key]:.0f} MB ({four[key] / max(first[key], 1e-9) - 1:+.0%})"

        lines += [
            f"| 4× the corpus ({four['stored']} articles): ingest | {four['rate']:.1f} articles/s |",
            f"| peak RSS, 4×: reader / writer / largest worker | {flat('rss_mb')} / "
            f"{flat('writer_rss_mb')} / {flat('worker_rss_mb')} |",
            f"| database size, 4× | {four['db_mb']:.1f} MB |",
        ]
    lines += ["", "Targets (issue 6): ingest ≥ 80 % of the bare pipeline; a rerun adds nothing; "
              "peak memory within 10 % from 1× to 4×.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-4x", action="store_true", help="skip the 4x memory run")
    ap.add_argument("--out", default=str(RESULTS), help="the markdown file to update")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    opts = ap.parse_args(argv)
    if opts.child:
        kind, *rest = opts.child
        res = child_bare(Path(rest[0])) if kind == "bare" else child_ingest(Path(rest[0]), Path(rest[1]), int(rest[2]))
        print(json.dumps(res))
        return 0
    corpus = Path(opts.corpus)
    if not corpus.exists():
        print(f"bench: no corpus at {corpus}; give --corpus", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rasad-store-bench-") as tmp:
        t = Path(tmp)
        one = t / "1x.jsonl"
        articles = make_copies(corpus, one, 1, opts.limit)
        print(f"bench: bare pipeline over {articles} articles…", file=sys.stderr)
        bare = _child("bare", str(one))
        print(f"bench: ingest --workers {opts.workers}…", file=sys.stderr)
        first = _child("ingest", str(one), str(t / "1x.duckdb"), str(opts.workers))
        second = _child("ingest", str(one), str(t / "1x.duckdb"), str(opts.workers))
        four = None
        if not opts.no_4x:
            big = t / "4x.jsonl"
            make_copies(corpus, big, 4, opts.limit)
            print("bench: ingest of 4x the corpus…", file=sys.stderr)
            four = _child("ingest", str(big), str(t / "4x.duckdb"), str(opts.workers))
    section = render(bare, first, second, four, opts, articles)
    print(section)
    write_section(SECTION, section, Path(opts.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
