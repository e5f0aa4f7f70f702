"""Read queries the HTTP API needs beyond the store's own (query.py): pages, one article, stats.

Everything here reads through a Store's connection and writes nothing. Event filters are the
store's (``query.Filters`` / ``event_where``), so the API, the page and ``rasad events`` agree.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from ..errors import InputError
from ..store.db import Store
from ..store.query import Filters, cluster_sql, event_record, event_where, explain

MAX_LIMIT = 1000

# sort key -> ORDER BY over cluster_sql's columns (ties: newest cluster first)
SORTS = {
    "date": "date_lo {d} NULLS LAST, seq {d}",
    "confidence": "confidence {d} NULLS LAST, seq DESC",
    "type": "type {d}, date_lo DESC NULLS LAST, seq DESC",
    "goldstein": "goldstein {d} NULLS LAST, seq DESC",
    "mentions": "num_mentions {d}, seq DESC",
    "articles": "num_articles {d}, seq DESC",
}


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


def events_page(store: Store, f: Filters, *, limit: int = 50, offset: int = 0,
                sort: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of event records) for ``f``, sorted."""
    sql, params = cluster_sql(Filters(**{**_fields(f), "limit": None}))
    page = f"SELECT *, count(*) OVER () AS total FROM ({sql}) ORDER BY {order_by(sort)} LIMIT ? OFFSET ?"
    rows = _rows(store, page, [*params, limit, offset])
    if rows:
        total = int(rows[0]["total"])
    else:
        total = int(store.con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
    return total, [event_record(r) for r in rows]


def _fields(f: Filters) -> dict[str, Any]:
    return {k: getattr(f, k) for k in f.__dataclass_fields__}


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
    where, params = event_where(f)
    sql = f"""
    SELECT c.id, c.type, e.quad, e.goldstein, e.date_lo, e.date_hi, e.date_grain,
           c.source_country, c.source_sector, c.target_country, c.target_sector,
           e.source_actor, e.target_actor, e.source_text, e.target_text,
           e.location_name, coalesce(e.location_country, c.location_country) AS location_country,
           e.location_lat, e.location_lon
    FROM event_clusters c
    JOIN events e ON e.doc_id = c.rep_doc AND e.event_id = c.rep_event
    WHERE c.id IN (SELECT m.cluster_id FROM cluster_members m
                   JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
                   JOIN documents d ON d.id = m.doc_id
                   WHERE {where})"""
    return sql, params


def _code(country: Any, sector: Any) -> str | None:
    if not country and not sector:
        return None
    return f"{country or ''}{sector or ''}"


def stats(store: Store, f: Filters, *, top_edges: int = 60) -> dict[str, Any]:
    """Counts of the events matching ``f`` by day, type, quad class and country dyad; the
    actor network (edges by actor code) and the located places; Goldstein means."""
    sel, params = _selected_sql(f)
    base = f"WITH ev AS ({sel})"

    def q(sql: str) -> list[dict[str, Any]]:
        return _rows(store, f"{base} {sql}", params)

    total = q("SELECT count(*) AS n, avg(goldstein) AS goldstein, min(date_lo) AS first, "
              "max(date_lo) AS last FROM ev")[0]
    by_day = q("""SELECT strftime(date_lo, '%Y-%m-%d') AS day, type, quad, count(*) AS n,
                         avg(goldstein) AS goldstein
                  FROM ev WHERE date_lo IS NOT NULL AND date_grain = 'day'
                  GROUP BY ALL ORDER BY day, type""")
    by_type = q("""SELECT type, any_value(quad) AS quad, count(*) AS n, avg(goldstein) AS goldstein
                   FROM ev GROUP BY type ORDER BY n DESC, type""")
    by_quad = q("""SELECT quad, count(*) AS n, avg(goldstein) AS goldstein FROM ev
                   WHERE quad IS NOT NULL GROUP BY quad ORDER BY quad""")
    dyads = q("""SELECT source_country AS source, target_country AS target, count(*) AS n,
                        avg(goldstein) AS goldstein, avg(quad) AS quad,
                        count(*) FILTER (WHERE quad IN (1, 2)) AS cooperation,
                        count(*) FILTER (WHERE quad IN (3, 4)) AS conflict
                 FROM ev WHERE source_country IS NOT NULL AND target_country IS NOT NULL
                 GROUP BY ALL ORDER BY n DESC, source, target LIMIT 200""")
    edges = q(f"""SELECT concat(coalesce(source_country, ''), coalesce(source_sector, '')) AS source,
                         concat(coalesce(target_country, ''), coalesce(target_sector, '')) AS target,
                         count(*) AS n, avg(goldstein) AS goldstein,
                         count(*) FILTER (WHERE quad IN (1, 2)) AS cooperation,
                         count(*) FILTER (WHERE quad IN (3, 4)) AS conflict
                  FROM ev WHERE coalesce(source_country, source_sector) IS NOT NULL
                            AND coalesce(target_country, target_sector) IS NOT NULL
                  GROUP BY ALL ORDER BY n DESC, source, target LIMIT {int(top_edges)}""")
    places = q("""SELECT location_name AS name, location_country AS country,
                         location_lat AS lat, location_lon AS lon, count(*) AS n,
                         avg(goldstein) AS goldstein,
                         count(*) FILTER (WHERE quad IN (1, 2)) AS cooperation,
                         count(*) FILTER (WHERE quad IN (3, 4)) AS conflict
                  FROM ev WHERE location_country IS NOT NULL OR location_lat IS NOT NULL
                  GROUP BY ALL ORDER BY n DESC LIMIT 500""")
    return {
        "total": int(total["n"]), "goldstein_mean": total["goldstein"],
        "first_day": _iso(total["first"]), "last_day": _iso(total["last"]),
        "by_day": by_day, "by_type": by_type, "by_quad": by_quad, "dyads": dyads,
        "network": edges, "places": places,
    }


def types() -> list[dict[str, Any]]:
    """The 16 PLOVER types with their quad class (for the page's filter and legend)."""
    from ..ontology import plover_types

    return [{"type": t.name, "quad": t.quad, "description": t.description}
            for t in plover_types().values()]
