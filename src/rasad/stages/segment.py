"""segment: sentences and tokens with offsets into ``text``.

Sentences never cross a line break, and a sentence-final mark inside quotation marks does
not end the sentence, so a quote introduced by a colon (he said: "…. …") stays whole.
"""

from __future__ import annotations

import functools
import re

from ..doc import Document, Sentence, Token
from ..lang.loader import read_tsv
from ..pipeline import stage

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
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        _split_line(text, start, end, abbrev, out)
    return out


_SPECIAL = re.compile(r'["«“()»”.!?؟…]')


def _split_line(text: str, start: int, end: int, abbrev: frozenset[str], out: list[Sentence]) -> None:
    # only quotation marks, brackets and sentence-final marks matter: visit just those
    sent_start = start
    stack: list[str] = []
    straight_open = False
    skip_to = start
    for m in _SPECIAL.finditer(text, start, end):
        i = m.start()
        if i < skip_to:
            continue
        c = text[i]
        if c == '"':
            straight_open = not straight_open
        elif c in _OPEN_CLOSE:
            stack.append(_OPEN_CLOSE[c])
        elif stack and c == stack[-1]:
            stack.pop()
        elif c in _FINAL and not straight_open and not stack:
            j = i + 1
            while j < end and (text[j] in _FINAL or text[j] in _CLOSERS):
                j += 1
            if (j >= end or text[j].isspace()) and not _is_abbreviation(text, sent_start, i, abbrev):
                _emit(text, sent_start, j, out)
                sent_start = j
                skip_to = j
    _emit(text, sent_start, end, out)


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
    norm = doc.norm_text
    m = doc.norm_map
    if m is None:
        return [Token(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(norm)]
    m = m + [len(doc.text)]  # as Document.to_text_span: deleted marks stay with their word
    return [Token(m[t.start()], max(m[t.end()], m[t.end() - 1] + 1), t.group()) for t in _TOKEN.finditer(norm)]


@stage("segment", requires=("norm_text",), assigns=("sentences", "tokens"))
def segment(doc: Document) -> Document:
    doc.sentences = split_sentences(doc.text, doc.norm_text)
    doc.tokens = tokenize(doc)
    return doc
