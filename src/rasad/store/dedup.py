"""Event deduplication: the mentions of one real-world event become one cluster.

Like GDELT's Events and Mentions tables: ``events`` holds every event found in an article (a
mention), ``event_clusters`` the real-world events, ``cluster_members`` which mention belongs to
which cluster and why. A mention joins a cluster when it is compatible with *every* member
(complete linkage, kept cheap by a per-cluster profile):

- same PLOVER type, same polarity (negated or not) and factuality (asserted/reported vs
  intended/hypothetical);
- source and target compatible: same country and sector, or one side unknown — actors are
  language-independent codes, so Arabic and English reports merge;
- dates within a window (±2 days at day grain), or inside the coarser member's month/week;
  year-grain dates only merge with year-grain dates of the same year;
- places compatible: same country when both are known, same place when both are cities;
- and at least one anchor known on both sides and equal (a source or target country, or the
  place), so two unrelated events with unknown actors never merge.

The best compatible cluster wins (highest score, then the oldest); otherwise the mention founds
a new cluster. Incremental: clusters live in the database and later ingests join them. Every
membership stores the reason it was given, shown by ``rasad events --explain ID``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

WINDOW_DAYS = 2
# a coarse date (week, month) merges with day-grain ones; a year is too vague to
MAX_COARSE_DAYS = 31
# types where "A met B" and "B met A" report the same event
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE"})
FACTUAL_MODALITIES = frozenset({"asserted", "reported"})


@dataclass(slots=True)
class Mention:
    """What dedup needs of one event row."""

    doc_id: str
    event_id: str
    type: str
    source_country: str | None
    source_sector: str | None
    target_country: str | None
    target_sector: str | None
    date: str | None
    date_lo: dt.date | None
    date_hi: dt.date | None
    location_name: str | None
    location_country: str | None
    location_geonameid: int | None
    location_precision: str | None
    negated: bool
    factual: bool
    confidence: float

    @property
    def is_day(self) -> bool:
        return self.date_lo is not None and self.date_lo == self.date_hi

    @property
    def is_year(self) -> bool:
        return (self.date_lo is not None and self.date_hi is not None
                and (self.date_hi - self.date_lo).days > MAX_COARSE_DAYS)

    @property
    def has_anchor(self) -> bool:
        return bool(self.source_country or self.target_country or self._place_id())

    def _place_id(self) -> int | None:
        return self.location_geonameid if self.location_precision != "country" else None


@dataclass(slots=True)
class Cluster:
    id: str
    seq: int
    type: str
    rep_doc: str
    rep_event: str
    source_country: str | None
    source_sector: str | None
    target_country: str | None
    target_sector: str | None
    location_country: str | None
    location_geonameid: int | None
    location_name: str | None
    day_min: dt.date | None
    day_max: dt.date | None
    coarse_lo: dt.date | None
    coarse_hi: dt.date | None
    span_lo: dt.date | None
    span_hi: dt.date | None
    negated: bool
    factual: bool
    n_members: int
    rep_confidence: float


CLUSTER_COLUMNS = [f.name for f in fields(Cluster)]
CLUSTER_TYPES = {
    "id": "VARCHAR", "seq": "BIGINT", "type": "VARCHAR", "rep_doc": "VARCHAR",
    "rep_event": "VARCHAR", "source_country": "VARCHAR", "source_sector": "VARCHAR",
    "target_country": "VARCHAR", "target_sector": "VARCHAR", "location_country": "VARCHAR",
    "location_geonameid": "BIGINT", "location_name": "VARCHAR", "day_min": "DATE",
    "day_max": "DATE", "coarse_lo": "DATE", "coarse_hi": "DATE", "span_lo": "DATE",
    "span_hi": "DATE", "negated": "BOOLEAN", "factual": "BOOLEAN", "n_members": "INTEGER",
    "rep_confidence": "DOUBLE",
}


def cluster_id(doc_id: str, event_id: str) -> str:
    """A cluster is named after its founding mention, so reruns name it the same."""
    return hashlib.blake2b(f"{doc_id}:{event_id}".encode(), digest_size=8).hexdigest()


def mention_from_row(row: dict[str, Any]) -> Mention:
    return Mention(
        doc_id=row["doc_id"], event_id=row["event_id"], type=row["type"] or "",
        source_country=row["source_country"], source_sector=row["source_sector"],
        target_country=row["target_country"], target_sector=row["target_sector"],
        date=row["date"], date_lo=row["date_lo"], date_hi=row["date_hi"],
        location_name=row["location_name"], location_country=row["location_country"],
        location_geonameid=row["location_geonameid"],
        location_precision=row["location_precision"],
        negated=bool(row["negated"]),
        factual=(row["modality"] or "asserted") in FACTUAL_MODALITIES,
        confidence=float(row["confidence"] if row["confidence"] is not None else 0.5),
    )


def _code(country: str | None, sector: str | None) -> str:
    if not country and not sector:
        return "unknown"
    return f"{country or '?'}·{sector or '?'}"


def _actor_match(role: str, mc: str | None, ms: str | None, cc: str | None, cs: str | None
                 ) -> tuple[float, bool, str] | None:
    """(score, anchored, why) when a mention's actor fits the cluster's, else None."""
    if mc and cc and mc != cc:
        return None
    if ms and cs and ms != cs:
        return None
    score = (2.0 if mc and mc == cc else 0.0) + (1.0 if ms and ms == cs else 0.0)
    anchored = bool(mc and mc == cc)
    mine, theirs = _code(mc, ms), _code(cc, cs)
    if mine == theirs:
        why = f"{role} {mine} = {theirs}" if mine != "unknown" else f"{role} unknown on both sides"
    else:
        why = f"{role} {mine} fits {theirs}"
    return score, anchored, why


def _fmt_range(lo: dt.date, hi: dt.date) -> str:
    return lo.isoformat() if lo == hi else f"{lo.isoformat()}…{hi.isoformat()}"


def _date_match(m: Mention, c: Cluster, window: int) -> tuple[float, str] | None:
    if m.date_lo is None or m.date_hi is None or c.span_lo is None:
        return None
    if m.is_year or (c.coarse_lo and c.coarse_hi and (c.coarse_hi - c.coarse_lo).days > MAX_COARSE_DAYS):
        # a year only merges with the same year, never with days or months
        ok = (m.is_year and c.day_min is None and c.coarse_lo == m.date_lo and c.coarse_hi == m.date_hi)
        return (0.5, f"same year {m.date}") if ok else None
    if m.is_day:
        d = m.date_lo
        gap = 0
        if c.day_min is not None and c.day_max is not None:
            lo, hi = min(c.day_min, d), max(c.day_max, d)
            if (hi - lo).days > window:
                return None
            gap = max((c.day_min - d).days, (d - c.day_max).days, 0)
        if c.coarse_lo is not None and c.coarse_hi is not None and not (c.coarse_lo <= d <= c.coarse_hi):
            return None
        if c.day_min is not None and c.day_max is not None:
            why = f"date {m.date} within {window} days of {_fmt_range(c.day_min, c.day_max)}"
        else:
            why = f"date {m.date} inside {_fmt_range(c.coarse_lo or d, c.coarse_hi or d)}"
        return 1.0 - gap / (window + 1), why
    # a week or a month: it must hold every day-grain member and overlap the coarse ones
    lo, hi = m.date_lo, m.date_hi
    if c.day_min is not None and c.day_max is not None and not (lo <= c.day_min and c.day_max <= hi):
        return None
    if c.coarse_lo is not None and c.coarse_hi is not None and max(lo, c.coarse_lo) > min(hi, c.coarse_hi):
        return None
    return 0.5, f"date {m.date} covers {_fmt_range(c.span_lo, c.span_hi or c.span_lo)}"


def _place_match(m: Mention, c: Cluster) -> tuple[float, bool, str] | None:
    if m.location_country and c.location_country and m.location_country != c.location_country:
        return None
    mine = m._place_id()
    if mine is not None and c.location_geonameid is not None:
        if mine != c.location_geonameid:
            return None
        return 2.0, True, f"place {m.location_name or mine} = {c.location_name or mine}"
    if m.location_country and m.location_country == c.location_country:
        return 0.5, False, f"place in {m.location_country} on both sides"
    if m.location_country or c.location_country:
        return 0.0, False, "place known on one side only"
    return 0.0, False, ""


def match(m: Mention, c: Cluster, window: int = WINDOW_DAYS) -> tuple[float, str, bool] | None:
    """(score, reason, swapped) when mention ``m`` may join cluster ``c``, else None."""
    if m.type != c.type or m.negated != c.negated or m.factual != c.factual:
        return None
    date = _date_match(m, c, window)
    if date is None:
        return None
    place = _place_match(m, c)
    if place is None:
        return None
    best: tuple[float, str, bool] | None = None
    orders = [False, True] if m.type in SYMMETRIC_TYPES else [False]
    for swapped in orders:
        sc, ss, tc, ts = ((m.target_country, m.target_sector, m.source_country, m.source_sector)
                          if swapped else
                          (m.source_country, m.source_sector, m.target_country, m.target_sector))
        src = _actor_match("source", sc, ss, c.source_country, c.source_sector)
        tgt = _actor_match("target", tc, ts, c.target_country, c.target_sector)
        if src is None or tgt is None:
            continue
        if not (src[1] or tgt[1] or place[1]):
            continue  # nothing known and equal on both sides: too weak to merge
        score = src[0] + tgt[0] + place[0] + date[0]
        parts = [f"same type {m.type}", src[2], tgt[2], date[1]]
        if place[2]:
            parts.append(place[2])
        if swapped:
            parts.append(f"source and target swapped ({m.type} is symmetric)")
        if m.negated:
            parts.append("both negated")
        reason = "; ".join(parts)
        if best is None or score > best[0]:
            best = (score, reason, swapped)
    return best


def found(m: Mention, seq: int) -> Cluster:
    day = m.is_day
    return Cluster(
        id=cluster_id(m.doc_id, m.event_id), seq=seq, type=m.type, rep_doc=m.doc_id,
        rep_event=m.event_id, source_country=m.source_country, source_sector=m.source_sector,
        target_country=m.target_country, target_sector=m.target_sector,
        location_country=m.location_country, location_geonameid=m._place_id(),
        location_name=m.location_name if m._place_id() is not None else None,
        day_min=m.date_lo if day else None, day_max=m.date_hi if day else None,
        coarse_lo=None if day else m.date_lo, coarse_hi=None if day else m.date_hi,
        span_lo=m.date_lo, span_hi=m.date_hi, negated=m.negated, factual=m.factual,
        n_members=1, rep_confidence=m.confidence,
    )


def join(c: Cluster, m: Mention, swapped: bool = False) -> None:
    """Fold a compatible mention into the cluster's profile."""
    sc, ss, tc, ts = ((m.target_country, m.target_sector, m.source_country, m.source_sector)
                      if swapped else
                      (m.source_country, m.source_sector, m.target_country, m.target_sector))
    c.source_country = c.source_country or sc
    c.source_sector = c.source_sector or ss
    c.target_country = c.target_country or tc
    c.target_sector = c.target_sector or ts
    c.location_country = c.location_country or m.location_country
    if c.location_geonameid is None and m._place_id() is not None:
        c.location_geonameid, c.location_name = m._place_id(), m.location_name
    if m.date_lo is not None and m.date_hi is not None:
        if m.is_day:
            c.day_min = m.date_lo if c.day_min is None else min(c.day_min, m.date_lo)
            c.day_max = m.date_hi if c.day_max is None else max(c.day_max, m.date_hi)
        else:
            c.coarse_lo = m.date_lo if c.coarse_lo is None else max(c.coarse_lo, m.date_lo)
            c.coarse_hi = m.date_hi if c.coarse_hi is None else min(c.coarse_hi, m.date_hi)
        c.span_lo = m.date_lo if c.span_lo is None else min(c.span_lo, m.date_lo)
        c.span_hi = m.date_hi if c.span_hi is None else max(c.span_hi, m.date_hi)
    c.n_members += 1
    if m.confidence > c.rep_confidence:
        c.rep_doc, c.rep_event, c.rep_confidence = m.doc_id, m.event_id, m.confidence


