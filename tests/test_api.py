"""The HTTP API through FastAPI's TestClient, on a database ingested from real articles (webdb.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import webdb  # noqa: E402
from rasad.store import open_store  # noqa: E402
from rasad.store.query import Filters, events  # noqa: E402
from rasad.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def web_db(shared, tmp_path_factory) -> Path:
    return webdb.build(tmp_path_factory.getbasetemp() / "webdb")


@pytest.fixture(scope="module")
def client(web_db):
    app = create_app(web_db)
    with TestClient(app) as c:
        yield c
    app.state.store.close()


@pytest.fixture(scope="module")
def seed_id(client) -> str:
    recs = client.get("/events", params={"text": "golden seed", "limit": 1000}).json()["events"]
    ids = {e["doc_id"] for e in recs if e["title"] == "golden seed"}
    assert len(ids) == 1, "the seed article has events"
    return ids.pop()


def _doc_id(client, title_part: str) -> str:
    for e in client.get("/events", params={"limit": 1000}).json()["events"]:
        if title_part in (e["title"] or ""):
            return e["doc_id"]
    raise AssertionError(f"no article titled like {title_part!r}")


def test_openapi_describes_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/analyze", "/events", "/events/{event_id}", "/articles/{doc_id}", "/actors", "/stats", "/ingest"):
        assert p in paths, p
    params = {p["name"] for p in paths["/events"]["get"]["parameters"]}
    assert {"since", "until", "actor", "country", "type", "min_confidence", "text", "limit", "offset",
            "sort", "format"} <= params
    assert "text/plain" in paths["/analyze"]["post"]["requestBody"]["content"]


@pytest.mark.parametrize("params, check", [
    ({"type": "REQUEST"}, lambda e: e["type"] == "REQUEST"),
    ({"type": "ASSAULT,COERCE"}, lambda e: e["type"] in ("ASSAULT", "COERCE")),
    ({"country": "irn"}, lambda e: "IRN" in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country"),
                                            (e["location"] or {}).get("country"))),
    ({"min_confidence": 0.7}, lambda e: e["confidence"] >= 0.7),
    ({"since": "2024-01-01", "until": "2024-01-31"}, lambda e: e["date"] >= "2024-01"),
    ({"text": "condemned"}, lambda e: "condemned" in e["sentence"]),
    ({"actor": "IRN"}, lambda e: "IRN" in ((e["source"] or {}).get("actor"), (e["target"] or {}).get("actor"),
                                           (e["source"] or {}).get("country"), (e["target"] or {}).get("country"))),
])
def test_events_filters_agree_with_the_store(client, web_db, params, check):
    data = client.get("/events", params={**params, "limit": 1000}).json()
    assert data["total"] == len(data["events"]) > 0
    assert all(check(e) for e in data["events"]), params
    with open_store(web_db, read_only=True) as store:
        f = Filters(**{k: v for k, v in params.items()})
        assert data["total"] == len(list(events(store, f)))


def test_events_are_paginated_and_sorted(client):
    whole = client.get("/events", params={"limit": 10}).json()
    a = client.get("/events", params={"limit": 5}).json()
    b = client.get("/events", params={"limit": 5, "offset": 5}).json()
    assert a["total"] == b["total"] == whole["total"] > 10
    assert [e["id"] for e in a["events"] + b["events"]] == [e["id"] for e in whole["events"]]
    dates = [e["date"] for e in client.get("/events", params={"limit": 1000}).json()["events"]]
    assert dates[0] >= dates[-1]  # newest first by default
    conf = [e["confidence"] for e in client.get("/events", params={"sort": "confidence", "limit": 1000}).json()["events"]]
    assert conf == sorted(conf)
    beyond = client.get("/events", params={"offset": 10_000}).json()
    assert beyond["events"] == [] and beyond["total"] == whole["total"]


def test_events_csv_has_every_matching_event(client):
    total = client.get("/events", params={"type": "ASSAULT"}).json()["total"]
    r = client.get("/events", params={"type": "ASSAULT", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total and {row["type"] for row in rows} == {"ASSAULT"}
    assert {"source_country", "target_country", "location_country", "sentence", "rule"} <= set(rows[0])
    page = {"limit": 5, "offset": 3, "sort": "confidence"}
    ids = [e["id"] for e in client.get("/events", params=page).json()["events"]]
    r = client.get("/events", params={**page, "format": "csv"})
    assert [row["id"] for row in csv.DictReader(io.StringIO(r.text))] == ids


def test_an_event_has_its_mentions_across_articles_and_why_they_merged(client):
    merged = [e for e in client.get("/events", params={"limit": 1000}).json()["events"] if e["num_articles"] > 1]
    assert merged, "the Arabic and English golden articles report shared events"
    ev = client.get(f"/events/{merged[0]['id']}").json()
    assert ev["id"] == merged[0]["id"] and ev["num_articles"] == len({m["doc_id"] for m in ev["mentions"]}) > 1
    assert ev["mentions"][0]["reason"] == "founded the cluster"
    assert all(m["reason"] for m in ev["mentions"]) and len(ev["merge"]["explanation"]) == len(ev["mentions"])
    assert ev["merge"]["cluster"]["id"] == ev["id"]
    assert set(ev["langs"]) == {"ar", "en"}
    # a mention's own id (doc:event) finds its cluster too
    m = ev["mentions"][1]
    assert client.get(f"/events/{m['doc_id']}:{m['event_id']}").json()["id"] == ev["id"]


def test_an_article_has_its_text_zones_and_every_annotation(client, seed_id, seed_text):
    doc = client.get(f"/articles/{seed_id}").json()
    assert doc["text"] == seed_text and doc["lang"] == "ar" and doc["published"] == "2024-01-09"
    text = doc["text"]
    assert {"caption", "byline"} <= {z["kind"] for z in doc["zones"]}
    for key in ("mentions", "times", "quantities", "quotes"):
        assert doc[key], key
        for a in doc[key]:
            assert text[a["start"]:a["end"]] == a["text"], (key, a)
    assert doc["actors"] and all(a["id"] for a in doc["actors"])
    assert doc["events"]
    for e in doc["events"]:
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
        assert e["sentence"]["start"] <= e["trigger"]["start"] < e["sentence"]["end"]
        assert e["cluster"] and e["rule"] and e["confidence"] is not None
        for role in ("source", "target"):
            if e[role] and e[role]["start"] is not None:
                assert text[e[role]["start"]:e[role]["end"]] == e[role]["text"]
    assert client.get(f"/articles/{seed_id[:8]}").json()["id"] == seed_id  # a unique prefix is enough


@pytest.mark.parametrize("q, actor", [("إيران", "IRN"), ("ايران", "IRN"), ("iran", "IRN"), ("IRNGOV", "IRN.GOV")])
def test_actors_are_found_by_arabic_or_english_name_or_code(client, q, actor):
    found = client.get("/actors", params={"q": q}).json()["actors"]
    assert actor in [a["id"] for a in found], (q, [a["id"] for a in found])


def test_stats_count_what_events_lists(client):
    for params in ({}, {"type": "ASSAULT"}, {"country": "IRQ"}):
        total = client.get("/events", params=params).json()["total"]
        st = client.get("/stats", params=params).json()
        assert st["total"] == total
        assert sum(t["n"] for t in st["by_type"]) == total
        assert sum(q["n"] for q in st["by_quad"]) <= total
        assert sum(d["n"] for d in st["by_day"]) <= total
    st = client.get("/stats").json()
    assert st["dyads"] and all(d["source"] and d["target"] for d in st["dyads"])
    assert st["network"] and st["places"] and -10 <= st["goldstein_mean"] <= 10
    assert st["articles"] == 23


def test_analyze_takes_json_text_or_html(client, seed_en_text):
    r = client.post("/analyze", json={"text": seed_en_text, "published": "2024-01-09"})
    assert r.status_code == 200
    doc = r.json()
    for key in ("id", "lang", "published", "text", "zones", "sentences", "mentions", "actors", "times",
                "quotes", "events"):
        assert key in doc
    assert doc["lang"] == "en" and doc["events"] and doc["text"] == seed_en_text
    plain = client.post("/analyze?published=2024-01-09", content=seed_en_text.encode(),
                        headers={"content-type": "text/plain; charset=utf-8"}).json()
    assert plain["id"] == doc["id"] and len(plain["events"]) == len(doc["events"])
    pytest.importorskip("trafilatura")
    paras = "".join(f"<p>{p}</p>" for p in seed_en_text.split("\n") if p.strip())
    html = f"<html><head><title>t</title></head><body><article>{paras}</article></body></html>"
    r = client.post("/analyze", content=html.encode(), headers={"content-type": "text/html"})
    assert r.status_code == 200 and r.json()["events"]


@pytest.mark.parametrize("body, ctype, status, says", [
    (b"", "text/plain", 400, "empty"),
    (b'{"url": "https://example.org/a"}', "application/json", 400, "does not fetch"),
    (b'{"text": "x", "lang": "fr"}', "application/json", 400, "unknown language"),
    (b'{"text": "x", "published": "yesterday"}', "application/json", 400, "YYYY-MM-DD"),
    (b"{not json", "application/json", 400, "not valid JSON"),
    (b"x" * (2 * 1024 * 1024 + 1), "text/plain", 413, "limit"),
])
def test_analyze_errors_are_json_with_the_right_status(client, body, ctype, status, says):
    r = client.post("/analyze", content=body, headers={"content-type": ctype})
    assert r.status_code == status, r.text
    assert says in r.json()["error"]


@pytest.mark.parametrize("method, url, status, says", [
    ("get", "/nowhere", 404, "no such page"),
    ("get", "/events/ffffffffffff", 404, "no event"),
    ("get", "/articles/ffffffffffff", 404, "no article"),
    ("get", "/events?limit=0", 422, "limit"),
    ("get", "/events?min_confidence=2", 422, "min_confidence"),
    ("get", "/events?since=last-week", 400, "YYYY-MM-DD"),
    ("get", "/events?sort=colour", 400, "cannot sort"),
    ("get", "/events?format=xml", 422, "format"),
    ("delete", "/events", 405, "not allowed"),
    ("post", "/ingest", 403, "--allow-ingest"),
])
def test_errors_are_json_with_the_right_status(client, method, url, status, says):
    r = getattr(client, method)(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert says in r.json()["error"]


def test_ingest_only_when_allowed_and_idempotent(web_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(web_db, db)
    app = create_app(db, allow_ingest=True)
    try:
        with TestClient(app) as c:
            text = "Jordan condemned Syria on Tuesday for the shelling of the border."
            docs = {"documents": [{"text": text, "published": "2024-02-06", "title": "posted"}]}
            r = c.post("/ingest", json=docs)
            assert r.status_code == 200 and r.json()["stored"] == 1, r.text
            assert c.post("/ingest", json=docs).json() == {**r.json(), "stored": 0, "skipped": 1}
            found = c.get("/events", params={"text": "shelling of the border"}).json()
            assert found["total"] >= 1 and found["events"][0]["title"] == "posted"
            assert c.get("/stats").json()["articles"] == 24
    finally:
        app.state.store.close()


def test_the_page_and_its_files_are_served_with_a_strict_policy(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    page = r.text
    assert "http://" not in page and "https://" not in page  # nothing from elsewhere
    for f in ("/static/app.js", "/static/app.css", "/static/world.json"):
        assert client.get(f).status_code == 200, f
    js = client.get("/static/app.js").text
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, sink


def test_hostile_article_comes_back_verbatim(client):
    doc = client.get(f"/articles/{_doc_id(client, 'Hostile')}").json()
    assert doc["text"] == webdb.HOSTILE_TEXT and doc["meta"]["title"] == webdb.HOSTILE_TITLE


def test_world_outline_regenerates_identically():
    import importlib.util

    pytest.importorskip("pycountry")
    spec = importlib.util.spec_from_file_location("build_world", ROOT / "scripts" / "build_world.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    shipped = (ROOT / "src" / "rasad" / "web" / "static" / "world.json").read_text(encoding="utf-8")
    assert mod.build() == shipped, "run python scripts/build_world.py"
    data = json.loads(shipped)
    assert data["generated"].startswith("generated by scripts/build_world.py")
    for iso3 in ("IRN", "IRQ", "SAU", "EGY", "BHR", "LBN", "PSE", "QAT", "USA"):
        assert iso3 in data["centroids"], iso3
    lat, lon = data["centroids"]["IRQ"]
    assert 29 < lat < 37 and 38 < lon < 49


@pytest.mark.parametrize("text", ["Iran", "IRAN", "إيران", "الولايات المتحدة", "(", "a.b", "10%", "_", "[x", "\\"])
def test_text_search_matches_the_stores_filter(client, web_db, text):
    with open_store(web_db, read_only=True) as store:
        expected = len(list(events(store, Filters(text=text))))
    assert client.get("/events", params={"text": text}).json()["total"] == expected
    assert client.get("/stats", params={"text": text}).json()["total"] == expected


def test_pages_carry_the_same_records_as_the_store(client, web_db):
    from rasad.store.query import event_record

    with open_store(web_db, read_only=True) as store:
        for f in (Filters(limit=30), Filters(type="ASSAULT", limit=30), Filters(country="IRQ", limit=30)):
            ours = client.get("/events", params={"type": f.type, "country": f.country, "limit": 30}).json()
            assert ours["events"] == [event_record(r) for r in events(store, f)]
