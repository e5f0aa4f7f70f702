"""events: PLOVER events from trigger words, with actors, negation, modality, date and place.

For each body sentence, triggers from the language's lexicon (``lang/<code>/events.yaml``) are
found on clitic-stripped tokens; each trigger's frame says where its source and target stand
(``lang/<code>/event_frames.yaml`` holds the small words that tie them: prepositions, clause
boundaries). Precision comes first: a negated trigger is not an event (a negated intention is
a REJECT), the content of a request is not an event of its own, and nothing is coded from
captions, bylines or boilerplate.

An act is coded only when the sentence reports it happening. A verbal noun (هجوم، اغتيال،
مظاهرة) needs an anchor — casualties counted, a date right after it, or a verb next to it that
reports it (اندلعت، وقع، تعرض) — and is no event when a topic noun governs it (جريمة اغتيال X،
وقف إطلاق الصواريخ). An act an actor says it will or would do (on a condition) is its promise
or threat, not the act: AGREE for cooperation, CONCEDE for a retreat, THREATEN for force
(PLOVER manual 3.1, 3.4); what may happen or is asked about is dropped; an attack or protest verb
in a relative clause (الذي اغتيل) or the imperfect (يقتلون) describes or tells a habit; an act
dated more than a year before publication is history. Protests and bombings often name no
political actor: a crowd (تظاهر آلاف) is then the source, and an attack counting victims needs no
actor at all (rules marked ``actorless``).

Arguments follow word order and a few constructions: passives (was killed by, officials accused
of), the counted victims of an unmarked passive (قتل خمسة جنود, ten soldiers killed in), the two
sides after "between", coordinated subjects of a reciprocal event (X and Y met: X acts on Y),
a direct object or the subject of a "that"-clause as target, and "Y must …" said by X as X's
demand of Y. A verb of denial negates the clause after its subject (نفى المتحدث … أن).
A side that names no state takes a country from the words next to it or from the place: the
nationality on an attacker's weapon (ضربة جوية أميركية) or beside a crowd (متظاهرون أفغان), and,
where a language's frames say so, the country of the act's place for unnamed protesters and
for the target of a protest or an attack. Where a language has an event scorer
(``eventscore.py``), its protests and attacks get a learned confidence: how surely the act is
the news its sentence reports rather than background.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from .. import ontology, places
from ..doc import Document, Event, EventActor, Location, Mention, Sentence, Token
from ..errors import ResourceError
from ..lang.loader import read_tsv, read_yaml
from ..match import Hit, PhraseIndex, has_variant, variants, word_set
from ..pipeline import stage
from . import eventscore
from .normalize import normalize_str
from .quotes import SentenceView, sentence_views, token_forms

PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST "
    "SANCTION MOBILIZE COERCE ASSAULT CONCEDE".split()
)
_WORD = re.compile(r"\w+")
_SHORT_CUE = 2
# window sizes, in tokens
_NEG_WINDOW = 6
_DENY_REACH = 8  # نفى + its subject + أن: the denial covers the clause after
_SUBJECT_GAP = 3
_OBJECT_GAP = 3
_LEFT_REACH = 16
_BETWEEN_REACH = 6  # "between" this near after the trigger names its two sides
_COMPLEMENT_REACH = 10
_LIGHT_BEFORE = 5  # a verb this near a nominal trigger reports it happening
_PASSIVE_PP = 4  # a prepositional phrase this long between an attack verb and a victim: the verb is passive
_LIGHT_AFTER = 3
_CROWD_AFTER = 3  # a crowd subject after (VSO) or before (SVO) a crowd verb
_CROWD_BEFORE = 4
_VICTIM_AFTER = 4  # مقتل اثنين من جنوده: the victims right after a death noun
_DATE_AFTER = 20  # a date this near after a nominal trigger, in its clause, dates it
_STALE_DAYS = 365
_BEFORE_REACH = 2  # a rule's require_before word this near before the trigger (will not go)
# material acts: what may happen, is planned or would happen has not happened (verbal acts —
# a threat, a request — are made by saying what may happen, so they are not among them)
_MATERIAL = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "SANCTION", "AID", "RETREAT"})
# sudden acts, reported in the past tense: their imperfect is a habit, their relative clause a
# description (a deployment in the imperfect is a state that holds: ينتشر الجنود)
_ACTS = frozenset({"ASSAULT", "PROTEST"})
_CROWD_TYPES = frozenset({"PROTEST"})  # a crowd with no political actor named may be their source

# engine rules (not in the lexicon): their ids are recorded in events like lexicon ids
NEGATED_INTENT = "engine.reject.negated-intention"
INTENT = "engine.intent"
ULTIMATUM = "engine.ultimatum"
OBLIGATION = "engine.request.obligation"
VERBAL_ATTACK = "engine.accuse.verbal-attack"
# an act announced for the future, planned or offered on a condition (will give, would meet if)
# is not the act (PLOVER manual 2.0, 3.1 and 3.4): a cooperative act or a concession is an AGREE
# (CAMEO 03: intent to cooperate, 035: intent to yield — release, ease sanctions, pull back), a
# hostile act a THREATEN (THREATEN = ASSAULT + hypothetical, CAMEO 13)
_INTENT = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE", "RETREAT": "AGREE",
           "CONCEDE": "AGREE",
           "ASSAULT": "THREATEN", "COERCE": "THREATEN", "SANCTION": "THREATEN", "MOBILIZE": "THREATEN",
           "PROTEST": "THREATEN"}
# what "will not" / "would not" do is refused (REJECT): the cooperative acts and concessions
_YIELDING = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})
# CAMEO root of the act -> the code of its announcement (03: intent to cooperate, 13: threaten)
_INTENT_CAMEO = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "14": "133",
                 "15": "138", "16": "131", "17": "132", "18": "138", "19": "138", "20": "138"}
# an act announced on a condition the other side must meet (will withdraw unless …) is an
# ultimatum, whatever the act: CAMEO 139
_ULTIMATUM_CAMEO = "139"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    type: str
    mode: str | None
    context: tuple[str, ...]
    cameo: str | None
    pos: str
    frame: str
    require_after: tuple[tuple[str, ...], ...]  # word sequences; one must follow the trigger
    window: int
    target_preps: frozenset[str]
    confidence: float
    # coded with no political actor named: "true" (crowds protesting: the crowd is the source)
    # or "casualties" (a bomb killing people: only when the sentence counts victims)
    actorless: str = ""
    subject: str = ""  # a cue kind that must stand as the trigger's subject ("crowd": تجمع المتظاهرون)
    exclude_after: tuple[tuple[str, ...], ...] = ()  # heart attack, riot police
    exclude_before: tuple[tuple[str, ...], ...] = ()
    exclude_window: int = 2
    require_before: tuple[tuple[str, ...], ...] = ()  # one must stand just before (to, will: a verb)
    before_window: int = _BEFORE_REACH  # ... this near (a verb before its subject and object: نظم عشرات المحامين وقفة)
    after_firsts: frozenset[str] = frozenset()  # the first words of require_after (a quick test)
    needs_country: bool = False  # coded only with a source or target of known country (generated rules)
    # verb forms that begin with the definite article's letters (التقى، التزم): not definite nouns
    article_forms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str  # negation | intention | hypothetical | reported | undergo | demand | location |
    # agent | between | quantifier | boundary | aux


@dataclass(frozen=True, slots=True)
class ObjectLam:
    """event_frames.yaml object_lam: what marks the object of a verbal noun whose doer follows it."""

    glued: tuple[str, ...] = ()  # before an actor glued to it or a crowd count
    article: tuple[str, ...] = ()  # with the article: an object by itself
    exceptions: frozenset[str] = frozenset()  # words that only look so (لدى، لكن)


@dataclass(frozen=True, slots=True)
class NameSubject:
    """event_frames.yaml name_subject: what tells a capitalised name right before a verb."""

    aux: frozenset[str]  # has, had: the word after is a verb
    between: frozenset[str]  # also, then: may stand between the name and the verb
    past: frozenset[str]  # irregular past forms (met, sought)
    past_ending: str  # the regular past ending (-ed)
    no_name: frozenset[str]  # capitalised words that are no name (He, This, March)


@dataclass(frozen=True, slots=True)
class Lexicon:
    index: PhraseIndex
    rules: tuple[Rule, ...]
    location_clitics: frozenset[str]
    cues: CueWords
    firsts: dict[str, frozenset[str]]  # rule id -> the first words of its forms
    morph: Morphology
    coordinators: frozenset[str] = frozenset()  # and / و (glued to the next word in Arabic)
    comitative: frozenset[str] = frozenset()  # with / مع: a rule taking its target so is reciprocal
    genitive: frozenset[str] = frozenset()  # of: the assassination of a leader of X
    content_target: bool = False  # event_frames.yaml: a threat's, demand's … content names its target
    between_anchors: bool = False  # event_frames.yaml: a noun with two sides after "between" is an event
    # event_frames.yaml implicit_country: the sides of a type that take the country of the act
    implicit_sides: dict[str, tuple[str, ...]] = field(default_factory=dict)
    located_sectors: frozenset[str] = frozenset()  # event_frames.yaml: agents placed by the act
    # event_frames.yaml verbal_attack: attack rules that are in words when these sectors attack
    verbal_rules: frozenset[str] = frozenset()
    verbal_sectors: frozenset[str] = frozenset()
    verbal_targets: frozenset[str] = frozenset()  # ... or attacked so by a side not armed
    armed_sectors: frozenset[str] = frozenset()
    recipient_from: frozenset[str] = frozenset()  # event_frames.yaml recipient: received X from Y
    recipient_except: frozenset[str] = frozenset()  # ... but for these types (hosting: CONSULT)
    # event_frames.yaml object_lam: a verbal noun + an actor + لـ X: the actor does it to X
    object_lam: ObjectLam = field(default_factory=lambda: ObjectLam())
    # event_frames.yaml name_subject: the words between a capitalised name and its verb
    name_subject: NameSubject | None = None


@dataclass(frozen=True, slots=True)
class Morphology:
    """What a trigger word's shape tells (event_frames.yaml): tense, and noun or verb."""

    future: str = ""  # a prefix before a present-tense verb marks the future (س + يتظاهرون)
    present: tuple[str, ...] = ()  # present-tense prefixes (ي، ت، ن)
    conj: tuple[str, ...] = ()  # conjunctions that may come first (وسيتظاهرون)
    noun_proclitics: tuple[str, ...] = ()  # prepositions glued only to nouns (باغتيال)
    imperfect: tuple[str, ...] = ()  # prefixes only an imperfect verb begins with (يقتلون)
    noun_rules: bool = False  # a pos: noun rule's forms are all nouns (not so in English: bombed)
    progressive: tuple[str, ...] = ()  # endings of a verb form an auxiliary makes progressive (is refusing)
    past_endings: tuple[str, ...] = ()  # endings no present form with a bare present prefix has (تظاهروا)
    passive_vowel: str = ""  # on a past verb's first letter: passive (قُتل)
    past_feminine: str = ""  # the feminine past ending (تعهدت): a past verb, whatever its first letter
    feminine: tuple[str, ...] = ()  # endings of a feminine noun (الحكومة، القوات)
    long_vowels: str = ""  # letters of a long vowel (ا و ي): before a word's last letter, a verbal noun
    dual_endings: tuple[str, ...] = ()  # the nominative dual (جنديان): after an attack verb, its victims
    slogan_prefixes: tuple[str, ...] = ()  # لا للحرب: "no to" a noun so beginning is a slogan
    nominative: tuple[str, ...] = ()  # endings of a plural or dual subject (منتقدون): not an object


def _rule(d: dict, lang: str) -> Rule:
    rid = str(d.get("id") or "")
    typ = str(d.get("type") or "")
    if not rid or typ not in PLOVER_TYPES:
        raise ResourceError(f"lang/{lang}/events.yaml: rule '{rid}' has no id or a bad type '{typ}'")
    after = _phrases(d.get("require_after"))
    return Rule(
        id=rid, type=typ, mode=(d.get("mode") or None), context=tuple(d.get("context") or ()),
        cameo=(str(d["cameo"]) if d.get("cameo") not in (None, "") else None),
        pos=str(d.get("pos") or "verb"), frame=str(d.get("frame") or ("noun" if d.get("pos") == "noun" else "active")),
        require_after=after, window=int(d.get("window") or 6),
        target_preps=word_set(d.get("target_preps") or ()), confidence=float(d.get("confidence") or 0.7),
        actorless=_actorless(d.get("actorless"), rid, lang), subject=str(d.get("subject") or ""),
        exclude_after=_phrases(d.get("exclude_after")), exclude_before=_phrases(d.get("exclude_before")),
        exclude_window=int(d.get("exclude_window") or 2), require_before=_phrases(d.get("require_before")),
        before_window=int(d.get("before_window") or _BEFORE_REACH),
        after_firsts=frozenset(w[0] for w in after), needs_country=bool(d.get("needs_country")),
        article_forms=_article_forms(d, lang),
    )


def _article_forms(d: dict, lang: str) -> frozenset[str]:
    """A verb rule's one-word forms that begin with the article's letters (التقى): their
    first letters are the verb's own."""
    prefix = _definiteness(lang)[0]
    if not prefix or (d.get("pos") or "verb") != "verb":
        return frozenset()
    forms = (normalize_str(str(f)) for f in d.get("forms") or ())
    return frozenset(f for f in forms if " " not in f and f.startswith(prefix))


