"""``make bench``: throughput and memory of the whole pipeline, one process on one core.

Runs each measurement in a fresh child process (so its peak RSS is its own), pinned to one
core: the pipeline over the Arabic benchmark corpus (headline figures, then a second pass with
per-stage timing), the English BBC politics articles, and ``dateparser.search_dates`` on the
first articles of the same corpus as a reference. Prints the figures and writes them as the
``## pipeline`` section of bench/results.md (other sections are kept).

    python bench/run.py [--limit N] [--dateparser-limit N] [--no-en] [--no-dateparser]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results_md import commit, write_section  # noqa: E402  (bench/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
CORPUS = DATA / "corpora" / "ar" / "saudinewsnet-aawsat-spa.jsonl"
EN_DIR = DATA / "corpora" / "en" / "bbc-news-2005" / "politics"
RESULTS = ROOT / "bench" / "results.md"
SECTION = "pipeline"
# the BBC files carry no date; one fixed date keeps the English run comparable with the Arabic
EN_PUBLISHED = "2005-06-30"


def _pin_one_core() -> int | None:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / (1024 * 1024)


def load_arabic(path: Path, limit: int | None) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("content")
            if not isinstance(text, str) or not text.strip():
                continue
            out.append({"text": text.replace("\r\n", "\n"), "published": (rec.get("date_extracted") or "")[:10] or None,
                        "meta": {k: rec[k] for k in ("url", "source", "title", "author") if rec.get(k)}})
            if limit and len(out) >= limit:
                break
    return out


def load_english(folder: Path, limit: int | None) -> list[dict]:
    from rasad.sources import read_text_file

    files = sorted(folder.glob("*.txt"))
    if limit:
        files = files[:limit]
    return [{"text": read_text_file(f), "published": EN_PUBLISHED, "meta": {"origin": f.name}} for f in files]


def _figures(recs: list[dict], seconds: float, per_doc: list[float]) -> dict:
    chars = sum(len(r["text"]) for r in recs)
    mb = sum(len(r["text"].encode("utf-8")) for r in recs) / 1e6
    words = sum(len(r["text"].split()) for r in recs)
    per_doc_ms = sorted(x * 1000 for x in per_doc)
    n = len(recs)
    return {
        "articles": n, "chars": chars, "mb": round(mb, 3), "words": words,
        "words_per_article": round(words / n) if n else 0,
        "seconds": round(seconds, 3),
        "articles_per_s": round(n / seconds, 1) if seconds else None,
        "mb_per_s": round(mb / seconds, 3) if seconds else None,
        "words_per_s": round(words / seconds) if seconds else None,
        "ms_p50": round(statistics.median(per_doc_ms), 2) if per_doc_ms else None,
        "ms_p95": round(per_doc_ms[int(0.95 * (len(per_doc_ms) - 1))], 2) if per_doc_ms else None,
        "ms_max": round(per_doc_ms[-1], 2) if per_doc_ms else None,
    }


def _timed_run(recs: list[dict], lang: str | None) -> tuple[float, list[float], dict, float]:
    """One pass of rasad.api.run over fresh Documents; also counts what the stages produced.

    Returns wall seconds, wall seconds per document, the counts, and the CPU seconds of the pass
    (on a shared machine the wall clock also counts other processes).
    """
    from rasad.api import run
    from rasad.doc import Document

    counts = dict.fromkeys(("events", "mentions", "times", "quantities", "quotes", "sentences", "failed"), 0)
    per_doc: list[float] = []
    clock = time.perf_counter
    cpu_start = time.process_time()
    start = clock()
    for r in recs:
        t0 = clock()
        try:
            doc = run(Document(text=r["text"], lang=lang, published=r["published"], meta=dict(r["meta"])))
        except Exception as exc:  # an article that fails is counted (with the first error), not fatal
            counts["failed"] += 1
            counts.setdefault("first_error", f"{exc.__class__.__name__}: {exc}")  # type: ignore[arg-type]
            continue
        finally:
            per_doc.append(clock() - t0)
        for k in counts:
            if k not in ("failed", "first_error"):
                counts[k] += len(getattr(doc, k))
    return clock() - start, per_doc, counts, time.process_time() - cpu_start


def _stage_pass(recs: list[dict], lang: str | None) -> dict[str, float]:
    """CPU seconds spent in each stage of the default pipeline over ``recs``."""
    from rasad.api import check_date, default_pipeline
    from rasad.doc import Document

    pipe = default_pipeline()
    spent = dict.fromkeys(pipe.names, 0.0)
    clock = time.process_time
    for r in recs:
        doc = Document(text=r["text"], lang=lang, published=check_date(r["published"]), meta=dict(r["meta"]))
        for s in pipe.stages:
            t0 = clock()
            try:
                doc = s.fn(doc)
            except Exception:
                break
            finally:
                spent[s.name] += clock() - t0
    return spent


def worker_pipeline(opts: argparse.Namespace) -> dict:
    cpu = _pin_one_core()
    out: dict = {"cpu": cpu}
    t0 = time.perf_counter()
    import rasad  # noqa: F401
    from rasad.api import default_pipeline, run
    from rasad.doc import Document
    from rasad.errors import RasadError

    out["import_s"] = round(time.perf_counter() - t0, 3)
    out["rss_import_mb"] = round(_rss_mb(), 1)
    recs = load_arabic(Path(opts.corpus), opts.limit)
    if not recs:
        raise SystemExit(f"bench: no articles in {opts.corpus}")
    t0 = time.perf_counter()
    try:
        default_pipeline()
        run(Document(text=recs[0]["text"], published=recs[0]["published"]))  # loads the language data
    except RasadError as exc:
        raise SystemExit(f"bench: the pipeline cannot run: {exc}") from None
    out["first_article_s"] = round(time.perf_counter() - t0, 3)
    out["rss_loaded_mb"] = round(_rss_mb(), 1)
    seconds, per_doc, counts, cpu = _timed_run(recs, None)
    out["ar"] = _figures(recs, seconds, per_doc) | {"produced": counts, "cpu_s": round(cpu, 3)}
    out["rss_ar_peak_mb"] = round(_rss_mb(), 1)
    spent = _stage_pass(recs, None)
    n = len(recs)
    out["stages"] = {k: round(v / n * 1000, 3) for k, v in spent.items()}
    out["stages_total_ms"] = round(sum(spent.values()) / n * 1000, 3)
    if not opts.no_en and Path(opts.en_dir).is_dir():
        en = load_english(Path(opts.en_dir), opts.limit)
        try:
            run(Document(text=en[0]["text"], lang="en", published=EN_PUBLISHED))  # loads the English data
        except RasadError as exc:
            raise SystemExit(f"bench: the pipeline cannot run on English: {exc}") from None
        seconds, per_doc, counts, cpu = _timed_run(en, "en")
        out["en"] = _figures(en, seconds, per_doc) | {"produced": counts, "cpu_s": round(cpu, 3)}
        spent = _stage_pass(en, "en")
        out["en_stages"] = {k: round(v / len(en) * 1000, 3) for k, v in spent.items()}
        out["rss_peak_mb"] = round(_rss_mb(), 1)
    return out


def worker_dateparser(opts: argparse.Namespace) -> dict:
    cpu = _pin_one_core()
    from dateparser.search import search_dates

    recs = load_arabic(Path(opts.corpus), min(opts.dateparser_limit, opts.limit or opts.dateparser_limit))
    search_dates(recs[0]["text"][:200], languages=["ar"])  # loads its language data
    found = 0
    per_doc: list[float] = []
    start = time.perf_counter()
    for r in recs:
        t0 = time.perf_counter()
        res = search_dates(r["text"], languages=["ar"])
        per_doc.append(time.perf_counter() - t0)
        found += len(res or [])
    seconds = time.perf_counter() - start
    return {"cpu": cpu, "dates_found": found, "rss_peak_mb": round(_rss_mb(), 1)} | _figures(recs, seconds, per_doc)


def _child(kind: str, opts: argparse.Namespace) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--corpus", str(opts.corpus),
           "--en-dir", str(opts.en_dir), "--dateparser-limit", str(opts.dateparser_limit)]
    if opts.limit:
        cmd += ["--limit", str(opts.limit)]
    if opts.no_en:
        cmd.append("--no-en")
    print(f"bench: running {kind} …", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"bench: the {kind} run failed (exit {proc.returncode})")
    if proc.stderr.strip():
        sys.stderr.write(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def render(pipe: dict, dp: dict | None, opts: argparse.Namespace) -> str:
    ar, en = pipe["ar"], pipe.get("en")
    lines = [
        f"## {SECTION}",
        "",
        f"Measured {dt.date.today().isoformat()} on {_cpu_name()}, Python {platform.python_version()}, "
        f"commit {commit()}; each run in a fresh process pinned to one core. "
        f"Command: `python bench/run.py{' --limit ' + str(opts.limit) if opts.limit else ''}` (`make bench`).",
        "",
        "| corpus | articles | words/article | articles/s | MB/s | words/s | ms/article p50 / p95 / max |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def row(name: str, f: dict) -> str:
        return (f"| {name} | {f['articles']} | {f['words_per_article']} | **{f['articles_per_s']}** | "
                f"{f['mb_per_s']} | {f['words_per_s']:,} | {f['ms_p50']} / {f['ms_p95']} / {f['ms_max']} |")

    lines.append(row(f"Arabic: `{Path(opts.corpus).name}`", ar))
    if en:
        lines.append(row(f"English: BBC politics 2005 (published {EN_PUBLISHED})", en))
    if dp:
        lines.append(row(f"reference: `dateparser.search_dates(languages=['ar'])`, first {dp['articles']} "
                         "Arabic articles", dp))
    lines.append("")

    def cpu(name: str, f: dict) -> str:
        ms = 1000 * f["cpu_s"] / f["articles"]
        return f"{name} {ms:.2f} ms/article = {1000 / ms:.1f} articles/s" if ms else f"{name} -"

    # the wall clock counts whatever else the machine runs; CPU time is the pipeline's own
    lines.append("CPU time of the same pass (what the pipeline itself costs on a shared machine): "
                 + cpu("Arabic", ar) + (", " + cpu("English", en) if en else "") + ".")
    if en:
        lines.append(f"English / Arabic: {en['articles_per_s'] / ar['articles_per_s']:.2f}× in articles/s, "
                     f"{en['words_per_s'] / ar['words_per_s']:.2f}× in words/s (the articles differ in length: "
                     f"{en['words_per_article']} vs {ar['words_per_article']} words).")
    if dp:
        lines.append(f"rasad's whole pipeline runs {ar['articles_per_s'] / dp['articles_per_s']:.1f}× as many "
                     f"articles/s as dateparser's date search alone ({dp['dates_found']} dates found by dateparser).")
    lines += [
        "",
        f"Memory (peak RSS of the pipeline process): {pipe['rss_import_mb']} MB after `import rasad`, "
        f"{pipe['rss_loaded_mb']} MB after the first article (language data loaded), "
        f"{pipe['rss_ar_peak_mb']} MB after the Arabic corpus"
        + (f", {pipe['rss_peak_mb']} MB after English too" if "rss_peak_mb" in pipe else "")
        + (f"; dateparser's process peaked at {dp['rss_peak_mb']} MB" if dp else "") + ".",
        f"Start-up: import {pipe['import_s']} s, first article (loads the data) {pipe['first_article_s']} s.",
        "",
        "CPU time per stage (a second pass, each stage timed; ms per article):",
        "",
        "| stage | Arabic ms | share |" + (" English ms |" if en else ""),
        "|---|---:|---:|" + ("---:|" if en else ""),
    ]
    total = pipe["stages_total_ms"] or 1.0
    for name, ms in pipe["stages"].items():
        cell = f" {pipe['en_stages'].get(name, 0):.3f} |" if en else ""
        lines.append(f"| {name} | {ms:.3f} | {100 * ms / total:.0f} % |{cell}")
    en_total = f" {sum(pipe['en_stages'].values()):.3f} |" if en else ""
    lines.append(f"| **all** | {total:.3f} | 100 % |{en_total}")
    def produced(f: dict) -> str:
        p = dict(f["produced"])
        failed = p.pop("failed", 0)
        error = p.pop("first_error", None)
        return ", ".join(f"{k} {v / f['articles']:.1f}" for k, v in p.items()) + (
            f" (**{failed} articles failed**{': ' + error if error else ''})" if failed else "")

    lines += ["", "Produced per Arabic article: " + produced(ar)
              + (" — English: " + produced(en) if en else "") + ".", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each corpus")
    ap.add_argument("--dateparser-limit", type=int, default=200, help="articles for the dateparser reference")
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--en-dir", default=str(EN_DIR))
    ap.add_argument("--no-en", action="store_true", help="skip the English run")
    ap.add_argument("--no-dateparser", action="store_true", help="skip the dateparser reference")
    ap.add_argument("--out", default=str(RESULTS), help="the markdown file to update")
    ap.add_argument("--worker", choices=("pipeline", "dateparser"), help=argparse.SUPPRESS)
    opts = ap.parse_args(argv)
    if opts.worker:
        fn = worker_pipeline if opts.worker == "pipeline" else worker_dateparser
        print(json.dumps(fn(opts)))
        return 0
    if not Path(opts.corpus).exists():
        print(f"bench: no corpus at {opts.corpus}; give --corpus", file=sys.stderr)
        return 2
    pipe = _child("pipeline", opts)
    dp = None if opts.no_dateparser else _child("dateparser", opts)
    section = render(pipe, dp, opts)
    print(section)
    write_section(SECTION, section, Path(opts.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
