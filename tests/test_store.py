"""The store: schema, idempotent and crash-safe ingest, deduplication, queries and exports."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from rasad.cli import main
from rasad.doc import Actor, Document, Event, EventActor, Location, Mention, Sentence, TimeExpr
from rasad.store import open_store
from rasad.store.db import migrations
from rasad.store.ingest import ingest
from rasad.store.query import Filters
from rasad.store.query import events as query_events
from rasad.store.rows import EVENT_COLUMNS, date_bounds, event_row

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ("data", "corpora", "ar", "saudinewsnet-aawsat-spa.jsonl")
TABLES = ("schema_version", "documents", "zones", "mentions", "actors", "document_actors", "times",
          "quantities", "quotes", "events", "event_clusters", "cluster_members", "failures")


# -- documents built by hand ----------------------------------------------------------------
def ev(eid="e1", type="ASSAULT", src=("ISR", "MIL"), tgt=("PSE", None), date="2024-01-08",
       grain="day", loc=None, negated=False, modality="asserted", confidence=0.7, mode=None):
    def actor(a):
        if a is None:
            return None
        return EventActor(actor=f"{a[0] or ''}{a[1] or ''}" or None, text=f"{a[0]}-{a[1]}",
                          country=a[0], sector=a[1])

    location = None
    if loc:
        name, country, gid, precision = loc
        location = Location(name=name, country=country, geonameid=gid, precision=precision)
    return Event(id=eid, type=type, mode=mode, context=("military",), cameo="190", goldstein=-10.0,
                 quad=4, source=actor(src), target=actor(tgt), date=date, date_grain=grain,
                 location=location, sentence=Sentence(0, 20), trigger=Sentence(5, 10),
                 negated=negated, modality=modality, confidence=confidence, rule="test.rule")


def make_doc(key: str, events=(), lang="en", source="outlet-a", published="2024-01-08") -> Document:
    text = f"Report {key}: something happened somewhere.\nA second line of the report."
    doc = Document(text=text, lang=lang, published=published,
                   meta={"url": f"https://{source}.example/{key}", "source": source,
                         "title": f"Title {key}", "origin": f"test:{key}"})
    doc.sentences = [Sentence(0, 44), Sentence(45, len(text))]
    doc.mentions = [Mention(0, 6, "Report", "org", "ISRMIL")]
    doc.actors = {"ISRMIL": Actor("ISRMIL", {lang: "name"}, "ISR", "MIL", "organisation")}
    doc.times = [TimeExpr(7, 7 + len(key), key, "2024-01-08", "day")]
    doc.events = list(events)
    return doc


def clusters(store) -> list[list[str]]:
    rows = store.con.execute(
        "SELECT cluster_id, list(doc_id || ':' || event_id ORDER BY n) FROM cluster_members "
        "GROUP BY cluster_id ORDER BY min(doc_id || event_id)").fetchall()
    return [r[1] for r in rows]


def dump(db: Path) -> dict[str, list]:
    """Every table, sorted, without ingestion times."""
    con = duckdb.connect(str(db), read_only=True)
    out = {}
    for t in TABLES:
        cols = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall() if r[0] != "ingested_at"]
        out[t] = con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY ALL").fetchall()
    con.close()
    return out


def corpus_sample(shared: Path, tmp_path: Path, n: int, extra: str = "") -> Path:
    f = tmp_path / f"sample{n}.jsonl"
    with (shared.joinpath(*CORPUS)).open(encoding="utf-8") as src, f.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
        dst.write(extra)
    return f


# -- schema ---------------------------------------------------------------------------------
def test_migrations_are_numbered_in_order_and_applied_once(tmp_path):
    versions = [v for v, _, _ in migrations()]
    assert versions == list(range(1, len(versions) + 1))
    db = tmp_path / "m.duckdb"
    with open_store(db) as s:
        assert s.version() == versions[-1]
    with open_store(db) as s:  # reopening applies nothing twice
        assert s.count("schema_version") == len(versions)
    with open_store(db, read_only=True) as s:
        assert s.version() == versions[-1]


def test_read_only_needs_an_existing_database(tmp_path):
    from rasad.errors import StoreError

    with pytest.raises(StoreError, match="rasad ingest"):
        open_store(tmp_path / "none.duckdb", read_only=True)


@pytest.mark.parametrize("value,lo,hi", [
    ("2024-01-08", "2024-01-08", "2024-01-08"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2023-12", "2023-12-01", "2023-12-31"),
    ("2014", "2014-01-01", "2014-12-31"),
    ("2024-W02", "2024-01-08", "2024-01-14"),
    ("2024-01-08T10:00", "2024-01-08", "2024-01-08"),
    ("soon", None, None),
    (None, None, None),
])
def test_date_bounds(value, lo, hi):
    got = date_bounds(value)
    assert (got[0] and got[0].isoformat(), got[1] and got[1].isoformat()) == (lo, hi)


def test_event_row_keeps_every_json_field():
    text = "0123456789" * 3
    js = {"id": "e7", "type": "PROTEST", "mode": "demonstrate", "context": ["economic"],
          "cameo": "141", "goldstein": -6.5, "quad": 4,
          "source": {"actor": "EGYCVL", "text": "crowd", "country": "EGY", "sector": "CVL",
                     "start": 1, "end": 3, "role_note": "x"},
          "target": None, "date": "2024-01", "date_grain": "month", "date_source": "sentence",
          "location": {"name": "Cairo", "country": "EGY", "lat": 30.0, "lon": 31.2,
                       "geonameid": 360630, "precision": "city"},
          "sentence": {"start": 0, "end": 20}, "trigger": {"start": 4, "end": 8, "text": "4567"},
          "negated": True, "modality": "reported", "speaker": "EGYGOV", "confidence": 0.9,
          "rule": "ar.protest.1", "size": {"people": 300}, "brand_new_field": [1, 2]}
    row = dict(zip([c for c, _ in EVENT_COLUMNS], event_row("d1", js, text), strict=True))
    assert row["sentence_text"] == text[:20] and row["trigger_text"] == "4567"
    assert row["source_country"] == "EGY" and row["target_country"] is None
    assert row["location_geonameid"] == 360630 and row["date_lo"].isoformat() == "2024-01-01"
    assert json.loads(row["size"]) == {"people": 300}
    assert json.loads(row["extra"]) == {"brand_new_field": [1, 2], "source.role_note": "x"}


def test_add_is_idempotent_and_stores_annotations(tmp_path):
    with open_store(tmp_path / "a.duckdb") as s:
        doc = make_doc("a", [ev()])
        assert s.add(doc) == 1
        assert s.add(doc) == 0
        counts = {t: s.count(t) for t in ("documents", "mentions", "actors", "times", "events",
                                          "event_clusters", "cluster_members")}
        assert counts == {"documents": 1, "mentions": 1, "actors": 1, "times": 1, "events": 1,
                          "event_clusters": 1, "cluster_members": 1}
        row = s.con.execute("SELECT url, source, title, origin, published, lang FROM documents").fetchone()
        assert row == ("https://outlet-a.example/a", "outlet-a", "Title a", "test:a", "2024-01-08", "en")
        st, tt = s.con.execute("SELECT sentence_text, trigger_text FROM events").fetchone()
        assert st == doc.text[0:20] and tt == doc.text[5:10]


# -- deduplication --------------------------------------------------------------------------
DEDUP_CASES = [
    ("same event, Arabic and English reports", {}, {}, True),
    ("different type", {}, {"type": "COERCE"}, False),
    ("different source country", {}, {"src": ("EGY", "MIL")}, False),
    ("different source sector", {}, {"src": ("ISR", "GOV")}, False),
    ("target unknown on one side", {}, {"tgt": None}, True),
    ("sector unknown on one side", {}, {"src": ("ISR", None)}, True),
    ("two days apart", {}, {"date": "2024-01-10"}, True),
    ("three days apart", {}, {"date": "2024-01-11"}, False),
    ("month holds the day", {}, {"date": "2024-01", "grain": "month"}, True),
    ("month without the day", {}, {"date": "2023-12", "grain": "month"}, False),
    ("a year is too vague for a day", {}, {"date": "2024", "grain": "year"}, False),
    ("same year, both year grain", {"date": "2014", "grain": "year"},
     {"date": "2014", "grain": "year"}, True),
    ("negated against asserted", {}, {"negated": True}, False),
    ("both negated", {"negated": True}, {"negated": True}, True),
    ("intended against asserted", {}, {"modality": "intended"}, False),
    ("reported against asserted", {}, {"modality": "reported"}, True),
    ("no date", {}, {"date": None, "grain": None}, False),
    ("same city, actors unknown", {"src": None, "tgt": None, "loc": ("Gaza", "PSE", 281133, "city")},
     {"src": None, "tgt": None, "loc": ("Gaza", "PSE", 281133, "city")}, True),
    ("different cities", {"loc": ("Gaza", "PSE", 281133, "city")},
     {"loc": ("Rafah", "PSE", 281102, "city")}, False),
    ("place countries differ", {"loc": ("x", "PSE", None, "country")},
     {"loc": ("y", "LBN", None, "country")}, False),
    ("nothing known on both sides", {"src": None, "tgt": None}, {"src": None, "tgt": None}, False),
    ("symmetric type swapped", {"type": "CONSULT", "src": ("IRN", "GOV"), "tgt": ("IRQ", "GOV")},
     {"type": "CONSULT", "src": ("IRQ", "GOV"), "tgt": ("IRN", "GOV")}, True),
    ("directed type swapped", {"src": ("ISR", "MIL"), "tgt": ("PSE", "MIL")},
     {"src": ("PSE", "MIL"), "tgt": ("ISR", "MIL")}, False),
]


@pytest.mark.parametrize("what,first,second,merged", DEDUP_CASES, ids=[c[0] for c in DEDUP_CASES])
def test_dedup_pairs(tmp_path, what, first, second, merged):
    with open_store(tmp_path / "d.duckdb") as s:
        s.add(make_doc("one", [ev(**first)], lang="ar", source="outlet-a"))
        s.add(make_doc("two", [ev(**second)], lang="en", source="outlet-b"))
        assert len(clusters(s)) == (1 if merged else 2), what


def test_dedup_is_complete_linkage(tmp_path):
    # day 8 and day 10 merge; day 11 is within 2 days of day 10 but not of day 8
    with open_store(tmp_path / "c.duckdb") as s:
        s.add([make_doc("a", [ev(date="2024-01-08")]), make_doc("b", [ev(date="2024-01-10")]),
               make_doc("c", [ev(date="2024-01-11")])])
        assert sorted(len(c) for c in clusters(s)) == [1, 2]


def test_twice_in_one_article_is_one_event(tmp_path):
    with open_store(tmp_path / "t.duckdb") as s:
        s.add(make_doc("a", [ev("e1"), ev("e2", tgt=None)]))
        [members] = clusters(s)
        assert len(members) == 2
        [rec] = list(query_events(s, Filters()))
        assert (rec["num_mentions"], rec["num_articles"], rec["num_sources"]) == (2, 1, 1)


def test_dedup_is_incremental_and_independent_of_batches(tmp_path):
    docs = [make_doc(k, [ev(date=d, tgt=t, src=sr)], source=src)
            for k, d, t, sr, src in [
                ("a", "2024-01-08", ("PSE", None), ("ISR", "MIL"), "o1"),
                ("b", "2024-01-09", None, ("ISR", None), "o2"),
                ("c", "2024-01-20", ("PSE", None), ("ISR", "MIL"), "o1"),
                ("d", "2024-01-09", ("PSE", "CVL"), ("ISR", "MIL"), "o3"),
                ("e", "2024-01-21", ("PSE", None), None, "o2")]]
    one = tmp_path / "one.duckdb"
    with open_store(one) as s:
        s.add(docs)
    many = tmp_path / "many.duckdb"
    for d in docs:  # one document a session: clusters are read back from the database
        with open_store(many) as s:
            s.add(d)
    assert dump(one)["cluster_members"] == dump(many)["cluster_members"]
    assert dump(one)["event_clusters"] == dump(many)["event_clusters"]
    with open_store(one) as s:
        assert sorted(len(c) for c in clusters(s)) == [2, 3]


def test_explain_says_why(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    with open_store(db) as s:
        s.add([make_doc("a", [ev()], lang="ar"), make_doc("b", [ev(date="2024-01-09", tgt=None)], source="o2")])
        cid = s.con.execute("SELECT id FROM event_clusters").fetchone()[0]
        doc_b = make_doc("b").id
    assert main(["events", "--db", str(db), "--explain", cid]) == 0
    out = capsys.readouterr().out
    assert "founded the cluster" in out
    assert "same type ASSAULT; source ISR·MIL = ISR·MIL; target unknown fits PSE·?" in out
    assert "date 2024-01-09 within 2 days of 2024-01-08" in out
    assert main(["events", "--db", str(db), "--explain", f"{doc_b}:e1", "-f", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [m["n"] for m in info["members"]] == [1, 2] and info["cluster"]["id"] == cid


# -- queries, CLI and exports ---------------------------------------------------------------
@pytest.fixture
def filled(tmp_path) -> Path:
    db = tmp_path / "q.duckdb"
    with open_store(db) as s:
        s.add([
            make_doc("a", [ev(), ev("e2", type="PROTEST", src=("EGY", "CVL"), tgt=None, confidence=0.4,
                                     loc=("Cairo", "EGY", 360630, "city"))], lang="ar"),
            make_doc("b", [ev(date="2024-01-09")], source="o2"),
            make_doc("c", [ev(date="2024-03-01", type="CONSULT", src=("IRN", "GOV"), tgt=("IRQ", "GOV"))]),
        ])
    return db


def _json_out(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("args,types", [
    ([], ["CONSULT", "PROTEST", "ASSAULT"]),
    (["--type", "assault"], ["ASSAULT"]),
    (["--type", "ASSAULT,CONSULT"], ["CONSULT", "ASSAULT"]),
    (["--since", "2024-02"], ["CONSULT"]),
    (["--until", "2024-01-08"], ["PROTEST", "ASSAULT"]),
    (["--country", "egy"], ["PROTEST"]),
    (["--actor", "IRNGOV"], ["CONSULT"]),
    (["--actor", "ISR-MIL"], ["ASSAULT"]),
    (["--min-confidence", "0.5"], ["CONSULT", "ASSAULT"]),
    (["--text", "something"], ["CONSULT", "PROTEST", "ASSAULT"]),
    (["--text", "nowhere to be found"], []),
    (["--limit", "1"], ["CONSULT"]),
])
def test_event_filters(filled, capsys, args, types):
    recs = _json_out(capsys, ["events", "--db", str(filled), "-f", "json", *args])
    assert [r["type"] for r in recs] == types


def test_events_json_csv_table_and_articles(filled, capsys):
    recs = _json_out(capsys, ["events", "--db", str(filled), "-f", "json", "--type", "ASSAULT"])
    [r] = recs
    assert (r["num_mentions"], r["num_articles"], r["num_sources"]) == (2, 2, 2)
    assert r["source"]["country"] == "ISR" and r["langs"] == ["ar", "en"]
    assert main(["events", "--db", str(filled), "-f", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and rows[0]["type"] == "CONSULT"
    assert main(["events", "--db", str(filled)]) == 0
    assert "ASSAULT" in capsys.readouterr().out
    ments = _json_out(capsys, ["events", "--db", str(filled), "-f", "json", "--mentions"])
    assert len(ments) == 4 and all(m["cluster_id"] for m in ments)
    arts = _json_out(capsys, ["articles", "--db", str(filled), "-f", "json", "--type", "PROTEST"])
    assert [a["title"] for a in arts] == ["Title a"] and arts[0]["events"] == 2
    assert main(["articles", "--db", str(filled)]) == 0
    assert "Title" in capsys.readouterr().out


def test_exports_are_readable(filled, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in [("plover-jsonl", "e.jsonl"), ("csv", "e.csv"), ("parquet", "e.parquet"),
                      ("gdelt", "g.tsv"), ("gdelt", "g.parquet")]:
        assert main(["export", "--db", str(filled), "-f", fmt, "--out", str(out / name)]) == 0
        assert "wrote 3 events" in capsys.readouterr().out
    recs = [json.loads(line) for line in (out / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assault = next(r for r in recs if r["event"] == ["ASSAULT"])
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_text",
                "text_info", "cite_info", "quad_code"):
        assert key in assault
    assert assault["actor"][0]["code"] == "ISR" and assault["actor"][0]["sector"] == "MIL"
    assert assault["num_mentions"] == 2 and len(assault["mentions"]) == 2
    assert assault["cite_info"]["url"].startswith("https://")
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_csv('{out / 'e.csv'}')").fetchone()[0] == 3
    assert con.execute(f"SELECT count(*) FROM read_parquet('{out / 'e.parquet'}')").fetchone()[0] == 3
    g = con.execute(f"SELECT * FROM read_csv('{out / 'g.tsv'}', delim='\t') ORDER BY SQLDATE").fetchall()
    cols = [d[0] for d in con.description]
    for col in ("Actor1Code", "Actor1CountryCode", "Actor2Code", "Actor2CountryCode", "EventCode",
                "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
                "NumArticles", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat",
                "ActionGeo_Long", "SQLDATE", "SOURCEURL"):
        assert col in cols
    row = dict(zip(cols, g[1], strict=True))
    assert (row["Actor1Code"], row["NumMentions"], row["SQLDATE"], row["EventRootCode"]) == ("ISRMIL", 2, 20240108, 19)
    assert con.execute(f"SELECT count(*) FROM read_parquet('{out / 'g.parquet'}')").fetchone()[0] == 3
    assert main(["export", "--db", str(filled), "-f", "plover-jsonl", "--mentions", "--out", str(out / "m.jsonl")]) == 0
    ms = [json.loads(line) for line in (out / "m.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(ms) == 4 and all(m["link"] for m in ms)


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["events", "--db", str(tmp_path / "missing.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rasad: no database") and err.count("\n") == 1


# -- ingest of real articles ----------------------------------------------------------------
def test_ingest_is_idempotent_and_records_failures(shared, tmp_path):
    bad = '{"content": "x"\n{"title": "no text here"}\n'
    src = corpus_sample(shared, tmp_path, 12, bad)
    db = tmp_path / "i.duckdb"
    with open_store(db) as s:
        first = ingest(s, [src], workers=0, text_field="content", batch_size=5)
        assert (first.stored, first.failed, first.skipped) == (12, 2, 0)
        before = {t: s.count(t) for t in TABLES}
        again = ingest(s, [src], workers=0, text_field="content")
        assert (again.stored, again.skipped) == (0, 12)
        assert {t: s.count(t) for t in TABLES} == before
        origins = sorted(r[0] for r in s.con.execute("SELECT origin FROM failures").fetchall())
        assert origins == [f"{src}:13", f"{src}:14"]


def test_a_failing_stage_is_recorded_not_fatal(shared, tmp_path, monkeypatch):
    from rasad.pipeline import StageInfo
    from rasad.store import ingest as ingest_mod

    real = ingest_mod.default_pipeline()

    def boom(doc):
        if len(doc.text) % 2:  # about half of them
            raise ValueError("stage bug")
        return doc

    class Fake:
        stages = [*real.stages, StageInfo("boom", boom, frozenset(), frozenset())]

    monkeypatch.setattr(ingest_mod, "default_pipeline", lambda: Fake())
    src = corpus_sample(shared, tmp_path, 10)
    with open_store(tmp_path / "f.duckdb") as s:
        st = ingest(s, [src], workers=0, text_field="content")
        rows = s.con.execute("SELECT stage, reason FROM failures").fetchall()
        assert st.failed == len(rows) > 0 and st.stored + st.failed == 10
        assert set(rows) == {("boom", "ValueError: stage bug")}


def test_garbage_sources_are_reported_and_skipped(shared, tmp_path, monkeypatch):
    from rasad.pipeline import Pipeline
    from rasad.store import ingest as ingest_mod
    from test_sources import ATOM, EMPTY_PAGE, PAGE, _warc_bytes

    # about reading sources, not about the stages: a light pipeline that cannot fail here
    monkeypatch.setattr(ingest_mod, "default_pipeline", lambda: Pipeline(["language", "normalize"]))

    d = tmp_path / "in"
    d.mkdir()
    corpus_sample(shared, d, 3, "{not json\n")
    (d / "good.html").write_text(PAGE, encoding="utf-8")
    (d / "empty.html").write_text(EMPTY_PAGE, encoding="utf-8")
    data = _warc_bytes(True)
    (d / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.7)])
    (d / "feed.atom").write_text(ATOM[:-40], encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    db = tmp_path / "g.duckdb"
    with open_store(db) as s:
        st = ingest(s, [d], workers=0, text_field="content")
        # 3 articles + good.html + the WARC's first page; the warc's page 'a' equals good.html
        assert st.stored == 4 and st.skipped == 1
        reasons = " | ".join(r[0] for r in s.con.execute("SELECT reason FROM failures ORDER BY origin").fetchall())
        for needle in ("not a JSON line", "no main text", "truncated", "broken XML", "binary"):
            assert needle in reasons
        again = ingest(s, [d], workers=0, text_field="content")
        assert again.stored == 0 and s.count("failures") == st.failed


def _group(pgid: int) -> list[int]:
    """Live processes of process group ``pgid``."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(d.name))
    return out


