"""zones: label boilerplate, captions, credits, bylines and the title; nothing is deleted.

Works line by line on the matching view (``norm_text``): a zone is almost always a whole short
line, and a real sentence is never boilerplate. What is not labelled is body text.
Language data: ``lang/<code>/boilerplate.yaml`` (boilerplate lines), ``zones.yaml`` (caption,
byline, credit and dateline cues) and ``agencies.tsv`` of both languages (credited sources).
``doc.credits`` holds the agencies credited for the article (dateline, byline attribution, credit
lines), in order of appearance; a photo credit is only a "credit" zone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ..doc import Document, Zone
from ..errors import ResourceError
from ..lang.loader import LANGS, read_tsv, read_yaml
from ..pipeline import stage
from .normalize import normalize_str

__all__ = ["Agency", "boilerplate_rule", "caption_rule", "dateline_rule", "resolve_agency",
           "resolve_agency_list", "zones"]

_CREDITED = frozenset({"agency", "outlet"})  # not "photo" (a photo credit), not "generic" (وكالات)
_WORDS_MAX_CAPTION = 45
_LONG_CHARS = 2000  # counting spaces this far tells a paragraph from a short line
_WORDS_MAX_BYLINE = 14
_WORDS_MAX_CREDIT_LINE = 10
_WORDS_MAX_BYLINE_INSIDE = 8  # a byline away from the edges must be shorter
_WORDS_MAX_LINK = 14  # a linked headline after "Read more:"
_SENTENCE_END = frozenset('.!?؟"»”')
_HEAD_LINES = 3  # datelines and top bylines live in the first lines
_TAIL_LINES = 6  # bylines and credit lines in the last ones
_BRACKETS = "()[]{}«»\"“”'‹›*•·-–—ـ:：.,،;؛ "
_YEAR_END = re.compile(r"(?:1[89]|20)\d\d\s*[.)]?$")
_QUOTES = re.compile(r"[\"«»“”]")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"[.·]")


# -- language data ---------------------------------------------------------------------------
def _norm_pattern(p: str) -> str:
    """The matching form of a regex: non-ASCII folded as text is, ASCII letters lower-cased,
    backslash escapes left alone (``\\S`` must stay ``\\S``)."""
    out: list[str] = []
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            out.append(p[i:i + 2])
            i += 2
            continue
        if p.startswith(("(?P<", "(?P="), i):  # a group name is kept as written
            j = p.index(">" if p[i + 3] == "<" else ")", i)
            out.append(p[i:j + 1])
            i = j + 1
            continue
        out.append(c.lower() if c.isascii() else normalize_str(c))
        i += 1
    return "".join(out)


def _compile(p: str, where: str, agency: str = "") -> re.Pattern:
    try:
        return re.compile(_norm_pattern(p).replace("{agency}", agency))
    except re.error as exc:
        raise ResourceError(f"{where}: bad regex ({exc})") from None


@dataclass(frozen=True, slots=True)
class Agency:
    name: str  # canonical English name: Reuters, AFP, ...
    country: str | None
    kind: str  # agency | outlet | photo | generic


def _agency_key(s: str) -> str:
    s = _DOTS.sub(" ", normalize_str(s))
    return _SPACES.sub(" ", s).strip(_BRACKETS)


@functools.cache
def _agencies() -> dict[str, Agency]:
    out: dict[str, Agency] = {}
    for lang in LANGS:
        for row in read_tsv(lang, "agencies.tsv", 2):
            agency = Agency(row[1], row[2] if len(row) > 2 and row[2] else None,
                            row[3] if len(row) > 3 and row[3] else "agency")
            out[_agency_key(row[0])] = agency
    return out


@functools.cache
def _agency_prefixes() -> tuple[str, ...]:
    prefixes = {_agency_key(p) for lang in LANGS for p in (_data(lang).get("agency_prefixes") or ())}
    return tuple(sorted(prefixes, key=len, reverse=True))


@functools.cache
def _agency_regex() -> str:
    """Any agency surface as a regex over the matching form (dots/spaces of abbreviations free)."""
    alts = []
    for key in sorted(_agencies(), key=len, reverse=True):
        parts = [re.escape(t) for t in key.split(" ")]
        alts.append(r"[\s.]+".join(parts) if all(len(t) == 1 for t in key.split(" "))
                    else r"\s+".join(parts))
    return r"(?<!\w)(?:" + "|".join(alts) + r")\.?(?!\w)"


def resolve_agency(surface: str) -> Agency | None:
    """The agency or outlet a credited name stands for ("وكالة فرانس برس" -> AFP), else None."""
    key = _agency_key(surface)
    lex = _agencies()
    hit = lex.get(key)
    if hit is not None:
        return hit
    for prefix in _agency_prefixes():
        if key.startswith(prefix + " "):
            hit = lex.get(key[len(prefix) + 1:].strip())
            if hit is not None:
                return hit
    return None


def resolve_agency_list(text: str, lang: str) -> list[Agency] | None:
    """Agencies of a credit list ("نقلا عن أ ف ب، رويترز"); None unless every item is one."""
    res = _res(lang)
    s = text.strip(_BRACKETS)
    m = res.attribution.match(s)
    if m:
        s = s[m.end():]
    out = []
    for item in res.separators.split(s):
        item = item.strip(_BRACKETS)
        if not item:
            continue
        agency = resolve_agency(item)
        if agency is None:
            return None
        out.append(agency)
    return out or None


@functools.cache
def _data(lang: str) -> dict[str, Any]:
    data = read_yaml(lang, "zones.yaml")
    if data is not None and not isinstance(data, dict):
        raise ResourceError(f"lang/{lang}/zones.yaml: expected a mapping at the top")
    return data or {}


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    pattern: re.Pattern
    flag: bool = False  # boilerplate: whole line (False) or line end (True); caption: no_verb
    max_words: int = 0
    needs_digit: bool = False


@dataclass(frozen=True, slots=True)
class _Res:
    max_words: int
    boiler_line: re.Pattern | None
    boiler_groups: dict[str, str]
    takes_next: dict[str, int]  # rule id -> following short lines that belong to it
    boiler_end: tuple[_Rule, ...]
    credit_patterns: tuple[_Rule, ...]
    line_markers: tuple[_Rule, ...]
    credit_lines: tuple[_Rule, ...]
    scene: re.Pattern | None
    scene_id: str
    not_start: re.Pattern | None
    verbs: re.Pattern | None
    datelines: tuple[_Rule, ...]
    attribution: re.Pattern
    separators: re.Pattern
    credit_cues: re.Pattern
    credit_adds: dict[str, bool]
    byline_marker: re.Pattern | None
    byline_tail: re.Pattern | None
    byline_place: re.Pattern | None
    joiners: frozenset[str]
    not_name: frozenset[str]
    particles: frozenset[str]
    name_first_not: re.Pattern | None
    cased: bool  # names are capitalised (Latin script)


def _alternation(words: list[str]) -> str:
    keys = sorted({_norm_pattern(re.escape(w)) for w in words if w}, key=len, reverse=True)
    return "|".join(keys)


def _rules(items: list[dict[str, Any]] | None, where: str, agency: str, flag_key: str) -> tuple[_Rule, ...]:
    out = []
    for n, item in enumerate(items or ()):
        if "id" not in item or "pattern" not in item:
            raise ResourceError(f"{where}: rule {n + 1} needs an id and a pattern")
        out.append(_Rule(item["id"], _compile(item["pattern"], f"{where} {item['id']}", agency),
                         bool(item.get(flag_key)), int(item.get("max_words") or 0),
                         bool(item.get("needs_digit"))))
    return tuple(out)


@functools.cache
def _res(lang: str) -> _Res:
    agency = _agency_regex()
    boiler = read_yaml(lang, "boilerplate.yaml") or {}
    where = f"lang/{lang}/boilerplate.yaml"
    groups: dict[str, str] = {}
    takes_next: dict[str, int] = {}
    alts = []
    ends = []
    for n, item in enumerate(boiler.get("patterns") or ()):
        if "id" not in item or "pattern" not in item:
            raise ResourceError(f"{where}: pattern {n + 1} needs an id and a pattern")
        if item.get("takes_next"):
            takes_next[item["id"]] = int(item["takes_next"])
        if item.get("where", "line") == "end":
            ends.append(_Rule(item["id"], _compile(item["pattern"], f"{where} {item['id']}"), True))
        else:
            _compile(item["pattern"], f"{where} {item['id']}")  # validate alone, for a clear error
            groups[f"b{n}"] = item["id"]
            alts.append(f"(?P<b{n}>{_norm_pattern(item['pattern'])})")
    data = _data(lang)
    where = f"lang/{lang}/zones.yaml"
    cap = data.get("caption") or {}
    verbs = cap.get("verbs") or []
    template = data.get("verb_template") or r"(?<!\w)(?:{verbs})(?!\w)"
    cues = data.get("credit_cues") or []
    markers = data.get("byline_markers")
    first_not = data.get("name_first_word_not")
    return _Res(
        max_words=int(boiler.get("max_words") or 10),
        boiler_line=re.compile("|".join(alts)) if alts else None,
        boiler_groups=groups,
        takes_next=takes_next,
        boiler_end=tuple(ends),
        credit_patterns=_rules(cap.get("credit_patterns"), where, agency, "no_verb"),
        line_markers=_rules(cap.get("line_markers"), where, agency, "no_verb"),
        credit_lines=_rules(cap.get("credit_lines"), where, agency, "no_verb"),
        scene=_compile(cap["scene"], f"{where} caption.scene") if cap.get("scene") else None,
        scene_id=f"{lang}-scene-caption",
        not_start=_compile(cap["not_start"], where) if cap.get("not_start") else None,
        verbs=re.compile(template.replace("{verbs}", _alternation(verbs))) if verbs else None,
        datelines=_rules(data.get("datelines"), where, agency, "no_verb"),
        attribution=re.compile(r"(?:" + _alternation(data.get("attribution_cues") or ["\x00"])
                               + r")(?:\s*[:：]\s*|\s+)"),
        separators=_compile(data.get("list_separators") or r"\s*[,/&;]\s*", where),
        credit_cues=re.compile(r"(?<!\w)(?:" + _alternation([c["cue"] for c in cues] or ["\x00"])
                               + r")(?!\w)"),
        credit_adds={normalize_str(c["cue"]): bool(c.get("adds", True)) for c in cues},
        byline_marker=(_compile(r"^(?:" + markers + r")(?:\s*[:：\-–—]\s*|\s+)(?P<rest>.+)$", where)
                       if markers else None),
        byline_tail=_compile(data["byline_tail"], where) if data.get("byline_tail") else None,
        byline_place=_compile(data["byline_place"], where) if data.get("byline_place") else None,
        joiners=frozenset(normalize_str(w) for w in data.get("name_joiners") or ()),
        not_name=frozenset(normalize_str(w) for w in data.get("not_name_words") or ()),
        particles=frozenset(normalize_str(w) for w in data.get("name_particles") or ()),
        name_first_not=_compile(first_not, where) if first_not else None,
        cased=lang == "en",
    )


# -- rules on one line (public for the data tests) ----------------------------------------------
def boilerplate_rule(lang: str, line: str) -> tuple[str, int, int] | None:
    """``(rule id, start, end)`` of boilerplate in one line of text, else None."""
    norm = normalize_str(line)
    a = len(norm) - len(norm.lstrip())
    b = len(norm.rstrip())
    return _boilerplate(_res(lang), norm[a:b])


def _boilerplate(res: _Res, line: str) -> tuple[str, int, int] | None:
    if res.boiler_line is not None and line.count(" ") < res.max_words:
        m = res.boiler_line.fullmatch(line)
        if m:
            return res.boiler_groups[m.lastgroup or ""], 0, len(line)
    lo = max(0, len(line) - 60)
    for rule in res.boiler_end:
        m = rule.pattern.search(line, lo)
        if m:
            return rule.id, m.start(), m.end()
    return None


def caption_rule(lang: str, line: str, first: bool = False) -> tuple[str, list[tuple[int, int, str]]] | None:
    """``(rule id, [(start, end, kind)])`` when a line is a photo caption or credit, else None."""
    norm = normalize_str(line)
    return _caption(_res(lang), norm, first)


def _caption(res: _Res, line: str, first: bool) -> tuple[str, list[tuple[int, int, str]]] | None:
    words = line.count(" ") + 1
    if words > _WORDS_MAX_CAPTION:
        return None
    n = len(line)
    sentence_start = res.not_start is not None and res.not_start.search(line) is not None
    for rule in res.credit_lines:
        if rule.pattern.search(line):
            return rule.id, [(0, n, "credit")]
    lo = max(0, n - 120)
    for rule in res.credit_patterns:
        m = rule.pattern.search(line, lo)
        if not m:
            continue
        a = m.start("credit")
        rest = line[:a].rstrip(" \t,،-–—|")
        if rule.max_words and words > rule.max_words:
            continue
        if rule.flag and (not rest or sentence_start or _has_verb(res, rest)):
            continue
        spans = [(a, m.end("credit"), "credit")]
        if rest:
            spans.insert(0, (0, len(rest), "caption"))
        return rule.id, spans
    if words <= 30:
        for rule in res.line_markers:
            if rule.pattern.search(line) and not sentence_start and not _has_verb(res, line):
                return rule.id, [(0, n, "caption")]
    # a verbless line describing a scene, ending with a date: "<who> during a news conference in
    # <city> on <date>."
    if (not first and not sentence_start and words <= 35 and res.scene is not None and res.scene.search(line)
            and _YEAR_END.search(line) and not _QUOTES.search(line) and not _has_verb(res, line)
            and line.rstrip(".").count(". ") == 0):
        return "scene-caption", [(0, n, "caption")]
    return None


def _has_verb(res: _Res, s: str) -> bool:
    return res.verbs is not None and res.verbs.search(s) is not None


def dateline_rule(lang: str, line: str) -> tuple[str, int, int, list[Agency]] | None:
    """``(rule id, start, end, agencies)`` of a dateline's credit at the start of a text line."""
    return _dateline(_res(lang), lang, normalize_str(line))


