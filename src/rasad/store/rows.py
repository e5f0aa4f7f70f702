"""A Document as table rows, built from its JSON so that every field the pipeline fills is kept.

Runs in the ingest workers: the parent only inserts. A field this schema has no column for goes
into the row's ``extra`` JSON, so a new annotation field is stored before the schema learns it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from ..doc import Document, _event_json

# table -> [(column, JSON key, DuckDB type)] after (doc_id, n); ``extra`` comes last
SPAN_TABLES: dict[str, list[tuple[str, str, str]]] = {
    "zones": [("start_char", "start", "INTEGER"), ("end_char", "end", "INTEGER"),
              ("kind", "kind", "VARCHAR")],
    "mentions": [("start_char", "start", "INTEGER"), ("end_char", "end", "INTEGER"),
                 ("text", "text", "VARCHAR"), ("kind", "kind", "VARCHAR"),
                 ("actor", "actor", "VARCHAR"), ("zone", "zone", "VARCHAR"),
                 ("rule", "rule", "VARCHAR")],
    "times": [("start_char", "start", "INTEGER"), ("end_char", "end", "INTEGER"),
              ("text", "text", "VARCHAR"), ("value", "value", "VARCHAR"),
              ("grain", "grain", "VARCHAR"), ("inferred", "inferred", "BOOLEAN"),
              ("mod", "mod", "VARCHAR"), ("zone", "zone", "VARCHAR")],
    "quantities": [("start_char", "start", "INTEGER"), ("end_char", "end", "INTEGER"),
                   ("text", "text", "VARCHAR"), ("value", "value", "DOUBLE"),
                   ("unit", "unit", "VARCHAR"), ("unit_text", "unit_text", "VARCHAR"),
                   ("mod", "mod", "VARCHAR")],
    "quotes": [("start_char", "start", "INTEGER"), ("end_char", "end", "INTEGER"),
               ("text", "text", "VARCHAR"), ("speaker", "speaker", "VARCHAR"),
               ("speaker_text", "speaker_text", "VARCHAR"), ("cue", "cue", "VARCHAR"),
               ("date", "date", "VARCHAR"), ("kind", "kind", "VARCHAR")],
}

DOCUMENT_COLUMNS: list[tuple[str, str]] = [
    ("id", "VARCHAR"), ("lang", "VARCHAR"), ("published", "VARCHAR"),
    ("published_inferred", "BOOLEAN"), ("url", "VARCHAR"), ("source", "VARCHAR"),
    ("title", "VARCHAR"), ("author", "VARCHAR"), ("origin", "VARCHAR"), ("record_id", "VARCHAR"),
    ("raw_id", "VARCHAR"), ("byline", "VARCHAR"), ("credits", "VARCHAR[]"),
    ("errors", "VARCHAR[]"), ("n_sentences", "INTEGER"), ("meta", "VARCHAR"), ("text", "VARCHAR"),
]

ACTOR_COLUMNS: list[tuple[str, str]] = [
    ("id", "VARCHAR"), ("names", "VARCHAR"), ("country", "VARCHAR"), ("sector", "VARCHAR"),
    ("kind", "VARCHAR"), ("wikidata", "VARCHAR"), ("affiliation", "VARCHAR"), ("extra", "VARCHAR"),
]

EVENT_COLUMNS: list[tuple[str, str]] = [
    ("doc_id", "VARCHAR"), ("event_id", "VARCHAR"), ("type", "VARCHAR"), ("mode", "VARCHAR"),
    ("context", "VARCHAR[]"), ("cameo", "VARCHAR"), ("goldstein", "DOUBLE"), ("quad", "INTEGER"),
    ("source_actor", "VARCHAR"), ("source_text", "VARCHAR"), ("source_country", "VARCHAR"),
    ("source_sector", "VARCHAR"), ("source_start", "INTEGER"), ("source_end", "INTEGER"),
    ("target_actor", "VARCHAR"), ("target_text", "VARCHAR"), ("target_country", "VARCHAR"),
    ("target_sector", "VARCHAR"), ("target_start", "INTEGER"), ("target_end", "INTEGER"),
    ("date", "VARCHAR"), ("date_grain", "VARCHAR"), ("date_source", "VARCHAR"),
    ("date_lo", "DATE"), ("date_hi", "DATE"),
    ("location_name", "VARCHAR"), ("location_country", "VARCHAR"), ("location_lat", "DOUBLE"),
    ("location_lon", "DOUBLE"), ("location_geonameid", "BIGINT"),
    ("location_precision", "VARCHAR"),
    ("sentence_start", "INTEGER"), ("sentence_end", "INTEGER"), ("sentence_text", "VARCHAR"),
    ("trigger_start", "INTEGER"), ("trigger_end", "INTEGER"), ("trigger_text", "VARCHAR"),
    ("negated", "BOOLEAN"), ("modality", "VARCHAR"), ("speaker", "VARCHAR"),
    ("confidence", "DOUBLE"), ("rule", "VARCHAR"), ("size", "VARCHAR"), ("extra", "VARCHAR"),
]

_EVENT_ACTOR_KEYS = ("actor", "text", "country", "sector", "start", "end")
_LOCATION_KEYS = ("name", "country", "lat", "lon", "geonameid", "precision")
_EVENT_PLAIN = ("type", "mode", "cameo", "goldstein", "quad", "date", "date_grain", "date_source",
                "negated", "modality", "speaker", "confidence", "rule")
_EVENT_HANDLED = frozenset(_EVENT_PLAIN) | {"id", "context", "source", "target", "location",
                                           "sentence", "trigger", "size"}
_ACTOR_KEYS = ("id", "name", "country", "sector", "kind", "wikidata", "affiliation")
_META_COLUMNS = ("url", "source", "title", "author", "origin", "record_id")


@dataclass(slots=True)
class DocRows:
    """Everything one document adds to the store; written in one transaction."""

    doc_id: str
    document: tuple[Any, ...]
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    actors: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    source: str | None = None  # the outlet, for counting sources per event cluster


def _dumps(value: Any) -> str | None:
    if value is None or value == {} or value == []:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def date_bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day an ISO date at any grain covers (``2024-01`` -> Jan 1..31)."""
    if not value or not isinstance(value, str):
        return None, None
    v = value.strip()
    try:
        if len(v) >= 10 and v[4] == "-" and v[7] == "-":
            d = dt.date.fromisoformat(v[:10])
            return d, d
        if len(v) == 8 and v[4:6] == "-W":
            monday = dt.date.fromisocalendar(int(v[:4]), int(v[6:8]), 1)
            return monday, monday + dt.timedelta(days=6)
        if len(v) == 7 and v[4] == "-":
            first = dt.date(int(v[:4]), int(v[5:7]), 1)
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if len(v) == 4 and v.isdigit():
            return dt.date(int(v), 1, 1), dt.date(int(v), 12, 31)
    except ValueError:
        return None, None
    return None, None


