"""times: temporal expressions normalized to ISO 8601 at their grain, against the document date.

One big precompiled pattern per language, built from ``lang/<code>/times.yaml`` and the
CLDR month and weekday names (``months.tsv``, ``times_weekdays.tsv``), is tried on
``doc.norm_text`` around trigger words (see ``_find``). Each match is read into a candidate
(a date with or without its year, a Hijri date, a year, a day or unit relative to the
document date, a weekday), then resolved against ``doc.published``; when the publication
date is missing it is first inferred from the dates of the text (see ``_infer_published``).
Times are found in every zone: a caption's date is still a date.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..doc import Document, TimeExpr
from ..errors import ResourceError
from ..lang.loader import read_tsv, read_yaml
from ..pipeline import stage
from .normalize import normalize_str

__all__ = ["hijri_to_gregorian", "times"]

# the groups a pattern may set; the prefix sets pre, mod, kw
_FIELDS = ("day", "ord", "month", "year", "ysfx", "hmonth", "wday", "rel", "unit", "off",
           "yoff", "this", "nm")
_NAME = re.compile(r"\{([a-z_]+)\}")
_GROUP = re.compile(r"\(\?P<([a-z_]+)>")
# what separates words besides spaces: (17 فبراير 2011), «أمس»، mid-March, 21/7/2015
_SEPARATORS = tuple("\n\t()[]«»\"“”'’,،.:;؛!?؟/-")
# a date that begins within the first three words of the text is a dateline
_DATELINE = re.compile(r"[^\S\n]*(?:\S+[^\S\n]+){3}")
_BACK = 7  # words a time may hold before its trigger: في أوائل يوم الاثنين، الحادي والعشرين من
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_GRAINS = {4: "year", 7: "month", 10: "day"}


# -- Hijri (tabular Islamic calendar) ------------------------------------------------------
# The arithmetical calendar (30-year cycle, leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26,
# 29): within a day or two of the sighted calendars that news dates follow, which is below
# what a news date needs. Epoch: 1 Muharram 1 AH = 16 July 622 (Julian) = R.D. 227015.
_HIJRI_EPOCH = 227015


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a tabular Hijri date."""
    rd = (_HIJRI_EPOCH - 1 + (year - 1) * 354 + (3 + 11 * year) // 30
          + 29 * (month - 1) + month // 2 + day)
    return dt.date.fromordinal(rd)


def _hijri_month_length(year: int, month: int) -> int:
    nxt = hijri_to_gregorian(year + (month == 12), month % 12 + 1, 1)
    return (nxt - hijri_to_gregorian(year, month, 1)).days


# -- resources -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Pattern:
    id: str
    cue: str  # none | ambiguous | always
    emit: bool
    groups: tuple[tuple[str, str], ...]  # (group in the big regex, field name)
    names: tuple[str, ...]  # the groups in the big regex, for one m.group() call


@dataclass(frozen=True, slots=True)
class _Res:
    triggers: frozenset[str]  # words around which a time is looked for (with clitics)
    regex: re.Pattern[str]  # the whole expression, matched where it may begin
    inner: frozenset[str]  # every word a time may hold (with clitics): the walk back stops
    patterns: dict[str, _Pattern]
    lex: dict[str, dict[str, Any]]  # lexicon name -> normalized word -> value
    words: dict[str, frozenset[str]]
    ambiguous: frozenset[str]
    capitalized: bool
    year_range: tuple[int, int]
    year_range_kw: tuple[int, int]
    hijri_year_range: tuple[int, int]


def _trie(words: set[str] | frozenset[str]) -> str:
    """An alternation of ``words`` shaped as a trie (one branch per next character).

    ``re`` tries the branches of an alternation one by one; a trie makes a position that
    starts no word fail after one look at a few dozen first characters instead of every
    word, which is most of this stage's cost.
    """
    if not words:
        return "(?!)"
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(sub)
                for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # greedy: the longest word first (كانون الثاني before كانون)
        return "(?:" + body + ")?" if "" in node else body

    return "(?:" + emit(root) + ")"


def _fold(rx: str) -> str:
    """Normalize the words of a pattern, not its syntax (\\S must not become \\s)."""
    return _NON_ASCII.sub(lambda m: normalize_str(m.group()), rx)


def _word(w: Any, where: str) -> str:
    if not isinstance(w, str):  # YAML reads on/off/yes/no unquoted as booleans
        raise ResourceError(f"{where}: '{w}' is not a string; quote it")
    return w


def _range(data: dict[str, Any], key: str, default: tuple[int, int]) -> tuple[int, int]:
    lo, hi = data.get(key) or default
    return int(lo), int(hi)


def _key(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


@functools.cache
def _resources(lang: str) -> _Res | None:
    data = read_yaml(lang, "times.yaml")
    if not data:
        return None
    where = f"lang/{lang}/times.yaml"
    lex: dict[str, dict[str, Any]] = {}
    for name, table in (data.get("lexicon") or {}).items():
        lex[name] = {normalize_str(_word(w, where)): _key(v)
                     for v, ws in (table or {}).items() for w in ws}
    lex["abbr"] = {}
    months = dict(lex.pop("month_alias", {}))
    for name, num, width, *_ in read_tsv(lang, "months.tsv", 3):
        (months if width == "wide" else lex["abbr"])[normalize_str(name)] = int(num)
    lex["month"] = months
    lex["weekday"] = {normalize_str(r[0]): int(r[1])
                      for r in read_tsv(lang, "times_weekdays.tsv", 3) if r[2] == "wide"}
    words = {name: frozenset(normalize_str(_word(w, where)) for w in ws or ())
             for name, ws in (data.get("words") or {}).items()}
    vocab: dict[str, frozenset[str]] = {n: frozenset(d) for n, d in lex.items()}
    vocab["month_abbr"] = vocab.pop("abbr")
    vocab.update(words)
    names = {n: _trie(ws) for n, ws in vocab.items()}
    clitics = frozenset(normalize_str(_word(c, where)) for c in data.get("clitics") or ())
    names["clitic"] = _trie(clitics) + "?" if clitics else ""
    macros = {n: _fold(m) for n, m in (data.get("macros") or {}).items()}

    def expand(rx: str) -> str:
        rx = _fold(rx)
        for _ in range(4):  # macros may use macros
            rx = _NAME.sub(lambda m: macros.get(m.group(1), m.group(0)), rx)

        def name(m: re.Match[str]) -> str:
            if m.group(1) not in names:
                raise ResourceError(f"{where}: unknown name {{{m.group(1)}}} in a pattern")
            return names[m.group(1)]

        # a time never crosses a line break
        return _NAME.sub(name, rx).replace(r"\s", r"[^\S\n]")

    branches, patterns = [], {}
    for i, p in enumerate(data.get("patterns") or ()):
        key = f"p{i}"
        # group names are made unique per pattern: p3_day, p4_day
        body = _GROUP.sub(rf"(?P<{key}_\1>", expand(p["regex"]))
        branches.append(f"(?P<{key}>{body})")
        fields = tuple((f"{key}_{g}", g) for g in _GROUP.findall(expand(p["regex"])))
        bad = [g for _, g in fields if g not in _FIELDS]
        if bad:
            raise ResourceError(f"{where}: pattern {p['id']}: unknown group {bad[0]}")
        # the branch's own group last: m.group(*names) then always gives a tuple
        patterns[key] = _Pattern(p["id"], p.get("cue", "none"), p.get("emit", True), fields,
                                 tuple(full for full, _ in fields) + (key, key))
    gate = data.get("gate") or {}
    try:
        pre = frozenset().union(*(vocab[n] for n in gate.get("prefix", ())))
        core = frozenset().union(*(vocab[n] for n in gate.get("core", ())))
        trig_words = frozenset().union(*(vocab[n] for n in gate.get("trigger", ())))
    except KeyError as exc:
        raise ResourceError(f"{where}: gate: unknown name {exc}") from None
    # where a time may begin: up to three prefix words, then a word that can begin one
    gate_rx = expand(
        "(?=(?:{clitic}" + _trie(pre) + r"(?:\s+|-\s*)){0,3}"
        "(?:{clitic}" + _trie(core) + r"(?!\w)|" + _fold(gate.get("core_regex") or "(?!)") + "))"
    )
    source = gate_rx + expand(data.get("prefix") or "") + "(?:" + "|".join(branches) + r")(?!\w)"
    # a multi-word trigger is found by its words that are not cues (أول من أمس by أول and
    # أمس, not من); a day number comes before its month, so only years are numbers here
    cues = frozenset().union(*words.values())
    trig = {t for w in trig_words for t in w.split() if t not in cues or t == w}
    lo_year = min(_range(data, "hijri_year_range", (1300, 1500))[0],
                  _range(data, "year_range_kw", (1500, 2100))[0])
    years = [str(y) for y in range(lo_year, 2101)]
    suffixes = words.get("ad_suffix", frozenset()) | words.get("ah_suffix", frozenset())
    trig.update(years, (y + sfx for y in years for sfx in suffixes))
    tokens = {t for ws in vocab.values() for w in ws for t in w.split()}
    tokens |= {normalize_str(_word(w, where)) for w in gate.get("inner") or ()}
    try:
        regex = re.compile(source)
    except re.error as exc:
        raise ResourceError(f"{where}: the patterns do not compile ({exc})") from None
    return _Res(
        triggers=frozenset(trig | {c + t for c in clitics for t in trig}),
        regex=regex, inner=frozenset(tokens | {c + t for c in clitics for t in tokens}),
        patterns=patterns, lex=lex, words=words,
        ambiguous=frozenset(normalize_str(w) for w in data.get("ambiguous_months") or ()),
        capitalized=bool(data.get("capitalized")),
        year_range=_range(data, "year_range", (1900, 2100)),
        year_range_kw=_range(data, "year_range_kw", (1500, 2100)),
        hijri_year_range=_range(data, "hijri_year_range", (1300, 1500)),
    )


# -- candidates ----------------------------------------------------------------------------
@dataclass(slots=True)
class _Cand:
    start: int  # in norm_text
    end: int
    kind: str  # date | hijri | year | rel | unit | weekday
    year: int | None = None  # as written (Hijri year for hijri)
    month: int | None = None
    day: int | None = None
    off: int | None = None  # offset word: -1 last, 0 this, 1 next
    yoff: int | None = None  # من العام الماضي
    rel: int | None = None  # days from the document date
    unit: str | None = None
    wday: int | None = None
    mod: str | None = None


def _flat(norm: str) -> str:
    """``norm`` with punctuation turned into spaces (same length): words by ``split``."""
    for ch in _SEPARATORS:
        if ch in norm:
            norm = norm.replace(ch, " ")
    return norm


def _triggers(flat: str, res: _Res) -> list[int]:
    """Where the trigger words (month, weekday, أمس, unit, year) start, in order."""
    hits = res.triggers.intersection(flat.split())
    out: list[int] = []
    n = len(flat)
    for w in hits:
        i = flat.find(w)
        while i >= 0:
            j = i + len(w)
            if (i == 0 or flat[i - 1].isspace()) and (j == n or flat[j].isspace()):
                out.append(i)
            i = flat.find(w, j)
    out.sort()
    return out


def _find(norm: str, res: _Res) -> Iterator[re.Match[str]]:
    """The time expressions of ``norm``, left to right, not overlapping.

    Trying the big pattern at every word costs more than the rest of the stage together,
    so a set intersection finds the trigger words (month, weekday, أمس, unit, year) and the
    pattern is tried only from a few words before each: the walk back goes over words a
    time may hold (في أوائل شهر، العاشر من) and the farthest start that reaches the
    trigger wins.
    """
    flat = _flat(norm)
    inner, last = res.inner, 0
    for p in _triggers(flat, res):
        if p < last:
            continue
        lo = max(last, norm.rfind("\n", 0, p) + 1)
        starts, q = [p], p
        for _ in range(_BACK):
            e = q
            while e > lo and flat[e - 1] == " ":
                e -= 1
            if e <= lo:
                break
            ws = flat.rfind(" ", lo, e) + 1 or lo
            word = flat[ws:e]
            if word not in inner and not word[-1:].isdigit():
                break
            starts.append(ws)
            q = ws
        for st in reversed(starts):
            m = res.regex.match(norm, st)
            if m is not None and m.end() > p:
                last = m.end()
                yield m
                break


def _matches(doc: Document, res: _Res) -> list[_Cand]:
    norm, text = doc.norm_text, doc.text
    out: list[_Cand] = []
    for m in _find(norm, res):
        key = m.lastgroup or ""
        pat = res.patterns.get(key)
        if pat is None or not pat.emit:
            continue
        values = m.group(*pat.names)
        present = [(full, f, v) for (full, f), v in zip(pat.groups, values, strict=False)
                   if v is not None]
        if not present:
            continue
        if res.capitalized and any(
                f in ("month", "wday") and not text[doc.to_text_span(s, s + 1)[0]].isupper()
                for s, f in ((m.start(full), f) for full, f, _ in present)):
            continue
        # multi-word names may be spaced more than once in the text
        g = {f: " ".join(v.split()) for _, f, v in present}
        start = min(m.start(full) for full, _, _ in present)
        cand = _read(res, pat, g, m, start, m.end(key))
        if cand is not None:
            out.append(cand)
    return out


def _read(res: _Res, pat: _Pattern, g: dict[str, str], m: re.Match[str], start: int,
          end: int) -> _Cand | None:
    lex = res.lex
    pre, mod, kw = (" ".join(w.split()) if w else None
                    for w in (m.group("pre"), m.group("mod"), m.group("kw")))
    mod_value = lex.get("mod", {}).get(mod) if mod else None
    off = lex["offset"].get(g["off"]) if "off" in g else None
    if "this" in g:
        off = 0
    cand = _Cand(start, end, "date", mod=mod_value, off=off)
    if "yoff" in g:
        cand.yoff = lex["offset"].get(g["yoff"])
    if "year" in g:
        cand.year = int(g["year"])
    if "day" in g:
        cand.day = int(g["day"])
    elif "ord" in g:
        cand.day = lex["ordinal"][g["ord"]]
    words = res.words
    if "hmonth" in g:
        cand.kind, cand.month = "hijri", lex["hijri_month"][g["hmonth"]]
        lo, hi = res.hijri_year_range
        if cand.year is not None and not lo <= cand.year <= hi:
            return None
        return cand
    if "month" in g or "nm" in g:
        if "nm" in g:
            cand.month = int(g["nm"])
            lo, hi = res.hijri_year_range
            if cand.year is not None and (g.get("ysfx") in words.get("ah_suffix", ())
                                          or lo <= cand.year < hi):
                cand.kind = "hijri"
        else:
            name = g["month"].rstrip(".")
            cand.month = lex["month"].get(name) or lex["abbr"].get(name)
            bare = cand.day is None and cand.year is None and off is None and cand.yoff is None
            has_cue = (pre in words.get("month_pre", ()) or mod is not None
                       or kw in words.get("month_kw", ()))
            if bare and not has_cue and (pat.cue == "always" or name in res.ambiguous):
                return None
        if cand.month is None or not 1 <= cand.month <= 12:
            return None
        if cand.year is not None and cand.kind == "date":
            lo, hi = res.year_range_kw
            if not lo <= cand.year <= hi:
                return None
        return cand
    if "rel" in g:
        cand.kind = "rel"
        cand.rel = lex.get("rel_day", {}).get(g["rel"], lex.get("today", {}).get(g["rel"]))
        cand.wday = lex["weekday"].get(g.get("wday", ""))
        return cand if cand.rel is not None else None
    if "unit" in g:
        cand.kind, cand.unit = "unit", lex["unit"][g["unit"]]
        return cand
    if "wday" in g:
        cand.kind, cand.wday = "weekday", lex["weekday"][g["wday"]]
        return cand
    if cand.year is not None:
        cand.kind = "year"
        strong = kw in words.get("year_kw", ()) or g.get("ysfx") in words.get("ad_suffix", ())
        if not strong and pre not in words.get("year_pre", ()) and mod is None:
            return None
        lo, hi = res.year_range_kw if strong else res.year_range
        return cand if lo <= cand.year <= hi else None
    return None


# -- resolution ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Ref:
    """The document date at its grain."""

    date: dt.date  # day 1 / January 1 stand in below the grain
    grain: str  # day | month | year
    inferred: bool = False  # a lower bound only: days relative to it are not resolved


def _parse_published(value: str | None) -> _Ref | None:
    if not value:
        return None
    grain = _GRAINS.get(len(value[:10]))
    try:
        if grain == "day":
            return _Ref(dt.date.fromisoformat(value[:10]), "day")
        if grain == "month":
            return _Ref(dt.date(int(value[:4]), int(value[5:7]), 1), "month")
        if grain == "year":
            return _Ref(dt.date(int(value[:4]), 1, 1), "year")
    except ValueError:
        return None
    return None


def _iso(y: int, m: int | None = None, d: int | None = None) -> tuple[str, str] | None:
    if m is None:
        return f"{y:04d}", "year"
    if d is None:
        return f"{y:04d}-{m:02d}", "month"
    try:
        return dt.date(y, m, d).isoformat(), "day"
    except ValueError:
        return None


def _year_for(c: _Cand, ref: _Ref) -> int:
    """The year of a date written without one, from the document date."""
    p = ref.date
    if c.yoff is not None:
        return p.year + c.yoff
    if ref.grain == "year" or c.off == 0:
        return p.year
    # compare at the coarser of the two grains: a day in the document's month is not after it
    mine = (c.month, c.day or 0) if ref.grain == "day" else (c.month, 0)
    now = (p.month, p.day if c.day else 0) if ref.grain == "day" else (p.month, 0)
    if c.off == 1:  # next January: the first one after the document date
        return p.year if mine > now else p.year + 1
    if c.off == -1 and c.day is None:  # last January: strictly before this month
        return p.year if (c.month or 0) < p.month else p.year - 1
    # December reported in January is last year's December
    return p.year if mine <= now else p.year - 1


def _hijri_value(c: _Cand, ref: _Ref | None) -> tuple[str, str, bool] | None:
    month, day = c.month or 1, c.day
    if day is not None and not 1 <= day <= 30:
        return None
    if c.year is not None:
        years = [c.year]
    elif ref is not None:
        approx = (ref.date.year - 622) * 33 // 32 + 1
        years = [approx - 1, approx, approx + 1]
    else:
        return None
    best = None
    for hy in years:
        if day is not None and day > _hijri_month_length(hy, month):
            continue
        # a Hijri month stands for the Gregorian month of its middle
        g = hijri_to_gregorian(hy, month, day or 15)
        if c.year is None and ref is not None and g > ref.date:
            continue
        best = g
    if best is None:
        return None
    return _with(_iso(best.year, best.month, best.day if day else None), c.year is None)


def _weekday_date(p: dt.date, wday: int, off: int | None) -> dt.date:
    back = (p.isoweekday() - wday) % 7
    if off == 1:
        return p + dt.timedelta(days=(wday - p.isoweekday()) % 7 or 7)
    if off == -1:
        return p - dt.timedelta(days=back or 7)
    # said on Monday: the most recent Monday, the publication day included
    return p - dt.timedelta(days=back)


def _resolve(c: _Cand, ref: _Ref | None) -> tuple[str, str, bool] | None:
    """(value, grain, inferred) or None when the reference cannot ground it."""
    if c.kind == "year":
        return f"{c.year:04d}", "year", False
    if c.kind == "hijri":
        return _hijri_value(c, ref)
    if c.kind == "date":
        if c.year is not None:
            return _with(_iso(c.year, c.month, c.day), False)
        return None if ref is None else _with(_iso(_year_for(c, ref), c.month, c.day), True)
    if ref is None:
        return None
    p = ref.date
    if c.kind == "unit":
        off = c.off or 0
        if c.unit == "year":
            return f"{p.year + off:04d}", "year", True
        if c.unit == "month" and ref.grain in ("day", "month"):
            n = p.year * 12 + p.month - 1 + off
            return f"{n // 12:04d}-{n % 12 + 1:02d}", "month", True
        if c.unit == "week" and ref.grain == "day" and not ref.inferred:
            y, w, _ = (p + dt.timedelta(weeks=off)).isocalendar()
            return f"{y:04d}-W{w:02d}", "week", True
        return None
    # days and weekdays need the day of publication, which an inferred date never gives
    if ref.grain != "day" or ref.inferred:
        return None
    if c.kind == "rel":
        day = p + dt.timedelta(days=c.rel or 0)
        if c.wday is not None:
            # اليوم (الاثنين): a crawl or time-zone date is often a day off; the weekday the
            # writer gave beside it is the better witness, within three days either way
            day += dt.timedelta(days=(c.wday - day.isoweekday() + 3) % 7 - 3)
        return day.isoformat(), "day", True
    if c.kind == "weekday" and c.wday is not None:
        return _weekday_date(p, c.wday, c.off).isoformat(), "day", True
    return None


def _with(r: tuple[str, str] | None, inferred: bool) -> tuple[str, str, bool] | None:
    return None if r is None else (r[0], r[1], inferred)


def _header_stamp(text: str) -> str | None:
    """The day of a machine timestamp standing alone on one of the first lines (a feed's
    ``Fri, 11 Aug 2017 15:16:33 GMT`` or ``2017-08-11T15:16``): the publication day."""
    for line in text.lstrip().split("\n", _STAMP_LINES)[:_STAMP_LINES]:
        line = line.strip()
        if not line or len(line) > _STAMP_MAX:
            continue
        m = _ISO_STAMP.fullmatch(line)
        if m:
            return m.group(1)
        try:
            return email.utils.parsedate_to_datetime(line).date().isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    return None


_STAMP_LINES = 3
_STAMP_MAX = 40
_ISO_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?[A-Z]{3})?)?")