def test_kill_9_then_rerun_equals_an_uninterrupted_run(shared, tmp_path):
    src = corpus_sample(shared, tmp_path, 60)
    killed = tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-m", "rasad.cli", "ingest", str(src), "--db", str(killed),
           "--workers", "1", "--batch", "3", "--text-field", "content"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    try:
        for line in proc.stderr:  # the first progress line comes after the first commit
            if "articles stored" in line or time.monotonic() > deadline:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the main process only: its children must follow
        proc.wait()
    deadline = time.monotonic() + 15
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _group(proc.pid)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not left, "workers or the writer outlived the killed ingest"
    with open_store(killed, read_only=True) as s:
        partial = s.count("documents")
    assert 0 < partial < 60, "the ingest was not killed half-way"
    with open_store(killed) as s:
        rerun = ingest(s, [src], workers=0, text_field="content")
        assert rerun.skipped == partial and rerun.stored == 60 - partial
    whole = tmp_path / "whole.duckdb"
    with open_store(whole) as s:
        ingest(s, [src], workers=0, text_field="content")
    assert dump(killed) == dump(whole)


def test_a_writer_process_replaced_every_batch_writes_what_one_process_writes(shared, tmp_path):
    src = corpus_sample(shared, tmp_path, 12)
    apart, here = tmp_path / "apart.duckdb", tmp_path / "here.duckdb"
    with open_store(apart) as s:
        st = ingest(s, [src], workers=1, text_field="content", batch_size=3, commit_seconds=60,
                    writer_batches=1)
        assert st.stored == 12 and st.writer_peak_rss_mb > 0
        assert s.count("documents") == 12  # the store is open again once the writers are done
        again = ingest(s, [src], workers=1, text_field="content", writer_batches=1)
        assert (again.stored, again.skipped) == (0, 12)
    with open_store(here) as s:
        ingest(s, [src], workers=0, text_field="content")
    assert dump(apart) == dump(here)