def _actorless(value, rid: str, lang: str) -> str:
    if value in (None, False, ""):
        return ""
    if value is True:
        return "always"
    if value == "casualties":
        return "casualties"
    raise ResourceError(f"lang/{lang}/events.yaml: rule '{rid}': actorless is true or casualties, not '{value}'")


def _phrases(items) -> tuple[tuple[str, ...], ...]:
    return tuple(_phrase(str(x)) for x in (items or ()) if str(x).strip())


@functools.lru_cache(maxsize=65536)
def _phrase(text: str) -> tuple[str, ...]:
    """A phrase's normalized words (lexicons repeat their phrases: one normalization each)."""
    return tuple(normalize_str(w) for w in text.split())


_CUE_KEYS = {
    "negation": "negation", "intention": "intention", "hypothetical": "hypothetical",
    "reported": "reported", "undergo": "undergo", "demand_complement": "demand", "refusal": "refusal",
    "belief": "belief",
}
_FRAME_KEYS = {
    "location_preps": "location", "agent_preps": "agent", "between": "between",
    "quantifiers": "quantifier", "boundaries": "boundary", "passive_aux": "aux",
    "light_verbs": "light", "noun_markers": "nominal", "topic_nouns": "topic", "crowd": "crowd",
    "victims": "victim", "since": "since", "may": "may", "relatives": "relative",
    "subjunctive": "subjunctive", "question": "question", "light_nouns": "light_noun",
    "casualty_nouns": "casualty", "consequence": "consequence", "coordinators": "coord",
    "no_object": "no_object", "complementizers": "complementizer", "denial": "denial",
    "passive_after": "passive_after", "determiners": "determiner", "ultimatum": "ultimatum",
    "accidents": "accident", "prepositions": "prep", "preposition_quantifiers": "prep_quantifier",
    "crowd_counts": "crowd_count", "protest_cues": "protest_cue", "past_aux": "past_aux",
    "doer_verbs": "doer_verb", "against_verbs": "against", "negation_not_before": "not_negated",
}


_CACHE_LIMIT = 100_000


class CueWords:
    """Single-word cues looked up per token form (cached); multiword cues as phrases."""

    def __init__(self, lang: str, conj: tuple[str, ...] = ()) -> None:
        self.lang = lang
        self.conj = conj
        self.words: dict[str, set[str]] = {}
        self.phrases: PhraseIndex = PhraseIndex(lang)
        self._cache: dict[str, frozenset[str]] = {}
        # one object per distinct set of kinds: the memo then holds no set of its own per word
        # (most are empty) for the garbage collector to visit again and again
        self._shared: dict[frozenset[str], frozenset[str]] = {}

    def add(self, forms, kind: str) -> None:
        for f in forms or ():
            words = str(f).split()
            if len(words) == 1:
                self.words.setdefault(normalize_str(words[0]), set()).add(kind)
            else:
                self.phrases.add(str(f), Cue(kind))

    def kinds(self, norm: str) -> frozenset[str]:
        k = self._cache.get(norm)
        if k is None:
            found: set[str] = set()
            for v in variants(norm, self.lang):
                # a two-letter cue (ما، لا) takes only a conjunction: كما، بما، لما are other words
                if len(v) <= _SHORT_CUE and v != norm and not any(norm == c + v for c in self.conj):
                    continue
                found |= self.words.get(v, set())
            if len(self._cache) > _CACHE_LIMIT:  # a corpus has no end of word forms
                self._cache.clear()
            k = frozenset(found)
            k = self._cache[norm] = self._shared.setdefault(k, k)
        return k

    def kinds_at(self, toks: list[Token]) -> dict[int, frozenset[str]]:
        """Token index -> its cue kinds, for the tokens that have any."""
        known = self._cache.get  # the memo read inline: most forms are known, a call each is the cost
        out: dict[int, frozenset[str]] = {}
        for i, t in enumerate(toks):
            k = known(t.norm)
            if k is None:
                k = self.kinds(t.norm)
            if k:
                out[i] = k
        return out


@functools.cache
def lexicon(lang: str) -> Lexicon:
    data = read_yaml(lang, "events.yaml") or {}
    frames = read_yaml(lang, "event_frames.yaml") or {}
    fut = frames.get("future") or {}
    idx: PhraseIndex = PhraseIndex(lang)
    rules = []
    firsts: dict[str, set[str]] = {}
    for d in data.get("rules") or ():
        r = _rule(d, lang)
        rules.append(r)
        forms = _forms(d.get("forms"))
        idx.add_all(_future_forms(forms, r, fut), r)
        # the rule's own forms: a future form is one of them with a prefix glued on (_future)
        firsts.setdefault(r.id, set()).update(normalize_str(f.split()[0]) for f in forms)
    for r, forms in _generated(lang, data.get("rules") or (), frames):
        rules.append(r)
        idx.add_all(forms, r)
        firsts.setdefault(r.id, set()).update(normalize_str(f.split()[0]) for f in forms)
    if frames.get("obligation"):
        # "Y must return the helicopter", said X: X's demand of Y (CAMEO 100)
        r = Rule(id=OBLIGATION, type="REQUEST", mode=None, context=(), cameo="100", pos="verb",
                 frame="obliged", require_after=(), window=6, target_preps=frozenset(), confidence=0.6)
        rules.append(r)
        idx.add_all(frames["obligation"], r)
        firsts[r.id] = {normalize_str(str(f).split()[0]) for f in frames["obligation"]}
    conj = _norms(fut.get("conjunctions"))
    lam = frames.get("object_lam") or {}
    verbal = frames.get("verbal_attack") or {}
    recipient = frames.get("recipient") or {}
    names = frames.get("name_subject") or {}
    cues = CueWords(lang, conj)
    for key, kind in _CUE_KEYS.items():
        cues.add(data.get(key), kind)
    for key, kind in _FRAME_KEYS.items():
        cues.add(frames.get(key), kind)
    cues.add(recipient.get("verbs"), "recipient")
    for kind in eventscore.CUE_KINDS:  # the scorer's words before a trigger (eventscore.py)
        cues.add((frames.get("scorer") or {}).get(kind), kind)
    morph = Morphology(normalize_str(str(fut.get("prefix") or "")), _norms(fut.get("present")), conj,
                       _norms(frames.get("noun_proclitics")), _norms(fut.get("imperfect")),
                       bool(frames.get("noun_rules_are_nominal")), _norms(frames.get("progressive_endings")),
                       _norms(fut.get("past_endings")), str(frames.get("passive_vowel") or ""),
                       normalize_str(str(fut.get("past_feminine") or "")), _norms(frames.get("feminine_endings")),
                       "".join(_norms(frames.get("long_vowels"))), _norms(frames.get("dual_endings")),
                       _norms(frames.get("slogan_prefixes")),
                       _norms((read_yaml(lang, "actors_rules.yaml") or {}).get("nominative_endings")))
    return Lexicon(idx, tuple(rules), word_set(frames.get("location_clitics") or ()), cues,
                   {k: frozenset(v) for k, v in firsts.items()}, morph,
                   word_set(frames.get("coordinators") or ()), word_set(frames.get("comitative") or ()),
                   word_set(frames.get("genitive") or ()), bool(frames.get("content_target")),
                   bool(frames.get("between_anchors")),
                   {str(t): tuple(str(x) for x in v if x in ("source", "target"))
                    for t, v in (frames.get("implicit_country") or {}).items()},
                   frozenset(str(x) for x in frames.get("located_sectors") or ()),
                   frozenset(verbal.get("rules") or ()), frozenset(verbal.get("sectors") or ()),
                   frozenset(verbal.get("targets") or ()), frozenset(verbal.get("armed") or ()),
                   word_set(recipient.get("from") or ()), frozenset(recipient.get("except_types") or ()),
                   ObjectLam(_norms(lam.get("glued")), _norms(lam.get("article")),
                             word_set(lam.get("except") or ())),
                   NameSubject(word_set(names.get("aux") or ()), word_set(names.get("between") or ()),
                               word_set(names.get("past") or ()), str(names.get("past_ending") or ""),
                               word_set(names.get("not") or ())) if names else None)


_GENERATED_CONFIDENCE = 0.55


def _generated(lang: str, hand, frames: dict) -> list[tuple[Rule, list[str]]]:
    """The rules of ``lang/<code>/events_generated.tsv`` (built from a verb dictionary by a
    script), each with the forms it keeps: a hand rule's form is the hand rule's — a generated
    bare verb gives way to any of them, a generated verb + object to an unconditional one."""
    rows = read_tsv(lang, "events_generated.tsv", 8)
    if not rows:
        return []
    # a participle after one of these is an adjective (the occupied territories, US-led)
    adjective = list(frames.get("generated_not_after") or ())
    actorless = set(frames.get("generated_actorless") or ())  # types coded on their victims alone
    any_hand: set[str] = set()
    plain_hand: set[str] = set()
    for d in hand:
        for f in _forms(d.get("forms")):
            norm = " ".join(normalize_str(f).split())
            any_hand.add(norm)
            if not d.get("require_after"):
                plain_hand.add(norm)
    out = []
    for rid, typ, mode, ctx, code, forms, need, window, *rest in rows:
        before = rest[0].split("|") if rest and rest[0] else ()
        owned = plain_hand if need else any_hand
        kept = [f for f in _forms(forms.split("|")) if " ".join(normalize_str(f).split()) not in owned]
        if kept:
            r = _rule({"id": rid, "type": typ, "mode": mode, "context": [c for c in ctx.split(",") if c],
                       "cameo": code, "require_after": need.split("|") if need else (), "window": window,
                       "require_before": before, "exclude_before": adjective, "exclude_window": 1,
                       "actorless": "casualties" if typ in actorless else None,
                       "needs_country": bool(frames.get("generated_need_country")),
                       "confidence": _GENERATED_CONFIDENCE}, lang)
            out.append((r, kept))
    return out


def _forms(items) -> list[str]:
    """A rule's forms as the matcher reads them: a dash written apart (sit - in) is passed over
    in the text, so it is left out of the form."""
    return [" ".join(w for w in str(f).split() if w != "-") for f in items or () if str(f).strip(" -")]


def _future_forms(forms: list[str], rule: Rule, fut: dict) -> list[str]:
    """A verb rule's present forms also with the future prefix glued on (تفرض -> ستفرض): the
    matcher strips conjunctions, not the future prefix (س also begins سوريا, سنة …)."""
    prefix = str(fut.get("prefix") or "")
    present = tuple(str(p) for p in fut.get("present") or ())
    if not prefix or not present or rule.pos != "verb":
        return forms
    return forms + [prefix + f for f in forms if f.startswith(present) and prefix + f not in forms]


def _norms(items) -> tuple[str, ...]:
    return tuple(normalize_str(str(x)) for x in items or ())


@dataclass
class _Group:
    """Adjacent mentions that name one actor (حكومة رئيس الوزراء العراقي محمد …)."""

    first: int
    last: int
    mentions: list[Mention]
    location: bool = False

    def head(self, doc: Document) -> Mention:
        # the first mention with a country decides, so "the leader of group X" is X's
        for m in self.mentions:
            a = doc.actors.get(m.actor or "")
            if a and a.country:
                return m
        return self.mentions[0]


_PUNCT_BOUNDARY = frozenset(",،;؛:()[]\"«»“”")


class _Sent:
    """A sentence prepared for coding: tokens, cue hits, mention groups."""

    def __init__(self, doc: Document, view: SentenceView, lex: Lexicon, hits: list[Hit],
                 cue_starters: set[str] | None = None):
        self.doc = doc
        self.lex = lex
        self.view = view
        self.toks = view.tokens
        lang = doc.lang or "ar"
        triggers: list[Hit] = []
        for h in hits:
            # rules sharing a form are told apart by the words that follow
            r = h.payload
            if r.require_after and not _phrase_near(
                    self.toks, h.last + 1, h.last + 1 + r.window, r.require_after, lang, r.after_firsts):
                continue
            if r.exclude_after and _phrase_near(self.toks, h.last + 1, h.last + 1 + r.exclude_window,
                                                r.exclude_after, lang):
                continue
            if r.exclude_before and _phrase_near(self.toks, h.first - r.exclude_window, h.first,
                                                 r.exclude_before, lang):
                continue
            if r.require_before and not _phrase_near(self.toks, h.first - r.before_window, h.first,
                                                     r.require_before, lang):
                continue
            triggers.append(h)
        self.triggers = _longest(triggers)
        self.location_clitics = lex.location_clitics
        self.kinds: dict[int, frozenset[str]] = {}
        self.cue_end: dict[tuple[int, str], int] = {}
        self._victims: frozenset[int] | None = None
        self.cities: list[tuple[int, int, places.Place]] | None = None
        self.casualties: bool | None = None
        if not self.triggers:
            self.boundary: list[bool] = []
            self.groups: list[_Group] = []
            return
        kinds = self.kinds = lex.cues.kinds_at(self.toks)
        for h in lex.cues.phrases.all_hits(self.toks, starters=cue_starters):
            kinds[h.first] = kinds.get(h.first, frozenset()) | {h.payload.kind}
            self.cue_end[(h.first, h.payload.kind)] = h.last
        self.boundary = [t.norm in _PUNCT_BOUNDARY or "boundary" in kinds.get(i, ()) for i, t in enumerate(self.toks)]
        self.groups = self._groups()

    def victims(self) -> frozenset[int]:
        """First tokens of counted groups that an attack verb's unmarked passive makes victims:
        the number right after the verb (قتل خمسة جنود) or the counted noun right before a
        participle with no object (10 soldiers killed in …)."""
        if self._victims is None:
            self._victims = _victim_groups(self)
        return self._victims

    def has(self, i: int, kind: str) -> bool:
        k = self.kinds.get(i)
        return k is not None and kind in k

    def _groups(self) -> list[_Group]:
        groups: list[_Group] = []
        for m in self.view.mentions:
            a, b = self.view.mention_tokens(m)
            if groups and a - groups[-1].last <= 1 \
                    and _joins(self.doc, groups[-1].mentions[-1], m, self.toks[groups[-1].last].norm, self.toks[a].norm) \
                    and not any(self.boundary[k] for k in range(groups[-1].last + 1, a)):
                g = groups[-1]
                g.mentions.append(m)
                g.last = max(g.last, b)
                continue
            loc = a > 0 and (self.has(a - 1, "location") or _prefix_location(self, a))
            groups.append(_Group(a, b, [m], location=loc))
        return groups

    def clause_start(self, i: int) -> int:
        while i > 0 and not self.boundary[i - 1]:
            i -= 1
        return i

    def clause_end(self, i: int) -> int:
        n = len(self.toks)
        while i < n - 1 and not self.boundary[i + 1]:
            i += 1
        return i