def _infer_published(cands: list[_Cand], head: int = 0, line: int = 0) -> _Ref | None:
    """The document date from the text alone, or None when the text does not tell.

    A wire dateline (a written full date within the first three words, ``head``: "الرياض 25 شوال
    1436 هـ الموافق 10 أغسطس 2015 م") is the document date itself, its Gregorian form
    first, since the tabular Hijri calendar can be a day off the one the agency follows.
    Otherwise a story is written after the dates it reports, so its latest date bounds the
    publication from below. Dates with a written year alone are mostly background (a war
    that began in 2011): they date the story only with dates written without a year, which
    news uses for the recent months. Such a date is put on or after the latest written one
    (its month, or the next year's): after "March 2019", January is January 2020 and June is
    June 2019. The latest of all is the document date; when its year was inferred only its
    month is claimed, the day of publication being unknown. A story that says yesterday or
    Monday is told from its unknown day of publication, its year-less months too, so it is
    not dated this way (on Asharq al-Awsat articles without that check, one in ten
    inferred dates was right).
    """
    written: list[tuple[tuple[int, int, int], str, bool, int]] = []
    for c in cands:
        if c.year is None or c.month is None:
            continue
        r = _resolve(c, None)
        if r is None:
            continue
        value, grain, _ = r
        parts = [int(x) for x in value.split("-")]
        key = (parts[0], parts[1], parts[2] if grain == "day" else 0)
        written.append((key, grain, c.kind == "hijri", c.start))
    if any(start < head and grain == "day" for _, grain, _, start in written):
        first = [w for w in written if w[3] < max(line, head)]
        (y, m, d), grain, _, _ = min(first, key=lambda w: (w[2], w[3]))
        # the day of publication itself: yesterday and Monday resolve against it
        return _Ref(dt.date(y, m, d or 1), grain, False)
    if any(not hijri for _, _, hijri, _ in written):
        written = [w for w in written if not w[2]]
    if not written:
        return None
    (ay, am, ad), agrain, _, _ = max(written)
    best = ((ay, am, ad), agrain, False)
    yearless = False
    for c in cands:
        if c.kind != "date" or c.year is not None or c.yoff is not None or c.off == 1:
            continue
        m = c.month or 1
        y = ay if m >= am else ay + 1
        if _iso(y, m, c.day) is None:
            continue
        yearless = True
        if (y, m, c.day or 0) > best[0]:
            best = ((y, m, c.day or 0), "month", True)
    if not yearless or any(c.kind in ("rel", "weekday") for c in cands):
        return None
    (y, m, d), grain, _ = best
    if grain == "day":
        return _Ref(dt.date(y, m, d), "day", True)
    return _Ref(dt.date(y, m, 1), "month", True)


