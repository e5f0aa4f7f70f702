"""Queries: events (clusters with their mentions), articles, failures, and why a cluster formed.

A filter matches an event cluster when any of its mentions matches it, so ``--text`` finds an
event through any article that reported it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from .db import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    since: str | None = None
    until: str | None = None
    actor: str | None = None
    country: str | None = None
    type: str | None = None          # one PLOVER type, or several separated by commas
    min_confidence: float | None = None
    text: str | None = None
    limit: int | None = None


def _day(value: str | None, what: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        try:  # a month or a year is fine too
            if len(value) == 7:
                return dt.date(int(value[:4]), int(value[5:7]), 1).isoformat()
            if len(value) == 4:
                return dt.date(int(value), 1, 1).isoformat()
        except ValueError:
            pass
    raise InputError(f"bad --{what} date '{value}': give it as YYYY-MM-DD")


def _until(value: str | None) -> str | None:
    day = _day(value, "until")
    if day is None or value is None:
        return None
    if len(value) == 7:  # the whole month
        d = dt.date.fromisoformat(day)
        nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    if len(value) == 4:
        return f"{value}-12-31"
    return day


def _types(value: str | None) -> list[str]:
    return [t.strip().upper() for t in (value or "").split(",") if t.strip()]


def event_where(f: Filters) -> tuple[str, list[Any]]:
    """SQL conditions on events ``e`` (joined with documents ``d``) for the filters."""
    conds: list[str] = []
    params: list[Any] = []
    since, until = _day(f.since, "since"), _until(f.until)
    if since:
        conds.append("e.date_hi >= ?::DATE")
        params.append(since)
    if until:
        conds.append("e.date_lo <= ?::DATE")
        params.append(until)
    if f.actor:
        conds.append(
            "(e.source_actor = ? OR e.target_actor = ?"
            " OR upper(?) IN (concat(e.source_country, e.source_sector), concat(e.target_country, e.target_sector))"
            " OR e.source_text ILIKE ? OR e.target_text ILIKE ?)"
        )
        like = f"%{f.actor}%"
        params += [f.actor, f.actor, f.actor, like, like]
    if f.country:
        conds.append("upper(?) IN (e.source_country, e.target_country, e.location_country)")
        params.append(f.country)
    types = _types(f.type)
    if types:
        conds.append("e.type IN (SELECT unnest(?::VARCHAR[]))")
        params.append(types)
    if f.min_confidence is not None:
        conds.append("e.confidence >= ?")
        params.append(f.min_confidence)
    if f.text:
        conds.append("(e.sentence_text ILIKE ? OR d.title ILIKE ?)")
        params += [f"%{f.text}%", f"%{f.text}%"]
    return (" AND ".join(conds) or "TRUE"), params


_OUTLET = "coalesce(d.source, regexp_extract(d.url, '^[a-zA-Z]+://([^/]+)', 1), d.id)"


def cluster_sql(f: Filters, members: bool = False) -> tuple[str, list[Any]]:
    """One row per event cluster matching ``f``: the representative mention and the counts."""
    where, params = event_where(f)
    member_list = (
        ", list({'doc_id': m.doc_id, 'event_id': m.event_id, 'n': m.n, 'url': d.url, "
        "'lang': d.lang, 'date': e.date, 'trigger': e.trigger_text} ORDER BY m.n) AS members"
        if members else ""
    )
    sql = f"""
    WITH sel AS (
      SELECT DISTINCT m.cluster_id FROM cluster_members m
      JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
      JOIN documents d ON d.id = m.doc_id
      WHERE {where}),
    stats AS (
      SELECT m.cluster_id, count(*) AS num_mentions, count(DISTINCT m.doc_id) AS num_articles,
             count(DISTINCT {_OUTLET}) AS num_sources,
             list(DISTINCT d.lang ORDER BY d.lang) FILTER (WHERE d.lang IS NOT NULL) AS langs,
             arg_max(e.source_text, e.confidence) FILTER (WHERE e.source_text IS NOT NULL) AS any_source_text,
             arg_max(e.target_text, e.confidence) FILTER (WHERE e.target_text IS NOT NULL) AS any_target_text,
             list(DISTINCT e.trigger_text) FILTER (WHERE e.trigger_text IS NOT NULL) AS triggers
             {member_list}
      FROM cluster_members m JOIN sel USING (cluster_id)
      JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
      JOIN documents d ON d.id = m.doc_id
      GROUP BY m.cluster_id)
    SELECT c.id, e.date, e.date_grain, e.date_lo, e.date_hi, c.type, e.mode, e.context, e.cameo, e.goldstein, e.quad,
           e.source_actor, coalesce(e.source_text, s.any_source_text) AS source_text,
           c.source_country, c.source_sector,
           e.target_actor, coalesce(e.target_text, s.any_target_text) AS target_text,
           c.target_country, c.target_sector,
           e.location_name, coalesce(e.location_country, c.location_country) AS location_country,
           e.location_lat, e.location_lon, coalesce(e.location_geonameid, c.location_geonameid) AS location_geonameid,
           e.location_precision,
           c.negated, e.modality, e.confidence, e.rule,
           e.sentence_start, e.sentence_end, e.sentence_text, e.trigger_text, s.triggers,
           c.rep_doc AS doc_id, c.rep_event AS event_id, d.url, d.title, d.source AS outlet,
           d.lang, d.published, s.langs, s.num_mentions, s.num_articles, s.num_sources,
           strftime(d.ingested_at, '%Y%m%d%H%M%S') AS date_added, c.seq
           {", s.members" if members else ""}
    FROM event_clusters c JOIN stats s ON s.cluster_id = c.id
    JOIN events e ON e.doc_id = c.rep_doc AND e.event_id = c.rep_event
    JOIN documents d ON d.id = c.rep_doc
    ORDER BY coalesce(e.date_lo, c.span_lo) DESC NULLS LAST, c.seq DESC"""
    if f.limit:
        sql += " LIMIT ?"
        params.append(int(f.limit))
    return sql, params


def mention_sql(f: Filters) -> tuple[str, list[Any]]:
    """One row per event mention (an event in an article) matching ``f``, with its cluster."""
    where, params = event_where(f)
    sql = f"""
    SELECT m.cluster_id, e.*, d.url, d.title, d.source AS outlet, d.lang, d.published
    FROM events e JOIN documents d ON d.id = e.doc_id
    LEFT JOIN cluster_members m ON m.doc_id = e.doc_id AND m.event_id = e.event_id
    WHERE {where}
    ORDER BY e.date_lo DESC NULLS LAST, e.doc_id, e.event_id"""
    if f.limit:
        sql += " LIMIT ?"
        params.append(int(f.limit))
    return sql, params


def _rows(store: Store, sql: str, params: list[Any], batch: int = 1000) -> Iterator[dict[str, Any]]:
    cur = store.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    while True:
        chunk = cur.fetchmany(batch)
        if not chunk:
            return
        for r in chunk:
            yield dict(zip(names, r, strict=True))


def _actor(r: dict[str, Any], role: str) -> dict[str, Any] | None:
    out = {"actor": r[f"{role}_actor"], "text": r[f"{role}_text"],
           "country": r[f"{role}_country"], "sector": r[f"{role}_sector"]}
    return out if any(v is not None for v in out.values()) else None


def event_record(r: dict[str, Any]) -> dict[str, Any]:
    """A cluster row as a JSON-ready record (DESIGN's event shape plus the counts)."""
    loc = None
    if r["location_name"] or r["location_country"]:
        loc = {"name": r["location_name"], "country": r["location_country"], "lat": r["location_lat"],
               "lon": r["location_lon"], "geonameid": r["location_geonameid"]}
    out = {
        "id": r["id"], "date": r["date"], "date_grain": r["date_grain"], "type": r["type"],
        "mode": r["mode"], "context": list(r["context"] or []), "cameo": r["cameo"],
        "goldstein": r["goldstein"], "quad": r["quad"],
        "source": _actor(r, "source"), "target": _actor(r, "target"), "location": loc,
        "negated": r["negated"], "modality": r["modality"], "confidence": r["confidence"],
        "rule": r["rule"], "sentence": r["sentence_text"], "trigger": r["trigger_text"],
        "doc_id": r["doc_id"], "event_id": r["event_id"], "url": r["url"], "title": r["title"],
        "lang": r["lang"], "langs": list(r["langs"] or []), "num_mentions": r["num_mentions"],
        "num_articles": r["num_articles"], "num_sources": r["num_sources"],
    }
    if "members" in r:
        out["mentions"] = list(r["members"] or [])
    return out


def events(store: Store, f: Filters, members: bool = False) -> Iterator[dict[str, Any]]:
    """Event clusters matching ``f`` as rows (see ``cluster_sql``)."""
    sql, params = cluster_sql(f, members)
    yield from _rows(store, sql, params)


def mentions(store: Store, f: Filters) -> Iterator[dict[str, Any]]:
    sql, params = mention_sql(f)
    yield from _rows(store, sql, params)


def articles(store: Store, f: Filters) -> Iterator[dict[str, Any]]:
    """Documents matching ``f``: published in range, with that actor, country, event type, text."""
    conds: list[str] = []
    params: list[Any] = []
    since, until = _day(f.since, "since"), _until(f.until)
    if since:
        conds.append("d.published >= ?")
        params.append(since)
    if until:
        conds.append("d.published <= ?")
        params.append(until)
    if f.actor:
        conds.append(
            "(EXISTS (SELECT 1 FROM document_actors da JOIN actors a ON a.id = da.actor_id"
            " WHERE da.doc_id = d.id AND (a.id = ? OR concat(a.country, a.sector) = upper(?)"
            " OR a.wikidata = ?))"
            " OR EXISTS (SELECT 1 FROM mentions mm WHERE mm.doc_id = d.id AND mm.text ILIKE ?))"
        )
        params += [f.actor, f.actor, f.actor, f"%{f.actor}%"]
    if f.country:
        conds.append("EXISTS (SELECT 1 FROM document_actors da JOIN actors a ON a.id = da.actor_id"
                     " WHERE da.doc_id = d.id AND a.country = upper(?))")
        params.append(f.country)
    types = _types(f.type)
    if types or f.min_confidence is not None:
        sub = ["e.doc_id = d.id"]
        if types:
            sub.append("e.type IN (SELECT unnest(?::VARCHAR[]))")
            params.append(types)
        if f.min_confidence is not None:
            sub.append("e.confidence >= ?")
            params.append(f.min_confidence)
        conds.append(f"EXISTS (SELECT 1 FROM events e WHERE {' AND '.join(sub)})")
    if f.text:
        conds.append("(d.text ILIKE ? OR d.title ILIKE ?)")
        params += [f"%{f.text}%", f"%{f.text}%"]
    sql = f"""
    SELECT d.id, d.published, d.published_inferred, d.lang, d.source, d.title, d.url, d.author,
           d.origin, length(d.text) AS chars,
           (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events,
           (SELECT count(*) FROM mentions mm WHERE mm.doc_id = d.id) AS mentions
    FROM documents d WHERE {" AND ".join(conds) or "TRUE"}
    ORDER BY d.published DESC NULLS LAST, d.id"""
    if f.limit:
        sql += " LIMIT ?"
        params.append(int(f.limit))
    yield from _rows(store, sql, params)


def failures(store: Store, limit: int | None = None) -> Iterator[dict[str, Any]]:
    sql = "SELECT origin, doc_id, stage, reason, ingested_at FROM failures ORDER BY ingested_at, origin"
    params: list[Any] = []
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    yield from _rows(store, sql, params)


def explain(store: Store, ident: str) -> dict[str, Any]:
    """A cluster (by cluster id, or by a mention's ``doc_id:event_id``) and why each member joined."""
    cid = ident
    if ":" in ident:
        doc_id, event_id = ident.split(":", 1)
        row = store.con.execute("SELECT cluster_id FROM cluster_members WHERE doc_id = ? AND event_id = ?",
                                [doc_id, event_id]).fetchone()
        if row is None:
            raise InputError(f"no event '{ident}' in the database; 'rasad events' lists them")
        cid = row[0]
    head = list(_rows(store, "SELECT * FROM event_clusters WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [cid]))
    if not head:
        raise InputError(f"no event '{ident}' in the database; 'rasad events' lists the ids")
    if len(head) > 1 and head[0]["id"] != cid:
        raise InputError(f"several events start with '{ident}'; give more of the id")
    cid = head[0]["id"]
    members = list(_rows(store, """
        SELECT m.n, m.score, m.reason, m.doc_id, m.event_id, e.type, e.date, e.date_grain,
               e.source_country, e.source_sector, e.source_text, e.target_country, e.target_sector,
               e.target_text, e.location_name, e.location_country, e.negated, e.modality,
               e.confidence, e.rule, e.sentence_text, e.trigger_text,
               d.lang, d.url, d.title, d.source AS outlet, d.published
        FROM cluster_members m JOIN events e ON e.doc_id = m.doc_id AND e.event_id = m.event_id
        JOIN documents d ON d.id = m.doc_id
        WHERE m.cluster_id = ? ORDER BY m.n""", [cid]))
    return {"cluster": head[0], "members": members}