def _joins(doc: Document, prev: Mention, m: Mention, prev_last: str, m_first: str) -> bool:
    """Whether mention ``m`` continues the noun phrase of ``prev`` (``prev_last``, ``m_first``:
    the matching forms of the last word of one and the first word of the other).

    A role or body followed by a name is one phrase (حكومة رئيس الوزراء + <name>, زعيم +
    <group>); two countries side by side are subject and object (دعت إيران العراق).
    """
    if prev.kind in ("country", "capital") or m.kind in ("country", "capital"):
        return False
    nominative = lexicon(doc.lang or "ar").morph.nominative
    if nominative and prev.kind != "person":
        # a noun in the nominative plural or dual heads no construct (معارضون الحكومة: subject
        # and object; the construct is معارضو الحكومة), unless what follows agrees with it
        # (مسلحون مجهولون)
        if prev_last.endswith(nominative) and not m_first.endswith(nominative):
            return False
    a, b = doc.actors.get(prev.actor or ""), doc.actors.get(m.actor or "")
    if a and b and a.country and b.country and a.country != b.country:
        return False  # two offices of two states: subject and object (التقى الرئيس المصري نظيره الفرنسي)
    if prev.kind == "group" and m.kind == "agent" and doc.lang == "en":
        return True  # Hezbollah fighters, Taliban gunmen: the group's members are the group
    if prev.kind == "person" and m.kind == "agent" and a and a.country and (b is None or b.country in (None, a.country)):
        return True  # مايكل فلين مستشار الأمن القومي: a name and the office after it, one person
    return prev.kind in ("agent", "organisation", "role") or m.kind == "person"


def _prefix_location(s: _Sent, a: int) -> bool:
    """A location preposition glued to the mention's word (بالعراق: ب + العراق)."""
    m = next((m for m in s.view.mentions if s.view.tok_index(m.start) == a), None)
    return m is not None and m.kind in ("country", "capital") and bool(s.location_clitics) \
        and _glued(s, _Group(a, a, [m]), s.location_clitics)


def _longest(hits: list[Hit]) -> list[Hit]:
    # on equal spans a rule whose required context is there beats one that asks for none
    hits.sort(key=lambda h: (h.first, -(h.last - h.first), not h.payload.require_after))
    out: list[Hit] = []
    for h in hits:
        if out and h.first <= out[-1].last:
            continue
        out.append(h)
    return out


def _left_group(s: _Sent, i: int, max_gap: int, reach_boundary: bool = False) -> _Group | None:
    """The nearest actor group ending before token ``i`` in the clause, within ``max_gap``."""
    # "X, an alliance of …, has claimed": hop over the apposition between commas
    k = i - 1
    while k >= 0 and i - k <= max_gap + 1 and not s.boundary[k]:
        k -= 1
    if k >= 1 and s.toks[k].norm in (",", "،"):
        j = k - 1
        # (a relative clause between the commas belongs to it: X، الذي زار …، التقى)
        while j >= 0 and k - j <= 14 and s.toks[j].norm not in (",", "،") \
                and (not s.boundary[j] or s.has(j, "relative")):
            j -= 1
        if j >= 1 and s.toks[j].norm in (",", "،") and j < k - 1:
            g = _left_group(s, j, 1)
            if g is not None:
                return g
    for g in reversed(s.groups):
        if g.last >= i:
            continue
        if g.location:
            continue
        if any(s.boundary[k] for k in range(g.last + 1, i)) and not reach_boundary:
            return None
        if i - g.last - 1 > max_gap:
            return None
        return g
    return None


def _right_groups(s: _Sent, i: int) -> list[_Group]:
    """Actor groups after token ``i`` up to the end of the clause."""
    end = s.clause_end(i)
    return [g for g in s.groups if g.first > i and g.last <= end and not g.location]


def _actor(doc: Document, g: _Group | None, s: _Sent | None = None) -> EventActor | None:
    if g is None:
        return None
    m = g.head(doc)
    a = doc.actors.get(m.actor or "")
    first = g.mentions[0]
    country = a.country if a else None
    start = first.start
    if country is None and s is not None and m.kind == "agent":
        # "US and allied forces": the country named just before the coordination
        prev = next((p for p in reversed(s.groups) if p.last < g.first), None)
        if prev is not None and g.first - prev.last <= 3 and prev.mentions[-1].kind == "country" and (
                any(s.has(k, "coord") for k in range(prev.last + 1, g.first))
                or (s.lex.coordinators and _glued(s, g, s.lex.coordinators))):
            pa = doc.actors.get(prev.mentions[-1].actor or "")
            if pa is not None and pa.country:
                country, start = pa.country, prev.mentions[-1].start
    return EventActor(
        actor=m.actor, text=doc.text[start:g.mentions[-1].end],
        country=country, sector=_sector(doc, g),
        start=start, end=g.mentions[-1].end,
    )


def _name_subject(s: _Sent, h: Hit) -> EventActor | None:
    """A capitalised name no table knows right before a verb in the past (Ethopia has agreed,
    Okonkwo resigned): a side named by its words alone, country unknown. Language data
    (event_frames.yaml name_subject): the auxiliaries and adverbs that may stand between, the
    irregular past forms, the capitalised words that are no name. A single word opening the
    sentence or also written in lower case (Drought, Debate) is no name, nor a date; a name must
    open its clause (not: the Labour meeting, councillors who back Mr X met)."""
    ns = s.lex.name_subject
    if ns is None:
        return None
    toks, doc = s.toks, s.doc
    k = h.first - 1
    verb = toks[h.first].norm.endswith(ns.past_ending) or toks[h.first].norm in ns.past
    while k >= 0 and (toks[k].norm in ns.between or toks[k].norm in ns.aux):
        verb = verb or toks[k].norm in ns.aux
        k -= 1
    last = k
    while k >= 0 and (_capitalised(doc, toks[k]) and not s.kinds.get(k) and toks[k].norm not in ns.no_name
                      or (toks[k].norm == "-" and k > 0 and _capitalised(doc, toks[k - 1]))):
        k -= 1
    if not verb or k == last or toks[k + 1].norm == "-":
        return None
    if k >= 0 and not (toks[k].norm in _PUNCT_BOUNDARY or s.has(k, "coord") or s.has(k, "complementizer")):
        return None  # the Labour meeting, councillors who back Mr X met: the name is no subject
    a, b = toks[k + 1].start, toks[last].end
    if any(t.start < b and a < t.end for t in doc.times):
        return None
    if k + 1 == last and (k < 0 or toks[last].norm in _lowercase_words(doc.text)):
        return None  # one word opening the sentence may be any noun (Drought threatened crops)
    return EventActor(actor=None, text=doc.text[a:b], start=a, end=b)


def _capitalised(doc: Document, tok: Token) -> bool:
    return tok.norm.isalpha() and doc.text[tok.start].isupper()


@functools.lru_cache(maxsize=4)
def _lowercase_words(text: str) -> frozenset[str]:
    return frozenset(_LOWER_WORD.findall(text))


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


def _sector(doc: Document, g: _Group) -> str | None:
    for m in g.mentions:
        a = doc.actors.get(m.actor or "")
        if a and a.sector:
            return a.sector
    return None


def _preceded_by(s: _Sent, g: _Group, words: frozenset[str], reach: int = 1) -> bool:
    """One of ``words`` right before the group (or up to ``reach`` tokens before: between the X)."""
    lang = s.doc.lang or "ar"
    for k in range(g.first - 1, max(-1, g.first - 1 - reach), -1):
        if s.toks[k].norm in words or has_variant(s.toks[k], words, lang):
            return True
        if s.boundary[k]:
            break
    return False


def _between_pair(s: _Sent, h: Hit, right: list[_Group]) -> tuple[_Group, _Group] | None:
    """The two sides named after "between" near the trigger, nearest first."""
    n = len(s.toks)
    others = {t.first for t in s.triggers if t is not h}
    for k in range(h.first, min(n, h.last + _BETWEEN_REACH)):
        if k > h.last and (s.boundary[k] or k in others):
            return None  # another event's sides (attack since the war between X and Y)
        if not s.has(k, "between"):
            continue
        after = [g for g in right if g.first > k]
        if not after or after[0].first - k - 1 > 2:
            return None
        if len(after) >= 2 and after[1].first - after[0].last - 1 <= 3:
            return after[0], after[1]
        if len(after[0].mentions) >= 2:
            g = after[0]
            return _Group(g.first, g.first, [g.mentions[0]]), _Group(g.last, g.last, [g.mentions[1]])
        return None
    return None


# events two parties do together: with a coordinated subject (Iran and the EU held talks) the
# first conjunct is the source, the second the target
_SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def _arguments(s: _Sent, h: Hit, rule: Rule) -> tuple[_Group | None, _Group | None]:
    inner = _inside(s, h)
    if inner is not None and rule.frame == "undergo":
        # an actor inside a phrase one undergoes (لقي ثلاثة جنود مصرعهم) is who undergoes it
        return _agent_group(s, h.last), inner
    source, target = _frame_arguments(s, h, rule)
    if source is None and rule.frame == "active" and inner is not None and inner.first == h.first + 1 \
            and inner.last < h.last and inner is not target:
        # the actor in a phrase's gap, right after its verb, is its subject (قبضت الشرطة الفرنسية
        # على، فجر الجيش الجمهوري سيارة)
        source = inner
    if source is not None and source.last < h.first and any(
            s.has(k, "against") for k in range(max(0, source.first - 1), h.first) if not source.first <= k <= source.last):
        # فرقت الشرطة مظاهرة, police dispersed a demonstration: who acts against the act does not do it
        source = None
    if s.has(h.first, "recipient") and source is not None and source.last < h.first \
            and rule.type not in s.lex.recipient_except:
        # X received aid / threats / an invitation from Y: Y gives, X receives
        giver = next((g for g in _right_groups(s, h.last) if _preceded_by(s, g, s.lex.recipient_from, 2)), None)
        return giver, source
    if rule.type == "ASSAULT" and source is not None and source.first in s.victims():
        # قتل خمسة جنود، ten soldiers killed in …: the counted are the victims, whoever killed them
        agent = _agent_group(s, h.last)
        return agent if agent is not source else None, target or source
    if source is not None and target is None and (
            rule.type in _SYMMETRIC or (rule.target_preps & s.lex.comitative)):
        # a reciprocal event (met, agreed, clashed with …): "X and Y met" is X meeting Y
        prev = _conjunct_before(s, source)
        if prev is not None:
            return prev, source
        nxt = _conjunct_after(s, source)
        if nxt is not None:
            return source, nxt
    return source, target


def _inside(s: _Sent, h: Hit) -> _Group | None:
    """The first actor within a phrase trigger, after its first word (a gap's filler)."""
    if h.last == h.first:
        return None
    return next((g for g in s.groups if h.first < g.first and g.last <= h.last), None)


def _victim_groups(s: _Sent) -> frozenset[int]:
    sent = s.view.sent
    counted: dict[int, int] = {}  # token after a number -> the number's first token
    for q in s.doc.quantities:
        if sent.start <= q.start < sent.end:
            counted[s.view.tok_index(q.end - 1) + 1] = s.view.tok_index(q.start)
    duals = s.lex.morph.dual_endings
    unvowelled = bool(s.lex.morph.passive_vowel)  # a passive written only with a vowel: قتل may be قُتل
    if not counted and not (duals or unvowelled):
        return frozenset()
    n = len(s.toks)
    out = set()
    for h in s.triggers:
        if h.payload.type != "ASSAULT" or h.payload.pos == "noun":
            continue
        for g in s.groups:
            if duals and g.first == h.last + 1 and s.toks[g.first].norm.endswith(duals) \
                    and s.has(g.first, "victim") and not _nominal(s, h):
                out.add(g.first)  # a dual in the nominative after the verb: قتل جنديان (passive)
                continue
            if unvowelled and h.last + 2 < g.first <= h.last + 1 + _PASSIVE_PP and s.has(h.last + 1, "prep") \
                    and s.has(g.first, "victim") and not _nominal(s, h) \
                    and not any(s.boundary[k] for k in range(h.last + 1, g.first)):
                out.add(g.first)  # a phrase between the verb and its subject: وقتل في الهجوم مواطن (passive)
                continue
                continue
            q0 = counted.get(g.first)
            if q0 is None or not (any(s.has(k, "victim") for k in range(g.first, g.last + 1))
                                  or g.mentions[0].kind == "demonym"):
                continue  # people (13 عراقيا) are; armed men or settlers counted after هاجم attack
            if q0 == h.last + 1 and not _nominal(s, h):
                out.add(g.first)  # verb, number, noun: قتل خمسة جنود
            elif g.last == h.first - 1 and (h.last == n - 1 or s.boundary[h.last + 1]
                                             or s.has(h.last + 1, "no_object")):
                out.add(g.first)  # number, noun, participle with no object: 10 soldiers killed in …
    return frozenset(out)


