"""quotes: direct and indirect quotes, their cue verb, speaker and date.

A direct quote is the text between quotation marks next to a speech cue (قال، أضاف / said);
an indirect one is the clause after a cue and its complementizer (قال إن … / said that …) or
the sentence around "according to X" (بحسب X). The speaker is the actor named beside the cue,
a person preferred over the institution they speak for.
"""

from __future__ import annotations

import bisect
import functools
import operator
import weakref
from dataclasses import dataclass, field

from ..doc import Document, Mention, Quote, Sentence, Token
from ..lang.loader import read_yaml
from ..match import PhraseIndex, variants, word_set
from ..pipeline import stage

# how far (in tokens) a speaker may stand from its cue
_SPEAKER_WINDOW = 20


@dataclass(frozen=True, slots=True)
class _Cues:
    cues: PhraseIndex[str]
    according: PhraseIndex[str]
    complementizers: frozenset[str]
    marks: tuple[tuple[str, str], ...]
    lang: str = "ar"
    # cues that take a clause with no complementizer (X said the army would …), and the words
    # such a clause may begin with
    bare_cues: frozenset[str] = frozenset()
    clause_starts: frozenset[str] = frozenset()
    _comp: dict[str, bool] = field(default_factory=dict)  # token form -> is a complementizer

    def is_complementizer(self, norm: str) -> bool:
        hit = self._comp.get(norm)
        if hit is None:
            words = self.complementizers
            hit = any(v in words for v in variants(norm, self.lang)) or norm in words
            if len(self._comp) >= _MEMO_MAX:
                self._comp.clear()
            self._comp[norm] = hit
        return hit


_MEMO_MAX = 50_000


@functools.cache
def cues(lang: str) -> _Cues:
    data = read_yaml(lang, "quotes.yaml") or {}
    idx: PhraseIndex[str] = PhraseIndex(lang)
    for c in data.get("cues", []):
        idx.add_all(c["forms"], c["id"])
    acc: PhraseIndex[str] = PhraseIndex(lang)
    for c in data.get("according", []):
        acc.add_all(c["forms"], c["id"])
    marks = tuple((str(a), str(b)) for a, b in data.get("marks", [['"', '"']]))
    bare = data.get("bare_clause") or {}
    return _Cues(idx, acc, word_set(data.get("complementizers", [])), marks, lang,
                 bare_cues=frozenset(str(x) for x in bare.get("cues") or ()),
                 clause_starts=word_set(bare.get("starts") or ()))