def _dateline(res: _Res, lang: str, line: str) -> tuple[str, int, int, list[Agency]] | None:
    words = line.count(" ") + 1
    for rule in res.datelines:
        if rule.max_words and words > rule.max_words:
            continue
        if rule.needs_digit and not _DIGIT.search(line):
            continue
        m = rule.pattern.search(line)
        if not m:
            continue
        if "place" in m.re.groupindex and m.group("place") and m.group("place").count(" ") > 5:
            continue
        agencies = resolve_agency_list(m.group("ag"), lang)
        if agencies:
            return rule.id, m.start("credit"), m.end("credit"), agencies
    return None


# -- bylines and credit lines ------------------------------------------------------------------
def _name_ok(res: _Res, words: list[str], owords: list[str]) -> bool:
    """A person's name by its shape: 1-4 words, no digits, no function word or verb."""
    if not 1 <= len(words) <= 4 or len(owords) != len(words):
        return False
    if res.name_first_not is not None and res.name_first_not.search(words[0]):
        return False
    if res.cased and words[0] in res.particles:
        return False
    for w, ow in zip(words, owords, strict=True):
        if not _WORD.fullmatch(w) or w in res.not_name:
            return False
        if res.cased and not ow[0].isupper() and w not in res.particles:
            # "al-Mughrabi", "bin-Salman": a particle glued to a capitalised name
            head, _, tail = ow.partition("-")
            if not (tail[:1].isupper() and head.lower() in res.particles):
                return False
    return True