def _span_rows(doc_id: str, items: list[dict[str, Any]], spec: list[tuple[str, str, str]]) -> list[tuple[Any, ...]]:
    keys = [k for _, k, _ in spec]
    known = set(keys)
    rows = []
    for n, item in enumerate(items):
        extra = {k: v for k, v in item.items() if k not in known}
        rows.append((doc_id, n, *(item.get(k) for k in keys), _dumps(extra)))
    return rows


def event_row(doc_id: str, ev: dict[str, Any], text: str) -> tuple[Any, ...]:
    """One events-table row from an event's JSON (DESIGN's shape)."""
    extra: dict[str, Any] = {k: v for k, v in ev.items() if k not in _EVENT_HANDLED}
    out: dict[str, Any] = {"doc_id": doc_id, "event_id": str(ev.get("id"))}
    for k in _EVENT_PLAIN:
        out[k] = ev.get(k)
    out["context"] = list(ev.get("context") or [])
    for role in ("source", "target"):
        a = ev.get(role) or {}
        for k in _EVENT_ACTOR_KEYS:
            out[f"{role}_{k}"] = a.get(k)
        for k, v in a.items():
            if k not in _EVENT_ACTOR_KEYS:
                extra[f"{role}.{k}"] = v
    loc = ev.get("location") or {}
    for k in _LOCATION_KEYS:
        out[f"location_{k}"] = loc.get(k)
    for k, v in loc.items():
        if k not in _LOCATION_KEYS:
            extra[f"location.{k}"] = v
    sent = ev.get("sentence") or {}
    out["sentence_start"], out["sentence_end"] = sent.get("start"), sent.get("end")
    if out["sentence_start"] is not None and out["sentence_end"] is not None:
        out["sentence_text"] = text[out["sentence_start"]:out["sentence_end"]]
    trig = ev.get("trigger") or {}
    out["trigger_start"], out["trigger_end"] = trig.get("start"), trig.get("end")
    out["trigger_text"] = trig.get("text")
    if out["trigger_text"] is None and out["trigger_start"] is not None:
        out["trigger_text"] = text[out["trigger_start"]:out["trigger_end"]]
    out["date_lo"], out["date_hi"] = date_bounds(ev.get("date"))
    out["size"] = _dumps(ev.get("size"))
    out["extra"] = _dumps(extra)
    return tuple(out.get(c) for c, _ in EVENT_COLUMNS)


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _flat(obj: Any) -> dict[str, Any]:
    """``asdict`` for a flat annotation, several times faster."""
    cls: type = obj.__class__
    if is_dataclass(cls):
        return {n: getattr(obj, n) for n in _names(cls)}
    return dict(obj)