def _coordinated(s: _Sent, a: _Group, b: _Group) -> bool:
    """Whether group ``b`` is coordinated with the group ``a`` before it: "X and (the) Y", or a
    conjunction glued to Y's word (مصر وإسرائيل)."""
    gap = b.first - a.last - 1
    if gap == 0:
        return bool(s.lex.coordinators) and _glued(s, b, s.lex.coordinators)
    if not 1 <= gap <= 2 or not s.has(a.last + 1, "coord"):
        return False
    return gap == 1 or not s.boundary[a.last + 2]


def _conjunct_before(s: _Sent, g: _Group) -> _Group | None:
    prev = next((p for p in reversed(s.groups) if p.last < g.first), None)
    return prev if prev is not None and not prev.location and _coordinated(s, prev, g) else None


def _conjunct_after(s: _Sent, g: _Group) -> _Group | None:
    nxt = next((p for p in s.groups if p.first > g.last), None)
    return nxt if nxt is not None and not nxt.location and _coordinated(s, g, nxt) else None


def _frame_arguments(s: _Sent, h: Hit, rule: Rule) -> tuple[_Group | None, _Group | None]:
    doc = s.doc
    lang = doc.lang or "ar"
    frame = rule.frame
    if frame == "obliged":
        return _obliged(s, h, lang)
    undergo_at = None
    for k in range(max(0, h.first - 4), h.first):
        if s.has(k, "undergo"):
            undergo_at = k
    if undergo_at is not None and frame in ("noun", "active"):
        frame = "undergo"
        verb_first = undergo_at
    else:
        verb_first = h.first
    right = _right_groups(s, h.last)

    # between X and Y (الصراع بين X وY, clashes between X and Y): X the source, Y the target — but
    # a rule that takes its target after "between" has its own subject (Qatar mediated between X
    # and Y: Qatar the source, X the target)
    pair = _between_pair(s, h, right)
    if pair is not None:
        if rule.target_preps and _preceded_by(s, pair[0], rule.target_preps, 2):
            subj = _subject(s, h.first, [g for g in right if g.first < pair[0].first], lang)
            if subj is not None:
                return subj, pair[0]
        return pair

    agent = _agent_group(s, h.last)
    if frame == "undergo":
        subj = _subject(s, verb_first, right if verb_first == h.first else _right_groups(s, verb_first), lang)
        return agent, subj
    if frame == "noun" and not _nominal(s, h) and _passive(s, h):
        # a noun rule's verb form in the passive: X was attacked (by Y)
        return agent, _left_group(s, h.first, _SUBJECT_GAP)
    if frame == "noun":
        if s.has(h.last, "agent") and right and right[0].first == h.last + 1:
            return right[0], None  # a trigger that names its doer's weapon (برصاص الشرطة: the police's)
        doer = _genitive_doer(s, h, right) or _relative_doer(s, h, right)
        if doer is not None:
            return doer
        target = None
        for g in right:
            gap = g.first - h.last - 1
            if rule.target_preps and _preceded_by(s, g, rule.target_preps):
                target = g
                break
            # English genitives run longer: the assassination of a leader of X
            limit = _OBJECT_GAP + (6 if any(s.toks[k].norm in s.lex.genitive for k in range(h.last + 1, g.first))
                                   else 0)
            if gap <= limit and not s.has(g.first - 1, "agent"):
                target = g
                break
        # the subject of a light verb (أجرى الوزير محادثات, Iran held talks, X's attack); a verb
        # phrase (was ready to hold talks) looks further back in its clause like a verb
        source = agent or (None if h.first > 0 and s.has(h.first - 1, "prep") else _left_group(s, h.first, _SUBJECT_GAP))
        if source is None and not _nominal(s, h):
            source = _subject(s, h.first, [], lang)
        return source, target

    # a verbal noun of an act one does oneself (استقالة، انسحاب، استسلام) with an actor right
    # after it: that actor does it (أعلن البيت الأبيض استقالة فلين: Flynn resigns)
    own = right[0] if rule.type in _SELF_MOVING and right and right[0].first == h.last + 1 \
        and _masdar_shaped(s, h.first) else None
    # active verb, or a phrase headed by one
    if lang == "ar" and rule.pos == "verb" and right and right[0].first - h.last - 1 <= _SUBJECT_GAP \
            and _enclitic(s, h):
        # a pronoun glued to the verb is its object, so the actor after it is the subject
        # (المدنيون الذين يحاصرهم التنظيم، قتلهم الجيش): the target is what the pronoun stands for
        return right[0], _left_group(s, h.first, _SUBJECT_GAP)
    if _vowelled_passive(s, h):  # وقُتل ثلاثة جنود، الجنود الذين أُصيبوا: the subject undergoes it
        subj = _subject(s, h.first, right, lang)
        return (subj, None) if rule.type in _SELF_MOVING else (agent, subj)
    passive = _passive(s, h)
    if passive and agent is not None:
        # passive: "X was attacked by Y"
        return agent, _left_group(s, h.first, _SUBJECT_GAP)
    subj = own or _antecedent(s, h) or _subject(s, h.first, right, lang)
    target = _prep_object(s, h, rule)  # fired at X: the preposition ending the trigger takes X
    base = subj.last if subj is not None and subj.first > h.last else h.last
    # the subject's conjuncts are subjects too (رفضت كل من الدنمارك والسويد: not Sweden as the object)
    co = set()
    nxt = _conjunct_after(s, subj) if subj is not None and subj.first > h.last else None
    while nxt is not None and id(nxt) not in co:
        co.add(id(nxt))
        base = nxt.last
        nxt = _conjunct_after(s, nxt)
    objects = [g for g in right if g is not subj and id(g) not in co and (subj is None or g.first > subj.last)]
    for g in objects if target is None else ():
        if rule.target_preps:
            if _preceded_by(s, g, rule.target_preps) or _glued(s, g, rule.target_preps) \
                    or (g.first > 1 and s.has(g.first - 1, "determiner")
                        and _preceded_by(s, _Group(g.first - 1, g.last, g.mentions), rule.target_preps)):
                target = g  # spoke with (the) Turkish president
                break
            continue
        if g.first - base - 1 <= _OBJECT_GAP:
            target = g
        break
    if target is None and rule.target_preps and rule.pos == "verb" and objects \
            and objects[0].first - base - 1 <= 1 and not s.has(objects[0].first - 1, "agent"):
        # a direct object right after the verb (gave Tanzania a grant, met the Iranian envoy)
        target = objects[0]
    if passive and agent is None and subj is not None and subj.last < h.first:
        if rule.type in _SELF_MOVING:
            return subj, None  # forces were deployed: the forces move
        return None, subj  # passive without an agent: the subject undergoes
    if target is None and rule.type in _COMPLEMENT_TAKERS:
        target = _complement_subject(s, h.last + 1)
    if target is None and rule.type in _CONTENT_TARGET and s.lex.content_target:
        target = _content_target(s, h, subj, co)
    return subj, target


def _genitive_doer(s: _Sent, h: Hit, right: list[_Group]) -> tuple[_Group, _Group | None] | None:
    """A verbal noun, an actor right after it, then a word with لـ glued: the actor does the
    act and لـ marks what it is done to (اعتقال الشرطة للمتظاهرين، إدانة السعودية للهجوم): the
    (source, target), or None when the sentence is not built so (event_frames.yaml object_lam)."""
    lam = s.lex.object_lam
    if not lam.glued or not right or right[0].first != h.last + 1 or not _nominal(s, h):
        return None
    doer = right[0]
    k = doer.last + 1
    if k >= len(s.toks) or s.toks[k].norm in lam.exceptions:
        return None
    norm = s.toks[k].norm
    nxt = right[1] if len(right) > 1 else None
    at_k = nxt if nxt is not None and nxt.first == k else None
    if any(norm.startswith(p) and len(norm) > len(p) + 1 for p in lam.article):
        return doer, at_k  # للمتظاهرين، للهجوم (an act, no actor: no target)
    if any(norm.startswith(p) and len(norm) > len(p) + 1 for p in lam.glued):
        if at_k is not None:
            return doer, at_k  # لإسرائيل
        if s.has(k, "crowd"):  # لعشرات المتظاهرين
            return doer, nxt if nxt is not None and nxt.first == k + 1 else None
    return None


def _relative_doer(s: _Sent, h: Hit, right: list[_Group]) -> tuple[_Group, _Group | None] | None:
    """An act noun, then a verb with a pronoun for it and an actor after (هجوم شنه مسلحون: an
    attack armed men carried out; event_frames.yaml doer_verbs): that actor does it; an actor
    after a target preposition further on is its target."""
    k = next((k for k in range(h.last + 1, min(len(s.toks), h.last + 3)) if s.has(k, "doer_verb")), None)
    if k is None or any(s.boundary[j] for j in range(h.last + 1, k)):
        return None
    doer = next((g for g in right if g.first == k + 1), None)
    if doer is None:
        return None
    rule = h.payload
    target = next((g for g in right if g.first > doer.last and rule.target_preps
                   and _preceded_by(s, g, rule.target_preps)), None)
    return doer, target


# what a threat, demand, refusal or protest is about names its target (threatened to shell X,
# demanded the release of X, protested against X's decision): the first actor in the clause after
_CONTENT_TARGET = frozenset({"REQUEST", "REJECT", "THREATEN", "ACCUSE", "PROTEST"})
_CONTENT_REACH = 8


def _content_target(s: _Sent, h: Hit, subj: _Group | None, co: set[int] | None = None) -> _Group | None:
    for g in s.groups:
        if g.first <= h.last or g is subj or g.location or (co and id(g) in co):
            continue  # (the subject's conjuncts are subjects too)
        between = range(h.last + 1, g.first)
        if g.first - h.last - 1 > _CONTENT_REACH:
            return None
        stops = [k for k in between if s.toks[k].norm in _PUNCT_BOUNDARY
                 or (s.boundary[k] and not s.has(k, "complementizer"))]
        if stops:
            # a relative clause on the object names its doer (أدانت مصر الهجوم الذي شنته
            # إسرائيل: Israel): the actor right after the relative pronoun's verb
            rel = stops[0]
            if len(stops) == 1 and s.has(rel, "relative") and g.first == rel + 2:
                return g
            return None
        return g
    return None


def _prep_object(s: _Sent, h: Hit, rule: Rule) -> _Group | None:
    """The actor right after a trigger that ends in one of its target prepositions (fired at X,
    shot at the X): its target, even where the preposition also marks a place."""
    if not rule.target_preps or h.last <= h.first or s.toks[h.last].norm not in rule.target_preps:
        return None
    g = next((g for g in s.groups if g.first > h.last), None)
    if g is None or g.first - h.last - 1 > 1 or (g.first - h.last - 1 == 1 and not s.has(h.last + 1, "determiner")):
        return None
    return g


def _obliged(s: _Sent, h: Hit, lang: str) -> tuple[_Group | None, _Group | None]:
    """Y must …: Y (its subject) is the target; the source is who says so — the subject of a
    speech verb earlier in the sentence (the speaker of a quote is taken later)."""
    target = _subject(s, h.first, _right_groups(s, h.last), lang)
    if target is None:
        return None, None
    end = min(target.first, h.first)
    for k in range(end - 1, -1, -1):
        if s.has(k, "reported"):
            src = _subject(s, k, [g for g in _right_groups(s, k) if g.last < end], lang)
            return (src if src is not target else None), target
    return None, target


def _complement_subject(s: _Sent, k: int) -> _Group | None:
    """The subject of the clause a complementizer opens right after a request or accusation:
    what is demanded, alleged or threatened is about it (demanded that the US cancel …)."""
    # a word or two may stand between (its demand today that Israel …)
    k = next((j for j in range(k, min(len(s.toks), k + 3)) if s.has(j, "complementizer") or s.has(j, "demand")), -1)
    if k < 0 or any(s.toks[j].norm in _PUNCT_BOUNDARY for j in range(k - 2, k)):
        return None
    for g in s.groups:
        if g.first > k + 3:
            break
        if g.first > k and not g.location and not any(s.toks[j].norm in _PUNCT_BOUNDARY for j in range(k, g.first)):
            return g
    return None


def _passive(s: _Sent, h: Hit) -> bool:
    """A passive trigger: after an auxiliary (was attacked), or a participle right after its noun
    with a passive preposition next (officials accused of …, civilians imprisoned for …)."""
    if h.first > 0 and s.has(h.first - 1, "aux"):
        # "is refusing" is no passive: the auxiliary makes a progressive
        return not (s.lex.morph.progressive and s.toks[h.first].norm.endswith(s.lex.morph.progressive))
    return h.last + 1 < len(s.toks) and s.has(h.last + 1, "passive_after") \
        and any(g.last == h.first - 1 and not g.location for g in s.groups)


def _vowelled_passive(s: _Sent, h: Hit) -> bool:
    """A verb trigger written with the passive vowel on its first letter (after a conjunction),
    not a present-tense prefix: قُتل، وأُصيب (event_frames.yaml ``passive_vowel``)."""
    morph = s.lex.morph
    if not morph.passive_vowel or h.payload.pos != "verb":
        return False
    tok = s.toks[h.first]
    raw = s.doc.text[tok.start:tok.end]
    letters = [(i, c) for i, c in enumerate(raw) if unicodedata.category(c) != "Mn"]
    for k, (i, c) in enumerate(letters[:2]):
        if raw.startswith(morph.passive_vowel, i + 1):
            return normalize_str(c) not in morph.present
        if normalize_str(c) not in morph.conj or k:
            return False
    return False


