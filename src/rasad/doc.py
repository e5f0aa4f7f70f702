"""The Document and its annotations.

A Document owns ``text``; every annotation is a span of character offsets into it, so
``doc.text[a.start:a.end]`` is its surface form. Nothing is ever deleted: cleaning labels
zones, matching runs on a normalized view (``norm_text``) with ``norm_map`` back to ``text``.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")

__all__ = [
    "Actor", "Document", "Event", "EventActor", "Location", "Mention", "Quantity", "Quote",
    "Sentence", "TimeExpr", "Token", "Zone",
]


@dataclass(frozen=True, slots=True)
class Zone:
    start: int
    end: int
    kind: str  # body | title | caption | byline | credit | boilerplate


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


class Token(NamedTuple):
    """A word or punctuation mark; ``norm`` is its matching form (normalized, lower-cased).

    A named tuple rather than a dataclass: an article has hundreds, made on the hot path.
    """

    start: int
    end: int
    norm: str


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: dict[str, str]
    country: str | None = None
    sector: str | None = None
    kind: str = "actor"  # country | organisation | person | group | place | actor
    wikidata: str | None = None
    affiliation: str | None = None  # ISO3 of a state an armed group is aligned with


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    kind: str
    actor: str | None = None
    zone: str = "body"
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    value: str  # ISO 8601 at its grain: 2024-01-08, 2023-12, 2014, 2024-W02
    grain: str  # day | week | month | year
    inferred: bool = False  # the year (or the whole value) was inferred, not written
    mod: str | None = None  # early | mid | late
    zone: str = "body"


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float | int
    unit: str | None = None  # troops, people, dead, injured, arrested, ...
    unit_text: str | None = None
    mod: str | None = None  # about | at_least | at_most | vague (value is then a lower bound)


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None = None  # actor id
    speaker_text: str | None = None
    cue: str | None = None
    date: str | None = None
    kind: str = "direct"  # direct | indirect


@dataclass(frozen=True, slots=True)
class EventActor:
    actor: str | None
    text: str
    country: str | None = None
    sector: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str = "country"  # city | region | country


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None
    goldstein: float | None
    quad: int | None
    source: EventActor | None
    target: EventActor | None
    date: str | None
    date_grain: str | None
    location: Location | None
    sentence: Sentence
    trigger: Sentence  # a span; its text is read from the document when serialised
    negated: bool = False
    modality: str = "asserted"
    speaker: str | None = None
    confidence: float = 0.5
    rule: str = ""
    date_source: str = "published"  # clause | sentence | quote | published
    size: dict[str, int] | None = None


def _span_json(doc: Document, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": doc.text[start:end]}


@dataclass
class Document:
    """A news text and everything rasad found in it."""

    text: str
    lang: str | None = None
    published: str | None = None
    published_inferred: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    zones: list[Zone] = field(default_factory=list)
    byline: str | None = None
    credits: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    times: list[TimeExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    norm_text: str = ""
    norm_map: list[int] | None = None  # norm_text index -> text index; None: identity
    errors: list[str] = field(default_factory=list)
    # what stages derive from the annotations and share (sentence views ...): never serialised
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def derived(self, key: str, deps: tuple[Any, ...], build: Callable[[], T]) -> T:
        """``build()``, kept on the document until one of ``deps`` (annotation lists) is replaced
        or changes length."""
        lens = tuple(map(len, deps))
        hit = self._cache.get(key)
        if hit is not None and hit[1] == lens and all(map(operator.is_, hit[0], deps)):
            return hit[2]
        value = build()
        self._cache[key] = (deps, lens, value)
        return value

    # -- offsets -------------------------------------------------------------------------
    def to_text_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``norm_text`` back to ``text``."""
        m = self.norm_map
        if m is None:
            return start, end
        if start >= len(m):
            return len(self.text), len(self.text)
        if end <= start:
            return m[start], m[start]
        # characters deleted right after the span (a word's final tanween, a tatweel) stay
        # with it: the span runs to the next character the matching view kept
        # (a ligature expands to several characters of one source character: never less than it)
        return m[start], max(m[end] if end < len(m) else len(self.text), m[end - 1] + 1)

    def zone_at(self, pos: int) -> str:
        """The kind of zone that holds character ``pos`` (``body`` when none does)."""
        for z in self.zones:
            if z.start <= pos < z.end and z.kind != "body":
                return z.kind
        return "body"

    def sentence_at(self, pos: int) -> Sentence | None:
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if s.end <= pos:
                lo = mid + 1
            elif s.start > pos:
                hi = mid
            else:
                return s
        return None

    # -- JSON ----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The document as DESIGN's JSON (the keys tools and tests rely on)."""
        text = self.text
        return {
            "id": self.id,
            "lang": self.lang,
            "published": self.published,
            "published_inferred": self.published_inferred,
            "meta": {k: self.meta.get(k) for k in ("url", "source", "title", "author")},
            "text": text,
            "zones": [asdict(z) for z in self.zones],
            "byline": self.byline,
            "credits": list(self.credits),
            "sentences": [asdict(s) for s in self.sentences],
            "mentions": [asdict(m) for m in self.mentions],
            "actors": [asdict(a) for a in self.actors.values()],
            "times": [asdict(t) for t in self.times],
            "quantities": [asdict(q) for q in self.quantities],
            "quotes": [asdict(q) for q in self.quotes],
            "events": [_event_json(self, e) for e in self.events],
            "errors": list(self.errors),
        }

    def dumps(self, indent: int | None = None) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from ``to_json`` output."""
        doc = cls(
            text=data["text"], lang=data.get("lang"), published=data.get("published"),
            published_inferred=bool(data.get("published_inferred")),
            meta={k: v for k, v in (data.get("meta") or {}).items() if v is not None},
            id=data.get("id") or "",
        )
        doc.zones = [Zone(**z) for z in data.get("zones", [])]
        doc.byline = data.get("byline")
        doc.credits = list(data.get("credits", []))
        doc.sentences = [Sentence(**s) for s in data.get("sentences", [])]
        doc.mentions = [Mention(**m) for m in data.get("mentions", [])]
        doc.actors = {a["id"]: Actor(**a) for a in data.get("actors", [])}
        doc.times = [TimeExpr(**t) for t in data.get("times", [])]
        doc.quantities = [Quantity(**q) for q in data.get("quantities", [])]
        doc.quotes = [Quote(**q) for q in data.get("quotes", [])]
        doc.events = [_event_from_json(e) for e in data.get("events", [])]
        doc.errors = list(data.get("errors", []))
        return doc


def content_id(text: str) -> str:
    """A stable id from the content: the same text always gets the same id."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _actor_json(a: EventActor | None) -> dict[str, Any] | None:
    return None if a is None else asdict(a)


def _event_json(doc: Document, e: Event) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(Event):
        v = getattr(e, f.name)
        if f.name in ("source", "target"):
            v = _actor_json(v)
        elif f.name == "sentence":
            v = {"start": v.start, "end": v.end}
        elif f.name == "trigger":
            v = _span_json(doc, v.start, v.end)
        elif f.name == "location":
            v = None if v is None else asdict(v)
        elif f.name == "context":
            v = list(v)
        out[f.name] = v
    return out


def _event_from_json(d: dict[str, Any]) -> Event:
    d = dict(d)
    d["source"] = EventActor(**d["source"]) if d.get("source") else None
    d["target"] = EventActor(**d["target"]) if d.get("target") else None
    d["location"] = Location(**d["location"]) if d.get("location") else None
    d["sentence"] = Sentence(d["sentence"]["start"], d["sentence"]["end"])
    d["trigger"] = Sentence(d["trigger"]["start"], d["trigger"]["end"])
    d["context"] = tuple(d.get("context") or ())
    names = {f.name for f in fields(Event)}
    return Event(**{k: v for k, v in d.items() if k in names})
