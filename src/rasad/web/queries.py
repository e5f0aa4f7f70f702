"""Read queries the HTTP API needs beyond the store's own (query.py): pages, one article, stats.

Everything here reads through a Store's connection and writes nothing. Event filters are the
store's (``query.Filters`` / ``event_where``), so the API, the page and ``rasad events`` agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from ..errors import InputError
from ..store.db import Store
from ..store.query import Filters, event_record, event_where, explain

MAX_LIMIT = 1000

# sort key -> ORDER BY over one row per cluster (c: the cluster, e: its representative mention)
SORTS = {
    "date": "coalesce(e.date_lo, c.span_lo) {d} NULLS LAST, c.seq {d}",
    "confidence": "e.confidence {d} NULLS LAST, c.seq DESC",
    "type": "c.type {d}, coalesce(e.date_lo, c.span_lo) DESC NULLS LAST, c.seq DESC",
    "goldstein": "e.goldstein {d} NULLS LAST, c.seq DESC",
    "mentions": "c.n_members {d}, c.seq DESC",
    "articles": "(SELECT count(DISTINCT mm.doc_id) FROM cluster_members mm WHERE mm.cluster_id = c.id) {d}, c.seq DESC",
}
# how store.query counts an article's outlet (num_sources)
_OUTLET = "coalesce(d.source, regexp_extract(d.url, '^[a-zA-Z]+://([^/]+)', 1), d.id)"


class NotFound(InputError):
    """What was asked for is not in the database."""


def _rows(store: Store, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cur = store.con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) for k, v in row.items()}


def order_by(sort: str | None) -> str:
    """ORDER BY for a sort key such as ``date`` or ``-confidence`` (descending)."""
    key = (sort or "-date").strip()
    desc = key.startswith("-")
    key = key.lstrip("-+")
    if key not in SORTS:
        raise InputError(f"cannot sort by '{key}'; choose one of {', '.join(SORTS)} (prefix - for descending)")
    return SORTS[key].format(d="DESC" if desc else "ASC")


def where(f: Filters) -> tuple[str, list[Any]]:
    """store.query.event_where, with the text filter as a case-blind regular expression.

    Same matches as its ILIKE '%text%' (kept when the text holds %, _ or a line break), about
    eight times faster on Arabic: DuckDB's ILIKE folds case character by character.
    """
    text = f.text
    if not text or any(c in text for c in "%_\n\r"):
        return event_where(f)
    cond, params = event_where(dataclasses.replace(f, text=None))
    pattern = re.escape(text)
    return (f"{cond} AND (regexp_matches(e.sentence_text, ?, 'i') OR regexp_matches(d.title, ?, 'i'))",
            [*params, pattern, pattern])


def events_page(store: Store, f: Filters, *, limit: int = 50, offset: int = 0,
                sort: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of event records) for ``f``, sorted.

    Two steps, so a page costs the same on 10 or 10,000 events: the ids of the page (a light
    sort over the clusters that match), then the counts and texts of those clusters only.
    """
    cond, params = where(f)
    ids = [r[0] for r in store.con.execute(_page_sql(cond, sort), [*params, int(limit), int(offset)]).fetchall()]
    # counted apart: a window count would make the database sort every match, not the top N
    count_sql = f"SELECT count(*) FROM event_clusters c WHERE {_matching(cond)}"
    total = int(store.con.execute(count_sql, params).fetchone()[0])
    return total, records(store, ids)


def records(store: Store, cluster_ids: list[str]) -> list[dict[str, Any]]:
    """Event records (store.query.event_record) for these clusters, in this order.

    The representative mention comes from SQL, the counts over the members are made here:
    cheaper than grouping in SQL for a page of clusters.
    """
    if not cluster_ids:
        return []
    reps = {r["id"]: r for r in _rows(store, _REPS_SQL, [cluster_ids])}
    members: dict[str, list[tuple[Any, ...]]] = {}
    for row in store.con.execute(_MEMBERS_SQL, [cluster_ids]).fetchall():
        members.setdefault(row[0], []).append(row)
    out = []
    for cid in cluster_ids:
        r = reps.get(cid)
        if r is None:
            continue
        ms = members.get(cid, [])
        r["num_mentions"] = len(ms)
        r["num_articles"] = len({m[1] for m in ms})
        r["num_sources"] = len({m[3] for m in ms})
        r["langs"] = sorted({m[2] for m in ms if m[2] is not None})
        for role, k in (("source", 4), ("target", 5)):
            if r[f"{role}_text"] is None:
                best = max((m for m in ms if m[k] is not None), key=lambda m: m[6] or 0.0, default=None)
                r[f"{role}_text"] = best[k] if best else None
        out.append(r)
    return [event_record(r) for r in out]


