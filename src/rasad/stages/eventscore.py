"""A learned second look at acts the trigger rules found: is the act the news the sentence tells?

The trigger rules (``stages/events.py``) find an attack or a protest wherever a sentence reports
one happening; readers count a sentence as reporting the act only when the act is its main
predication — not when it is recalled as background (مقتل 18 شخصا في مظاهرة قبل أربعة أعوام),
named in a subordinate phrase (إثر التخطيط لتنظيم مظاهرة), a clause about what the crowd did
besides, or one of several acts in a long sentence about something else.

For the types a language's model covers (``lang/<code>/event_scorer.yaml``, trained by
``scripts/train_event_scorer.py``), each candidate event gets a score from a logistic model over
features of how the trigger stands in its sentence — noun or verb, a preposition
before it, its clause (first, relative, "that"-clause), casualties counted, a date of the last
days, its actors, the sentence's length and other acts before it. The score becomes the event's
confidence; the event is kept whatever its score (an attack recalled in passing is still an
attack), and an event from the type's threshold up is one its sentence reports as news: what a
sentence-level detector counts (``rasad eval gsr``). The event's rule id is followed by the score
and the features that weighed most for it
(``ar.protest.tazahar+score(0.81:early,crowd)``), so every event stays explainable.

Feature names are stable strings; the words behind a few of them are language data
(``event_frames.yaml``, key ``scorer``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, replace
from typing import Any

from ..doc import Event
from ..errors import ResourceError
from ..lang.loader import read_yaml
from ..match import variants, word_set
from .normalize import normalize_str

MODEL_FILE = "event_scorer.yaml"
SCORED_MARK = "+score("  # what a scored event's rule id is followed by
_LONG, _MID = 40, 25  # sentence length in tokens
_EARLY = 3  # a trigger among the first tokens of the sentence heads it
_RECENT_DAYS = 2
_REASONS = 2
_BEFORE = 3  # an onset, background or planning word this near before the trigger
# the cue kinds (event_frames.yaml, key scorer) the events stage reads for the scorer
CUE_KINDS = ("onset", "background", "plan")


@dataclass(frozen=True, slots=True)
class TypeModel:
    bias: float
    threshold: float
    weights: dict[str, float]


@dataclass(frozen=True, slots=True)
class _Cues:
    demonstratives: frozenset[str]
    recent: frozenset[str]
    definite_prefix: str


# when not None, candidate events are recorded here (type, features, event) and kept unscored:
# scripts/train_event_scorer.py collects its training data so
recording: list[tuple[str, list[str], Event]] | None = None


@functools.cache
def model(lang: str) -> dict[str, TypeModel]:
    """The scorer's weights per event type (empty when the language has no model)."""
    try:
        data = read_yaml(lang, MODEL_FILE) or {}
    except (OSError, ResourceError):
        return {}
    out = {}
    for typ, d in (data.get("types") or {}).items():
        try:
            out[str(typ)] = TypeModel(float(d["bias"]), float(d["threshold"]),
                                      {str(k): float(v) for k, v in (d.get("weights") or {}).items()})
        except (KeyError, TypeError, ValueError) as exc:
            raise ResourceError(f"lang/{lang}/{MODEL_FILE}: type {typ}: bad model ({exc}); "
                                "regenerate it with scripts/train_event_scorer.py") from None
    return out


def scored_types(lang: str) -> frozenset[str]:
    return frozenset(model(lang)) | (frozenset({"PROTEST", "ASSAULT"}) if recording is not None else frozenset())


@functools.cache
def _cues(lang: str) -> _Cues:
    frames = read_yaml(lang, "event_frames.yaml") or {}
    sc = frames.get("scorer") or {}
    conj = [normalize_str(str(c)) for c in (frames.get("future") or {}).get("conjunctions") or ()]
    recent = word_set(sc.get("recent") or ())  # looked up as whole tokens, with a conjunction or not
    return _Cues(word_set(frames.get("definite_words") or ()),
                 recent | {c + w for c in conj for w in recent}, str(frames.get("definite_prefix") or ""))