def _names_ok(res: _Res, words: list[str], owords: list[str]) -> bool:
    """One to four names joined by commas or "and"/"و" ("By X and Y")."""
    if not words or len(words) != len(owords):
        return False
    groups = 0
    cur: list[str] = []
    ocur: list[str] = []
    for w, ow in zip(words, owords, strict=True):
        if w in res.joiners:
            if not cur:
                return False
            if not _name_ok(res, cur, ocur):
                return False
            groups += 1
            cur, ocur = [], []
            continue
        comma = w.endswith((",", "،"))
        cur.append(w.rstrip(",،"))
        ocur.append(ow.rstrip(",،"))
        if comma:
            if not _name_ok(res, cur, ocur):
                return False
            groups += 1
            cur, ocur = [], []
    if cur:
        if not _name_ok(res, cur, ocur):
            return False
        groups += 1
    return 1 <= groups <= 4 and not (res.joiners and words[-1] in res.joiners)


_NAME_ATTR = re.compile(r"^(?P<name>[^()\d]{2,60}?)\s*(?P<attr>\((?P<inner>[^()]{2,100})\))\s*\.?$")


def _byline(res: _Res, lang: str, line: str, orig: str, photo: bool = True
            ) -> tuple[tuple[int, int], list[tuple[int, int, str]], list[Agency]] | None:
    """``((name start, end), zones, credited agencies)`` when a line is a byline.

    ``orig`` is the line as written (for capitalisation); it has the same words as ``line``.
    ``photo``: also try the line without a photo credit at its end ("إعداد: X تصوير: Y").
    """
    got = _byline_alone(res, lang, line, orig)
    if got is not None or not photo or res.byline_marker is None or not res.byline_marker.match(line):
        return got
    cap = _caption(res, line, False)
    if cap is None or len(cap[1]) != 2:
        return None
    (_, cut, _), credit = cap[1]
    got = _byline_alone(res, lang, line[:cut].rstrip(), " ".join(orig.split()[:len(line[:cut].split())]))
    if got is None:
        return None
    return got[0], got[1] + [credit], got[2]


