"""Word-level matching shared by the cue-driven stages (quotes, events).

Arabic glues conjunctions, prepositions and the article to the front of a word and object
pronouns to its end (وصفتها = و + وصفت + ها); a lexicon lists bare forms, and a token is
looked up under each of its plausible bare forms. Lookups are cached per word.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from .doc import Token
from .lang.loader import read_tsv
from .stages.normalize import normalize_str

T = TypeVar("T")
_NORM = operator.itemgetter(2)  # Token.norm

# token forms whose lookups a PhraseIndex keeps (a corpus has more distinct forms than this)
_CACHE_MAX = 100_000
_RECENT_MAX = 4096  # about the vocabulary of a few articles

_PASSED = "\"'«»“”-"  # marks a phrase passes over

GAP = "*"  # in a multiword form: up to MAX_GAP tokens of anything
MAX_GAP = 4


@functools.cache
def _affixes(lang: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    pre = tuple(sorted({r[0] for r in read_tsv(lang, "clitics.tsv", 1)}, key=len, reverse=True))
    suf = tuple(sorted({r[0] for r in read_tsv(lang, "enclitics.tsv", 1)}, key=len, reverse=True))
    article = next((r[0] for r in read_tsv(lang, "article.tsv", 1)), "")
    return pre, suf, article


@functools.cache
def _taa(lang: str) -> tuple[str, str] | None:
    rows = read_tsv(lang, "taa_marbuta.tsv", 2)
    return (rows[0][0], rows[0][1]) if rows else None


class _Affixes(NamedTuple):
    pre_lens: tuple[int, ...]  # the lengths of the proclitics, longest first
    pre: frozenset[str]
    pre_first: frozenset[str]  # the letters proclitics begin with: a quick first test
    suf_lens: tuple[int, ...]
    suf: frozenset[str]
    suf_last: frozenset[str]
    article: str
    taa: tuple[str, str] | None


@functools.cache
def _affix_sets(lang: str) -> _Affixes:
    """The affixes of ``lang`` as sets, tried by length.

    Two affixes of one length cannot both begin (or end) a word, so trying the lengths longest
    first, each by one set lookup, finds them in the order of ``_affixes``.
    """
    pre, suf, article = _affixes(lang)
    return _Affixes(
        tuple(sorted({len(p) for p in pre}, reverse=True)), frozenset(pre), frozenset(p[:1] for p in pre),
        tuple(sorted({len(x) for x in suf}, reverse=True)), frozenset(suf), frozenset(x[-1:] for x in suf),
        article, _taa(lang),
    )


# word -> variants, per language. A plain dict rather than an lru_cache: its entries (tuples
# of strings) are no containers the garbage collector has to visit again and again, where an
# lru_cache keeps a linked list node per entry. When full, the older half is dropped.
_VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {}
_VARIANTS_MAX = 100_000


def variants(word: str, lang: str) -> tuple[str, ...]:
    """The word and its bare forms without clitics, most literal first."""
    cache = _VARIANTS.get(lang)
    if cache is None:
        cache = _VARIANTS[lang] = {}
    found = cache.get(word)
    if found is None:
        if len(cache) >= _VARIANTS_MAX:
            _drop_oldest(cache)
        found = cache[word] = _variants(word, lang)
    return found


def _drop_oldest(cache: dict) -> None:
    """Forget the older half of a memo (dicts keep insertion order)."""
    for key in list(itertools.islice(cache, len(cache) // 2)):
        del cache[key]


def _variants(word: str, lang: str) -> tuple[str, ...]:
    a = _affix_sets(lang)
    pre, suf = a.pre, a.suf
    if not pre and not suf:
        return (word,)
    article, taa = a.article, a.taa
    out = [word]
    stems = [word]
    n = len(word)
    if word[:1] in a.pre_first:
        for k in a.pre_lens:
            if n - k >= 2 and word[:k] in pre:
                stems.append(word[k:])
    if article:
        for s in list(stems):
            if s.startswith(article) and len(s) - len(article) >= 2:
                stems.append(s[len(article):])
    suf_last, suf_lens = a.suf_last, a.suf_lens
    for s in stems:
        if s not in out:
            out.append(s)
        if s[-1:] not in suf_last:
            continue
        # with a proclitic gone too, a short remainder is more often a misreading than a word
        # (وزارة -> و + زار + ه), so stripping both ends asks for a longer stem
        least = 2 if s == word else 4
        for k in suf_lens:
            if len(s) - k < least or s[-k:] not in suf:
                continue
            bare = s[:-k]
            # a one-letter pronoun is also how a folded ta marbuta ends (طلبة -> طلبه is
            # students, not طلب + ه): take it off only a longer stem or a ت-stem (رغبته)
            if k == 1 and len(bare) < 4 and not (taa and bare.endswith(taa[0])):
                continue
            if bare not in out:
                out.append(bare)
            # a ta marbuta is written ت before a pronoun: رغبتها -> رغبة (ه in matching form)
            if taa and bare.endswith(taa[0]) and bare[:-1] + taa[1] not in out:
                out.append(bare[:-1] + taa[1])
    return tuple(out)


def is_punct(tok: Token) -> bool:
    return not tok.norm[:1].isalnum()


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive)
    payload: T


class PhraseIndex(Generic[T]):
    """Multiword forms indexed by their first word; ``*`` stands for a short gap."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        # token form -> the entries any of its bare forms starts (most tokens start none)
        self._cache: dict[str, tuple[tuple[tuple[str, ...], T], ...]] = {}
        self._starters: set[str] = set()  # the token forms in _cache that start an entry
        # some forms known to be in _cache: a small set answers "all known?" for a sentence
        # from the CPU cache, where the big dict would be looked up in memory, word by word
        self._recent: set[str] = set()

    def add(self, form: str, payload: T) -> None:
        words = tuple(w if w == GAP else normalize_str(w) for w in form.split())
        if not words or words[0] == GAP:
            return
        self._by_first.setdefault(words[0], []).append((words, payload))
        self._cache.clear()
        self._starters.clear()
        self._recent.clear()

    def add_all(self, forms: Iterable[str], payload: T) -> None:
        for f in forms:
            self.add(str(f), payload)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def starters(self, norms: Iterable[str]) -> set[str]:
        """The token forms among ``norms`` that start some entry."""
        norms = set(norms)
        self._learn(norms)
        return self._starters.intersection(norms)

    def _learn(self, norms: set[str]) -> None:
        """Look up the forms not seen yet (the set of those seen is bounded)."""
        recent = self._recent
        new = norms.difference(recent)
        if not new:
            return
        cache = self._cache
        unknown = new.difference(cache)
        if len(cache) + len(unknown) > _CACHE_MAX:
            _drop_oldest(cache)
            self._starters.intersection_update(cache)
            recent.clear()
            new = norms  # what was recent may be gone too
            unknown = new.difference(cache)
        if len(recent) + len(new) > _RECENT_MAX:
            recent.clear()
        recent.update(new)
        entries = self._entries
        starters = self._starters
        for norm in unknown:
            found = cache[norm] = entries(norm)
            if found:
                starters.add(norm)

    def all_hits(self, toks: Sequence[Token], start: int = 0, end: int | None = None,
                 starters: AbstractSet[str] | None = None) -> list[Hit[T]]:
        """Every hit starting in ``toks[start:end]`` (overlapping ones included).

        ``starters``: what ``starters()`` gave for a text holding these tokens (a document's
        forms looked up once, rather than sentence by sentence).
        """
        end = len(toks) if end is None else end
        norms = list(map(_NORM, toks[start:end]))
        if starters is None:
            self._learn(set(norms))
            starters = self._starters
        if starters.isdisjoint(norms):  # most sentences start no form
            return []
        out: list[Hit[T]] = []
        for k, norm in enumerate(norms):
            if norm in starters:
                out.extend(self.match_at(toks, start + k, end))
        return out

    def match_at(self, toks: Sequence[Token], i: int, end: int | None = None) -> list[Hit[T]]:
        """Every form that starts at token ``i`` (longest first)."""
        norm = toks[i].norm
        entries = self._cache.get(norm)
        if entries is None:
            entries = self._entries(norm)
            if len(self._cache) < _CACHE_MAX:
                self._cache[norm] = entries
                if entries:
                    self._starters.add(norm)
        if not entries:
            return []
        end = len(toks) if end is None else end
        hits: list[Hit[T]] = []
        for words, payload in entries:
            last = self._match_rest(toks, i, end, words) if len(words) > 1 else i
            if last is not None:
                hits.append(Hit(i, last, payload))
        if len(hits) > 1:
            hits.sort(key=lambda h: h.last - h.first, reverse=True)
        return hits

    def _entries(self, norm: str) -> tuple[tuple[tuple[str, ...], T], ...]:
        forms = variants(norm, self.lang)
        by_first = self._by_first
        if by_first.keys().isdisjoint(forms):  # most words start nothing
            return ()
        out: list[tuple[tuple[str, ...], T]] = []
        for v in forms:
            out.extend(by_first.get(v, ()))
        return tuple(out)

    def _match_rest(self, toks: Sequence[Token], i: int, end: int, words: tuple[str, ...]) -> int | None:
        lang = self.lang
        n = len(words)
        j = i + 1
        k = 1
        while k < n:
            w = words[k]
            if w == GAP:
                nxt = words[k + 1] if k + 1 < n else None
                if nxt is None:
                    return j - 1
                for g in range(j, min(end, j + MAX_GAP + 1)):
                    if nxt in variants(toks[g].norm, lang):
                        j, k = g, k + 1
                        break
                else:
                    return None
                continue
            # quotation marks and dashes inside a phrase are passed over (is_punct, inlined)
            while j < end:
                norm = toks[j].norm
                if norm[:1].isalnum() or norm not in _PASSED:
                    break
                j += 1
            if j >= end or w not in variants(toks[j].norm, lang):
                return None
            j += 1
            k += 1
        return j - 1

    def scan(self, toks: Sequence[Token], start: int = 0, end: int | None = None,
             starters: AbstractSet[str] | None = None) -> list[Hit[T]]:
        """Longest non-overlapping hits, left to right (``starters`` as for ``all_hits``)."""
        out: list[Hit[T]] = []
        for h in self.all_hits(toks, start, end, starters):
            if out and h.first <= out[-1].last:
                continue
            out.append(h)
        return out


def word_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize_str(str(w)) for w in words)


def has_variant(tok: Token, words: frozenset[str], lang: str) -> bool:
    return any(v in words for v in variants(tok.norm, lang))