# the representative mention of each cluster, with the columns of store.query.cluster_sql
_REPS_SQL = """
    SELECT c.id, e.date, e.date_grain, c.type, e.mode, e.context, e.cameo, e.goldstein, e.quad,
           e.source_actor, e.source_text, c.source_country, c.source_sector,
           e.target_actor, e.target_text, c.target_country, c.target_sector,
           e.location_name, coalesce(e.location_country, c.location_country) AS location_country,
           e.location_lat, e.location_lon,
           coalesce(e.location_geonameid, c.location_geonameid) AS location_geonameid,
           c.negated, e.modality, e.confidence, e.rule, e.sentence_text, e.trigger_text,
           c.rep_doc AS doc_id, c.rep_event AS event_id, d.url, d.title, d.lang
    FROM event_clusters c
    JOIN events e ON e.doc_id = c.rep_doc AND e.event_id = c.rep_event
    JOIN documents d ON d.id = c.rep_doc
    WHERE c.id IN (SELECT unnest(?::VARCHAR[]))"""

_MEMBERS_SQL = f"""
    SELECT m.cluster_id, m.doc_id, d.lang, {_OUTLET} AS outlet, e.source_text, e.target_text,
           e.confidence
    FROM cluster_members m
    JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
    JOIN documents d ON d.id = m.doc_id
    WHERE m.cluster_id IN (SELECT unnest(?::VARCHAR[]))"""


CSV_COLUMNS = (
    "id", "date", "date_grain", "type", "mode", "context", "cameo", "goldstein", "quad",
    "source_actor", "source_text", "source_country", "source_sector",
    "target_actor", "target_text", "target_country", "target_sector",
    "location_name", "location_country", "location_lat", "location_lon", "location_geonameid",
    "negated", "modality", "confidence", "rule", "sentence", "trigger", "doc_id", "event_id",
    "url", "title", "lang", "langs", "num_mentions", "num_articles", "num_sources",
)

# one flat row per cluster, columns as CSV_COLUMNS (lists joined with ';'): the records' fields
_CSV_SQL = f"""
    WITH ids AS (SELECT unnest(?::VARCHAR[]) AS cluster_id),
    stats AS (
      SELECT m.cluster_id, count(*) AS num_mentions, count(DISTINCT m.doc_id) AS num_articles,
             count(DISTINCT {_OUTLET}) AS num_sources,
             array_to_string(list(DISTINCT d.lang ORDER BY d.lang) FILTER (WHERE d.lang IS NOT NULL), ';') AS langs,
             arg_max(e.source_text, e.confidence) FILTER (WHERE e.source_text IS NOT NULL) AS any_source_text,
             arg_max(e.target_text, e.confidence) FILTER (WHERE e.target_text IS NOT NULL) AS any_target_text
      FROM cluster_members m JOIN ids USING (cluster_id)
      JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
      JOIN documents d ON d.id = m.doc_id
      GROUP BY m.cluster_id)
    SELECT c.id, e.date, e.date_grain, c.type, e.mode, array_to_string(e.context, ';'), e.cameo,
           e.goldstein, e.quad,
           e.source_actor, coalesce(e.source_text, s.any_source_text), c.source_country, c.source_sector,
           e.target_actor, coalesce(e.target_text, s.any_target_text), c.target_country, c.target_sector,
           e.location_name, coalesce(e.location_country, c.location_country), e.location_lat,
           e.location_lon, coalesce(e.location_geonameid, c.location_geonameid),
           c.negated, e.modality, e.confidence, e.rule, e.sentence_text, e.trigger_text,
           c.rep_doc, c.rep_event, d.url, d.title, d.lang, s.langs,
           s.num_mentions, s.num_articles, s.num_sources
    FROM event_clusters c JOIN stats s ON s.cluster_id = c.id
    JOIN events e ON e.doc_id = c.rep_doc AND e.event_id = c.rep_event
    JOIN documents d ON d.id = c.rep_doc"""