def features(s: Any, h: Any, ev: Event) -> list[str]:
    """The features of candidate event ``ev`` found by trigger ``h`` in prepared sentence ``s``
    (an ``events._Sent``)."""
    from . import events as E  # the engine's own readings of the sentence

    lang = s.doc.lang or "ar"
    cues = _cues(lang)
    rule = h.payload
    toks = s.toks
    n = len(toks)
    # the rule's id is left out on purpose: a weight per rule learns the quirks of the few
    # sentences each rule fired on; how the trigger stands carries over to unseen text
    f = [f"pos:{rule.pos}"]
    if E._nominal(s, h):
        f.append("nominal")
    if h.first > 0 and s.has(h.first - 1, "nominal") or (
            s.lex.morph.noun_proclitics and E._glued_prefix(s, h, s.lex.morph.noun_proclitics)):
        f.append("prep")
    vs = variants(toks[h.first].norm, lang)[:3]
    if cues.definite_prefix and any(v.startswith(cues.definite_prefix) for v in vs):
        f.append("definite")
    if any(0 <= k < n and toks[k].norm in cues.demonstratives for k in (h.first - 1, h.last + 1)):
        f.append("demonstrative")
    # the words just before the trigger: an onset verb, a background or a planning word
    before = {k for j in range(max(0, h.first - _BEFORE), h.first) for k in s.kinds.get(j, ())}
    if not any(s.boundary[:h.first]):
        f.append("clause0")
    if 2 * h.first > n:
        f.append("late")
    f += [k for k in CUE_KINDS if k in before]
    if h.first < _EARLY:
        f.append("early")
    c0 = s.clause_start(h.first)
    if c0 > 0 and s.has(c0 - 1, "relative"):
        f.append("relative")
    if c0 > 0 and s.has(c0 - 1, "complementizer"):
        f.append("that")
    if any(k < h.first and "reported" in v for k, v in s.kinds.items()):
        f.append("cue_before")
    if E._counts_casualties(s):
        f.append("casualties")
        if _casualties_in_clause(s, h):
            f.append("casualties_clause")
    if any(s.has(k, "light") or s.has(k, "undergo") or s.has(k, "light_noun")
           for k in range(max(0, h.first - E._LIGHT_BEFORE), min(n, h.last + 1 + E._LIGHT_AFTER))
           if not h.first <= k <= h.last):
        f.append("light")
    if _recent(s, cues, lang):
        f.append("recent")
    if ev.modality != "asserted":
        f.append(f"modality:{ev.modality}")
    if ev.location is not None:
        f.append("place")
    if ev.date_source == "sentence":
        f.append("dated")
    if ev.source is not None:
        f.append("source")
    if ev.target is not None:
        f.append("target")
    if E._crowd(s, h) is not None:
        f.append("crowd")
    if n > _LONG:
        f.append("long")
    if n > _MID:
        f.append("mid")
    earlier = [t for t in s.triggers if t.last < h.first]
    if not earlier:
        f.append("first_trigger")
    if any(t.payload.type != rule.type for t in earlier):
        f.append("other_before")
    if len(s.triggers) > 2:
        f.append("many_triggers")
    return f


def _casualties_in_clause(s: Any, h: Any) -> bool:
    """A number of victims counted in the trigger's clause (its own casualties)."""
    lo, hi = s.clause_start(h.first), s.clause_end(h.last)
    sent = s.view.sent
    from . import events as E
    return any(sent.start <= q.start < sent.end and q.unit in E._CASUALTY_UNITS
               and lo <= s.view.tok_index(q.start) <= hi for q in s.doc.quantities)


def _recent(s: Any, cues: _Cues, lang: str) -> bool:
    """A word for yesterday or today, or a date of the last days before publication."""
    if cues.recent and not cues.recent.isdisjoint(t.norm for t in s.toks):
        return True
    if not s.doc.published:
        return False
    try:
        pub = dt.date.fromisoformat(s.doc.published[:10])
    except ValueError:
        return False
    sent = s.view.sent
    for t in s.doc.times:
        if sent.start <= t.start < sent.end and len(t.value) >= 10:
            try:
                if 0 <= (pub - dt.date.fromisoformat(t.value[:10])).days <= _RECENT_DAYS:
                    return True
            except ValueError:
                continue
    return False


def score(m: TypeModel, feats: list[str]) -> tuple[float, list[str]]:
    """The model's probability and the features that weighed most for it."""
    get = m.weights.get
    weighed = [(get(x, 0.0), x) for x in feats]
    z = m.bias + sum(w for w, _ in weighed)
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    weighed.sort(reverse=True)
    return p, [x for w, x in weighed[:_REASONS] if w > 0]


def rescore(s: Any, h: Any, ev: Event) -> Event:
    """The event with the model's score as its confidence (kept whatever the score: a recalled
    attack is still an attack; a detector of reported acts keeps those from the threshold up)."""
    feats = features(s, h, ev)
    if recording is not None:
        recording.append((ev.type, feats, ev))
        return ev
    m = model(s.doc.lang or "ar").get(ev.type)
    if m is None:
        return ev
    p, top = score(m, feats)
    why = ",".join(top) or "-"
    return replace(ev, confidence=round(p, 2), rule=f"{ev.rule}{SCORED_MARK}{p:.2f}:{why})")


def threshold(lang: str, typ: str) -> float:
    """The confidence from which an event of ``typ`` is the news its sentence reports (0 when the
    type is not scored): what a sentence-level detector counts."""
    m = model(lang).get(typ)
    return m.threshold if m is not None else 0.0


def reported(ev: Event, lang: str) -> bool:
    """Whether the event is news its sentence reports: scored from its type's threshold up, or
    not scored at all (a type with no model, a language with none)."""
    return SCORED_MARK not in ev.rule or ev.confidence >= threshold(lang, ev.type)