def _glued(s: _Sent, g: _Group, words: frozenset[str]) -> bool:
    """A preposition glued to the front of the mention's token (العراق in لعراق … إلي is apart)."""
    tok = s.toks[g.first]
    m = g.mentions[0]
    # the letters of the token before the mention (a mention of several words: its first only)
    lead = tok.norm[: max(0, len(tok.norm) - len(normalize_str(m.text.split()[0])))] if m.start > tok.start else ""
    return bool(lead) and any(lead.endswith(w) for w in words)


def _subject(s: _Sent, i: int, right: list[_Group], lang: str) -> _Group | None:
    left = _left_group(s, i, _SUBJECT_GAP)
    if left is not None:
        return left
    if lang == "ar" and right and not _noun_subject_before(s, i):
        g = right[0]
        # a definite noun no table knows right after the verb is its subject (VSO: أدانت المنظمة
        # اعتقال الصحفيين): the actor after it is not; nor is an actor after a preposition
        # (ونددت المنظمة بالرئيس، اعتذر X للشعب) or one the verb does not agree with (وحث
        # واشنطن على: a masculine verb, a feminine state: the subject is a pronoun)
        noun_first = g.first > i + 1 and (_unknown_noun(s, i + 1) or _nominative(s, i + 1)) and not (
            g.first == i + 2 and g.mentions[0].kind == "demonym")  # الناخبون الايرلنديون: one phrase
        if g.first - i - 1 <= _SUBJECT_GAP and not noun_first \
                and not _after_preposition(s, g) and not _disagrees(s, i, g):
            return g
    # a verb whose subject stands further back in its clause (أعربت الحكومة … في 5 يناير عن رغبتها)
    for g in reversed(s.groups):
        if g.last < i and not g.location and i - g.last <= _LEFT_REACH:
            if any(s.boundary[k] for k in range(g.last + 1, i)):
                return None
            return g
    return None


def _nominative(s: _Sent, k: int) -> bool:
    """A noun no table knows in the nominative plural or dual right after the verb (اتهم
    منتقدون ترامب: critics accused Trump): its subject (actors_rules.yaml nominative_endings)."""
    ends = s.lex.morph.nominative
    if not ends or k >= len(s.toks) or s.boundary[k] or s.kinds.get(k):
        return False
    norm = s.toks[k].norm
    return len(norm) >= _NOMINATIVE_MIN and norm.endswith(ends) and not any(g.first <= k <= g.last for g in s.groups)


_NOMINATIVE_MIN = 5  # letters: a stem of three and the ending


def _after_preposition(s: _Sent, g: _Group) -> bool:
    """A preposition before the group or glued to it (على إسرائيل، بالرئيس، للشعب): no subject."""
    k = g.first - 1
    return (k >= 0 and s.has(k, "prep") and not (k > 0 and s.has(k - 1, "prep_quantifier"))) or (
        bool(s.lex.morph.noun_proclitics) and _glued(s, g, frozenset(s.lex.morph.noun_proclitics)))


def _disagrees(s: _Sent, i: int, g: _Group) -> bool:
    """A verb of the masculine (حث، يدعو) before a feminine actor: a state or a capital, or an
    agent whose noun ends so (الحكومة، القوات): the actor is not the verb's subject."""
    fem = s.lex.morph.feminine
    if not fem or not _masculine_verb(s, i):
        return False
    m = g.mentions[0]
    if m.kind in ("country", "capital"):
        return True
    if m.kind not in ("agent", "organisation"):
        return False  # a man may be named أسامة
    word = s.toks[g.first].norm
    return any(word.endswith(e) for e in fem)


_MASDAR_MIN = 5  # letters of a word whose long vowel before the last letter makes it a verbal noun


def _unconjoined(morph: Morphology, norm: str) -> list[str]:
    """The word as written and without each conjunction it may begin with (وتعهدت: تعهدت)."""
    return [norm[len(c):] for c in ("",) + morph.conj if norm.startswith(c)]


def _noun_shaped(morph: Morphology, word: str) -> bool:
    """A verbal noun's shape: a feminine ending (إدانة) or a long vowel before the last letter
    (انسحاب، استسلام); a past plural (انسحبوا) has not."""
    if morph.past_endings and word.endswith(morph.past_endings):
        return False
    return word.endswith(morph.feminine) or (len(word) >= _MASDAR_MIN and word[-2:-1] in morph.long_vowels)


def _masdar_shaped(s: _Sent, i: int) -> bool:
    """Token ``i`` (after a conjunction) has a verbal noun's shape."""
    morph = s.lex.morph
    return bool(morph.feminine) and any(_noun_shaped(morph, w) for w in _unconjoined(morph, s.toks[i].norm))


def _masculine_verb(s: _Sent, i: int) -> bool:
    """The verb at ``i`` is a singular of the masculine: a form of its rule with no feminine or
    plural ending (حث، ندد، دعا) and no present prefix but ي (يدعو)."""
    h = next((h for h in s.triggers if h.first == i), None)
    if h is None or h.payload.pos != "verb" or _nominal(s, h):
        return False
    morph = s.lex.morph
    firsts = s.lex.firsts.get(h.payload.id, frozenset())
    for word in _unconjoined(morph, s.toks[i].norm):
        if word not in firsts:
            continue
        if (morph.past_feminine and word.endswith(morph.past_feminine)) or \
                (morph.past_endings and word.endswith(morph.past_endings)) or _noun_shaped(morph, word):
            return False  # a feminine or a plural verb, or a verbal noun (إدانة، استسلام: its genitive is its doer)
        return not word.startswith(tuple(p for p in morph.present if p not in morph.imperfect))
    return False


def _noun_subject_before(s: _Sent, i: int) -> bool:
    """A definite noun no table knows right before the verb is its subject (SVO: المملكة تدعم
    اليمن), so the actor after the verb is its object, not its subject — unless a preposition
    governs it (وفي الليلة الماضية اغتال الجيش: the army is the subject)."""
    if i == 0 or s.boundary[i - 1] or not _unknown_noun(s, i - 1):
        return False
    k = i - 1
    while k > 0 and _unknown_noun(s, k - 1):
        k -= 1
    return not (k > 0 and s.has(k - 1, "prep"))


_NOUN_KINDS = frozenset({"crowd", "victim"})


def _unknown_noun(s: _Sent, k: int) -> bool:
    """Whether token ``k`` is a definite noun no table knows: no actor, no cue (a crowd word
    aside: الطلاب، المتظاهرون), no date."""
    if k >= len(s.toks) or s.boundary[k] or (s.kinds.get(k) or _NOUN_KINDS) - _NOUN_KINDS:
        return False
    prefix = _definiteness(s.doc.lang or "ar")[0]
    tok = s.toks[k]
    if not prefix or not tok.norm.startswith(prefix) or len(tok.norm) < len(prefix) + 3:
        return False
    if any(g.first <= k <= g.last for g in s.groups):
        return False
    return not any(t.start <= tok.start < t.end for t in _sentence_times(s))


def _agent_group(s: _Sent, i: int) -> _Group | None:
    for k in range(i + 1, min(len(s.toks), i + 4)):
        if s.has(k, "agent"):
            end = s.cue_end.get((k, "agent"), k)
            for g in s.groups:
                if g.first > end and g.first - end - 1 <= 1:
                    return g
    return None


def _negation(s: _Sent, h: Hit) -> int | None:
    """Token index of a negation that governs the trigger, or None."""
    for k in range(h.first - 1, -1, -1):
        if s.boundary[k]:
            # نفت أن … / denied that …: a negation right before a complementizer covers its clause
            neg = next((j for j in range(k - 1, max(-1, k - 3), -1) if s.has(j, "negation")), None)
            if neg is not None and s.toks[k].norm not in _PUNCT_BOUNDARY:
                return neg
            if s.has(k, "complementizer"):
                neg = _denial_before(s, k)
                if neg is not None:
                    return neg
            break
        if s.has(k, "negation") and not _not_negating(s, k):
            if h.first - k <= _NEG_WINDOW:
                return k
            # a negated quantifier (لم يتلق أي معلومات / received no information) reaches far
            if any(s.has(q, "quantifier") for q in range(k, min(k + 4, h.first))):
                return k
            return None
    # wide scope across clause boundaries: negation + quantifier earlier in the sentence (only
    # the tokens with a cue are visited, nearest first)
    for k in sorted((k for k, kinds in s.kinds.items() if k < h.first and "negation" in kinds), reverse=True):
        if any(s.has(q, "quantifier") for q in range(k, min(k + 4, h.first))):
            return k
    return None


def _not_negating(s: _Sent, k: int) -> bool:
    """A negation word that negates nothing here: ما before a verb of consequence is "what" (ما
    أسفر عن مقتل: which killed), لا before a noun with the article and لـ glued is a slogan (لا
    للحرب: no to war) — event_frames.yaml negation_not_before, slogan_prefixes."""
    if k + 1 >= len(s.toks):
        return False
    nxt = s.toks[k + 1].norm
    return s.has(k + 1, "not_negated") or any(nxt.startswith(p) and len(nxt) > len(p) + 1
                                               for p in s.lex.morph.slogan_prefixes)


def _denial_before(s: _Sent, k: int) -> int | None:
    """A verb of denial whose subject stands between it and the complementizer at ``k``
    (نفى المتحدث باسم الحكومة أن …, the ministry denied reports that …) — itself not negated
    (لم ينف أن: did not deny that)."""
    for j in range(k - 1, max(-1, k - 1 - _DENY_REACH), -1):
        if s.boundary[j]:
            return None
        if s.has(j, "denial"):
            return None if j > 0 and s.has(j - 1, "negation") else j
    return None


def _nominal(s: _Sent, h: Hit) -> bool:
    """Whether the trigger reads as a noun: a noun rule, definite, or right after a preposition."""
    if h.payload.pos == "noun" and s.lex.morph.noun_rules:
        return True
    prefix, _ = _definiteness(s.doc.lang or "ar")
    tok = s.toks[h.first]
    if prefix and any(v.startswith(prefix) and v not in h.payload.article_forms
                      for v in variants(tok.norm, s.doc.lang or "ar")[:3]):
        return True
    # a preposition glued to it (باغتيال، لقطع، للتظاهر): prepositions go before nouns, not verbs
    if s.lex.morph.noun_proclitics and _glued_prefix(s, h, s.lex.morph.noun_proclitics):
        return True
    if h.first > 0 and s.has(h.first - 1, "nominal"):
        return True
    # coordinated with a nominal trigger right before it (اغتيال وقتل، القتل والخطف)
    prev = next((p for p in s.triggers if p.last == h.first - 1), None)
    return prev is not None and any(s.toks[h.first].norm.startswith(c) for c in s.lex.morph.conj[:1]) \
        and _nominal(s, prev)


def _glued_prefix(s: _Sent, h: Hit, prefixes: tuple[str, ...]) -> bool:
    """Whether the trigger's first word is one of ``prefixes`` + a form of its rule (after an
    optional conjunction), rather than a form on its own."""
    norm = s.toks[h.first].norm
    firsts = s.lex.firsts.get(h.payload.id, frozenset())
    lang = s.doc.lang or "ar"
    for c in ("",) + s.lex.morph.conj:
        if not norm.startswith(c) or norm[len(c):] in firsts:
            continue
        word = norm[len(c):]
        for p in prefixes:
            if word.startswith(p) and len(word) - len(p) >= 2 and \
                    any(v in firsts for v in variants(word[len(p):], lang)):
                return True
    return False


def _anchored(s: _Sent, h: Hit) -> bool:
    """Casualties in the sentence, a recent date after the noun, or a verb next to the noun that
    reports the event happening (اندلعت احتجاجات، الهجوم الذي وقع، تعرض لهجوم)."""
    if _counts_casualties(s):
        return True
    # a date that follows the noun in its clause dates the event (تفجير سوق في الموصل أمس);
    # one elsewhere in the sentence may date another act (أدان أمس الهجوم)
    for t in _sentence_times(s):
        k = s.view.tok_index(t.start)
        if h.last < k <= h.last + _DATE_AFTER and not _stale(s.doc, t) \
                and not any(s.boundary[j] and not s.has(j, "relative") for j in range(h.last + 1, k)):
            return True
    # (a multiword trigger may hold its own: a ceasefire took effect)
    near = range(max(0, h.first - _LIGHT_BEFORE), min(len(s.toks), h.last + 1 + _LIGHT_AFTER))
    if any(_light_verb(s, k) for k in near if k != h.first):
        return True
    # fighting / talks between two named sides (event_frames.yaml between_anchors): an event
    # going on between them, not a topic (a form that holds "between" itself, the conflict
    # between X and Y, is not anchored so)
    return s.lex.between_anchors and h.last + 1 < len(s.toks) and s.has(h.last + 1, "between") \
        and _between_pair(s, h, _right_groups(s, h.last)) is not None


def _light_verb(s: _Sent, k: int) -> bool:
    """A verb that reports an event happening (شن، وقع، تعرض) — as a verb: the same word with a
    preposition or the article glued to it is a verbal noun (بشن ضربات: "by launching strikes")."""
    if s.has(k, "light_noun"):
        return True
    if not (s.has(k, "light") or s.has(k, "undergo")):
        return False
    norm = s.toks[k].norm
    morph = s.lex.morph
    prefix, _ = _definiteness(s.doc.lang or "ar")
    for c in ("",) + morph.conj:
        if c and not norm.startswith(c):
            continue
        bare = norm[len(c):]
        for p in morph.noun_proclitics + ((prefix,) if prefix else ()):
            words = s.lex.cues.words
            if bare.startswith(p) and words.get(bare[len(p):], set()) & _LIGHT_KINDS \
                    and not words.get(bare, set()) & _LIGHT_KINDS:
                return False
    return True