def csv_rows(store: Store, f: Filters, *, limit: int | None = None, offset: int = 0,
             sort: str | None = None) -> list[tuple[Any, ...]]:
    """The events of ``events_page`` as flat rows (CSV_COLUMNS); every match when no limit."""
    cond, params = where(f)
    ids = [r[0] for r in store.con.execute(_page_sql(cond, sort), [*params, limit, int(offset)]).fetchall()]
    if not ids:
        return []
    order = {cid: i for i, cid in enumerate(ids)}
    rows = store.con.execute(_CSV_SQL, [ids]).fetchall()
    rows.sort(key=lambda r: order[r[0]])
    return rows


def _matching(cond: str) -> str:
    """SQL condition on clusters ``c``: some mention matches ``cond`` (TRUE: every cluster)."""
    if cond == "TRUE":
        return "TRUE"
    docs = "JOIN documents d ON d.id = m.doc_id" if "d." in cond else ""
    return f"""c.id IN (
      SELECT m.cluster_id FROM cluster_members m
      JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id {docs}
      WHERE {cond})"""


def _page_sql(cond: str, sort: str | None) -> str:
    """Ids of the clusters whose mentions match ``cond``, sorted; LIMIT ? OFFSET ?."""
    return f"""
    SELECT c.id
    FROM event_clusters c
    JOIN events e ON e.doc_id = c.rep_doc AND e.event_id = c.rep_event
    WHERE {_matching(cond)}
    ORDER BY {order_by(sort)} LIMIT ? OFFSET ?"""


def event_detail(store: Store, ident: str) -> dict[str, Any]:
    """One event cluster: its record, every mention in every article, and why they merged."""
    try:
        info = explain(store, ident)
    except InputError as exc:
        if str(exc).startswith("no event"):
            raise NotFound(f"no event '{ident}'; GET /events lists them") from None
        raise
    c, members = info["cluster"], info["members"]
    rep = _rows(store, """
        SELECT e.*, d.url, d.title, d.lang, d.published FROM events e
        JOIN documents d ON d.id = e.doc_id WHERE e.doc_id = ? AND e.event_id = ?""",
                [c["rep_doc"], c["rep_event"]])[0]
    outlets = {m["outlet"] or m["url"] or m["doc_id"] for m in members}
    row = {**rep, "id": c["id"], "type": c["type"], "negated": c["negated"],
           "source_country": c["source_country"], "source_sector": c["source_sector"],
           "target_country": c["target_country"], "target_sector": c["target_sector"],
           "location_country": rep["location_country"] or c["location_country"],
           "langs": sorted({m["lang"] for m in members if m["lang"]}),
           "num_mentions": len(members), "num_articles": len({m["doc_id"] for m in members}),
           "num_sources": len(outlets)}
    for role in ("source", "target"):
        if row[f"{role}_text"] is None:
            row[f"{role}_text"] = next((m[f"{role}_text"] for m in members if m[f"{role}_text"]), None)
    out = event_record(row)
    out["sentence_span"] = {"start": rep["sentence_start"], "end": rep["sentence_end"]}
    out["trigger_span"] = {"start": rep["trigger_start"], "end": rep["trigger_end"]}
    out["mentions"] = [_plain(m) for m in members]
    out["merge"] = {
        "cluster": _plain(c),
        "explanation": [f"{m['doc_id']}:{m['event_id']}: {m['reason']}" for m in members],
    }
    return out