def _byline_alone(res: _Res, lang: str, line: str, orig: str
                  ) -> tuple[tuple[int, int], list[tuple[int, int, str]], list[Agency]] | None:
    if line.count(" ") + 1 > _WORDS_MAX_BYLINE:
        return None
    owords = orig.split()
    m = _NAME_ATTR.match(line)
    if m:
        attributed = resolve_agency_list(m.group("inner"), lang)
        name = m.group("name").rstrip()
        words = name.split()
        if attributed and _name_ok(res, words, owords[:len(words)]):
            a = m.start("name")
            b = a + len(name)
            return (a, b), [(a, b, "byline"), (m.start("attr"), m.end("attr"), "credit")], attributed
    if res.byline_marker is None or res.byline_tail is None:
        return None
    off = len(line) - len(line.lstrip("("))
    s = line[off:].rstrip(")")
    m = res.byline_marker.match(s)
    if not m:
        return None
    rest = m.group("rest")
    # names, then an optional tail: an agency ("By X, Reuters"), a place ("in Beirut") or more
    # credits ("; Editing by Y")
    cut = res.byline_tail.search(rest)
    names = (rest if cut is None else rest[:cut.start()]).rstrip()
    na = off + m.start("rest")
    nb = na + len(names)
    k0 = len(line[:na].split())
    words = names.split()
    if not _names_ok(res, words, owords[k0:k0 + len(words)]):
        return None
    spans: list[tuple[int, int, str]] = [(off, nb, "byline")]
    agencies: list[Agency] = []
    if cut is not None:
        ta = na + cut.end()
        raw = line[ta:off + len(s)]
        tail = raw.strip()
        ta += len(raw) - len(raw.lstrip())
        found = resolve_agency_list(tail, lang)
        if found:
            agencies = found
            spans.append((ta, ta + len(tail), "credit"))
        elif (res.byline_place is not None and res.byline_place.match(tail)) or ";" in tail:
            spans = [(off, off + len(s), "byline")]
        else:
            cap = _caption(res, tail, False)  # "إعداد: X، تصوير: Y": a photo credit follows
            if cap is None or [k for _, _, k in cap[1]] != ["credit"]:
                return None
            spans.append((ta, ta + len(tail), "credit"))
    return (na, nb), spans, agencies