_LIGHT_KINDS = frozenset({"light", "undergo"})


def _sentence_times(s: _Sent) -> list:
    sent = s.view.sent
    return [t for t in s.doc.times if sent.start <= t.start < sent.end]


def _counts_casualties(s: _Sent) -> bool:
    """The sentence counts dead or wounded: a number of victims (قتل 18 شخصا، سقوط 12 قتيلا) or a
    death or wound noun with its victims (مقتل شخص وإصابة 11 آخرين، مقتل أحد جنوده). Read once
    per sentence."""
    if s.casualties is None:
        s.casualties = _count_casualties(s)
    return s.casualties


def _count_casualties(s: _Sent) -> bool:
    sent = s.view.sent
    numbers = set()
    for q in s.doc.quantities:
        if sent.start <= q.start < sent.end:
            if q.unit in _CASUALTY_UNITS:
                return True
            numbers.add(s.view.tok_index(q.start))
    n = len(s.toks)
    for i, kinds in s.kinds.items():
        if "casualty" in kinds:
            if any(k in numbers or s.has(k, "victim") for k in range(i + 1, min(n, i + 1 + _VICTIM_AFTER))):
                return True
    return False


def _casualties(s: _Sent) -> bool:
    """The sentence counts casualties or names victims (مدنيين، جنود): an attack with no actor named."""
    return _counts_casualties(s) or any("victim" in k for k in s.kinds.values())


def _stale(doc: Document, t) -> bool:
    """A date more than a year before publication: history recalled, not news reported."""
    if not doc.published or not t.value[:4].isdigit():
        return False
    try:
        pub = dt.date.fromisoformat(doc.published[:10])
        y = int(t.value[:4])
        if t.grain == "year" or len(t.value) == 4:
            last = dt.date(y, 12, 31)
        elif len(t.value) == 7:
            m = int(t.value[5:7])
            last = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            last = dt.date.fromisoformat(t.value[:10])
    except ValueError:
        return False
    return (pub - last).days > _STALE_DAYS


def _past(s: _Sent, h: Hit) -> bool:
    """The date that goes with the trigger is long past (عام 1981, in 2003): not an event of now.

    The trigger's date is the nearest one in its clause; a date in another clause dates another
    act. A date after "since" (منذ 2014) starts a state that lasts until now and does not count."""
    best = None
    for t in _sentence_times(s):
        k = s.view.tok_index(t.start)
        if k > h.last:
            lo, hi = h.last + 1, k
        elif k < h.first:
            lo, hi = k + 1, h.first
        else:
            continue
        # a relative clause dates its noun (الاحتجاجات التي شهدتها البلاد عام 2011)
        if hi - lo > _DATE_AFTER or any(s.boundary[j] and not s.has(j, "relative") for j in range(lo, hi)):
            continue
        if best is None or hi - lo < best[0]:
            best = (hi - lo, t, k)
    if best is None or not _stale(s.doc, best[1]):
        return False
    k = best[2]
    return not any(s.has(j, "since") for j in range(max(0, k - 2), k))


def _topic(s: _Sent, h: Hit) -> bool:
    """A nominal trigger governed by a topic noun names an event, it does not report one:
    جريمة اغتيال X، محاكمة منفذي التفجير، وقف إطلاق الصواريخ، مكافحة الشغب."""
    # one word may stand between: a preposition (التحقيق في اغتيال) or, when the trigger
    # carries a glued preposition, an adjective of the topic noun (وقف فوري لإطلاق النار)
    linked = None
    for k in (h.first - 1, h.first - 2):
        if k < 0 or s.boundary[k]:
            return False
        if s.has(k, "topic"):
            return True
        if s.has(k, "nominal"):
            continue
        if linked is None:
            linked = bool(s.lex.morph.noun_proclitics) and _glued_prefix(s, h, s.lex.morph.noun_proclitics)
        if not linked or k != h.first - 1:
            return False
    return False


def _future(s: _Sent, h: Hit) -> bool:
    """A verb trigger marked future (سيتظاهرون), or "may" or a subjunctive particle before a
    present verb (قد يقتل، أن تشن): what may or should happen has not happened."""
    morph = s.lex.morph
    if not morph.future:
        return False
    norm = s.toks[h.first].norm
    if _glued_prefix(s, h, (morph.future,)) and any(
            norm.startswith(c + morph.future + p) for c in ("",) + morph.conj for p in morph.present):
        return True
    if h.first > 0 and (s.has(h.first - 1, "may") or s.has(h.first - 1, "subjunctive")):
        if morph.past_endings and norm.endswith(morph.past_endings) and not _imperfect(s, h):
            return False  # قد تظاهروا: "have protested" (a present plural ends otherwise)
        if _past_feminine(s, h, norm):
            return False  # قد تعهدت، بعد أن توصلت: "has pledged" (تعهد is the rule's past form)
        return norm.startswith(morph.present) or any(norm.startswith(c) and norm[len(c):].startswith(morph.present)
                                                   for c in morph.conj)
    return False


def _past_feminine(s: _Sent, h: Hit, norm: str) -> bool:
    """A past verb of the feminine (تعهدت، نشرت، توصلت) that begins with a present prefix's
    letter: the rule lists it without its last letter too (تعهد), where a present form has no
    such twin (تشن: no تش)."""
    ending = s.lex.morph.past_feminine
    if not ending:
        return False
    firsts = s.lex.firsts.get(h.payload.id, frozenset())
    return any(word.endswith(ending) and len(word) > len(ending) + 2 and word[:-len(ending)] in firsts
               for word in _unconjoined(s.lex.morph, norm))


def _conditional(s: _Sent, lo: int, hi: int) -> bool:
    """The nearest hypothetical cue before the trigger states a consequence (would), not a
    condition (if) or a guess (could): what an actor would do on a condition it sets is an
    offer or a threat; what happens if … is not."""
    for k in range(hi - 1, lo - 1, -1):
        if s.has(k, "consequence"):
            return True
        if s.has(k, "hypothetical"):
            return False
    return False


def _question(s: _Sent) -> bool:
    """The sentence asks (هل …؟): what it asks about is not asserted. A question quoted (the
    protesters chanted «Europe, where are you?») does not make the sentence ask."""
    if not any("question" in k for k in s.kinds.values()):
        return False
    quoted = False
    for k, tok in enumerate(s.toks):
        if tok.norm in _OPEN_QUOTES or tok.norm in _CLOSE_QUOTES or tok.norm == '"':
            quoted = tok.norm in _OPEN_QUOTES or (tok.norm == '"' and not quoted)
        elif not quoted and s.has(k, "question"):
            return True
    return False


_OPEN_QUOTES = frozenset("«“")
_CLOSE_QUOTES = frozenset("»”")


def _antecedent(s: _Sent, h: Hit) -> _Group | None:
    """The actor a relative pronoun right before the verb stands for, its subject (ماكماستر،
    الذي يزور كابول: not Kabul); two words may stand between them (الذي طالما انتقد، الذي كان قد زار)."""
    k = next((k for k in range(h.first - 1, max(0, h.first - 4), -1)
              if s.has(k, "relative") or s.boundary[k] or any(g.first <= k <= g.last for g in s.groups)), None)
    if k is None or k < 1 or not s.has(k, "relative"):
        return None
    j = k - 1
    if j > 0 and s.toks[j].norm in (",", "،"):
        j -= 1
    return next((g for g in s.groups if g.last == j and not g.location), None)


def _relative(s: _Sent, h: Hit) -> bool:
    """A verb trigger right after a relative pronoun (الذي اغتيل، who was killed)."""
    return h.first > 0 and s.has(h.first - 1, "relative")


def _imperfect(s: _Sent, h: Hit) -> bool:
    """A verb trigger in the imperfect (يقتلون، يهاجم): a habit or a circumstance, not a report
    — unless "was" stands right before it (كانوا يتظاهرون: they were protesting).

    Only prefixes that cannot begin a past form count (ت begins both تقتل and تعرض)."""
    prefixes = s.lex.morph.imperfect
    if not prefixes or any(s.has(k, "past_aux") for k in range(max(0, h.first - 2), h.first)):
        return False
    firsts = s.lex.firsts.get(h.payload.id, frozenset())
    form = next((v for v in variants(s.toks[h.first].norm, s.doc.lang or "ar") if v in firsts), "")
    return form.startswith(prefixes)


def _enclitic(s: _Sent, h: Hit) -> bool:
    """The trigger's first word is a form of its rule only with a pronoun taken off its end."""
    norm = s.toks[h.first].norm
    firsts = s.lex.firsts.get(h.payload.id, frozenset())
    if norm in firsts or any(norm.startswith(c) and norm[len(c):] in firsts for c in s.lex.morph.conj):
        return False
    return any(v in firsts and not norm.endswith(v) for v in variants(norm, s.doc.lang or "ar"))


def _crowd(s: _Sent, h: Hit) -> int | None:
    """Token index of a crowd word standing as the trigger's subject: after it (تجمع آلاف
    المتظاهرين) or just before it (المتظاهرون خرجوا), in the same clause."""
    n = len(s.toks)
    sent = s.view.sent
    # a count of people is a crowd too (تظاهر نحو مائتي شخص); a date between does not count
    counted = {s.view.tok_index(q.start) for q in s.doc.quantities
               if sent.start <= q.start < sent.end and q.unit in _CROWD_UNITS}
    dated = {k for t in _sentence_times(s) for k in range(s.view.tok_index(t.start), s.view.tok_index(t.end - 1) + 1)}
    k, seen = h.last + 1, 0
    while k < n and seen < _CROWD_AFTER and not s.boundary[k]:
        if s.has(k, "crowd") or k in counted:
            return k
        seen += k not in dated
        k += 1
    for k in range(h.first - 1, max(-1, h.first - 1 - _CROWD_BEFORE), -1):
        if s.boundary[k]:
            break
        if s.has(k, "crowd") or k in counted:
            return k
    return None


def _protest_cue(s: _Sent) -> bool:
    """The sentence names protesters (a crowd word that is no mere count: المتظاهرون) or has a
    protest cue (احتجاجا، للمطالبة، لافتات، مسيرة): event_frames.yaml crowd_counts, protest_cues."""
    return any(("crowd" in k and "crowd_count" not in k) or "protest_cue" in k for k in s.kinds.values())


_CROWD_UNITS = frozenset({"people", "protesters", "civilians"})
_CASUALTY_UNITS = frozenset({"dead", "killed", "injured", "wounded", "arrested", "people", "civilians",
                             "troops", "protesters"})


def _between(s: _Sent, a: int, b: int, kind: str) -> bool:
    return any(s.has(k, kind) for k in range(a, b))


def _date(doc: Document, sent: Sentence, pos: int, quote_date: str | None) -> tuple[str | None, str | None, str]:
    best = None
    for t in doc.times:
        if t.start < sent.start or t.end > sent.end:
            continue
        d = abs(t.start - pos)
        if best is None or d < best[0]:
            best = (d, t)
    if best is not None:
        return best[1].value, best[1].grain, "sentence"
    if quote_date:
        return quote_date, _grain(quote_date), "quote"
    if doc.published:
        return doc.published, _grain(doc.published), "published"
    return None, None, "none"


def _ahead(doc: Document, value: str | None) -> bool:
    """A date of a day (or a month) after the publication day (the day after aside: time zones)."""
    if not value or not doc.published or len(doc.published) < 10 or not value[:4].isdigit():
        return False
    try:
        pub = dt.date.fromisoformat(doc.published[:10])
        if len(value) >= 10:
            return (dt.date.fromisoformat(value[:10]) - pub).days > 1
        if len(value) == 8 and value[4:6] == "-W" and value[6:].isdigit():  # a week: its Monday
            return (dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1) - pub).days > 1
        if len(value) == 7:
            return value > doc.published[:7]
    except ValueError:
        return False
    return False


def _grain(value: str) -> str:
    return {4: "year", 7: "month"}.get(len(value), "day")


_PLACE_REACH = 10  # tokens between a trigger and its place


def _location(s: _Sent, h: Hit) -> Location | None:
    """The nearest place phrase of the trigger's sentence: a country or capital the actor
    lexicon found after a location preposition, or a city of the gazetteer (rasad.places)."""
    doc = s.doc
    best: tuple[int, Location] | None = None
    gaz = places.gazetteer(doc.lang or "ar")
    for g in s.groups:
        if not g.location:
            continue
        d = min(abs(g.first - h.last), abs(h.first - g.last))
        if d <= _PLACE_REACH and (best is None or d < best[0]):
            m = g.mentions[0]
            a = doc.actors.get(m.actor or "")
            country = a.country if a else None
            if m.kind == "capital" and country in gaz.capitals:
                p = gaz.capitals[country]
                loc = Location(m.text, country, p.lat, p.lon, p.geonameid, "city")
            elif country in gaz.centroids and m.kind == "country":
                p = gaz.centroids[country]
                loc = Location(m.text, country, p.lat, p.lon, None, "country")
            else:
                loc = Location(m.text, country, precision="country")
            best = (d, loc)
    for first, last, p in _city_phrases(s, gaz):
        d = min(abs(first - h.last), abs(h.first - last))
        if d <= _PLACE_REACH and (best is None or d <= best[0]):
            lo, hi = s.toks[first].start, s.toks[last].end
            best = (d, Location(doc.text[lo:hi], p.country, p.lat, p.lon, p.geonameid, "city"))
    return best[1] if best else None