_SPAN_TABLES = {
    "zones": "start_char AS start, end_char AS \"end\", kind, extra",
    "mentions": "start_char AS start, end_char AS \"end\", text, kind, actor, zone, rule, extra",
    "times": "start_char AS start, end_char AS \"end\", text, value, grain, inferred, mod, zone, extra",
    "quantities": "start_char AS start, end_char AS \"end\", text, value, unit, unit_text, mod, extra",
    "quotes": "start_char AS start, end_char AS \"end\", text, speaker, speaker_text, cue, date, kind, extra",
}


def _unextra(row: dict[str, Any]) -> dict[str, Any]:
    extra = row.pop("extra", None)
    if extra:
        try:
            for k, v in json.loads(extra).items():
                row.setdefault(k, v)
        except (ValueError, AttributeError):
            pass
    return row


def _resolve_doc(store: Store, ident: str) -> str:
    rows = store.con.execute("SELECT id FROM documents WHERE starts_with(id, ?) ORDER BY id LIMIT 2",
                             [ident]).fetchall()
    if not rows or not ident:
        raise NotFound(f"no article '{ident}'; GET /events lists events with their articles' ids")
    if len(rows) > 1 and rows[0][0] != ident:
        raise InputError(f"several articles start with '{ident}'; give more of the id")
    return str(rows[0][0])


def article(store: Store, ident: str) -> dict[str, Any]:
    """One article: text, zones and every annotation, and its events with their clusters."""
    doc_id = _resolve_doc(store, ident)
    d = _rows(store, "SELECT * FROM documents WHERE id = ?", [doc_id])[0]
    out: dict[str, Any] = {
        "id": d["id"], "lang": d["lang"], "published": d["published"],
        "published_inferred": d["published_inferred"],
        "meta": {k: d[k] for k in ("url", "source", "title", "author", "origin")},
        "text": d["text"], "byline": d["byline"], "credits": list(d["credits"] or []),
        "errors": list(d["errors"] or []), "ingested_at": _iso(d["ingested_at"]),
    }
    for table, cols in _SPAN_TABLES.items():
        out[table] = [_unextra(r) for r in
                      _rows(store, f"SELECT {cols} FROM {table} WHERE doc_id = ? ORDER BY n", [doc_id])]
    out["actors"] = [_actor(r) for r in _rows(store, """
        SELECT a.* FROM document_actors da JOIN actors a ON a.id = da.actor_id
        WHERE da.doc_id = ? ORDER BY a.id""", [doc_id])]
    events = _rows(store, """
        SELECT e.*, m.cluster_id FROM events e
        LEFT JOIN cluster_members m ON m.doc_id = e.doc_id AND m.event_id = e.event_id
        WHERE e.doc_id = ? ORDER BY e.sentence_start, e.trigger_start, e.event_id""", [doc_id])
    out["events"] = [_mention_event(e) for e in events]
    return out


def _actor(r: dict[str, Any]) -> dict[str, Any]:
    names = json.loads(r["names"]) if r.get("names") else {}
    out = {"id": r["id"], "name": names, "country": r["country"], "sector": r["sector"],
           "kind": r["kind"], "wikidata": r["wikidata"], "affiliation": r["affiliation"]}
    for k in ("n_events", "n_articles"):
        if k in r:
            out[k] = r[k]
    return out


def _role(e: dict[str, Any], role: str) -> dict[str, Any] | None:
    keys = ("actor", "text", "country", "sector", "start", "end")
    out = {k: e[f"{role}_{k}"] for k in keys}
    return out if any(v is not None for v in out.values()) else None


def _mention_event(e: dict[str, Any]) -> dict[str, Any]:
    loc = None
    if e["location_name"] or e["location_country"]:
        loc = {k: e[f"location_{k}"] for k in ("name", "country", "lat", "lon", "geonameid", "precision")}
    out = {
        "id": e["event_id"], "cluster": e["cluster_id"], "type": e["type"], "mode": e["mode"],
        "context": list(e["context"] or []), "cameo": e["cameo"], "goldstein": e["goldstein"],
        "quad": e["quad"], "source": _role(e, "source"), "target": _role(e, "target"),
        "date": e["date"], "date_grain": e["date_grain"], "date_source": e["date_source"],
        "location": loc,
        "sentence": {"start": e["sentence_start"], "end": e["sentence_end"]},
        "trigger": {"start": e["trigger_start"], "end": e["trigger_end"], "text": e["trigger_text"]},
        "negated": e["negated"], "modality": e["modality"], "speaker": e["speaker"],
        "confidence": e["confidence"], "rule": e["rule"],
        "size": json.loads(e["size"]) if e["size"] else None,
    }
    return _unextra({**out, "extra": e["extra"]})