class SentenceView:
    """The tokens and mentions of one sentence, with index lookups."""

    def __init__(self, doc: Document, sent: Sentence, tok_starts: list[int], mention_starts: list[int]):
        # weakly: the document keeps its views (``sentence_views``), and a cycle would leave a
        # finished document to the cyclic garbage collector instead of reference counting
        self._doc = weakref.ref(doc)
        self.sent = sent
        a = bisect.bisect_left(tok_starts, sent.start)
        b = bisect.bisect_left(tok_starts, sent.end)
        self.tokens: list[Token] = doc.tokens[a:b]
        self.starts = tok_starts[a:b]
        ma = bisect.bisect_left(mention_starts, sent.start)
        mb = bisect.bisect_left(mention_starts, sent.end)
        self.mentions: list[Mention] = [m for m in doc.mentions[ma:mb] if m.actor]

    @property
    def doc(self) -> Document:
        doc = self._doc()
        assert doc is not None, "a sentence view outlived its document"
        return doc

    def tok_index(self, pos: int) -> int:
        """Index of the token holding (or first after) character ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return max(i, 0)

    def mention_tokens(self, m: Mention) -> tuple[int, int]:
        return self.tok_index(m.start), self.tok_index(m.end - 1)


def sentence_views(doc: Document) -> list[SentenceView]:
    """A view of every sentence, built once per document (quotes and events share them)."""
    return doc.derived("sentence_views", (doc.sentences, doc.tokens, doc.mentions), lambda: _views(doc))


def token_forms(doc: Document) -> set[str]:
    """The distinct token forms of the document (a phrase index looks each up once per document)."""
    return doc.derived("token_forms", (doc.tokens,), lambda: set(map(_TOK_NORM, doc.tokens)))


def _views(doc: Document) -> list[SentenceView]:
    tok_starts = list(map(_TOK_START, doc.tokens))
    mention_starts = [m.start for m in doc.mentions]
    return [SentenceView(doc, s, tok_starts, mention_starts) for s in doc.sentences]


_TOK_START = operator.itemgetter(0)  # Token.start
_TOK_NORM = operator.itemgetter(2)  # Token.norm


def _direct_spans(text: str, sent: Sentence, marks: tuple[tuple[str, str], ...]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for op, cl in marks:
        i = text.find(op, sent.start, sent.end)
        while i != -1:
            j = text.find(cl, i + 1, sent.end)
            if j == -1:
                break
            if len(text[i + 1:j].split()) >= 2 and not any(a <= i < b for a, b in spans):
                spans.append((i + 1, j))
            i = text.find(op, j + 1, sent.end)
    return sorted(spans)


def pick_speaker(view: SentenceView, lo: int, hi: int, cue_at: int) -> Mention | None:
    """The actor mention between token ``lo`` and ``hi`` nearest the cue, persons first."""
    best: tuple[tuple[int, int], Mention] | None = None
    for m in view.mentions:
        a, b = view.mention_tokens(m)
        if a < lo or b > hi:
            continue
        dist = min(abs(a - cue_at), abs(b - cue_at))
        rank = (0 if m.kind in ("person", "coref") and _is_person(view.doc, m) else 1, dist)
        if best is None or rank < best[0]:
            best = (rank, m)
    return best[1] if best else None


def _is_person(doc: Document, m: Mention) -> bool:
    a = doc.actors.get(m.actor or "")
    return a is not None and a.kind == "person"


def _date_near(doc: Document, sent: Sentence, pos: int, skip: tuple[int, int] | None) -> str | None:
    best = None
    for t in doc.times:
        if t.start < sent.start or t.end > sent.end:
            continue
        if skip and skip[0] <= t.start < skip[1]:
            continue
        d = abs(t.start - pos)
        if best is None or d < best[0]:
            best = (d, t.value)
    return best[1] if best else None


@stage("quotes", requires=("sentences", "mentions", "actors", "times"), assigns=("quotes",))
def quotes(doc: Document) -> Document:
    c = cues(doc.lang or "ar")
    out: list[Quote] = []
    text = doc.text
    # every quote needs a cue or an "according to": a sentence with no word that starts one
    # is passed over without a scan (most are)
    norms = token_forms(doc)
    cue_starters = c.cues.starters(norms)
    according_starters = c.according.starters(norms)
    starters = cue_starters | according_starters
    if not starters:
        doc.quotes = out
        return doc
    for view in sentence_views(doc):
        if not view.tokens or starters.isdisjoint(map(_TOK_NORM, view.tokens)):
            continue
        if doc.zone_at(view.sent.start) != "body":
            continue
        toks = view.tokens
        cue_hits = c.cues.scan(toks, starters=cue_starters)
        covered: list[tuple[int, int]] = []
        for qa, qb in _direct_spans(text, view.sent, c.marks):
            qi, qj = view.tok_index(qa), view.tok_index(qb - 1)
            outside = [h for h in cue_hits if h.last < qi or h.first > qj]
            if not outside:
                continue
            best = None
            for cue in outside:
                if cue.first > qj:  # "…," X said / «…» قال X
                    dist = cue.first - qj
                    speaker = pick_speaker(view, qj + 1, min(len(toks) - 1, cue.last + 6), cue.first)
                else:  # قال X: "…"
                    dist = qi - cue.last
                    speaker = pick_speaker(view, max(0, cue.first - 3), qi - 1, cue.last)
                # a cue that introduces the quote with a colon (قال X: "…") comes first; then
                # a cue with a speaker beats a nearer one without; then the nearer, the earlier
                colon = cue.last < qi and any(t.norm == ":" for t in toks[max(cue.last, qi - 3):qi])
                rank = (not colon, speaker is None, dist, cue.first > qj)
                if dist <= _SPEAKER_WINDOW and (best is None or rank < best[0]):
                    best = (rank, cue, speaker)
            if best is None:
                continue
            _, cue, speaker = best
            out.append(_quote(doc, view, qa, qb, speaker, cue.payload, "direct", (qa, qb)))
            covered.append((qa, qb))
        for h in cue_hits:
            if any(a <= toks[h.first].start < b for a, b in covered):
                continue
            q = _indirect(doc, view, h.first, h.last, h.payload, c)
            if q and not any(a < q.end and q.start < b for a, b in covered):
                out.append(q)
                covered.append((q.start, q.end))
        for h in c.according.scan(toks, starters=according_starters):
            if any(a <= toks[h.first].start < b for a, b in covered):
                continue
            q = _according(doc, view, h.first, h.last, h.payload)
            if q:
                out.append(q)
                covered.append((q.start, q.end))
    out.sort(key=lambda q: q.start)
    doc.quotes = out
    return doc


def _quote(doc: Document, view: SentenceView, a: int, b: int, speaker: Mention | None, cue: str,
           kind: str, skip: tuple[int, int]) -> Quote:
    return Quote(
        start=a, end=b, text=doc.text[a:b],
        speaker=speaker.actor if speaker else None,
        speaker_text=speaker.text if speaker else None,
        cue=cue, date=_date_near(doc, view.sent, a, skip), kind=kind,
    )


def _indirect(doc: Document, view: SentenceView, first: int, last: int, cue: str, c: _Cues) -> Quote | None:
    toks = view.tokens
    is_comp = c.is_complementizer
    for k in range(last + 1, min(len(toks), last + _SPEAKER_WINDOW)):
        if is_comp(toks[k].norm):
            if k + 1 >= len(toks):
                return None
            speaker = pick_speaker(view, last + 1, k - 1, last)
            if speaker is None:  # X said that …
                speaker = pick_speaker(view, max(0, first - 8), first - 1, first)
            a, b = toks[k + 1].start, view.sent.end
            while b > a and doc.text[b - 1] in ".،,;؛":
                b -= 1
            return _quote(doc, view, a, b, speaker, cue, "indirect", (a, b))
    return _bare_clause(doc, view, first, last, cue, c)


def _bare_clause(doc: Document, view: SentenceView, first: int, last: int, cue: str,
                 c: _Cues) -> Quote | None:
    """X said the army would leave: a clause right after the cue, with no complementizer, when
    the cue takes one (``bare_clause`` in quotes.yaml), its speaker stands before it and the
    clause begins as a clause does (a determiner, a pronoun, a name)."""
    toks = view.tokens
    if cue not in c.bare_cues or last + 2 >= len(toks):
        return None
    nxt = toks[last + 1]
    starts = nxt.norm in c.clause_starts or any(m.start == nxt.start for m in view.mentions)
    if not starts:
        return None
    speaker = pick_speaker(view, max(0, first - 8), first - 1, first)
    if speaker is None:
        return None
    a, b = nxt.start, view.sent.end
    while b > a and doc.text[b - 1] in ".,;":
        b -= 1
    return _quote(doc, view, a, b, speaker, cue, "indirect", (a, b))


def _according(doc: Document, view: SentenceView, first: int, last: int, cue: str) -> Quote | None:
    toks = view.tokens
    speaker = pick_speaker(view, last + 1, min(len(toks) - 1, last + 6), last)
    if speaker is None:
        return None
    # the reported content is the rest of the sentence after the source's clause
    after = view.tok_index(speaker.end)
    k = after
    while k < len(toks) and toks[k].norm not in (",", "،"):
        k += 1
    if k + 1 < len(toks):
        a, b = toks[k + 1].start, view.sent.end
    else:  # "…, according to X." : the content is before
        a, b = view.sent.start, toks[first].start
    while b > a and doc.text[b - 1] in " .،,;؛":
        b -= 1
    if b - a < 5:
        return None
    return _quote(doc, view, a, b, speaker, cue, "indirect", (a, b))