def _city_phrases(s: _Sent, gaz: places.Gazetteer) -> list[tuple[int, int, places.Place]]:
    """Cities named where the sentence puts a place (after a location preposition, glued or
    apart, and for a small city right after a place noun); cached on the sentence."""
    found = s.cities
    if found is not None:
        return found
    found = s.cities = []
    toks, n = s.toks, len(s.toks)
    if not gaz.names:
        return found
    starts = {g.first for g in s.groups}
    countries = {a.country for a in s.doc.actors.values() if a.country}
    clitics = s.location_clitics
    firsts = {c[:1] for c in clitics}
    i = 0
    while i < n:
        glued = ""
        norm = toks[i].norm
        if i and s.has(i - 1, "location"):
            j = i
        elif norm[:1] in firsts and (glued := next((c for c in clitics if norm.startswith(c)), "")):
            j = i
        else:
            i += 1
            continue
        while j < n and toks[j].norm in gaz.skip:
            j += 1
        after_noun = j < n and toks[j].norm.removeprefix(glued) in gaz.place_nouns
        if after_noun:
            j += 1
            glued = ""
            while j < n and toks[j].norm in gaz.skip:
                j += 1
        if j >= n or j in starts or s.doc.text[toks[j].start].islower():
            i += 1
            continue
        words = [t.norm for t in toks[j:j + gaz.max_words]]
        if glued:
            words[0] = words[0][len(glued):]
        k, cands = gaz.candidates(words)
        p = gaz.choose(cands, countries, after_noun) if k else None
        if p is not None:
            found.append((j, j + k - 1, p))
            i = j + k
        else:
            i += 1
    return found


def _demonym_source(s: _Sent, h: Hit) -> EventActor | None:
    """A nationality adjective that no actor mention holds, on the act's noun (ضربة جوية أميركية,
    the trigger a noun and the adjective within two words after it) or on the subject of a verb
    — just before it in its clause (دبابات روسية فتحت النار) or the noun right after it
    (قصفت طائرات إسرائيلية): the attacker's country. A noun of victims after the verb is its
    object or the subject of its passive (قتل جنود إسرائيليون): its nationality is the victims'."""
    demonyms = _demonyms(s.doc.lang or "ar")
    held = {k for g in s.groups for k in range(g.first, g.last + 1)}
    n = len(s.toks)
    if _nominal(s, h):
        span: list[int] = list(range(h.last + 1, min(n, h.last + 3)))
    else:
        span = list(range(h.first - 1, max(-1, h.first - 1 - _SUBJECT_GAP), -1))
        k = h.last + 1
        if k + 1 < n and not s.boundary[k] and not s.has(k, "victim") and not s.has(k, "casualty") \
                and not any(q.start <= s.toks[k].start < q.end for q in s.doc.quantities):
            span.append(k + 1)
    for k in span:
        if s.boundary[k]:
            break
        country = demonyms.get(s.toks[k].norm)
        if country and k not in held:
            t = s.toks[k]
            return EventActor(actor=None, text=s.doc.text[t.start:t.end], country=country, start=t.start, end=t.end)
    return None


def _crowd_nationality(s: _Sent, k: int) -> str | None:
    """The country of a nationality word right after a crowd word, or right before it."""
    demonyms = _demonyms(s.doc.lang or "ar", True)
    for j in (k + 1, k + 2, k - 1):
        if 0 <= j < len(s.toks) and not s.boundary[j]:
            country = demonyms.get(s.toks[j].norm)
            if country:
                return country
    return None


@functools.cache
def _demonym_types(lang: str) -> frozenset[str]:
    return frozenset(str(t) for t in (read_yaml(lang, "event_frames.yaml") or {}).get("demonym_source") or ())


@functools.cache
def _demonyms(lang: str, plural: bool = False) -> dict[str, str]:
    """Nationality adjectives (the singular forms of actors_demonyms.tsv; with ``plural`` also
    the plural nouns: الإيرانيين) -> country."""
    out: dict[str, str] = {}
    for r in read_tsv(lang, "actors_demonyms.tsv", 3):
        if r[2] == "sg" or plural:
            out.setdefault(normalize_str(r[0]), r[1])
    for c in _norms((read_yaml(lang, "event_frames.yaml") or {}).get("future", {}).get("conjunctions")):
        out.update({c + k: v for k, v in list(out.items()) if c + k not in out})
    return out


def _implicit_place(s: _Sent, ev: Event) -> list[EventActor]:
    """Where a protest or an attack may happen, as actors that can stand for a side of it naming
    no state (event_frames.yaml ``implicit_country``): the place named next to the trigger
    first, then the countries the sentence names after the trigger (where the act's object and
    place stand), then those before it."""
    if ev.type not in s.lex.implicit_sides:
        return []
    near = [g for g in s.groups if g.location and ev.location and g.mentions[0].text == ev.location.name]
    at = s.view.tok_index(ev.trigger.start)
    # a wire dateline's city (القاهرة (رويترز) -) is where the story was filed, not where it happens
    credits = [z.start for z in s.doc.zones if z.kind == "credit"]
    after = [g for g in s.groups if g.first > at and g not in near]  # the act's object and place follow it
    out = []
    for g in near + after + [g for g in s.groups if g not in near and g not in after]:
        if any(0 <= c - g.mentions[-1].end <= 2 for c in credits) or s.doc.zone_at(g.mentions[0].start) != "body":
            continue  # (nor is the agency credited)
        country = _group_country(s.doc, g)
        if country:
            m0, m1 = g.mentions[0], g.mentions[-1]
            out.append(EventActor(actor=None, text=s.doc.text[m0.start:m1.end], country=country,
                                  start=m0.start, end=m1.end))
    return out


def _implicit_country(events: list[Event], where: dict[tuple[int, str], list[EventActor]],
                      doc: Document) -> list[Event]:
    """A side of a protest or an attack that names no state — after the sentence before has
    lent its target (anaphora) — stands in the country where the act happens: protesters with no
    nationality named are of the place they march in, and a protest or an attack with no state
    named as its target is on that country (CAMEO codes an unnamed side by its location)."""
    if not where:
        return events
    sides = lexicon(doc.lang or "ar").implicit_sides
    out = []
    for ev in events:
        cands = where.get((ev.trigger.start, ev.type)) or []
        new: dict[str, EventActor] = {}
        for side in sides.get(ev.type, ()) if cands else ():
            cur: EventActor | None = getattr(ev, side)
            if cur is not None and (cur.country is not None or _actor_country(doc, cur.actor)):
                continue
            if cur is not None:
                # the crowd, the citizens: their words stay, the country is the place's
                new[side] = replace(cur, country=cands[0].country)
                continue
            # never the words of the other side (Iraqi troops attacked a base: the troops are
            # not also what they attacked): then the country alone
            other = new.get("source", ev.source) if side == "target" else ev.target
            cand = cands[0]
            new[side] = EventActor(actor=None, text="", country=cand.country) if _overlap(cand, other) else cand
        if new:
            ev = replace(ev, source=new.get("source", ev.source), target=new.get("target", ev.target))
        out.append(ev)
    return out


def _group_country(doc: Document, g: _Group) -> str | None:
    return _actor_country(doc, g.head(doc).actor)


def _actor_country(doc: Document, actor: str | None) -> str | None:
    a = doc.actors.get(actor or "")
    return a.country if a else None


def _is_political(doc: Document, side: EventActor | None, sectors: frozenset[str], people: bool = True) -> bool:
    """A named person (with ``people``), or an actor of one of ``sectors`` (a party, a parliament,
    the press)."""
    if side is None:
        return False
    a = doc.actors.get(side.actor or "")
    return (people and a is not None and a.kind == "person") or _side_sector(doc, side) in sectors


def _side_sector(doc: Document, side: EventActor) -> str | None:
    a = doc.actors.get(side.actor or "")
    return side.sector or (a.sector if a else None)


def _codes(rule_type: str, cameo: str | None) -> tuple[str | None, float | None, int | None]:
    """CAMEO code (the rule's, else the type's default), its Goldstein score, the quad class."""
    ptype = ontology.plover_type(rule_type)
    code = cameo or (ptype.cameo if ptype else None)
    return code, ontology.goldstein(code) if code else None, ontology.quad(rule_type, code)


def _size(doc: Document, sent: Sentence) -> dict[str, int] | None:
    size: dict[str, int] = {}
    for q in doc.quantities:
        if sent.start <= q.start < sent.end and q.unit in ("dead", "killed", "injured", "arrested"):
            key = {"killed": "dead"}.get(q.unit, q.unit)
            size[key] = size.get(key, 0) + int(q.value)
    return size or None


@stage("events", requires=("sentences", "mentions", "actors", "times", "quotes", "quantities"),
       assigns=("events",))
def events(doc: Document) -> Document:
    lang = doc.lang or "ar"
    lex = lexicon(lang)
    out: list[Event] = []
    if not lex.rules:
        doc.events = out
        return doc
    scored = eventscore.scored_types(lang)
    where: dict[tuple[int, str], list[EventActor]] = {}  # where each protest or attack may happen
    # the document's words are looked up in the indexes once, not sentence by sentence
    forms = token_forms(doc)
    starters = lex.index.starters(forms)
    cue_starters = lex.cues.phrases.starters(forms)
    for view in sentence_views(doc):
        if not view.tokens or doc.zone_at(view.sent.start) != "body" or doc.zone_at(view.sent.end - 1) != "body":
            continue
        hits = lex.index.all_hits(view.tokens, starters=starters)
        if not hits:
            continue
        s = _Sent(doc, view, lex, hits, cue_starters)
        if not s.triggers:
            continue
        heads = [h for h in s.triggers if h.payload.type in _COMPLEMENT_TAKERS]
        for h in s.triggers:
            rule: Rule = h.payload
            # what A asks B to do, refuses, threatens or accuses B of is the content of A's act,
            # not an event of its own
            if any(r is not h and _in_complement(s, r, h) for r in heads):
                continue
            ev = _code(s, h, rule, len(out))
            if ev is not None and ev.type in scored:
                ev = eventscore.rescore(s, h, ev)  # is the act the sentence's news? (learned)
            if ev is not None:
                out.append(ev)
                around = _implicit_place(s, ev)
                if around:
                    where[(ev.trigger.start, ev.type)] = around
    events = _implicit_country(_anaphora(_dedupe(out), doc), where, doc)
    doc.events = _located_agents(events, doc)
    return doc


def _home_country(events: list[Event]) -> str | None:
    """The country most of a story's placed events happen in (at least two of them, and more
    than half): where its police, government and courts with no country named are."""
    placed = Counter(ev.location.country for ev in events if ev.location and ev.location.country)
    if not placed:
        return None
    country, n = placed.most_common(1)[0]
    return country if n >= 2 and 2 * n > sum(placed.values()) else None


def _located_agents(events: list[Event], doc: Document) -> list[Event]:
    """A side that is a state agent with no country named (the police, the government, the
    parliament) is that of the country the act happens in, when the place is known
    (event_frames.yaml ``located_sectors``): police arresting protesters in Nairobi are Kenya's;
    else that of the speaker who tells of it (Kenya's president said the government would …);
    else that of the country most of the story's acts happen in."""
    sectors = lexicon(doc.lang or "ar").located_sectors
    out = []
    home = _home_country(events)
    for ev in events:
        where = ev.location.country if ev.location else None
        if where is None and ev.speaker:
            where = _actor_country(doc, ev.speaker)
        if where is None:
            where = home
        if where and sectors:
            src, tgt = (a if a is None or a.country or a.sector not in sectors else replace(a, country=where)
                        for a in (ev.source, ev.target))
            if src is not ev.source or tgt is not ev.target:
                ev = replace(ev, source=src, target=tgt)
        out.append(ev)
    return out


