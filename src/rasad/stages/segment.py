"""segment: sentences and tokens with offsets into ``text``.

Sentences never cross a line break, and a sentence-final mark inside quotation marks does
not end the sentence, so a quote introduced by a colon (he said: "…. …") stays whole.
"""

from __future__ import annotations

import functools
import re
from itertools import accumulate, repeat

from ..doc import Document, Sentence, Token
from ..lang.loader import read_tsv
from ..pipeline import stage
from .normalize import expands

_TOKEN = re.compile(r"\w+(?:[.'’]\w+)*|[^\w\s]")
_FINAL = frozenset(".!?؟…")
_CLOSERS = frozenset("\"'”»)]’")
_OPEN_CLOSE = {"«": "»", "“": "”", "(": ")"}


@functools.cache
def _abbreviations() -> frozenset[str]:
    return frozenset(r[0] for lang in ("ar", "en") for r in read_tsv(lang, "abbreviations.tsv", 1))


@functools.cache
def proclitics(lang: str) -> tuple[tuple[str, bool], ...]:
    """Proclitic prefixes of ``lang``, longest first, with whether they swallowed ``ال``."""
    rows = read_tsv(lang, "clitics.tsv", 1)
    out = [(r[0], len(r) > 1 and r[1] == "1") for r in rows]
    return tuple(sorted(out, key=lambda p: -len(p[0])))


def split_sentences(text: str, norm: str) -> list[Sentence]:
    """Sentence spans of ``text`` (``norm`` is its matching view, same length or mapped)."""
    abbrev = _abbreviations()
    out: list[Sentence] = []
    # one pass over the marks that matter (quotation marks, brackets, sentence-final marks)
    # and the line breaks, which end a sentence and reset what is open
    sent_start = 0
    stack: list[str] = []
    straight_open = False
    skip_to = 0
    n = len(text)
    for m in _SPECIAL.finditer(text):
        i = m.start()
        c = m.group()
        if c == "\n":
            _emit(text, sent_start, i, out)
            sent_start = skip_to = i + 1
            stack = []
            straight_open = False
            continue
        if i < skip_to:
            continue
        if c == '"':
            straight_open = not straight_open
        elif c in _OPEN_CLOSE:
            stack.append(_OPEN_CLOSE[c])
        elif stack and c == stack[-1]:
            stack.pop()
        elif c in _FINAL and not straight_open and not stack:
            j = i + 1
            # a line break is neither final nor a closer: the walk stops at the line's end
            while j < n and (text[j] in _FINAL or text[j] in _CLOSERS):
                j += 1
            if (j >= n or text[j].isspace()) and not _is_abbreviation(text, sent_start, i, abbrev):
                _emit(text, sent_start, j, out)
                sent_start = j
                skip_to = j
    _emit(text, sent_start, n, out)
    return out


_SPECIAL = re.compile(r'["«“()»”.!?؟…\n]')


def _is_abbreviation(text: str, lo: int, dot: int, abbrev: frozenset[str]) -> bool:
    if text[dot] != ".":
        return False
    k = dot
    while k > lo and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:dot].lower()
    if not word:
        return False
    # a single capital letter is an initial (George W. Bush)
    return word in abbrev or (len(word) == 1 and text[k].isupper())


def _emit(text: str, a: int, b: int, out: list[Sentence]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append(Sentence(a, b))


def tokenize(doc: Document) -> list[Token]:
    """Word and punctuation tokens; ``norm`` is read from the matching view."""
    # every character is a token's or a space: splitting on the tokens gives gaps and tokens
    # in turn, and their offsets are running sums of lengths (no Python work per token)
    parts = _TOKEN_SPLIT.split(doc.norm_text)
    offsets = list(accumulate(map(len, parts), initial=0))
    norms = parts[1::2]
    starts = offsets[1:-1:2]
    ends = offsets[2::2]
    m = doc.norm_map
    if m is not None:
        m = m + [len(doc.text)]  # as Document.to_text_span: deleted marks stay with their word
        starts = [m[a] for a in starts]
        if expands(doc.text):
            # the next kept character, never less than one past the last (a ligature)
            ends = [max(m[b], m[b - 1] + 1) for b in ends]
        else:  # the map strictly increases: the next kept character is past the last
            ends = [m[b] for b in ends]
    return list(map(_new_tuple, repeat(Token), zip(starts, ends, norms, strict=True)))


_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_new_tuple = tuple.__new__  # Token(a, b, c) without the Python-level __new__ per token


@stage("segment", requires=("norm_text",), assigns=("sentences", "tokens"))
def segment(doc: Document) -> Document:
    doc.sentences = split_sentences(doc.text, doc.norm_text)
    doc.tokens = tokenize(doc)
    return doc
