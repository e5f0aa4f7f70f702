"""numbers: numbers in digits (both scripts) and in words, with the noun they count.

A Quantity's span is the numeral as written ("١٢٠٠", "1,200", "ثلاثة آلاف وخمسمائة", "2.5 million"),
without a glued conjunction or preposition (و٤٠ -> ٤٠); ``unit`` is the code of the counted noun
(troops, dead, injured, USD, percent ...) and ``unit_text`` that noun as written. Vague numbers
(عشرات, "dozens", آلاف alone) get their lower bound as value and ``mod="vague"``; "about",
"at least", "up to" give ``mod`` about / at_least / at_most.

Not quantities: years, days of dates and anything the times stage claimed, identifiers
("القرار 2254", "F-16", "No. 5"), ordinals, clock times, numbers inside boilerplate zones.

Separators: "," followed by three digits groups thousands; "." is a decimal point, except in
Arabic text where "3.200" (one to three digits, a dot, exactly three digits, no scale word after)
is read as 3200, the thousands separator many Arabic outlets use; "2.5 مليون" stays 2.5 million.

Language data: ``lang/<code>/numbers.tsv`` (number words), ``units.tsv`` (counted nouns),
``numbers.yaml`` (cues).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import compress, count
from operator import attrgetter, itemgetter
from typing import Any

from ..doc import Document, Quantity, Token
from ..errors import ResourceError
from ..lang.loader import read_tsv, read_yaml
from ..pipeline import stage
from .normalize import normalize_str

__all__ = ["numbers", "parse_quantities"]

# a number in digits (matching view: ASCII digits, "," and "." separators)
_DIGITS = re.compile(r"[0-9][0-9.,]*")  # (a simpler class scans faster; trailing ".," cut in code)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_SLASH_BEFORE = re.compile(r"\d\s*[/\\]\s*$")
_SLASH_AFTER = re.compile(r"\s*[/\\]\s*\d")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")
_KINDS = frozenset({"unit", "teen", "tens", "hundred", "mult", "scale", "scale_pl", "vague",
                    "ordinal", "article"})
_MAX_INHERIT_GAP = 60
_start = attrgetter("start")
_NORM = itemgetter(2)  # Token.norm


@dataclass(frozen=True, slots=True)
class _Word:
    value: float
    kind: str
    bound: bool = False  # never a number alone
    weak: bool = False  # alone only with a counted noun after it
    glued: bool = False  # a scale written glued to digits ("$2bn")


@dataclass(frozen=True, slots=True)
class _Res:
    words: dict[str, tuple[int, bool, _Word]]  # form -> (prefix length, prefix joins, word)
    word_keys: frozenset[str]
    units: dict[str, str]
    symbols: frozenset[str]  # unit forms that are no words ($, %)
    digit_prefixes: frozenset[str]
    joiners: frozenset[str]
    of_joiners: frozenset[str]
    adjacent_after_scale: bool
    of_words: frozenset[str]
    unit_stop: frozenset[str]
    skip_between: bool  # pass over words between number and noun (English adjectives)
    identifier_before: frozenset[str]
    year_before: frozenset[str]
    year_after: frozenset[str]
    date_words: frozenset[str]
    modifiers: dict[tuple[str, ...], str]
    modifier_len: int
    modifier_last: frozenset[str]  # last words of the modifiers, a quick first test
    inherit_before: frozenset[str]
    name_before: bool  # a number after a capitalised word inside a sentence is part of a name
    dot_thousands_units: frozenset[str]  # empty: "." is always a decimal point


def _strs(data: dict[str, Any], key: str, where: str) -> list[str]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ResourceError(f"{where}: '{key}' must be a list of strings (quote yes/no/on/off)")
    return items


def _norm_set(items: list[str]) -> frozenset[str]:
    return frozenset(normalize_str(i) for i in items)


@functools.cache
def _res(lang: str) -> _Res:
    where = f"lang/{lang}/numbers.yaml"
    data = read_yaml(lang, "numbers.yaml") or {}
    if not isinstance(data, dict):
        raise ResourceError(f"{where}: expected a mapping at the top")
    proclitics = [normalize_str(p) for p in _strs(data, "word_proclitics", where)]
    joiner_prefixes = _norm_set(_strs(data, "joiner_prefixes", where))
    words: dict[str, tuple[int, bool, _Word]] = {}
    for n, row in enumerate(read_tsv(lang, "numbers.tsv", 3), 1):
        form, value, kind = normalize_str(row[0]), row[1], row[2]
        flags = set(row[3].split(",")) if len(row) > 3 and row[3] else set()
        if kind not in _KINDS:
            raise ResourceError(f"lang/{lang}/numbers.tsv row {n}: unknown kind '{kind}'")
        try:
            word = _Word(float(value), kind, "bound" in flags, "weak" in flags, "glued" in flags)
        except ValueError:
            raise ResourceError(f"lang/{lang}/numbers.tsv row {n}: bad value '{value}'") from None
        words.setdefault(form, (0, False, word))
        for p in proclitics:
            # weak one-syllable words take no proclitic: لست is "I am not", not ل + ست
            if not word.weak:
                words.setdefault(p + form, (len(p), p in joiner_prefixes, word))
    # derived forms of a counted noun: 12 جنديا (accusative); آلاف الجنود (article)
    variants = data.get("unit_variants") or {}
    acc = normalize_str(str(variants.get("accusative") or ""))
    acc_not_after = tuple(normalize_str(x) for x in _strs(variants, "accusative_not_after", where))
    article = normalize_str(str(variants.get("article") or ""))
    units: dict[str, str] = {}
    for row in read_tsv(lang, "units.tsv", 2):
        form, unit = normalize_str(row[0]), row[1]
        units.setdefault(form, unit)
        if form.isalpha():
            if acc and not form.endswith(acc_not_after or (acc,)):
                units.setdefault(form + acc, unit)
            if article:
                units.setdefault(article + form, unit)
    modifiers: dict[tuple[str, ...], str] = {}
    mods = data.get("modifiers") or {}
    for mod in ("about", "at_least", "at_most"):
        for phrase in _strs(mods, mod, where):
            modifiers[tuple(normalize_str(phrase).split())] = mod
    unit_stop = _norm_set(_strs(data, "unit_stop", where))
    return _Res(
        words=words,
        word_keys=frozenset(words),
        units=units,
        symbols=frozenset(f for f in units if not any(c.isalpha() for c in f)),
        digit_prefixes=_norm_set(_strs(data, "digit_prefixes", where)),
        joiners=_norm_set(_strs(data, "joiner_words", where)),
        of_joiners=_norm_set(_strs(data, "of_joiner_words", where)),
        adjacent_after_scale=bool(data.get("adjacent_after_scale")),
        of_words=_norm_set(_strs(data, "of_words", where)),
        unit_stop=unit_stop,
        skip_between=bool(unit_stop),
        identifier_before=_norm_set(_strs(data, "identifier_before", where)),
        year_before=_norm_set(_strs(data, "year_before", where)),
        year_after=_norm_set(_strs(data, "year_after", where)),
        date_words=_norm_set(_strs(data, "date_words", where)),
        modifiers=modifiers,
        modifier_len=max((len(k) for k in modifiers), default=0),
        modifier_last=frozenset(k[-1] for k in modifiers),
        inherit_before=_norm_set(_strs(data, "inherit_before", where)),
        name_before=bool(data.get("number_after_name_is_identifier")),
        dot_thousands_units=frozenset(_strs(data, "dot_thousands_units", where)),
    )


# -- pieces ------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Cand:
    start: int  # text offsets
    end: int
    value: float
    tok_end: int  # index of the first token after the numeral
    vague: bool = False
    digits: bool = False
    plain4: bool = False  # four digits, no separator: maybe a year
    weak: bool = False
    unit: str | None = None
    unit_text: str | None = None
    mod: str | None = None
    tok_start: int = 0
    dot_value: float | None = None  # the value if "." grouped thousands ("3.200 جندي")


def _digit_value(s: str, dot_thousands: bool) -> tuple[float | None, float | None]:
    """``(value, value if the dots group thousands)``."""
    if s.isdigit():
        return float(s), None
    if _THOUSANDS.fullmatch(s):
        return float(s.replace(",", "")), None
    if dot_thousands and _DOT_THOUSANDS.fullmatch(s):
        grouped = float(s.replace(".", ""))
        if s.count(".") > 1:
            return grouped, None  # 1.500.000 can only be grouped
        return float(s), grouped
    if _PLAIN.fullmatch(s):
        return float(s), None
    return None, None


def _tok_index(toks: list[Token], pos: int) -> int:
    return bisect_left(toks, pos, key=_start)


def _digit_candidates(doc: Document, res: _Res) -> list[_Cand]:
    norm = doc.norm_text
    text_span = doc.to_text_span
    toks = doc.tokens
    n = len(norm)
    out: list[_Cand] = []
    for m in _DIGITS.finditer(norm):
        a, b = m.span()
        s = m.group()
        if not s[-1].isdigit():
            s = s.rstrip(".,")
            b = a + len(s)
        # what the digits are glued to
        k = a
        while k > 0 and norm[k - 1].isalpha():
            k -= 1
        if k < a and norm[k:a] not in res.digit_prefixes:
            continue  # "F16", "G20"
        before = norm[k - 1] if k > 0 else " "
        after = norm[b] if b < n else " "
        if before in "-/:" and k > 1 and norm[k - 2].isalnum():
            continue  # "F-16", "2015-07-21", "10/3", "20:26"
        if after in "-/:" and b + 1 < n and norm[b + 1].isdigit():
            continue
        if ("/" in norm[k - 4 if k > 4 else 0:k] and _SLASH_BEFORE.search(norm, max(0, k - 6), k)) \
                or ("/" in norm[b:b + 4] and _SLASH_AFTER.match(norm, b)):
            continue  # "1 / 6 / 1437"
        glued = None
        if after.isalpha():
            w = _NEXT_WORD.match(norm, b)
            entry = res.words.get(w.group(1)) if w else None
            if not (entry and entry[2].glued and before in res.symbols):
                continue  # "20th", "1990s", "5G"
            glued = w
        scale = None
        if glued is not None:
            scale = glued
        elif after == " ":
            w = _NEXT_WORD.match(norm, b)
            if w and w.group(1) in res.words:
                word = res.words[w.group(1)]
                if word[0] == 0 and word[2].kind in ("scale", "scale_pl", "mult") and not word[2].glued:
                    scale = w
        value, dot_value = _digit_value(s, bool(res.dot_thousands_units) and scale is None)
        if value is None:
            continue
        end = b
        if scale is not None:
            value *= res.words[scale.group(1)][2].value
            end = scale.end()
        ta, tb = text_span(a, end)
        out.append(_Cand(ta, tb, value, _tok_index(toks, tb), digits=True,
                         plain4=(scale is None and len(s) == 4 and s.isdigit()), dot_value=dot_value,
                         tok_start=max(0, bisect_right(toks, ta, key=_start) - 1)))
    return out


def _allowed(prev: _Word, nxt: _Word, joined: bool, of: bool, res: _Res) -> bool:
    """May ``nxt`` continue the number ending in ``prev``?"""
    p, q = prev.kind, nxt.kind
    if of:
        return p == "vague" and q == "scale_pl"
    if q in ("ordinal", "article") or p == "ordinal":
        return False
    if joined:
        if p in ("hundred", "mult", "scale", "scale_pl"):
            return q in ("unit", "teen", "tens", "hundred", "mult")
        return p == "unit" and prev.value < 10 and q == "tens"
    if p == "article":
        return q in ("mult", "scale")
    if q in ("scale", "scale_pl"):
        return p not in ("scale", "scale_pl")
    if q == "teen":
        return p == "unit" and prev.value < 10
    if q == "mult":
        return p in ("unit", "tens")
    if p == "tens" and q == "unit" and nxt.value < 10:
        return res.adjacent_after_scale  # English "twenty five"; Arabic puts the unit first
    if p in ("scale", "mult") and q in ("unit", "tens", "hundred"):
        return res.adjacent_after_scale
    return False


def _word_value(items: list[_Word]) -> tuple[float, bool]:
    total = 0.0
    cur = 0.0
    vague = False
    prev: _Word | None = None
    for w in items:
        k = w.kind
        if k == "teen" and prev is not None and prev.kind == "unit":
            cur += w.value
        elif k == "mult":
            cur = cur * w.value if cur else w.value
        elif k in ("scale", "scale_pl"):
            if k == "scale_pl" and not cur:
                vague = True
            cur = (cur or 1) * w.value
            total += cur
            cur = 0
        elif k == "article":
            cur += w.value
        else:
            if k == "vague":
                vague = True
            cur += w.value
        prev = w
    return total + cur, vague


def _gap_ok(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return len(gap) <= 3 and "\n" not in gap and gap.strip() == ""


def _word_candidates(doc: Document, res: _Res, claimed: set[int]) -> list[_Cand]:
    toks = doc.tokens
    text = doc.text
    words = res.words
    keys = res.word_keys
    hits = list(compress(count(), map(keys.__contains__, map(_NORM, toks))))
    out: list[_Cand] = []
    used = -1
    for i in hits:
        if i <= used or i in claimed:
            continue
        plen, _, first = words[toks[i].norm]
        if first.kind == "ordinal":
            used = i
            # the "عشر" of an ordinal (الخامس عشر) is no ten
            if i + 1 < len(toks) and toks[i + 1].norm in words and words[toks[i + 1].norm][2].kind == "teen":
                used = i + 1
            continue
        items = [first]
        last = i
        j = i + 1
        while j < len(toks):
            t = toks[j]
            of = False
            joined = False
            k = j
            if t.norm == "-" and res.adjacent_after_scale and t.start == toks[last].end:
                k = j + 1  # twenty-five
            elif t.norm in res.joiners or t.norm in res.of_joiners:
                of = t.norm in res.of_joiners
                joined = not of
                k = j + 1
            if k >= len(toks) or k in claimed or not _gap_ok(text, toks[k - 1].end, toks[k].start) \
                    or not _gap_ok(text, toks[last].end, toks[j].start):
                break
            entry = words.get(toks[k].norm)
            if entry is None:
                break
            p_len, p_joins, w = entry
            if p_len:
                if not p_joins or joined or of:
                    break
                joined = True
            if not _allowed(items[-1], w, joined, of, res):
                break
            items.append(w)
            last = k
            j = k + 1
        used = last
        if len(items) == 1 and (first.bound or first.kind == "article"):
            continue
        value, vague = _word_value(items)
        start = toks[i].start + _prefix_chars(text, toks[i].start, plen)
        out.append(_Cand(start, toks[last].end, value, last + 1, vague=vague,
                         weak=len(items) == 1 and first.weak, tok_start=i))
    return out


def _prefix_chars(text: str, start: int, letters: int) -> int:
    """Characters of ``text`` from ``start`` that hold ``letters`` letters of the matching form
    (a proclitic may carry diacritics: وَثلاثة)."""
    if not letters:
        return 0
    i = start
    seen = 0
    while seen < letters and i < len(text):
        if normalize_str(text[i]):
            seen += 1
        i += 1
    while i < len(text) and not normalize_str(text[i]):
        i += 1
    return i - start


def _find_unit(toks: list[Token], j: int, res: _Res, text: str, direct: bool = False
               ) -> tuple[str, int, int] | None:
    """``(unit, start, end)`` of the counted noun from token ``j`` on (``direct``: right there,
    not after "of" or other words)."""
    n = len(toks)
    if j >= n:
        return None
    t = toks[j]
    if t.norm in res.symbols:
        return res.units[t.norm], t.start, t.end
    tries = 3 if res.skip_between and not direct else 1
    k = j
    prev_end = toks[j - 1].end if j > 0 else t.start
    while k < n and tries:
        t = toks[k]
        if "\n" in text[prev_end:t.start]:
            return None
        if t.norm in res.of_words and k + 1 < n and not direct:
            k += 1
            if res.skip_between and k < n and toks[k].norm in res.unit_stop and k + 1 < n:
                k += 1  # "of the"
            continue
        if k + 1 < n:
            two = t.norm + " " + toks[k + 1].norm
            if two in res.units:
                return res.units[two], t.start, toks[k + 1].end
        if t.norm in res.units:
            return res.units[t.norm], t.start, t.end
        if not t.norm.isalpha() or t.norm in res.unit_stop or t.norm in res.words:
            return None
        tries -= 1
        prev_end = t.end
        k += 1
    return None


def _modifier(toks: list[Token], i: int, res: _Res) -> str | None:
    if i == 0 or toks[i - 1].norm not in res.modifier_last:
        return None
    for size in range(min(res.modifier_len, i), 0, -1):
        key = tuple(t.norm for t in toks[i - size:i])
        mod = res.modifiers.get(key)
        if mod:
            return mod
    return None


def _after_name(t: Token, text: str, res: _Res) -> bool:
    """A capitalised word inside a sentence (a name), not a month or a modifier."""
    if not (text[t.start].isupper() and t.norm.isalpha()) or t.norm in res.date_words \
            or t.norm in res.modifier_last or t.norm in res.unit_stop:
        return False
    k = t.start - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k >= 0 and text[k] not in "\n.!?\"'“‘:;(-–—"


def _skip(c: _Cand, toks: list[Token], res: _Res, text: str) -> bool:
    """An identifier, a year or the day of a date rather than a count."""
    i = c.tok_start
    prev = toks[i - 1].norm if i > 0 else ""
    prev2 = toks[i - 2].norm + prev if i > 1 else prev
    nxt = toks[c.tok_end].norm if c.tok_end < len(toks) else ""
    if prev in res.identifier_before or prev2 in res.identifier_before:
        return True
    if not c.digits:
        return False
    if res.name_before and i > 0 and _after_name(toks[i - 1], text, res):
        return True  # "Radio 4", "Boeing 747", "Resolution 2254"
    if c.plain4 and c.unit is None and (1800 <= c.value <= 2100 or prev in res.year_before
                                        or nxt in res.year_after):
        return True
    if c.value <= 31 and c.value == int(c.value) and c.unit is None and (
            nxt in res.date_words or prev in res.date_words):
        return True
    return False


def parse_quantities(doc: Document) -> list[Quantity]:
    """Quantities of a document that has ``norm_text`` and ``tokens``."""
    res = _res(doc.lang or "ar")
    toks = doc.tokens
    text = doc.text
    cands = _digit_candidates(doc, res)
    claimed = {k for c in cands for k in range(c.tok_start, c.tok_end)}
    cands.extend(_word_candidates(doc, res, claimed))
    cands.sort(key=lambda c: c.start)
    blocked = sorted([(t.start, t.end) for t in doc.times]
                     + [(z.start, z.end) for z in doc.zones if z.kind == "boilerplate"])
    block_starts = [b[0] for b in blocked]
    out: list[Quantity] = []
    prev: _Cand | None = None
    for c in cands:
        k = bisect_left(block_starts, c.end)  # spans starting before the candidate ends
        if k and any(blocked[j][1] > c.start for j in range(max(0, k - 3), k)):
            continue
        u = _find_unit(toks, c.tok_end, res, text, direct=c.weak)
        if u is None and c.tok_start > 0 and toks[c.tok_start - 1].norm in res.symbols:
            t = toks[c.tok_start - 1]
            u = (res.units[t.norm], t.start, t.end)
        if u is not None:
            c.unit, c.unit_text = u[0], text[u[1]:u[2]]
            if c.dot_value is not None and c.unit in res.dot_thousands_units:
                c.value = c.dot_value
        if c.weak and c.unit is None:
            continue
        if _skip(c, toks, res, text):
            continue
        if c.vague:
            c.mod = "vague"
        else:
            c.mod = _modifier(toks, c.tok_start, res)
        if c.unit is None and prev is not None and prev.unit is not None:
            _inherit(c, prev, toks, res, text)
        value: float | int = int(c.value) if c.value == int(c.value) else c.value
        out.append(Quantity(c.start, c.end, text[c.start:c.end], value, c.unit, c.unit_text, c.mod))
        prev = c
    return out


def _inherit(c: _Cand, prev: _Cand, toks: list[Token], res: _Res, text: str) -> None:
    """"٣٠٠ جندي في الموصل و٤٠ في كركوك": the bare ٤٠ counts troops too."""
    gap = text[prev.end:c.start]
    if len(gap) > _MAX_INHERIT_GAP or "\n" in gap or any(p in gap for p in ".!?؟؛;"):
        return
    # coordinated: "و" glued to the number, or a joiner word just before it
    i = c.tok_start
    glued = toks[i].start < c.start
    if not glued and not (i > 0 and toks[i - 1].norm in res.joiners):
        return
    nxt = toks[c.tok_end].norm if c.tok_end < len(toks) else ""
    if nxt and nxt.isalpha() and nxt not in res.inherit_before:
        return
    c.unit = prev.unit


@stage("numbers", requires=("norm_text", "tokens", "lang"), assigns=("quantities",))
def numbers(doc: Document) -> Document:
    doc.quantities = parse_quantities(doc)
    return doc