def _credit_line(res: _Res, lang: str, line: str, edge: bool) -> tuple[list[Agency], bool] | None:
    """``(agencies, adds)`` when a short line only credits sources ("* خدمة «نيويورك تايمز»")."""
    if line.count(" ") + 1 > _WORDS_MAX_CREDIT_LINE:
        return None
    s = line.lstrip(_BRACKETS).rstrip(" .")
    found: list[Agency] = []
    adds_all = False
    pos = 0
    cue_adds = True
    had_cue = False
    for m in res.credit_cues.finditer(s):
        seg = s[pos:m.start()].strip(_BRACKETS)
        if seg:
            got = resolve_agency_list(seg, lang)
            if not got:
                return None
            found.extend(got if cue_adds else [])
            adds_all |= cue_adds
        cue_adds = res.credit_adds.get(m.group(), True)
        had_cue = True
        pos = m.end()
    seg = s[pos:].strip(_BRACKETS)
    if seg:
        got = resolve_agency_list(seg, lang)
        if not got:
            return None
        found.extend(got if cue_adds else [])
        adds_all |= cue_adds
    elif not had_cue:
        return None
    if not had_cue and not edge:
        return None
    return found, adds_all


# -- the stage ---------------------------------------------------------------------------------
def _lines(norm: str) -> list[tuple[int, int]]:
    """Stripped non-empty line spans of the matching view."""
    out = []
    pos = 0
    for raw in norm.split("\n"):
        a = pos
        b = pos + len(raw)
        pos = b + 1
        s = raw.strip()
        if s:
            a += len(raw) - len(raw.lstrip())
            out.append((a, a + len(s)))
    return out