# what a speaker does by speaking: the speaker of an indirect quote is its source
_VERBAL = frozenset({"AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "CONCEDE"})
_SELF_MOVING = frozenset({"MOBILIZE", "RETREAT"})
# what is asked, refused, threatened, alleged or agreed to is the content of that act, not an act
_COMPLEMENT_TAKERS = frozenset({"REQUEST", "REJECT", "THREATEN", "ACCUSE", "AGREE"})


def _in_complement(s: _Sent, head: Hit, h: Hit) -> bool:
    if not head.last < h.first <= head.last + _COMPLEMENT_REACH:
        return False
    return not any(s.toks[k].norm in _PUNCT_BOUNDARY for k in range(head.last + 1, h.first))


def _phrase_near(toks: list, lo: int, hi: int, phrases: tuple[tuple[str, ...], ...], lang: str,
                 firsts: frozenset[str] | None = None) -> bool:
    """Whether one of ``phrases`` starts at a token in ``[lo, hi)`` (``firsts``: their first words)."""
    lo, hi = max(0, lo), min(len(toks), hi)
    for k in range(lo, hi):
        vs = variants(toks[k].norm, lang)
        if firsts is not None and firsts.isdisjoint(vs):
            continue
        for words in phrases:
            if words[0] in vs and all(
                k + j < len(toks) and w in variants(toks[k + j].norm, lang) for j, w in enumerate(words[1:], 1)
            ):
                return True
    return False


def _quote_at(doc: Document, pos: int):
    for q in doc.quotes:
        if q.start <= pos < q.end:
            return q
    return None


def _code(s: _Sent, h: Hit, rule: Rule, n: int) -> Event | None:
    doc = s.doc
    toks = s.toks
    neg = _negation(s, h)
    refused = neg is not None and rule.type != "REJECT" and (
        s.has(neg, "refusal") or _between(s, neg, h.first, "intention") or rule.type in _YIELDING and (
            s.has(neg, "intention") or (neg > 0 and (s.has(neg - 1, "intention") or s.has(neg - 1, "consequence")))))
    if not refused:
        # what is coded is the act itself: it must be reported happening
        if _nominal(s, h):
            if _topic(s, h) or not _anchored(s, h):
                return None  # a named event (قضية اغتيال X, the protests) recalled, not reported
        elif rule.type in _ACTS and (_relative(s, h) or _imperfect(s, h)):
            # "the minister who was killed in May", "they kill and weep": a description or a
            # habit, not the act reported (an attack noun heading the clause carries the event)
            return None
        if _past(s, h):
            return None  # history (اغتيال السادات عام 1981) told as background
    crowd = _crowd(s, h) if rule.subject == "crowd" or rule.type in _CROWD_TYPES else None
    if rule.subject == "crowd" and (crowd is None or _enclitic(s, h)):
        # تجمع، خرج، رفعوا: a protest only when a crowd does it; these verbs take no object, so
        # with a pronoun glued on they are nouns (تجمعهم: their gathering)
        return None
    if rule.subject == "crowd" and crowd is not None and not _protest_cue(s):
        return None  # hundreds gathered for a concert, at a funeral, in a hotel: no protest
    typ, rule_id, confidence = rule.type, rule.id, rule.confidence
    source_g, target_g = _arguments(s, h, rule)
    if crowd is not None and rule.subject == "crowd":
        # the crowd is the subject of its crowd verb (وتجمع المتظاهرون): an actor before the verb
        # belongs to the clause before, and the crowd is not what the crowd acts on
        source_g = next((g for g in s.groups if g.first <= crowd <= g.last), None)
        if target_g is not None and (target_g is source_g or target_g.first <= crowd <= target_g.last
                                     or target_g.first <= h.first <= target_g.last):
            target_g = None
    if neg is not None:
        if not refused:
            return None  # "did not attack" is no attack; a refusal not made is no refusal
        # "has no plans to withdraw" is not a withdrawal: it turns a request down
        typ, rule_id, confidence = "REJECT", f"{NEGATED_INTENT}<{rule.id}", 0.6
        source_g = _left_group(s, neg, _SUBJECT_GAP) or _left_group(s, neg, _LEFT_REACH)
        target_g = None
    clause0 = s.clause_start(h.first)
    trig_start, trig_end = toks[h.first].start, toks[h.last].end
    quote = _quote_at(doc, trig_start)
    question = _question(s)
    conditional = _conditional(s, clause0, h.first) or _future(s, h)
    if conditional or question or _between(s, clause0, h.first, "hypothetical"):
        modality = "hypothetical"
    elif neg is None and _between(s, max(clause0, h.first - 4), h.first, "intention"):
        modality = "intended"
    elif quote is not None:
        modality = "reported"
    else:
        modality = "asserted"
    if modality in ("hypothetical", "intended") and _between(s, clause0, h.first, "belief"):
        return None  # "confident the chancellor would meet his rules": a belief, no one's act or promise
    cameo_code = rule.cameo if typ == rule.type else None
    intent = _INTENT.get(typ) if modality == "intended" or conditional else None
    if neg is None and intent and not question and not _nominal(s, h):
        # what an actor says it will or would do is a promise or a threat, not the act: CAMEO 03
        # (intent to cooperate: will give aid, would meet) and 13 (will impose a curfew)
        typ, rule_id, confidence = intent, f"{INTENT}<{rule.id}", confidence - 0.1
        cameo_code = _INTENT_CAMEO.get((rule.cameo or "")[:2])
        if typ != "THREATEN" and _between(s, h.last + 1, len(toks), "ultimatum"):
            typ, rule_id, cameo_code = "THREATEN", f"{ULTIMATUM}<{rule.id}", _ULTIMATUM_CAMEO
    source = _actor(doc, source_g, s)
    target = _actor(doc, target_g, s)
    speaker = quote.speaker if quote else None
    if source is None and quote is not None and quote.speaker and quote.kind == "indirect" \
            and typ in _VERBAL and rule.pos != "noun":
        a = doc.actors.get(quote.speaker)
        source = EventActor(actor=quote.speaker, text=quote.speaker_text or "",
                            country=a.country if a else None, sector=a.sector if a else None)
    if typ in _MATERIAL and modality in ("hypothetical", "intended"):
        return None  # an attack that may come, a protest planned: nothing has happened yet
    if source is None and crowd is not None:
        # "تظاهر آلاف" names no political actor: the crowd itself is the source, of the
        # nationality said next to it (آلاف الإيرانيين، متظاهرون أفغان)
        c0, c1 = toks[crowd].start, toks[crowd].end
        source = EventActor(actor=None, text=doc.text[c0:c1], start=c0, end=c1,
                            country=_crowd_nationality(s, crowd))
    if source is None and (rule_id.startswith(INTENT) or rule.frame == "obliged"):
        return None  # a promise, a threat or a demand is somebody's
    if source is not None and target is not None and source.actor == target.actor:
        target = None
    if source is None and typ in _demonym_types(doc.lang or "ar"):
        # الطائرات الإسرائيلية أطلقت، ضربة جوية أميركية: the attacker's nationality on its weapon
        source = _demonym_source(s, h)
    if rule.needs_country and not ((source is not None and source.country) or (target is not None and target.country)):
        return None  # a generated rule's verb is coded only between states' actors
    if source is None and target is None and not _nominal(s, h):
        source = _name_subject(s, h)
        if source is not None and h.last + 1 < len(toks) and s.has(h.last + 1, "passive_after"):
            source, target = None, source  # Cherie accused of …: the name undergoes the act
    if source is None and target is None and not (
            rule.actorless == "always" or (rule.actorless == "casualties" and _casualties(s))):
        return None  # no political actor in sight: a drought "threatens" crops, a team "attacks"
    political = s.lex.verbal_sectors
    if typ == "ASSAULT" and rule.id in s.lex.verbal_rules and not _counts_casualties(s) and (
            _is_political(doc, source, political)
            or (source is None and _is_political(doc, target, political | {"GOV"}))
            or (source is not None and _side_sector(doc, source) not in s.lex.armed_sectors
                and _is_political(doc, target, s.lex.verbal_targets, people=False))):
        # Tories attack Labour's plans, the president attacked the press, (he) attacked the
        # government's record, the chancellor attacked the Conservatives: a person, a party, a
        # parliament or the press attacks, or an unarmed side attacks a party, a parliament or the
        # press, or a side is attacked by no one named, in words (CAMEO 111, criticize)
        typ, rule_id, cameo_code = "ACCUSE", f"{VERBAL_ATTACK}<{rule.id}", "111"
    if typ == "ASSAULT" and source is None and any("accident" in k for k in s.kinds.values()):
        return None  # killed in a train crash, a fire, a flood: deaths with no attacker are no attack
    if source is None and target is None:
        confidence -= 0.25
    elif source is None or target is None:
        confidence -= 0.1
    date, grain, date_source = _date(doc, s.view.sent, trig_start, quote.date if quote else None)
    if modality == "asserted" and date_source == "sentence" and (_nominal(s, h) or rule.pos == "noun") \
            and _ahead(doc, date):
        # next week's summit, a strike called for 23 March: planned, not (yet) happened
        if typ in _MATERIAL:
            return None
        modality = "intended"
    cameo, goldstein, quad = _codes(typ, cameo_code)
    return Event(
        id=f"{doc.id}-{n}", type=typ, mode=rule.mode if typ == rule.type else None,
        context=rule.context if typ == rule.type else (), cameo=cameo, goldstein=goldstein, quad=quad,
        source=source, target=target, date=date, date_grain=grain, location=_location(s, h),
        sentence=s.view.sent, trigger=Sentence(trig_start, trig_end), negated=False,
        modality=modality, speaker=speaker, confidence=round(max(0.05, min(confidence, 0.99)), 2),
        rule=rule_id, date_source=date_source, size=_size(doc, s.view.sent),
    )


def _fits(a: EventActor | None, b: EventActor | None) -> bool:
    return a is None or b is None or a.actor == b.actor


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per sentence and type unless their actors differ: two triggers of one
    sentence (claimed responsibility for … the attacks) are one event, arguments pooled."""
    out: list[Event] = []
    for e in events:
        for k, o in enumerate(out):
            if o.sentence == e.sentence and o.type == e.type and _fits(o.source, e.source) \
                    and _fits(o.target, e.target) and not _crossed(o, e):
                # the surer reading is kept (what the scorer rated the news stays so), its
                # missing sides filled from the other
                keep, other = (o, e) if _score(o) >= _score(e) else (e, o)
                # pooled sides, never the same words on both
                source = keep.source or (None if _same_words(other.source, keep.target) else other.source)
                target = keep.target or (None if _same_words(other.target, source) else other.target)
                out[k] = replace(keep, source=source, target=target)
                break
        else:
            out.append(e)
    return sorted(out, key=lambda e: e.trigger.start)


def _crossed(a: Event, b: Event) -> bool:
    """One event's source is the other's target: two acts (US forces struck, after fire on US
    forces), not one."""
    return any(x is not None and y is not None and (_same_words(x, y) or (x.actor is not None and x.actor == y.actor))
               for x, y in ((a.source, b.target), (a.target, b.source)))


def _same_words(a: EventActor | None, b: EventActor | None) -> bool:
    return a is not None and b is not None and a.start is not None and (a.start, a.end) == (b.start, b.end)


def _overlap(a: EventActor | None, b: EventActor | None) -> bool:
    return a is not None and b is not None and a.start is not None and b.start is not None \
        and a.end is not None and b.end is not None and a.start < b.end and b.start < a.end


def _score(e: Event) -> tuple[float, int]:
    return e.confidence, (e.source is not None) + (e.target is not None)


def _anaphora(events: list[Event], doc: Document) -> list[Event]:
    """An event with no target whose trigger is a definite noun (the attacks) takes the
    target of the latest earlier event of its type in the sentence before; one whose trigger is
    followed by a definite noun naming that earlier act (claimed most of the attacks) takes its."""
    out: list[Event] = []
    for e in events:
        cands = [p for p in reversed(out) if p.type == e.type and p.target is not None
                 and p.sentence != e.sentence and e.sentence.start - p.sentence.end < 400] \
            if e.target is None else []
        prev = None
        if cands and _definite(doc, e):
            # the attacks -> the earlier attacks, rather than the latest event of the type
            words = _bare_words(doc, e.trigger.start, e.sentence.end, 40)
            prev = next((p for p in cands if words & _bare_words(doc, p.trigger.start, p.trigger.end, 3)), cands[0])
        elif cands:
            # claimed most of the attacks: a definite noun after the trigger names the earlier act
            after = _definite_after(doc, e)
            prev = next((p for p in cands if after & _bare_words(doc, p.trigger.start, p.trigger.end, 3)), None)
        if prev is not None and prev.target is not None \
                and (e.source is None or e.source.actor != prev.target.actor):
            e = replace(e, target=prev.target, rule=e.rule + "+anaphora",
                        confidence=round(max(0.05, e.confidence - 0.1), 2))
        out.append(e)
    return out


def _bare_words(doc: Document, start: int, end: int, n: int) -> set[str]:
    lang = doc.lang or "ar"
    out: set[str] = set()
    for w in _WORD.findall(normalize_str(doc.text[start:end]))[:n]:
        out |= _bare_words_of(w, lang)
    return out


def _bare_words_of(w: str, lang: str) -> set[str]:
    """A word's forms without clitics and without a plural ending (الهجمات: هجمات، هجم)."""
    out = {v for v in variants(w, lang) if len(v) > 2}
    out.update(w[: -len(x)] for x in _plural_suffixes(lang) if w.endswith(x) and len(w) - len(x) > 2)
    return out


@functools.cache
def _plural_suffixes(lang: str) -> tuple[str, ...]:
    frames = read_yaml(lang, "event_frames.yaml") or {}
    return tuple(normalize_str(str(x)) for x in frames.get("plural_suffixes") or ())


def _definite_after(doc: Document, e: Event, n: int = 40) -> set[str]:
    """The bare forms of the definite words among the ``n`` after the trigger (الهجمات, the attacks)."""
    prefix, words = _definiteness(doc.lang or "ar")
    lang = doc.lang or "ar"
    seen = _WORD.findall(normalize_str(doc.text[e.trigger.end:e.sentence.end]))[:n]
    out: set[str] = set()
    for i, w in enumerate(seen):
        if (prefix and w.startswith(prefix)) or (i > 0 and seen[i - 1] in words):
            out |= _bare_words_of(w, lang)
    return out


def _definite(doc: Document, e: Event) -> bool:
    """Whether the trigger is a definite noun: the article on its first word (الهجمات) or a
    definite word right before it (the attacks, these attacks)."""
    prefix, words = _definiteness(doc.lang or "ar")
    first = normalize_str(doc.text[e.trigger.start:e.trigger.end]).split()[:1]
    before = normalize_str(doc.text[e.sentence.start:e.trigger.start]).split()[-1:]
    return bool(prefix and first and first[0].startswith(prefix)) or bool(before and before[0] in words)


@functools.cache
def _definiteness(lang: str) -> tuple[str, frozenset[str]]:
    frames = read_yaml(lang, "event_frames.yaml") or {}
    return normalize_str(str(frames.get("definite_prefix") or "")), word_set(frames.get("definite_words") or ())