# -- actors ------------------------------------------------------------------------------------
# (database path, actors, events) -> [(matching key, actor record)]: rebuilt when they change
_INDEX: dict[tuple[str, int, int], list[tuple[str, dict[str, Any]]]] = {}


def actors(store: Store, q: str | None, limit: int = 50) -> list[dict[str, Any]]:
    """Actors whose Arabic or English name, id or code (IRNGOV) contains ``q``; most events first."""
    from ..stages.normalize import normalize_str

    n_actors = store.count("actors")
    n_events = store.count("events")
    key = (store.path, n_actors, n_events)
    index = _INDEX.get(key)
    if index is None:
        rows = _rows(store, """
            WITH ev AS (SELECT source_actor AS actor FROM events WHERE source_actor IS NOT NULL
                        UNION ALL SELECT target_actor FROM events WHERE target_actor IS NOT NULL),
            ne AS (SELECT actor, count(*) AS n FROM ev GROUP BY actor),
            na AS (SELECT actor_id, count(DISTINCT doc_id) AS n FROM document_actors GROUP BY actor_id)
            SELECT a.*, coalesce(ne.n, 0) AS n_events, coalesce(na.n, 0) AS n_articles
            FROM actors a LEFT JOIN ne ON ne.actor = a.id LEFT JOIN na ON na.actor_id = a.id
            ORDER BY n_events DESC, n_articles DESC, a.id""")
        index = []
        for r in rows:
            rec = _actor(r)
            names = " ".join(str(v) for v in rec["name"].values())
            code = f"{r['country'] or ''}{r['sector'] or ''}"
            index.append((normalize_str(f"{names}\t{r['id']}\t{code}"), rec))
        if len(_INDEX) > 8:
            _INDEX.clear()
        _INDEX[key] = index
    needle = normalize_str((q or "").strip())
    out = []
    for hay, rec in index:
        if not needle or needle in hay:
            out.append(rec)
            if len(out) >= limit:
                break
    return out


# -- stats -------------------------------------------------------------------------------------
def _selected_sql(f: Filters) -> tuple[str, list[Any]]:
    """The representative mention of every event cluster matching ``f`` (light: no counts)."""
    cond, params = where(f)
    sql = f"""
    SELECT c.id, c.type, e.quad, e.goldstein, e.date_lo, e.date_hi, e.date_grain,
           c.source_country, c.source_sector, c.target_country, c.target_sector,
           e.source_actor, e.target_actor, e.source_text, e.target_text,
           e.location_name, coalesce(e.location_country, c.location_country) AS location_country,
           e.location_lat, e.location_lon
    FROM event_clusters c
    JOIN events e ON e.doc_id = c.rep_doc AND e.event_id = c.rep_event
    WHERE {_matching(cond)}"""
    return sql, params


def _code(country: Any, sector: Any) -> str | None:
    if not country and not sector:
        return None
    return f"{country or ''}{sector or ''}"


_GROUPS = {  # grouping-set columns -> the key of stats() they fill
    "total": (),
    "by_day": ("day", "type", "quad"),
    "by_type": ("type", "quad"),
    "by_quad": ("quad",),
    "dyads": ("source_country", "target_country"),
    "network": ("src", "tgt"),
    "places": ("location_name", "location_country", "location_lat", "location_lon"),
}
_GROUP_COLUMNS = ("day", "type", "quad", "source_country", "target_country", "src", "tgt",
                  "location_name", "location_country", "location_lat", "location_lon")


def _grouping_id(cols: tuple[str, ...]) -> int:
    """DuckDB's GROUPING(...) value for a set: a bit for every column left out, first = highest."""
    n = len(_GROUP_COLUMNS)
    return sum(1 << (n - 1 - i) for i, c in enumerate(_GROUP_COLUMNS) if c not in cols)