def _ref_value(ref: _Ref) -> str:
    d = ref.date
    return {"day": d.isoformat(), "month": f"{d.year:04d}-{d.month:02d}"}.get(
        ref.grain, f"{d.year:04d}")


def _text_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Map a norm_text span to text, keeping the marks normalization deleted at its end.

    ``to_text_span`` ends after the last kept character, which cuts the tanween of غداً and
    the tatweel of هـ; everything up to the next kept character belongs to the word.
    """
    a, b = doc.to_text_span(start, end)
    m = doc.norm_map
    if m is not None and end > start:
        b = m[end] if end < len(m) else len(doc.text)
    return a, b


@stage("times", requires=("norm_text", "sentences", "lang"),
       assigns=("times", "published_inferred"))
def times(doc: Document) -> Document:
    res = _resources(doc.lang) if doc.lang else None
    if res is None or not doc.norm_text:
        return doc
    cands = _matches(doc, res)
    ref = _parse_published(doc.published)
    if ref is None and doc.published is None:
        stamp = _header_stamp(doc.text)
        if stamp is not None:
            doc.published, doc.published_inferred = stamp, True
            ref = _parse_published(stamp)
    if ref is None and doc.published is None:
        norm = doc.norm_text
        head, line = _DATELINE.match(norm), norm.find("\n")
        line = line if line >= 0 else len(norm)
        ref = _infer_published(cands, head.end() if head else line, line)
        if ref is not None:
            doc.published = _ref_value(ref)
            doc.published_inferred = True
    out = []
    for c in cands:
        r = _resolve(c, ref)
        if r is None:
            continue
        value, grain, inferred = r
        start, end = _text_span(doc, c.start, c.end)
        out.append(TimeExpr(start, end, doc.text[start:end], value, grain, inferred, c.mod,
                            doc.zone_at(start)))
    doc.times = out
    return doc
