"""mentions: actors named in the text, each a span resolved to an actor id.

Four passes over ``doc.norm_text``:

1. lexicon hits (``rasad.actors``): countries, capitals, demonyms, organisations, groups, agent
   nouns, offices; non-overlapping, longest first;
2. composition into phrases: an agent noun with a demonym or a country (وزارة الخارجية
   الإيرانية, حكومة العراق, Iranian Foreign Ministry, government of Iraq) is one mention of
   ``<ISO3>.<SECTOR>``; an office marker (المتحدث باسم, spokesman) lends its phrase a role;
   affiliation (الموالية لإيران, pro-Iranian) is recorded on the group;
3. people learned from context: an unknown name in apposition with an office becomes a person
   with the office's country and sector, though no dictionary knows them;
4. coreference inside the document: a surname alone, a demonstrative or definite description
   (هذه القوات, the forces) take the id of what they refer back to.

Actors learned here (people, unnamed groups) are put in ``doc.actors``; the ``resolve`` stage
adds the knowledge-base actors of every other mention.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import replace

import ahocorasick

from .. import actors as kb  # the module, not its names: rasad.actors imports rasad.stages
from ..doc import Actor, Document, Mention
from ..lang.loader import LANGS
from ..pipeline import stage
from .normalize import normalize_str

_AR_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")
_CRF_TOKEN = re.compile(r"[\w\u064b-\u065f\u0670]+|[^\w\s]")
_LATIN_WORD = re.compile(r"[^\W\d_][\w'-]*")
_AGENTS = frozenset({"agent", "role"})
_TANWEEN = frozenset("\u064b\u064c\u064d")  # fathatan, dammatan, kasratan
_EMITTED = frozenset({"country", "capital", "demonym", "organisation", "group", "agent", "role",
                      "person", "coref"})
_MENTION_KIND = {"role": "agent"}
_COMMAS = ",\u060c"
_HYPHEN_TAIL = re.compile(r" ?-(?=[\u0621-\u064a])")
_CLOSERS = ",\u060c.:;\u061b\n"  # what ends a name between commas
_OPENERS = ".:;\u061b\n\"\u00ab("  # what may precede a name at the start of a clause
_SENTENCE_OPENERS = _OPENERS + "!?'\u201c"  # ... or a word that begins a sentence


class _Unit:
    """A phrase being composed (norm_text offsets)."""

    __slots__ = ("start", "end", "kind", "actor", "country", "sector", "head", "role", "definite",
                 "last_definite", "needs_country", "aff", "aff_mark", "rule", "dem", "cty",
                 "phrase_start", "name_from", "plural", "head_kind", "form", "flags")

    def __init__(self, start: int, end: int, kind: str) -> None:
        self.start, self.end, self.kind = start, end, kind
        self.actor: str | None = None
        self.country: str | None = None
        self.sector: str | None = None
        self.head: str | None = None
        self.role = False  # an office: a name right after it is that person
        self.definite = False
        self.last_definite = False
        self.needs_country = False
        self.aff: str | None = None
        self.aff_mark = False  # pro-<X>: X is an affiliation, not the country
        self.rule = ""
        self.dem: kb.Entry | None = None
        self.cty: kb.Entry | None = None
        self.phrase_start = start
        self.name_from: int | None = None
        self.plural = False
        self.head_kind = kind
        self.form = ""  # the agent noun as written, without the article
        self.flags: frozenset[str] = frozenset()  # agents.tsv flags (complement, named, member)


class _Rules:
    """The word lists of ``actors_rules.yaml``, normalized."""

    def __init__(self, lex: kb.Lexicon) -> None:
        r = lex.rules
        n = normalize_str
        name = r.get("name", {})
        aff = r.get("affiliation", {})
        self.demonstratives = frozenset(n(w) for w in r.get("demonstratives", []))
        self.definite = frozenset(n(w) for w in r.get("definite", []))
        self.nominative = tuple(n(w) for w in r.get("nominative_endings", []))
        self.max_words = int(name.get("max_words", 4))
        self.stops = frozenset(n(w) for w in name.get("stops", []))
        self.stops_exact = frozenset(name.get("stops_exact", []))
        self.stops_cased = frozenset(name.get("stops", []))  # English: compared as written
        self.particles = frozenset(n(w) for w in name.get("particles", []))
        self.particle_prefixes = tuple(p for p in self.particles if p.endswith("-"))
        self.titles = frozenset(n(w) for w in name.get("titles", []))
        self.office_modifiers = frozenset(n(w) for w in name.get("office_modifiers", []))
        self.first_name_offices = frozenset(n(w) for w in name.get("first_name_offices", []))
        self.first_name_office_words = {n(k): tuple(str(w).lower() for w in v)
                                        for k, v in (name.get("first_name_office_words") or {}).items()}
        self.family_suffixes = tuple(n(w) for w in name.get("family_suffixes", [])) or ("",)
        self.office_links = frozenset(n(w) for w in name.get("office_links", []))
        self.possessive = tuple(n(w) for w in r.get("possessive", []))
        self.of_links = frozenset(n(w) for w in r.get("of_links", []))
        self.aff_id = aff.get("id", f"{lex.lang}.affiliation")
        self.aff_markers = frozenset(n(w) for w in aff.get("markers", []))
        self.aff_links = frozenset(n(w) for w in aff.get("links", []))
        self.aff_prefixes = tuple(n(w) + "-" for w in aff.get("prefixes", []))
        self.aff_suffixes = frozenset(n(w) for w in aff.get("suffixes", []))
        self.location = frozenset(n(w) for w in aff.get("location", []))
        self.single_clitics = tuple(c for c in lex.clitics if len(c) == 1)
        self.before_cues = frozenset(n(w) for w in name.get("before_cues", []))
        comp = r.get("complement", {})
        self.complement_max = int(comp.get("max_words", 3))
        self.quotes = "".join(comp.get("quotes", []))
        member = r.get("member", {})
        self.member_links = frozenset(n(w) for w in member.get("links", []))
        self.member_modifiers = frozenset(n(w) for w in member.get("modifiers", []))
        located = r.get("located", {})
        self.located_links = frozenset(n(w) for w in located.get("links", []))
        self.located_sectors = frozenset(located.get("sectors", []))
        self.located_except = frozenset(n(w) for w in located.get("except_heads", []))
        self.generic_offices = frozenset(n(w) for w in r.get("coref", {}).get("generic", []))
        # particles compared as written, diacritics off (آبي, a name, is not أبي)
        self.particles_raw = frozenset(name.get("particles", []))
        home = r.get("home") or {}
        self.home_party_sectors = frozenset(home.get("party_sectors") or ())
        self.home_sectors = frozenset(home.get("sectors") or ())
        self.home_min = int(home.get("min_mentions") or 2)
        pron = r.get("pronouns") or {}
        self.pronouns = {n(k): str(v) for k, v in (pron.get("words") or {}).items()}
        self.titled = {str(w): g for g, ws in (pron.get("titles") or {}).items() for w in ws}
        self.pronoun_re = re.compile(r"\b(?:" + "|".join(map(re.escape, self.pronouns)) + r")\b") \
            if self.pronouns else None
        self.org_heads = {n(k): v or None for k, v in (name.get("org_heads") or {}).items()}
        self.org_heads_lower = frozenset(n(w) for w in name.get("org_heads_lower", []))
        self.org_links = frozenset(n(w) for w in name.get("org_links", []))
        self.org_head_re = re.compile(r"\b(?:" + "|".join(
            re.escape(h) for h in sorted(self.org_heads, key=len, reverse=True)) + r")\b") \
            if self.org_heads else None


@functools.cache
def _tagger(lang: str):
    """The statistical name tagger (rasad.ner) if it is installed and loads, else None."""
    if lang != "ar":
        return None
    try:
        from .. import ner

        return ner.default_tagger()
    except Exception:  # noqa: BLE001  (no model, no tagger: the rules work alone)
        return None


@functools.cache
def _rules(lang: str) -> _Rules:
    return _Rules(kb.lexicon(lang))


def _spaces(gap: str) -> bool:
    return bool(gap) and not gap.strip(" ")


class _Finder:
    def __init__(self, doc: Document, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.lex = kb.lexicon(lang)
        self.r = _rules(lang)
        self.norm = doc.norm_text
        self.published = (doc.published or "")[:10]
        self.actors: dict[str, Actor] = {}
        self._time_mask: bytearray | None = None
        self.blockers = bytearray()
        self.person_starts: dict[int, _Unit] = {}

    # -- helpers -------------------------------------------------------------------------------
    def original(self, a: int, b: int) -> str:
        s, e = self.doc.to_text_span(a, b)
        return self.doc.text[s:e]

    def gap(self, a: int, b: int) -> str:
        return self.norm[a:b]

    def in_time(self, a: int) -> bool:
        if self._time_mask is None:
            mask = bytearray(len(self.doc.text) + 1)
            for t in self.doc.times:
                mask[t.start:t.end] = b"\x01" * (t.end - t.start)
            self._time_mask = mask
        return bool(self._time_mask[self.doc.to_text_span(a, a + 1)[0]])

    def prev_word(self, pos: int) -> tuple[int, str]:
        """The word ending right before ``pos`` (after spaces only), or (pos, "")."""
        norm = self.norm
        i = pos
        while i > 0 and norm[i - 1] == " ":
            i -= 1
        if i == pos:
            return pos, ""
        j = i
        while j > 0 and norm[j - 1].isalnum():
            j -= 1
        return j, norm[j:i]

    # -- 1. lexicon hits -> units --------------------------------------------------------------
    def units(self) -> list[_Unit]:
        hits = kb.select_longest(self.lex.scan(self.norm, self.original), len(self.norm))
        # what ends a name: any dictionary word but a demonym adjective (المصري is also a
        # family name) or a name of someone else's time
        blockers = bytearray(len(self.norm) + 1)
        for h in hits:
            if h.primary.kind not in ("demonym", "leader") or h.primary.plural:
                blockers[h.start:h.end] = b"\x01" * (h.end - h.start)
        self.blockers = blockers
        return [u for h in hits if (u := self.unit(h)) is not None]

    def unit(self, h: kb.Hit) -> _Unit | None:
        e = h.primary
        kind = e.kind
        if e.source == "leader_surnames" and self.first_name_before(h.start):
            return None  # Michelle Obama is not the president
        country = e.country
        if kind == "leader":
            kind = "person"
            pid = e.actor or kb.person_id(normalize_str(e.surface))
            country = self.leader_actor(pid, e).country
        info = h.info or self.lex.key_info(self.norm[h.start:h.end], h.entries, h.article_clitic)
        if info is None:
            return None
        u = _Unit(h.start, h.end, kind)
        u.actor, u.country, u.sector, u.head = e.actor, country, e.sector, e.head
        u.needs_country = e.needs_country
        u.role = kind == "role" and not e.no_name
        u.dem = info.demonym
        u.cty = info.country
        # an adjective after a figure is a noun: 13 عراقيا (thirteen Iraqis)
        u.plural = u.dem is not None and (u.dem.plural or self.norm[max(0, h.start - 8):h.start].rstrip()[-1:].isdigit())
        u.rule = info.rule
        u.form = info.form
        u.flags = e.flags
        u.definite = info.definite
        u.last_definite = info.last_definite
        return u

    def leader_actor(self, pid: str, e: kb.Entry) -> Actor:
        """A leader as an actor: in office on the publication day, the sector of that office
        (GOV, MIL, an armed group's REB, an international body's IGO) in its country; else
        (before, after, or no date to tell) a person of the elite of the country of the last
        office — a name keeps its country."""
        if pid not in self.actors:
            term = kb.term_at(e, self.published)
            self.actors[pid] = Actor(pid, {self.lang: e.surface}, term[2] if term else e.country,
                                     term[3] if term else "ELI", "person")
        return self.actors[pid]

    def first_name_before(self, pos: int) -> bool:
        """Is the word right before ``pos`` a capitalized word of a name (not a title, not a
        word of the lexicon)?"""
        j, w = self.prev_word(pos)
        if not w or w in self.r.titles or self.blockers[j]:
            return False
        return self.original(j, j + 1)[:1].isupper()

    # -- 2. composition ------------------------------------------------------------------------
    def complements_ar(self, units: list[_Unit]) -> None:
        """The words between an agent noun and its demonym (agents.tsv flags complement, named):
        وزير التجارة والجمارك التركي، صحيفة «حريت» التركية. A complement of definite words is
        part of the phrase even with no demonym after it (وزير الاقتصاد <name>)."""
        r, norm, art = self.r, self.norm, self.lex.article or ""
        for i in [i for i, u in enumerate(units) if u.flags]:
            u = units[i]
            if u.country is not None or u.definite or not ({"complement", "named"} & u.flags):
                continue
            nxt = units[i + 1] if i + 1 < len(units) else None
            stop = nxt.start if nxt is not None else min(len(norm), u.end + 80)
            named = "named" in u.flags
            pos, last, n = u.end, u.end, 0
            while n < r.complement_max and norm.startswith(" ", pos):
                j = pos + 1
                while j < stop and norm[j] in r.quotes:
                    j += 1
                m = _AR_WORD.match(norm, j) or (_LATIN_WORD.match(norm, j) if named else None)
                if m is None or m.end() > stop:
                    break
                w = m.group()
                if (self.ar_stop(w, m.start(), m.end()) or w in r.office_modifiers or self.in_time(m.start())
                        or (not named and not any(w.startswith(c + art) for c in ("", *r.single_clitics)))):
                    break
                k = m.end()
                while k < stop and norm[k] in r.quotes:
                    k += 1
                pos, last, n = k, k if named else m.end(), n + 1
            if n == 0:
                continue
            to_dem = (nxt is not None and nxt.dem is not None and not nxt.plural and nxt.kind == "demonym"
                      and _spaces(self.gap(last, nxt.start)))
            if to_dem or not named:
                u.end = last  # the agent+demonym pass below takes the demonym

    def pop_before_group(self, res: list[_Unit]) -> None:
        """Drop the agent noun before a group's name, and an agent noun before that one
        (مسلحي تنظيم داعش)."""
        p = res.pop()
        q = res[-1] if res else None
        if q is not None and q.kind == "agent" and q.country is None and _spaces(self.gap(q.end, p.start)):
            res.pop()

    def compose_ar(self, units: list[_Unit]) -> list[_Unit]:
        r = self.r
        # الدكتور سلطان <name>: after a title an office noun is a first name
        kept = []
        for u in units:
            if (u.kind == "role" and not u.definite and u.end - u.start == len(u.form)
                    and self.prev_word(u.start)[1] in r.titles):
                self.blockers[u.start:u.end] = bytes(u.end - u.start)
                continue
            kept.append(u)
        units = kept
        self.complements_ar(units)
        # agent noun + demonym: وزارة الخارجية الإيرانية، رئيس الوزراء العراقي
        out: list[_Unit] = []
        for u in units:
            p = out[-1] if out else None
            if (p is not None and u.dem is not None and p.kind in ("agent", "role", "marker")
                    and p.country is None and _spaces(self.gap(p.end, u.start))):
                p.end, p.country = u.end, u.dem.country
                if p.kind == "marker":  # الزعيم الكوري الشمالي: an office of that country
                    p.kind, p.role = "role", True
                p.rule = "ar.agent+demonym"
                continue
            out.append(u)
        # construct state: حكومة العراق، وزير خارجية إيران، حكومة رئيس الوزراء العراقي
        res: list[_Unit] = []
        for u in out:
            p = res[-1] if res else None
            if (p is not None and p.kind in ("agent", "gnoun") and u.kind == "group"
                    and not self.gap(p.end, u.start).strip(" " + r.quotes)
                    and not _spaces(self.gap(p.end, u.start))):
                self.pop_before_group(res)  # مسلحي تنظيم "داعش"، حركة «بوكو حرام»: the name in quotes
            elif p is not None and _spaces(self.gap(p.end, u.start)):
                if (p.kind in _AGENTS and not p.last_definite and p.country is None
                        and (u.kind in ("country", "capital") or (u.kind in _AGENTS and u.country))
                        and not (r.nominative and self.norm[p.start:p.end].endswith(r.nominative))):
                    # (a noun in the nominative plural heads no construct: معارضون الحكومة
                    # المصرية is a subject and its object; the construct is معارضو الحكومة)
                    p.end, p.country = u.end, u.country
                    p.sector = p.sector or u.sector
                    p.role = p.role or u.role
                    p.rule = "ar.agent+country"
                    continue
                if (p.kind == "marker" and p.sector and not p.last_definite and p.country is None
                        and u.kind in ("country", "capital")):
                    # رئيس إيران، زعيم كوريا الشمالية: an office of that country
                    p.end, p.country, p.kind, p.role = u.end, u.country, "role", True
                    p.rule = "ar.agent+country"
                    continue
                if p.kind in ("agent", "gnoun") and u.kind == "group":
                    self.pop_before_group(res)  # جماعة حركة X، مقاتلو حزب الله: the group's name
                elif (p.kind == "agent" and u.kind == "organisation" and p.country is None
                      and not p.definite and not p.last_definite):
                    res.pop()  # قوات الحرس الثوري، وكالة أنباء رويترز: the organisation's name
            res.append(u)
        # office markers: المتحدث باسم <agent phrase>، الأمين العام ل<organisation>
        final: list[_Unit] = []
        clitic_residue = self.lex.clitics | self.lex.article_prefixes
        for i, u in enumerate(res):
            if u.kind != "marker":
                final.append(u)
                continue
            nxt = res[i + 1] if i + 1 < len(res) else None
            if nxt is not None and nxt.kind in _EMITTED | {"marker"}:
                g = self.gap(u.end, nxt.start)
                if g.startswith(" ") and g.lstrip(" ") in clitic_residue | {""}:
                    nxt.role = True
                    nxt.phrase_start = u.phrase_start
        # affiliation: <group or agent> الموالية ل<country>
        for i, u in enumerate(final):
            nxt = final[i + 1] if i + 1 < len(final) else None
            if nxt is None or nxt.kind not in ("country", "capital"):
                continue
            words = self.gap(u.end, nxt.start).split()
            if u.kind in ("group", "agent", "organisation") and self.is_aff(words):
                u.aff = u.aff or nxt.country
                u.rule = u.rule if u.kind == "group" else r.aff_id
        return [u for u in final if u.kind != "marker"]

    def links_ar(self, units: list[_Unit]) -> None:
        """<member> في <institution> (مسؤول في البيت الأبيض، مسؤولون بالحكومة الأمريكية) and
        <institution> في <country> (السلطات في الدوحة): the country of what follows."""
        r = self.r
        for i, u in enumerate(units[:-1]):
            if (u.country is not None or u.actor is not None or u.kind not in _AGENTS
                    or not ("member" in u.flags or u.sector in r.located_sectors)):
                continue
            nxt = units[i + 1]
            words = self.gap(u.end, nxt.start).split()
            if not words:
                continue
            if "member" in u.flags:
                if ((nxt.country is not None and nxt.kind in _EMITTED) or nxt.kind in ("organisation", "group"))\
                        and words[-1] in r.member_links and len(words) <= 3\
                        and all(w in r.member_modifiers for w in words[:-1]):
                    if nxt.kind in ("organisation", "group"):
                        u.actor = nxt.actor  # مسؤول في الأمم المتحدة: one of the organisation
                    u.country = nxt.country
                    if nxt.kind not in ("country", "capital"):
                        u.sector = nxt.sector or u.sector
                    u.rule = f"{self.lang}.agent.member"
                continue
            if (len(words) == 1 and words[0] in r.located_links and nxt.kind in ("country", "capital")
                    and u.kind == "agent" and u.sector in r.located_sectors and u.head not in r.located_except):
                u.country = nxt.country
                u.rule = f"{self.lang}.agent.located"

    def is_aff(self, words: list[str]) -> bool:
        r = self.r
        return (1 <= len(words) <= 2 and words[0] in r.aff_markers
                and (len(words) == 1 or words[1] in r.aff_links))

    def unknown_groups_ar(self, units: list[_Unit]) -> list[_Unit]:
        """جماعة <name> الموالية لإيران [في العراق]: a group no table knows."""
        r = self.r
        out: list[_Unit] = []
        for i, u in enumerate(units):
            nxt = units[i + 1] if i + 1 < len(units) else None
            if u.kind == "gnoun" and nxt is not None and nxt.kind in ("country", "capital"):
                words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", self.gap(u.end, nxt.start))]
                for k in (2, 1):
                    name = words[:-k]
                    if (name and len(name) <= r.max_words and self.is_aff([w for _, _, w in words[-k:]])
                            and all(_AR_WORD.fullmatch(w) and w not in r.stops for _, _, w in name)):
                        after = units[i + 2] if i + 2 < len(units) else None
                        out.append(self.new_group(u.start, u.end + name[-1][1], nxt.country, after, nxt))
                        break
                else:
                    out.append(u)
                continue
            out.append(u)
        return out

    def new_group(self, start: int, end: int, aff: str | None, after: _Unit | None, aff_unit: _Unit) -> _Unit:
        country = None
        if after is not None and after.kind == "country":
            words = self.gap(aff_unit.end, after.start).split()
            if len(words) == 1 and words[0] in self.r.location:
                country = after.country
        name = self.norm[start:end]
        gid = "group:" + name
        g = _Unit(start, end, "group")
        g.actor, g.country, g.sector, g.aff = gid, country, "UAF", aff
        g.rule = f"{self.lang}.group.affiliated"
        self.actors.setdefault(gid, Actor(gid, {self.lang: self.original(start, end)}, country, "UAF", "group",
                                          None, aff))
        return g

    def compose_en(self, units: list[_Unit]) -> list[_Unit]:
        r = self.r
        norm = self.norm
        for u in units:
            if (u.dem or u.cty) and norm.endswith(r.aff_prefixes, 0, u.start):
                u.aff_mark = True  # pro-Iranian
        # modifier + agent: Iranian Foreign Ministry, US forces, Iraq's government
        out: list[_Unit] = []
        for u in units:
            p = out[-1] if out else None
            if p is not None and (p.dem or p.cty or p.kind == "capital") and u.kind in _AGENTS | {"gnoun", "group"}:
                g = self.gap(p.end, u.start)
                country = p.dem.country if p.dem else p.country
                if g.startswith("-") and g[1:].strip() in r.aff_suffixes:  # Iran-backed militias
                    u.aff = country
                    if p.kind == "demonym":
                        out.pop()
                    out.append(u)
                    continue
                if p.aff_mark and _spaces(g):  # pro-Iranian militias
                    u.aff = country
                    out.pop()
                    out.append(u)
                    continue
                possessive = g.rstrip(" ") in r.possessive and g.endswith(" ")
                if not possessive and p.kind in ("country", "capital") and g.endswith(" "):
                    # Nicaragua's Sandinista government: one capitalised word between
                    mark, _, word = g.strip(" ").partition(" ")
                    raw = self.original(u.start - len(word) - 1, u.start - 1) if word else ""
                    possessive = mark in r.possessive and " " not in word and raw[:1].isupper() \
                        and raw not in r.stops_cased
                if u.kind in _AGENTS and u.country is None and (
                        (_spaces(g) and (p.dem or p.cty or p.kind == "capital"))  # Baghdad police
                        or (possessive and p.kind in ("country", "capital"))):
                    u.start, u.phrase_start, u.country = p.start, p.start, country
                    u.rule = "en.modifier+agent"
                    out.pop()
            out.append(u)
        # agent of country: the government of Iraq, the government of Iraqi Prime Minister
        res: list[_Unit] = []
        i = 0
        while i < len(out):
            u = out[i]
            nxt = out[i + 1] if i + 1 < len(out) else None
            if (nxt is not None and u.kind in _AGENTS and u.country is None
                    and (nxt.kind in ("country", "capital") or (nxt.kind in _AGENTS and nxt.country)
                         or (nxt.kind == "demonym" and not nxt.plural and nxt.dem is not None))):
                # (the inhabitants of the Syrian Golan: the nationality of the place they are of)
                if nxt.kind == "demonym":
                    nxt.country = nxt.dem.country if nxt.dem else None
                words = self.gap(u.end, nxt.start).split()
                if words and words[0] in r.of_links and (len(words) == 1 or (len(words) == 2 and words[1] in r.definite)):
                    u.end, u.country = nxt.end, nxt.country
                    u.sector = u.sector or nxt.sector
                    u.role = u.role or nxt.role
                    u.rule = "en.agent+of+country"
                    res.append(u)
                    i += 2
                    continue
            res.append(u)
            i += 1
        # office markers: Pentagon spokesman <Name>; spokesman for the Iraqi government
        final: list[_Unit] = []
        for i, u in enumerate(res):
            if u.kind == "marker":
                p = final[-1] if final else None
                if p is not None and p.kind in _EMITTED and _spaces(self.gap(p.end, u.start)):
                    p.role = True
                    p.name_from = u.end
                    continue
                nxt = res[i + 1] if i + 1 < len(res) else None
                if nxt is not None and nxt.kind in _EMITTED:
                    words = self.gap(u.end, nxt.start).split()
                    if words and words[0] in r.office_links and (len(words) == 1 or (len(words) == 2 and words[1] in r.definite)):
                        nxt.role = True
                        nxt.phrase_start = u.start
                continue
            if u.kind == "gnoun" and final and final[-1].kind == "group" and _spaces(self.gap(final[-1].end, u.start)):
                continue  # the Kataib Hezbollah group: the name is the mention
            final.append(u)
        # militias loyal to Iran
        for i, u in enumerate(final):
            nxt = final[i + 1] if i + 1 < len(final) else None
            if nxt is not None and nxt.kind in ("country", "capital") and u.kind in ("group", "agent", "organisation"):
                if self.gap(u.end, nxt.start).strip() in r.aff_markers:
                    u.aff = u.aff or nxt.country
        return final

    def unknown_groups_en(self, units: list[_Unit]) -> list[_Unit]:
        """pro-Iranian <Name> group, Iran-backed <Name> militia: a group no table knows."""
        r = self.r
        out: list[_Unit] = []
        for u in units:
            p = out[-1] if out else None
            if (u.kind == "gnoun" or (u.kind == "agent" and u.sector == "UAF")) and p is not None and (p.dem or p.cty):
                words = self.name_words_back(u.start)
                if words:
                    g = self.gap(p.end, words[0][0])
                    aff = p.dem.country if p.dem else p.country
                    if (p.aff_mark and _spaces(g)) or (g.startswith("-") and g[1:].strip() in r.aff_suffixes):
                        start = words[0][0]
                        gid = "group:" + self.norm[start:words[-1][1]]
                        grp = _Unit(start, u.end, "group")
                        grp.actor, grp.sector, grp.aff = gid, "UAF", aff
                        grp.rule = f"{self.lang}.group.affiliated"
                        self.actors.setdefault(gid, Actor(gid, {self.lang: self.original(start, u.end)}, None,
                                                          "UAF", "group", None, aff))
                        if p.kind == "demonym":
                            out.pop()
                        out.append(grp)
                        continue
            out.append(u)
        return out

    def unknown_orgs_en(self, units: list[_Unit]) -> list[_Unit]:
        """The <Name> Front, the Movement for <Name>, the <Name> movement: an organisation no
        table knows, by its head word (actors_rules.yaml name.org_heads)."""
        r, norm = self.r, self.norm
        if r.org_head_re is None:
            return units
        soft = bytearray(len(norm) + 1)
        for u in units:
            soft[u.start:u.end] = b"\x01" * (u.end - u.start)
        # a bare agent or group noun may be a word of the name (the Ogoni People, Army)
        for u in units:
            if u.kind in ("gnoun", "agent", "role") and not u.country:
                soft[u.start:u.end] = b"\x00" * (u.end - u.start)
        found: list[_Unit] = []
        for m in r.org_head_re.finditer(norm):
            a, b = m.span()
            if soft[a] or any(o.start <= a < o.end for o in found):
                continue
            raw = self.original(a, b)
            capital = raw[:1].isupper()
            if not capital and m.group() not in r.org_heads_lower:
                continue
            words = self.name_words_back(a, soft)
            start, end = (words[0][0] if words else a), b
            # <Head> for / of (the) <Name>: the Movement for the Survival of the Ogoni People
            k, country = b, None
            while capital:
                j, link = self.next_word(k)
                if link not in r.org_links:
                    break
                j2, w2 = self.next_word(j)
                if w2 in r.definite:
                    j = j2
                nxt = next((u for u in units if u.start == j + 1), None)
                if nxt is not None and nxt.kind == "country" and not words:
                    end, country = nxt.end, nxt.country  # the Communist Party of Nepal
                    break
                more = self.en_words(j + 1, soft) if norm.startswith(" ", j) else []
                if not more:
                    break
                end = k = more[-1][1]
            if not words and end == b:
                continue
            if not capital and (not words or self.starts_sentence(words[0][0])):
                continue  # "Rebel movement leaders": a sentence's first word is capitalised anyway
            # a demonym or a country right before it: the Lithuanian Homeland Union
            prev = next((u for u in units if u.end < start and _spaces(self.gap(u.end, start))
                         and u.kind in ("demonym", "country") and not u.plural), None)
            if prev is not None:
                start, country = prev.start, country or prev.country or (prev.dem.country if prev.dem else None)
            oid = "org:" + norm[start:end]
            org = _Unit(start, end, "organisation")
            org.actor, org.country, org.sector = oid, country, r.org_heads.get(m.group())
            org.rule = f"{self.lang}.org.named"
            self.actors.setdefault(oid, Actor(oid, {self.lang: self.original(start, end)}, country,
                                              org.sector, "organisation"))
            soft[start:end] = b"\x01" * (end - start)
            found.append(org)
        if not found:
            return units
        out = [u for u in units if not any(o.start <= u.start and u.end <= o.end for o in found)]
        return sorted(out + found, key=lambda u: u.start)

    def next_word(self, pos: int) -> tuple[int, str]:
        """The word starting after the spaces at ``pos``: (its end, the word), or (pos, "")."""
        m = _LATIN_WORD.match(self.norm, pos + 1) if self.norm.startswith(" ", pos) else None
        return (m.end(), m.group()) if m else (pos, "")

    def starts_sentence(self, pos: int) -> bool:
        """Whether the word at ``pos`` opens a sentence (its capital says nothing of a name)."""
        i = pos
        while i > 0 and self.norm[i - 1] == " ":
            i -= 1
        return i == 0 or self.norm[i - 1] in _SENTENCE_OPENERS

    # -- 3. people learned from context --------------------------------------------------------
    def people(self, units: list[_Unit]) -> list[_Unit]:
        covered = bytearray(self.blockers)
        for u in units:
            if u.kind != "person":
                covered[u.start:u.end] = b"\x01" * (u.end - u.start)
        out: list[_Unit] = []
        learned: list[tuple[int, int]] = []
        self.person_starts = {u.start: u for u in units if u.kind == "person"}
        for u in units:
            out.append(u)
            if not u.role or not self.closed(u):
                continue
            span = self.name_after(u.name_from or u.end, covered)
            before = None if span else self.name_before(u.phrase_start, covered)
            span = span or before
            if span is None:
                continue
            a, b = span
            known = self.person_starts.get(a)
            known = known if known is not None and known.end == b else None
            if known is not None:  # President Putin: the office names a person already known
                if u.kind == "role" and u.head_kind == "role":
                    u.actor = known.actor
                held = self.actors.get(known.actor or "")
                if (held is not None and not self.published and u.sector and u.country == held.country
                        and a == (u.name_from or u.end) + 1):
                    # no date to tell: the office written right before the name is held now
                    self.actors[held.id] = replace(held, sector=u.sector)
                continue
            name = self.norm[a:b]
            pid = kb.person_id(name)
            leader = self.leader_by_first_name(u, name)
            if leader is not None:  # الملك سلمان: the one leader whose name begins so
                pid = leader.actor or pid
                self.leader_actor(pid, leader)
            if pid not in self.actors:
                self.actors[pid] = Actor(pid, {self.lang: self.original(a, b)}, u.country, u.sector, "person")
            person = _Unit(a, b, "person")
            person.actor = pid
            person.rule = f"{self.lang}.person.apposition"
            covered[a:b] = b"\x01" * (b - a)
            learned.append((a, b))
            if u.kind == "role" and u.head_kind == "role":
                u.actor = pid  # رئيس الوزراء <name>: the office and the name are one person
            out.append(person)
        if learned:  # a learned name holding a dictionary name (محمد بن سلمان بن ...) wins
            out = [u for u in out if u.rule.endswith("apposition") or u.kind != "person"
                   or not any(a < u.end and u.start < b for a, b in learned)]
        return sorted(out, key=lambda u: u.start)

    def leader_by_first_name(self, u: _Unit, name: str) -> kb.Entry | None:
        """The leader a title with no country names by first name (الملك سلمان), when exactly
        one leader's name begins with it (actors_rules.yaml name.first_name_offices)."""
        if u.country is not None or self.norm[u.start:u.end] not in self.r.first_name_offices:
            return None
        # the title says the office where the table does (الملك: a king, not a crown prince of
        # the same first name); two spellings of one name (عبد العزيز، عبدالعزيز) are one leader
        words = self.r.first_name_office_words.get(self.norm[u.start:u.end], ())
        found = {(e.country, e.offices) if e.offices else e.actor: e for e in self.lex.leader_prefixes.get(name, ())
                 if not (words and e.offices) or any(w in o for w in words for o in e.offices)}
        return next(iter(found.values())) if len(found) == 1 else None

    def closed(self, u: _Unit) -> bool:
        """Can a name follow this office? Not an indefinite noun in construct (وزير حقوق ...)."""
        if self.lang != "ar" or u.kind not in _AGENTS or u.rule == "ar.agent+country":
            return True
        art = self.lex.article or ""
        phrase = self.norm[u.start:u.end]
        last = phrase.rsplit(" ", 1)[-1]
        return bool(art) and (last.startswith(art) or (" " not in phrase and u.definite))

    def name_after(self, pos: int, covered: bytearray) -> tuple[int, int] | None:
        norm = self.norm
        ar = self.lang == "ar"
        for _ in range(2):  # the office's own adjectives first (الرئيس السابق <name>)
            if not norm.startswith(" ", pos):
                break
            m = _AR_WORD.match(norm, pos + 1) if ar else _LATIN_WORD.match(norm, pos + 1)
            if not (m and m.group() in self.r.office_modifiers):
                break
            pos = m.end()
        comma = False
        if ar:  # <office>، <name>، (the name between commas)
            j = pos
            while norm.startswith(" ", j):
                j += 1
            if j < len(norm) and norm[j] in _COMMAS:
                pos, comma = j + 1, True
        if not norm.startswith(" ", pos):
            return None
        if not ar:
            words = self.en_words(pos + 1, covered)
            return (words[0][0], words[-1][1]) if words else None
        known = self.person_starts.get(pos + 1)
        if known is not None:  # a name of the lexicon: no need to ask the tagger
            return known.start, known.end
        words = self.ar_words(pos + 1, covered)
        if words and comma:
            k = words[-1][1]
            while norm.startswith(" ", k):
                k += 1
            if k < len(norm) and norm[k] not in _CLOSERS:
                return None
            confirmed = self.confirm(words)
            words = confirmed if len(confirmed) == len(words) else []
        elif words:
            words = self.confirm(words)
        return (words[0][0], words[-1][1]) if words else None

    def skip_title(self, i: int) -> int:
        """Past a title (الشيخ، آية الله, General) at ``i``."""
        for t in self.r.titles:
            if self.norm.startswith(t, i) and self.norm.startswith(" ", i + len(t)):
                return i + len(t) + 1
        return i

    def ar_words(self, i: int, covered: bytearray) -> list[tuple[int, int]]:
        r, norm, art = self.r, self.norm, self.lex.article or ""
        strict = _tagger(self.lang) is None
        words: list[tuple[int, int]] = []
        i = self.skip_title(i)
        while len(words) < r.max_words:
            m = _AR_WORD.match(norm, i)
            if not m or (m.end() < len(norm) and norm[m.end()].isalnum()):
                break
            w = m.group()
            if covered[m.start()] or self.in_time(m.start()) or self.ar_stop(w, m.start(), m.end()):
                break
            if art and w.startswith(art) and not words:
                break  # a name does not start with the article
            if art and not words and any(w.startswith(c + art[1:]) for c in self.lex.article_prefixes if c):
                break  # للصحفيين: li- + al-, a new phrase
            if art and words and strict and any(w.startswith(c + art) for c in self.lex.clitics):
                break  # والمقاومة: wa- + al-, a new phrase (the tagger, when there, decides)
            end = m.end()
            h = _HYPHEN_TAIL.match(norm, end)
            if h and (t := _AR_WORD.match(norm, h.end())):
                end = t.end()  # كيم جونغ -أون، تساي إنغ-وين: one name
            words.append((m.start(), end))
            if art and w.startswith(art) and len(words) > 1:
                prev = norm[words[-2][0]:words[-2][1]]
                if prev not in r.particles:
                    break  # the family name with ال ends the name
            if not (norm.startswith(" ", end) and not norm.startswith("  ", end)):
                break
            i = end + 1
        while words and self.bare(*words[-1]) in r.particles_raw:
            words.pop()  # a name does not end with بن (but آبي is a name)
        return words

    def bare(self, a: int, b: int) -> str:
        """The original text of a norm_text span, without diacritics or tatweel."""
        return "".join(c for c in self.original(a, b) if unicodedata.category(c) != "Mn" and c != "\u0640")

    def confirm(self, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Check a rule-found Arabic name with the statistical tagger, when it is installed.

        The first word must be tagged a person; trailing words it tags O are cut unless they
        carry the article (a family name like المصري, which is also a demonym).
        """
        word_tags = self.word_tags(words)
        if word_tags is None:
            return words
        if not word_tags[0].endswith("PERS"):
            return []
        art = self.lex.article or ""
        keep = 1
        for k in range(1, len(words)):
            if word_tags[k].endswith("PERS"):
                keep = k + 1
            elif (art and self.norm.startswith(art, words[k][0]) and word_tags[k - 1].endswith("PERS")
                  and self.norm.endswith(self.r.family_suffixes, words[k][0], words[k][1])):
                keep = k + 1
                break
            else:
                break
        return words[:keep]

    def word_tags(self, words: list[tuple[int, int]]) -> list[str] | None:
        """The name tagger's tag of each word (norm_text spans), None without a tagger."""
        tagger = _tagger(self.lang)
        if tagger is None:
            return None
        doc = self.doc
        a = doc.to_text_span(words[0][0], words[0][0] + 1)[0]
        b = doc.to_text_span(words[-1][1] - 1, words[-1][1])[1]
        lo = doc.text.rfind("\n", 0, a) + 1
        hi = doc.text.find("\n", b)
        hi = len(doc.text) if hi < 0 else hi
        toks = list(_CRF_TOKEN.finditer(doc.text, max(lo, a - 40), min(hi, b + 30)))
        first = next((i for i, m in enumerate(toks) if m.start() >= a), 0)
        last = next((i for i, m in enumerate(toks) if m.end() >= b), len(toks) - 1)
        # the tagger looks two tokens either side: so much context is enough
        window = toks[max(1 if max(lo, a - 40) > lo else 0, first - 2): last + 3]
        try:
            tags = tagger.tag([m.group() for m in window])
        except Exception:  # noqa: BLE001  (a broken model must not stop the pipeline)
            return None
        tag_at = {m.start(): t for m, t in zip(window, tags, strict=False)}
        return [tag_at.get(doc.to_text_span(s, s + 1)[0], "O") for s, _ in words]

    def ar_stop(self, w: str, a: int, b: int) -> bool:
        r = self.r
        if len(w) < 2 or w in r.stops:
            return True
        if any(w.startswith(c) and w[len(c):] in r.stops for c in r.single_clitics):
            return True
        raw = self.original(a, b)
        if any(c in _TANWEEN for c in raw):
            return True  # موعدًا: a noun with nunation is not a name
        if r.stops_exact:
            return "".join(c for c in raw if unicodedata.category(c) != "Mn") in r.stops_exact
        return False

    def en_words(self, i: int, covered: bytearray) -> list[tuple[int, int]]:
        r, norm = self.r, self.norm
        words: list[tuple[int, int]] = []
        while len(words) < r.max_words:
            m = _LATIN_WORD.match(norm, i)
            if not m:
                break
            a, b = m.span()
            w = m.group()
            if w.endswith("'s"):
                b, w = b - 2, w[:-2]
            w = w.rstrip("'-")
            b = a + len(w)
            raw = self.original(a, b)
            if not w or covered[a] or self.in_time(a) or raw in r.stops_cased:
                break
            if not words and w in r.titles and norm.startswith(" ", m.end()):
                i = m.end() + 1
                continue
            capital = raw[:1].isupper()
            particle = w in r.particles
            prefixed = w.startswith(r.particle_prefixes) and raw[w.index("-") + 1:][:1].isupper()
            if not (capital or prefixed or (particle and words)):
                break
            words.append((a, b))
            if b != m.end() or not norm.startswith(" ", b):
                break
            i = b + 1
        while words and self.norm[words[-1][0]:words[-1][1]] in r.particles:
            words.pop()  # a name does not end with "bin"
        return words

    def name_before(self, pos: int, covered: bytearray) -> tuple[int, int] | None:
        """<Name>, <office>: the name right before a comma before the office phrase."""
        if self.lang == "ar":
            return self.name_before_ar(pos, covered)
        norm = self.norm
        j, w = self.prev_word(pos)
        if w in self.r.definite:
            pos = j
        k = pos
        while k > 0 and norm[k - 1] == " ":
            k -= 1
        if k == 0 or norm[k - 1] not in ",\u060c" or self.lang != "en":
            return None
        words = self.name_words_back(k - 1, covered)
        # one capitalised word before a comma is too often a place (In Edinburgh, the minister)
        return (words[0][0], words[-1][1]) if len(words) >= 2 else None

    def name_before_ar(self, pos: int, covered: bytearray) -> tuple[int, int] | None:
        """وقال <name> <office>، عن <name>، <office>: a name right before an office is its holder
        after a reporting verb, عن or a title, or at the start of a clause, and only when the
        name tagger says so (التقى <name> <office>: two people)."""
        r, norm = self.r, self.norm
        k = pos
        while k > 0 and norm[k - 1] == " ":
            k -= 1
        if k == pos:
            return None
        if k > 0 and norm[k - 1] in _COMMAS:
            k -= 1
            while k > 0 and norm[k - 1] == " ":
                k -= 1
        words: list[tuple[int, int]] = []
        end = k
        while len(words) < r.max_words:
            a = end
            while a > 0 and norm[a - 1].isalpha():
                a -= 1
            if a == end or not _AR_WORD.fullmatch(norm, a, end):
                break
            w = norm[a:end]
            if covered[a] or w in r.stops or self.cue(w):
                break
            words.insert(0, (a, end))
            if a < 2 or norm[a - 1] != " " or norm[a - 2] == " ":
                break
            end = a - 1
        art = self.lex.article or ""
        if not words or (art and norm.startswith(art, words[0][0])):
            return None  # a name does not start with the article
        # what precedes it: a clause's start, a reporting verb or عن (past a title); checked
        # before the tagger runs, which is dear
        j, ok = words[0][0], False
        for _ in range(2):
            b = j
            while b > 0 and norm[b - 1] == " ":
                b -= 1
            j, w = self.prev_word(j)
            if b == 0 or norm[b - 1] in _OPENERS or self.cue(w):
                ok = True
                break
            if not w or w not in r.titles:
                break
        if not ok or any(self.in_time(a) or self.ar_stop(norm[a:b], a, b) for a, b in words):
            return None
        if _tagger(self.lang) is None or len(self.confirm(words)) != len(words):
            return None  # every word a name's: with one cut off, what precedes it is no cue
        return words[0][0], words[-1][1]

    def cue(self, w: str) -> bool:
        """A reporting verb or عن (rules: name.before_cues), a proclitic و or ف tried off."""
        cues = self.r.before_cues
        return w in cues or (w[:1] in self.r.single_clitics and w[1:] in cues)

    def name_words_back(self, pos: int, covered: bytearray | None = None) -> list[tuple[int, int]]:
        """Capitalised words ending right before ``pos`` (English), nearest last."""
        r, norm = self.r, self.norm
        words: list[tuple[int, int]] = []
        end = pos
        while len(words) < r.max_words:
            while end > 0 and norm[end - 1] == " " and not words:
                end -= 1
            a = end
            while a > 0 and (norm[a - 1].isalnum() or norm[a - 1] in "-'"):
                a -= 1
            if a == end:
                break
            raw = self.original(a, end)
            w = norm[a:end]
            if (covered is not None and covered[a]) or raw in r.stops_cased or self.in_time(a):
                break
            prefixed = w.startswith(r.particle_prefixes) and raw[w.index("-") + 1:][:1].isupper()
            if not (raw[:1].isupper() or prefixed or (w in r.particles and words)):
                break
            words.insert(0, (a, end))
            if a == 0 or norm[a - 1] != " ":
                break
            end = a - 1
        while words and norm[words[0][0]:words[0][1]] in r.particles:
            words.pop(0)
        return words

    # -- 4. coreference ------------------------------------------------------------------------
    def agent_coref(self, units: list[_Unit]) -> list[_Unit]:
        r = self.r
        out: list[_Unit] = []
        for u in units:
            if u.kind in _AGENTS | {"gnoun"} and u.country is None and u.actor is None and u.aff is None:
                j, w = self.prev_word(u.start)
                ante: _Unit | None = None
                if u.kind == "gnoun":
                    if u.definite or w in r.definite:
                        ante = next((p for p in reversed(out) if p.kind == "group"), None)
                        p = out[-1] if out else None
                        if (ante is not None and p is not None and p.kind == "agent" and p.country is None
                                and not p.definite and _spaces(self.gap(p.end, u.start))):
                            out.pop()  # مسلحي التنظيم: the group's fighters are the group
                elif w and w in r.demonstratives:
                    ante = next((p for p in reversed(out) if p.kind in _AGENTS | {"organisation"}
                                 and p.country and (p.head == u.head or p.sector == u.sector)), None)
                    if ante is not None:
                        u.start = j
                        u.rule = f"{self.lang}.coref.demonstrative"
                elif u.definite or u.last_definite or w in r.definite:
                    # "the government" in a story of two governments is left alone; رئيس الوزراء
                    # (construct, definite) is رئيس وزراء اليابان (same head); الوزير is any
                    # office phrase that begins with وزير (coref.generic)
                    generic = u.form in r.generic_offices
                    antes = {p.actor or _agent_id(p): p for p in out if p.kind in _AGENTS and p.country
                             and (((p.form == u.form or (p.head == u.head and p.head_kind == u.head_kind == "role"))
                                   and p.sector == u.sector)
                                  or (generic and p.form.startswith(u.form + " ")))}
                    if (len(antes) == 1 and not self.described(u.end)
                            and self.norm[u.start:u.end] not in r.titles):  # اللواء <name>: a rank
                        ante = next(iter(antes.values()))
                        u.rule = f"{self.lang}.coref.definite"
                if ante is not None:
                    u.kind, u.actor, u.country, u.sector = "coref", ante.actor or _agent_id(ante), ante.country, ante.sector
                    if u.kind == "coref" and not u.rule.startswith(f"{self.lang}.coref"):
                        u.rule = f"{self.lang}.coref.group"
                elif u.needs_country or u.kind == "gnoun":
                    continue
            out.append(u)
        return out

    def described(self, pos: int) -> bool:
        """الرئيس المنتخب، القوات الكردية: a definite word (not a name of the lexicon, not a
        time) after a definite noun describes another one than the noun alone would."""
        art, norm = self.lex.article, self.norm
        if not art or not norm.startswith(" ", pos):
            return False
        m = _AR_WORD.match(norm, pos + 1)
        return bool(m and m.group().startswith(art) and not self.blockers[m.start()] and not self.in_time(m.start()))

    def relink(self, units: list[_Unit]) -> None:
        """الرئيس ترامب (a name learned after an office) is دونالد ترامب named elsewhere in the
        text: a one-word learned name that is another person's family name is that person."""
        single = [u for u in units if u.kind == "person" and u.rule.endswith("apposition")
                  and " " not in self.norm[u.start:u.end]]
        if not single:
            return
        full = self.person_keys_of([u for u in units if " " in self.norm[u.start:u.end]])
        remap: dict[str, str] = {}
        for u in single:
            pid = full.get(self.norm[u.start:u.end], ("", 0))[0]
            if u.actor and pid and pid != u.actor:
                remap[u.actor] = pid
                u.kind, u.rule = "coref", f"{self.lang}.coref.surname"
        if remap:
            for u in units:
                if u.actor:
                    u.actor = remap.get(u.actor, u.actor)
            for old in remap:
                self.actors.pop(old, None)

    def agent_of_person(self, units: list[_Unit]) -> list[_Unit]:
        """حكومة رفسنجاني، إدارة أوباما، مستشار أردوغان: an agent noun in construct (indefinite)
        with a person is an agent of that person's country."""
        if not any(u.kind in ("person", "coref") for u in units):
            return units
        out: list[_Unit] = []
        for u in units:
            p = out[-1] if out else None
            person = self.actors.get(u.actor or "") if u.kind in ("person", "coref") else None
            if (p is not None and person is not None and person.kind == "person" and person.country
                    and p.kind in _AGENTS and p.country is None and p.actor is None and p.aff is None
                    and not p.definite and not p.last_definite and _spaces(self.gap(p.end, u.start))):
                p.end, p.country, p.rule = u.end, person.country, f"{self.lang}.agent+person"
                continue
            out.append(u)
        return out

    def person_keys_of(self, units: list[_Unit]) -> dict[str, tuple[str, int]]:
        """Each person's name and family name -> (actor, where first named); a key two people
        share names neither."""
        people: dict[str, tuple[str, int]] = {}
        ambiguous: set[str] = set()
        for u in units:
            if u.kind != "person" or not u.actor:
                continue
            for key in self.person_keys(self.norm[u.start:u.end]):
                if key in people and people[key][0] != u.actor:
                    ambiguous.add(key)
                people.setdefault(key, (u.actor, u.start))
        return {k: v for k, v in people.items() if k not in ambiguous}

    def surname_coref(self, units: list[_Unit]) -> list[_Unit]:
        keys = self.person_keys_of(units)
        if not keys:
            return units
        auto = ahocorasick.Automaton()
        case = kb.CASE_CAPITAL if self.lang == "en" else 0
        for k, (pid, first) in keys.items():
            auto.add_word(k, (len(k), (kb.Entry("coref", pid, case=case, surface=str(first)),), (), None, None))
        auto.make_automaton()
        covered = bytearray(len(self.norm) + 1)
        for u in units:
            covered[u.start:u.end] = b"\x01" * (u.end - u.start)
        hits = kb.select_longest(kb.scan_with(auto, self.norm, self.original, self.lex.clitics, frozenset()),
                              len(self.norm))
        extra: list[_Unit] = []
        for h in hits:
            e = h.primary
            if covered.find(1, h.start, h.end) != -1 or h.start <= int(e.surface):
                continue
            full = kb.person_id(self.norm[h.start:h.end]) == e.actor  # the whole name again
            c = _Unit(h.start, h.end, "person" if full else "coref")
            c.actor = e.actor
            c.rule = f"{self.lang}.person.repeated" if full else f"{self.lang}.coref.surname"
            extra.append(c)
        return sorted(units + extra, key=lambda u: u.start)

    def pronoun_coref(self, units: list[_Unit]) -> list[_Unit]:
        """He / She opening a sentence is the person last named in it or the two sentences
        before, unless the title before that name says otherwise (Mr … She) (actors_rules.yaml
        pronouns)."""
        r = self.r
        if r.pronoun_re is None:
            return units
        doc = self.doc
        people = [u for u in units if u.kind == "person"
                  or (u.kind == "coref" and (u.actor or "").startswith("person:"))]
        if not people:
            return units
        extra: list[_Unit] = []
        for m in r.pronoun_re.finditer(self.norm):
            a, b = m.span()
            if not self.original(a, a + 1).isupper() or not self.starts_sentence(a):
                continue
            s0 = doc.to_text_span(a, b)[0]
            sent = doc.sentence_at(s0)
            if sent is None:
                continue
            k = doc.sentences.index(sent)
            lo = doc.sentences[max(0, k - 2)].start
            gender = r.pronouns[m.group()]
            for u in reversed(people):
                if u.end > a:
                    continue
                if doc.to_text_span(u.start, u.end)[0] < lo:
                    break
                j, title = self.prev_word(u.start)
                told = r.titled.get(self.original(j, j + len(title))) if title else None
                if told is not None and told != gender:
                    continue
                c = _Unit(a, b, "coref")
                c.actor, c.country, c.sector = u.actor, u.country, u.sector
                c.rule = f"{self.lang}.coref.pronoun"
                extra.append(c)
                break
        return sorted(units + extra, key=lambda u: u.start) if extra else units

    def person_keys(self, name: str) -> list[str]:
        r, art = self.r, self.lex.article or ""
        words = name.split()
        keys = [name]
        if len(words) < 2:
            return keys
        last = words[-1]
        cands = [last]
        if art and last.startswith(art):
            cands.append(last[len(art):])
        for p in r.particle_prefixes:
            if last.startswith(p):
                cands.append(last[len(p):])
        for c in cands:
            if len(c) >= 3 and c not in r.stops and c not in r.particles:
                keys.append(c)
        return keys

    # -- all together --------------------------------------------------------------------------
    def run(self) -> list[Mention]:
        units = self.units()
        if self.lang == "ar":
            units = self.unknown_groups_ar(units)
            units = self.compose_ar(units)
            self.links_ar(units)
        else:
            units = self.compose_en(units)
            units = self.unknown_groups_en(units)
            units = self.unknown_orgs_en(units)
        units = [u for u in units if (u.kind in _EMITTED or u.kind == "gnoun")
                 and not (u.kind == "demonym" and not u.plural)]
        units = self.people(units)
        self.relink(units)
        units = self.surname_coref(units)
        units = self.pronoun_coref(units)
        if self.lang == "ar":
            units = self.agent_of_person(units)  # إدارة أوباما: before needs_country drops إدارة
        units = self.agent_coref(units)
        self.home_country(units)
        return self.mentions(units)

    def home_country(self, units: list[_Unit]) -> None:
        """A story of one country's parties (Labour … the Tories …): its government, ministers,
        MPs and police named with no country are that country's (actors_rules.yaml home)."""
        r = self.r
        if not r.home_sectors:
            return
        parties = [u.country for u in units if u.sector in r.home_party_sectors and u.country]
        if len(parties) < r.home_min or len(set(parties)) != 1:
            return
        for u in units:
            if u.kind in _AGENTS and u.country is None and u.actor is None and u.aff is None \
                    and u.sector in r.home_sectors:
                u.country = parties[0]

    def mentions(self, units: list[_Unit]) -> list[Mention]:
        doc = self.doc
        text = doc.text
        out: list[Mention] = []
        last_end = -1
        for u in sorted(units, key=lambda u: u.start):
            s, e = doc.to_text_span(u.start, u.end)
            while e < len(text) and (unicodedata.category(text[e]) == "Mn" or text[e] == "\u0640"):
                e += 1  # a final diacritic or tatweel belongs to the word
            if s < last_end or e <= s:
                continue
            actor = u.actor or _agent_id(u)
            if actor is None:
                continue
            kind = _MENTION_KIND.get(u.kind, u.kind)
            out.append(Mention(s, e, text[s:e], kind, actor, doc.zone_at(s), u.rule))
            last_end = e
        return out


def _agent_id(u: _Unit) -> str | None:
    """The id of a composed agent: IRN.GOV, IRN (a side with no sector), MIL, UAF@IRN."""
    if u.country and u.sector:
        return f"{u.country}.{u.sector}"
    if u.country:
        return u.country
    if u.sector and u.aff:
        return f"{u.sector}@{u.aff}"
    return u.sector


@stage("mentions", requires=("norm_text", "tokens", "zones", "lang"), assigns=("mentions",))
def mentions(doc: Document) -> Document:
    lang = doc.lang if doc.lang in LANGS else None
    if lang is None or not doc.norm_text:
        doc.mentions = []
        return doc
    finder = _Finder(doc, lang)
    doc.mentions = finder.run()
    doc.actors.update(finder.actors)
    return doc