def _doc_json(doc: Document) -> dict[str, Any]:
    """The parts of ``Document.to_json`` the store keeps, built without deep copies."""
    return {
        "id": doc.id, "lang": doc.lang, "published": doc.published,
        "published_inferred": doc.published_inferred, "text": doc.text, "byline": doc.byline,
        "credits": list(doc.credits), "errors": list(doc.errors), "sentences": doc.sentences,
        "zones": [_flat(z) for z in doc.zones],
        "mentions": [_flat(m) for m in doc.mentions],
        "actors": [_flat(a) for a in doc.actors.values()],
        "times": [_flat(t) for t in doc.times],
        "quantities": [_flat(q) for q in doc.quantities],
        "quotes": [_flat(q) for q in doc.quotes],
        "events": [_event_json(doc, e) for e in doc.events],
    }


def doc_rows(doc: Document, raw_id: str | None = None) -> DocRows:
    """All rows for an analyzed Document."""
    data = _doc_json(doc)
    meta = doc.meta
    doc_id = data["id"]
    text = data["text"]
    other_meta = {k: v for k, v in meta.items() if k not in _META_COLUMNS and k != "raw_id"}
    document = (
        doc_id, data.get("lang"), data.get("published"), bool(data.get("published_inferred")),
        *(_str_or_none(meta.get(k)) for k in _META_COLUMNS),
        raw_id or meta.get("raw_id"), data.get("byline"), list(data.get("credits") or []),
        list(data.get("errors") or []), len(data.get("sentences") or []),
        _dumps(_jsonable(other_meta)), text,
    )
    rows = DocRows(doc_id=doc_id, document=document, source=_str_or_none(meta.get("source")))
    for table, spec in SPAN_TABLES.items():
        rows.tables[table] = _span_rows(doc_id, data.get(table) or [], spec)
    actor_ids = []
    for a in data.get("actors") or []:
        extra = {k: v for k, v in a.items() if k not in _ACTOR_KEYS}
        rows.actors.append((a["id"], _dumps(a.get("name")), a.get("country"), a.get("sector"),
                            a.get("kind"), a.get("wikidata"), a.get("affiliation"), _dumps(extra)))
        actor_ids.append(a["id"])
    rows.tables["document_actors"] = [(doc_id, aid) for aid in actor_ids]
    rows.events = [event_row(doc_id, ev, text) for ev in data.get("events") or []]
    return rows


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        try:
            json.dumps(v)
            out[k] = v
        except (TypeError, ValueError):
            out[k] = str(v)
    return out