def _add_dateline(res: _Res, lang: str, line: str, a: int, found: list[tuple[int, int, str]],
                  credits: list[tuple[int, str]]) -> None:
    dl = _dateline(res, lang, line)
    if dl:
        _, x, y, agencies = dl
        found.append((a + x, a + y, "credit"))
        credits.extend((a + x, ag.name) for ag in agencies if ag.kind in _CREDITED)


@stage("zones", requires=("norm_text", "lang"), assigns=("zones", "byline", "credits"))
def zones(doc: Document) -> Document:
    lang = doc.lang or "ar"
    res = _res(lang)
    norm = doc.norm_text
    text = doc.text
    lines = _lines(norm)
    found: list[tuple[int, int, str]] = []  # norm spans
    credits: list[tuple[int, str]] = []
    byline: tuple[int, int] | None = None
    first_body = 0

    title = doc.meta.get("title") if doc.meta else None
    if title and lines:
        t = normalize_str(str(title)).strip()
        a = lines[0][0]
        if t and norm.startswith(t, a):
            found.append((a, a + len(t), "title"))
            if a + len(t) >= lines[0][1]:
                first_body = 1

    n = len(lines)
    head_seen = 0
    carry = 0  # lines still owed to a header like "Read more:"
    for i in range(first_body, n):
        a, b = lines[i]
        line = norm[a:b]
        owed = carry > 0
        carry = max(0, carry - 1)
        if line.count(" ", 0, _LONG_CHARS) >= _WORDS_MAX_CAPTION:
            # a paragraph: it may only end with a continuation mark or open with a dateline
            carry = 0
            for rule in res.boiler_end:
                m = rule.pattern.search(line, len(line) - 60)
                if m:
                    found.append((a + m.start(), a + m.end(), "boilerplate"))
                    break
            if head_seen < _HEAD_LINES:
                head_seen += 1
                _add_dateline(res, lang, line, a, found, credits)
            continue
        hit = _boilerplate(res, line)
        if hit:
            found.append((a + hit[1], a + hit[2], "boilerplate"))
            if hit[1] == 0 and hit[2] == len(line):
                if line.endswith((":", "：")):
                    carry = res.takes_next.get(hit[0], 0)
                continue
            b = a + hit[1]
            line = norm[a:b].rstrip()
            b = a + len(line)
            if not line:
                continue
        edge = i - first_body < _HEAD_LINES or i >= n - _TAIL_LINES
        if edge or line.count(" ") < _WORDS_MAX_BYLINE_INSIDE:
            ta, tb = doc.to_text_span(a, b)
            got = _byline(res, lang, line, text[ta:tb])
            if got:
                (na, nb), spans, agencies = got
                found.extend((a + x, a + y, k) for x, y, k in spans)
                credits.extend((a, ag.name) for ag in agencies if ag.kind in _CREDITED)
                if byline is None:
                    byline = (a + na, a + nb)
                continue
        cl = _credit_line(res, lang, line, edge)
        if cl:
            agencies, _ = cl
            found.append((a, b, "credit"))
            credits.extend((a, ag.name) for ag in agencies if ag.kind in _CREDITED)
            continue
        if owed:
            if line.count(" ") < _WORDS_MAX_LINK and line[-1] not in _SENTENCE_END:
                found.append((a, b, "boilerplate"))
                continue
            carry = 0
        cap = _caption(res, line, first=(i == first_body))
        if cap:
            found.extend((a + x, a + y, k) for x, y, k in cap[1])
            continue
        if head_seen < _HEAD_LINES:
            head_seen += 1
            _add_dateline(res, lang, line, a, found, credits)

    to_text = doc.to_text_span
    doc.zones = sorted((Zone(*to_text(x, y), k) for x, y, k in found if y > x),
                       key=lambda z: (z.start, z.end))
    if byline is not None:
        x, y = to_text(*byline)
        doc.byline = text[x:y]
    seen: set[str] = set()
    doc.credits = []
    for _, name in sorted(credits, key=lambda c: c[0]):
        if name not in seen:
            seen.add(name)
            doc.credits.append(name)
    return doc
