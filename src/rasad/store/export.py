"""Exports: PLOVER JSONL, CSV, Parquet and a GDELT-shaped table.

By default one record per real-world event (an event cluster) with the number of mentions,
articles and sources that reported it; ``mentions=True`` writes one record per event found in
an article instead (PLOVER ``link`` then holds the cluster id).

PLOVER JSONL uses the field names of the PLOVER manual (ch. 6, "Data Fields"): ``id, date,
enddate, actor, recipient, event, mode, context, event_loc, event_text, quad_code, text,
text_info, cite_info, coder, link``; entities are ``{code, sector, entity_text, identifier_id,
identifier_text}``. rasad's own fields are added beside them (``cameo, goldstein, negated,
modality, confidence, rule, date_grain, num_mentions, num_articles, num_sources, mentions``).

The GDELT-shaped table (tab-separated with a header line, or Parquet when the file name ends in
``.parquet``) has GDELT 2.0's event columns; country codes are ISO 3166 alpha-3 (GDELT's
ActionGeo_CountryCode is FIPS 10-4), AvgTone is empty, PLOVER_EventType is added at the end.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError
from .db import Store
from .query import Filters, cluster_sql, mention_sql

FORMATS = ("plover-jsonl", "csv", "parquet", "gdelt")
CODER = f"rasad {__version__}"

_GEO_TYPE = {"country": 1, "region": 5, "city": 4}


def _entity(r: dict[str, Any], role: str, names: dict[str, Any]) -> list[dict[str, Any]]:
    country, sector, text = r.get(f"{role}_country"), r.get(f"{role}_sector"), r.get(f"{role}_text")
    actor = r.get(f"{role}_actor")
    if not (country or sector or text or actor):
        return []
    ent: dict[str, Any] = {"code": country, "sector": sector, "entity_text": text}
    wikidata = names.get(f"{role}_wikidata")
    if wikidata or actor:
        ent["identifier_id"] = wikidata or actor
        name = names.get(f"{role}_names") or {}
        ent["identifier_text"] = name.get("en") or next(iter(name.values()), None) if name else None
    return [ent]


def _dates(r: dict[str, Any]) -> tuple[str | None, str | None]:
    lo, hi = r.get("date_lo"), r.get("date_hi")
    if lo is None:
        return None, None
    return lo.isoformat(), (hi.isoformat() if hi is not None and hi != lo else None)


def plover_record(r: dict[str, Any], names: dict[str, Any], mention_level: bool = False) -> dict[str, Any]:
    """One PLOVER record from a cluster (or mention) row."""
    date, enddate = _dates(r)
    loc = None
    if r.get("location_name") or r.get("location_country"):
        loc = {"extracted_place": r.get("location_name"), "resolved_place": r.get("location_name"),
               "geonameid": r.get("location_geonameid"), "lat": r.get("location_lat"),
               "lon": r.get("location_lon"), "country_code": r.get("location_country")}
    rec: dict[str, Any] = {
        "id": f"{r['doc_id']}-{r['event_id']}" if mention_level else r["id"],
        "has_event": True,
        "date": date,
    }
    if enddate:
        rec["enddate"] = enddate
    triggers = r.get("triggers") if not mention_level else [r.get("trigger_text")]
    rec.update({
        "actor": _entity(r, "source", names),
        "recipient": _entity(r, "target", names),
        "event": [r["type"]],
        "mode": [r["mode"]] if r.get("mode") else [],
        "context": list(r.get("context") or []),
        "event_loc": loc,
        "event_text": [t for t in (triggers or []) if t],
        "quad_code": r.get("quad"),
        "text": r.get("sentence_text"),
        "text_info": {"start": r.get("sentence_start"), "end": r.get("sentence_end"),
                      "text": r.get("sentence_text")},
        "cite_info": {"citation": r.get("doc_id"), "url": r.get("url"), "title": r.get("title"),
                      "language": r.get("lang"), "publication": r.get("outlet"), "coder": CODER,
                      "codebook": "plover"},
        "coder": CODER,
    })
    if mention_level:
        rec["link"] = r.get("cluster_id")
    rec.update({
        "cameo": r.get("cameo"), "goldstein": r.get("goldstein"), "negated": r.get("negated"),
        "modality": r.get("modality"), "confidence": r.get("confidence"), "rule": r.get("rule"),
        "date_grain": r.get("date_grain"),
    })
    if not mention_level:
        rec.update({"num_mentions": r.get("num_mentions"), "num_articles": r.get("num_articles"),
                    "num_sources": r.get("num_sources")})
        if "members" in r:
            rec["mentions"] = [{"doc_id": m["doc_id"], "event_id": m["event_id"], "url": m["url"],
                                "language": m["lang"], "date": m["date"], "event_text": m["trigger"]}
                               for m in r["members"] or []]
    return rec


def _actor_names(store: Store, ids: set[str]) -> dict[str, tuple[str | None, dict[str, Any]]]:
    if not ids:
        return {}
    rows = store.con.execute("SELECT id, wikidata, names FROM actors WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                             [sorted(ids)]).fetchall()
    return {i: (w, json.loads(n) if n else {}) for i, w, n in rows}


def _write_jsonl(store: Store, sql: str, params: list[Any], out: Path, mention_level: bool) -> int:
    cur = store.con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        while True:
            chunk = cur.fetchmany(1000)
            if not chunk:
                break
            rows = [dict(zip(cols, r, strict=True)) for r in chunk]
            ids = {r[k] for r in rows for k in ("source_actor", "target_actor") if r.get(k)}
            actors = _actor_names(store, ids)
            for r in rows:
                names: dict[str, Any] = {}
                for role in ("source", "target"):
                    w, nm = actors.get(r.get(f"{role}_actor") or "", (None, {}))
                    names[f"{role}_wikidata"], names[f"{role}_names"] = w, nm
                fh.write(json.dumps(plover_record(r, names, mention_level), ensure_ascii=False,
                                    default=_json_default))
                fh.write("\n")
                n += 1
    return n


def _json_default(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    raise TypeError(type(v).__name__)


def gdelt_sql(f: Filters) -> tuple[str, list[Any]]:
    """A GDELT 2.0-shaped event table (one row per event cluster)."""
    inner, params = cluster_sql(f)
    geo_type = " ".join(f"WHEN '{k}' THEN {v}" for k, v in _GEO_TYPE.items())
    sql = f"""
    SELECT q.id AS GLOBALEVENTID,
           CAST(strftime(q.date_lo, '%Y%m%d') AS INTEGER) AS SQLDATE,
           CAST(strftime(q.date_lo, '%Y%m') AS INTEGER) AS MonthYear,
           year(q.date_lo) AS Year,
           round(year(q.date_lo) + (dayofyear(q.date_lo) - 1) / 365.0, 4) AS FractionDate,
           nullif(concat(q.source_country, q.source_sector), '') AS Actor1Code,
           q.source_text AS Actor1Name, q.source_country AS Actor1CountryCode,
           q.source_sector AS Actor1Type1Code,
           nullif(concat(q.target_country, q.target_sector), '') AS Actor2Code,
           q.target_text AS Actor2Name, q.target_country AS Actor2CountryCode,
           q.target_sector AS Actor2Type1Code,
           1 AS IsRootEvent,
           q.cameo AS EventCode, left(q.cameo, 3) AS EventBaseCode, left(q.cameo, 2) AS EventRootCode,
           q.quad AS QuadClass, q.goldstein AS GoldsteinScale,
           q.num_mentions AS NumMentions, q.num_sources AS NumSources, q.num_articles AS NumArticles,
           CAST(NULL AS DOUBLE) AS AvgTone,
           CASE q.location_precision {geo_type} ELSE NULL END AS ActionGeo_Type,
           q.location_name AS ActionGeo_FullName, q.location_country AS ActionGeo_CountryCode,
           q.location_lat AS ActionGeo_Lat, q.location_lon AS ActionGeo_Long,
           q.location_geonameid AS ActionGeo_FeatureID,
           CAST(q.date_added AS BIGINT) AS DATEADDED, q.url AS SOURCEURL,
           q.type AS PLOVER_EventType
    FROM ({inner}) q"""
    return sql, params


def _copy(store: Store, sql: str, params: list[Any], out: Path, options: str) -> int:
    con = store.con
    con.execute("DROP TABLE IF EXISTS _rasad_export")
    con.execute(f"CREATE TEMP TABLE _rasad_export AS {sql}", params)
    try:
        n = int(con.execute("SELECT count(*) FROM _rasad_export").fetchone()[0])
        target = str(out).replace("'", "''")
        con.execute(f"COPY _rasad_export TO '{target}' ({options})")
    finally:
        con.execute("DROP TABLE IF EXISTS _rasad_export")
    return n


def export(store: Store, fmt: str, out: str | Path, f: Filters | None = None, *,
           mentions: bool = False) -> int:
    """Write the events matching ``f`` to ``out`` in format ``fmt``; returns the record count."""
    f = f or Filters()
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    path = Path(out)
    if not path.parent.exists():
        raise InputError(f"cannot write '{out}': the folder '{path.parent}' does not exist")
    if fmt == "plover-jsonl":
        sql, params = mention_sql(f) if mentions else cluster_sql(f, members=True)
        return _write_jsonl(store, sql, params, path, mentions)
    if fmt == "gdelt":
        if mentions:
            raise InputError("the GDELT table has one row per event; drop --mentions")
        sql, params = gdelt_sql(f)
        if path.suffix.lower() == ".parquet":
            return _copy(store, sql, params, path, "FORMAT PARQUET")
        return _copy(store, sql, params, path, "FORMAT CSV, HEADER, DELIMITER '\t'")
    sql, params = mention_sql(f) if mentions else cluster_sql(f)
    if not mentions:
        sql = f"SELECT * EXCLUDE (seq) FROM ({sql})"
    if fmt == "parquet":
        return _copy(store, sql, params, path, "FORMAT PARQUET")
    return _copy(store, sql, params, path, "FORMAT CSV, HEADER")