def test_a_too_small_memory_cap_is_raised_not_fatal(shared, tmp_path):
    src = corpus_sample(shared, tmp_path, 6)
    with open_store(tmp_path / "oom.duckdb") as s:
        st = ingest(s, [src], workers=0, text_field="content", memory_limit="1MB")
        assert st.stored + st.failed == 6 and s.count("documents") == st.stored
        assert s.count("events") == st.events == s.count("cluster_members")


def test_a_document_the_schema_refuses_is_recorded(tmp_path, monkeypatch):
    from rasad.store import ingest as ingest_mod

    docs = [make_doc("ok1", [ev()]), make_doc("dup", [ev("e1"), ev("e1")]), make_doc("ok2", [ev()])]
    monkeypatch.setattr(ingest_mod, "iter_items", lambda path, field: iter(docs))
    monkeypatch.setattr(ingest_mod, "analyze_chunk",
                        lambda items: [("ok", ingest_mod.doc_rows(d)) for d in items])
    with open_store(tmp_path / "r.duckdb") as s:
        st = ingest(s, ["x"], workers=0)
        assert (st.stored, st.failed, st.skipped) == (2, 1, 0)
        [(origin, stage)] = s.con.execute("SELECT origin, stage FROM failures").fetchall()
        assert (origin, stage) == ("test:dup", "store")
        assert s.count("events") == 2 == s.count("cluster_members")