class Deduper:
    """Assigns mentions to clusters, reading and writing clusters through one connection."""

    def __init__(self, con: Any, window_days: int = WINDOW_DAYS) -> None:
        self.con = con
        self.window = window_days

    def _next_seq(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(seq), 0) FROM event_clusters").fetchone()[0]) + 1

    def _candidates(self, mentions: list[Mention]) -> list[Cluster]:
        """The stored clusters a mention could join: same type, dates within the window, and a
        key in common (source, target — either way for symmetric types — or place), as
        ``assign`` requires; so the read stays small however large the store grows."""
        types, los, his, years, srcs, tgts, places, syms = [], [], [], [], [], [], [], []
        pad = dt.timedelta(days=self.window)
        for m in mentions:
            if m.date_lo is None or m.date_hi is None or not m.has_anchor:
                continue
            types.append(m.type)
            if m.is_year:
                los.append(m.date_lo)
                his.append(m.date_hi)
                years.append(True)
            else:
                los.append(m.date_lo - pad)
                his.append(m.date_hi + pad)
                years.append(False)
            srcs.append(m.source_country)
            tgts.append(m.target_country)
            places.append(m._place_id())
            syms.append(m.type in SYMMETRIC_TYPES)
        if not types:
            return []
        cols = ", ".join(f"c.{c}" for c in CLUSTER_COLUMNS)
        rows = self.con.execute(
            f"""SELECT DISTINCT {cols} FROM event_clusters c JOIN (
                  SELECT unnest(?::VARCHAR[]) AS t, unnest(?::DATE[]) AS lo,
                         unnest(?::DATE[]) AS hi, unnest(?::BOOLEAN[]) AS y,
                         unnest(?::VARCHAR[]) AS src, unnest(?::VARCHAR[]) AS tgt,
                         unnest(?::BIGINT[]) AS place, unnest(?::BOOLEAN[]) AS sym) w
                ON c.type = w.t AND c.span_hi >= w.lo AND c.span_lo <= w.hi
                   AND (NOT w.y OR (c.day_min IS NULL AND c.coarse_lo = w.lo AND c.coarse_hi = w.hi))
                   AND (c.source_country = w.src OR c.target_country = w.tgt
                        OR (w.sym AND (c.target_country = w.src OR c.source_country = w.tgt))
                        OR c.location_geonameid = w.place)
                ORDER BY c.seq""",
            [types, los, his, years, srcs, tgts, places, syms],
        ).fetchall()
        return [Cluster(*r) for r in rows]

    def assign(self, mentions: list[Mention]) -> tuple[list[tuple[Any, ...]], list[Cluster], set[str]]:
        """Cluster ``mentions`` in order: (member rows, touched clusters, ids of old clusters touched)."""
        if not mentions:
            return [], [], set()
        clusters = self._candidates(mentions)
        old_ids = {c.id for c in clusters}
        index: dict[tuple[str, str, Any], dict[str, Cluster]] = defaultdict(dict)

        def add(c: Cluster) -> None:
            for key in _keys(c.type, c.source_country, c.target_country, c.location_geonameid):
                index[key][c.id] = c

        for c in clusters:
            add(c)
        seq = self._next_seq()
        touched: dict[str, Cluster] = {}
        members: list[tuple[Any, ...]] = []
        for m in mentions:
            best: tuple[float, int, Cluster, str, bool] | None = None
            if m.date_lo is not None and m.has_anchor:
                seen: set[str] = set()
                for key in _keys(m.type, m.source_country, m.target_country, m._place_id(),
                                 symmetric=m.type in SYMMETRIC_TYPES):
                    for c in index.get(key, {}).values():
                        if c.id in seen:
                            continue
                        seen.add(c.id)
                        r = match(m, c, self.window)
                        if r is not None and (best is None or (r[0], -c.seq) > (best[0], -best[1])):
                            best = (r[0], c.seq, c, r[1], r[2])
            if best is None:
                c = found(m, seq)
                seq += 1
                members.append((m.doc_id, m.event_id, c.id, 1, None, "founded the cluster"))
            else:
                score, _, c, reason, swapped = best
                join(c, m, swapped=swapped)
                members.append((m.doc_id, m.event_id, c.id, c.n_members, round(score, 3), reason))
            touched[c.id] = c
            add(c)  # a profile filled in may open new keys
        return members, list(touched.values()), old_ids & set(touched)


def _keys(type_: str, src: str | None, tgt: str | None, place: Any, symmetric: bool = False
          ) -> list[tuple[str, str, Any]]:
    keys = []
    if src:
        keys.append((type_, "s", src))
    if tgt:
        keys.append((type_, "t", tgt))
    if symmetric:
        if src:
            keys.append((type_, "t", src))
        if tgt:
            keys.append((type_, "s", tgt))
    if place is not None:
        keys.append((type_, "p", place))
    return keys