def stats(store: Store, f: Filters, *, top_edges: int = 60) -> dict[str, Any]:
    """Counts of the events matching ``f`` by day, type, quad class and country dyad; the
    actor network (edges by actor code) and the located places; Goldstein means.

    One pass: every breakdown is a grouping set of the same query.
    """
    sel, params = _selected_sql(f)
    cols = ", ".join(_GROUP_COLUMNS)
    sets = ", ".join("(" + ", ".join(c) + ")" for c in _GROUPS.values())
    sql = f"""
    WITH ev AS ({sel}),
    g AS (SELECT *, CASE WHEN date_grain = 'day' THEN strftime(date_lo, '%Y-%m-%d') END AS day,
                 concat(coalesce(source_country, ''), coalesce(source_sector, '')) AS src,
                 concat(coalesce(target_country, ''), coalesce(target_sector, '')) AS tgt
          FROM ev)
    SELECT GROUPING({cols}) AS gid, {cols}, count(*) AS n, avg(goldstein) AS goldstein,
           count(*) FILTER (WHERE quad IN (1, 2)) AS cooperation,
           count(*) FILTER (WHERE quad IN (3, 4)) AS conflict,
           min(date_lo) AS first, max(date_lo) AS last
    FROM g GROUP BY GROUPING SETS ({sets})"""
    by_gid: dict[int, list[dict[str, Any]]] = {}
    for r in _rows(store, sql, params):
        by_gid.setdefault(r["gid"], []).append(r)
    part = {key: by_gid.get(_grouping_id(c), []) for key, c in _GROUPS.items()}
    total: dict[str, Any] = part["total"][0] if part["total"] else {"n": 0, "goldstein": None,
                                                                    "first": None, "last": None}

    def pick(rows: list[dict[str, Any]], keys: dict[str, str], extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        return [{**{out: r[col] for out, col in keys.items()}, "n": r["n"], "goldstein": r["goldstein"],
                 **{k: r[k] for k in extra}} for r in rows]

    counts = ("cooperation", "conflict")
    by_day = sorted((r for r in part["by_day"] if r["day"] is not None), key=lambda r: (r["day"], r["type"] or ""))
    by_type = sorted(part["by_type"], key=lambda r: (-r["n"], r["type"] or ""))
    by_quad = sorted((r for r in part["by_quad"] if r["quad"] is not None), key=lambda r: r["quad"])
    dyads = sorted((r for r in part["dyads"] if r["source_country"] and r["target_country"]),
                   key=lambda r: (-r["n"], r["source_country"], r["target_country"]))[:200]
    edges = sorted((r for r in part["network"] if r["src"] and r["tgt"]),
                   key=lambda r: (-r["n"], r["src"], r["tgt"]))[:top_edges]
    places = sorted((r for r in part["places"] if r["location_country"] or r["location_lat"] is not None),
                    key=lambda r: (-r["n"], r["location_country"] or "", r["location_name"] or ""))[:500]
    return {
        "total": int(total["n"] or 0), "goldstein_mean": total["goldstein"],
        "first_day": _iso(total["first"]), "last_day": _iso(total["last"]),
        "by_day": pick(by_day, {"day": "day", "type": "type", "quad": "quad"}),
        "by_type": pick(by_type, {"type": "type", "quad": "quad"}),
        "by_quad": pick(by_quad, {"quad": "quad"}),
        "dyads": pick(dyads, {"source": "source_country", "target": "target_country"}, counts),
        "network": pick(edges, {"source": "src", "target": "tgt"}, counts),
        "places": pick(places, {"name": "location_name", "country": "location_country",
                                "lat": "location_lat", "lon": "location_lon"}, counts),
    }


def types() -> list[dict[str, Any]]:
    """The 16 PLOVER types with their quad class (for the page's filter and legend)."""
    from ..ontology import plover_types

    return [{"type": t.name, "quad": t.quad, "description": t.description}
            for t in plover_types().values()]
