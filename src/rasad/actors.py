"""The actor knowledge base: who the names and nouns of ``lang/<code>/actors_*`` stand for.

``lexicon(lang)`` loads every actor file of a language into one Aho-Corasick automaton over
normalized keys (``normalize_str``); ``Lexicon.scan`` finds them in ``doc.norm_text`` with word
boundaries, Arabic proclitics kept outside the span (لإيران -> إيران, للعراق -> لعراق, the
article's lam after li-), and English case rules (US is not "us"). ``actor_for(id)`` builds the
``Actor`` of a known id: an ISO3 country, ``<ISO3>.<SECTOR>``, or a row of ``lang/actors.tsv``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import ahocorasick

from .doc import Actor
from .errors import ResourceError
from .lang.loader import LANGS, read_tsv, read_yaml
from .stages.normalize import normalize_str
from .stages.segment import proclitics

__all__ = ["Entry", "Hit", "KeyInfo", "Lexicon", "actor_for", "actor_table", "lexicon", "person_id"]

# when one key has several readings, the first kind here is the one a hit stands for
_PRIORITY = ("block", "group", "organisation", "leader", "country", "capital", "role", "agent",
             "marker", "gnoun", "demonym")
_RANK = {k: i for i, k in enumerate(_PRIORITY)}
CASE_ANY, CASE_CAPITAL, CASE_EXACT = 0, 1, 2
OPEN_TERM = "9999-12-31"  # the end of a term still running


def term_at(e: Entry, day: str) -> tuple[str, str, str | None, str] | None:
    """The office a leader held on ``day`` (ISO date), or None."""
    return next((t for t in e.terms if t[0] <= day <= t[1]), None) if day else None


@dataclass(frozen=True, slots=True)
class Entry:
    """One reading of a lexicon key."""

    kind: str  # country capital demonym organisation group agent role marker gnoun block leader
    actor: str | None = None
    country: str | None = None
    sector: str | None = None
    head: str | None = None
    plural: bool = False  # a demonym that is also a noun (الإيرانيون, Iranians)
    needs_country: bool = False
    no_name: bool = False  # an office no name follows (official Kent house)
    case: int = CASE_ANY
    surface: str = ""
    # leader: (from, to, country, sector) of each office held, ISO dates
    terms: tuple[tuple[str, str, str | None, str], ...] = ()
    offices: tuple[str, ...] = ()  # leader: the offices held, as actors_leaders_recent.tsv says (lower case)
    source: str = ""
    # agents.tsv flags besides needs_country and no_name: complement (وزير <portfolio>
    # <demonym>), named (صحيفة <name> <demonym>), member (مسؤول في <institution>)
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    """A key found in ``norm_text``: ``[start, end)`` excludes proclitics."""

    start: int
    end: int
    entries: tuple[Entry, ...]
    article_clitic: bool = False  # للعراق: the article's alef was swallowed by li-
    info: KeyInfo | None = None

    @property
    def primary(self) -> Entry:
        return self.entries[0]

    def first(self, kind: str) -> Entry | None:
        for e in self.entries:
            if e.kind == kind:
                return e
        return None


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What a key says about its phrase, computed once when the lexicon loads."""

    definite: bool  # begins with the article (or li- swallowed it: للعراق)
    last_definite: bool  # its last word has the article (construct state needs it not to)
    form: str  # the key without the article (what definite coreference compares)
    demonym: Entry | None
    country: Entry | None
    rule: str


def person_id(name_norm: str) -> str:
    """The stable id of a person known by a (normalized) full name."""
    return "person:" + name_norm


# -- the shared actor table ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    kind: str
    country: str | None
    sector: str | None
    affiliation: str | None
    wikidata: str | None
    en: str
    ar: str


def _opt(s: str) -> str | None:
    return s or None


@functools.cache
def actor_table() -> dict[str, _Row]:
    """``lang/actors.tsv``: id -> row."""
    out: dict[str, _Row] = {}
    for r in read_tsv(None, "actors.tsv", 2):
        r = r + ("",) * (9 - len(r))
        if r[0] in out:
            raise ResourceError(f"lang/actors.tsv: actor id '{r[0]}' is given twice")
        out[r[0]] = _Row(r[0], r[1], _opt(r[2]), _opt(r[3]), _opt(r[4]), _opt(r[5]), r[6], r[7])
    return out


@functools.cache
def _sector_names() -> dict[str, dict[str, str]]:
    return {r[0]: {"en": r[1], "ar": r[2] if len(r) > 2 else ""} for r in read_tsv(None, "actors_sectors.tsv", 2)}


@functools.cache
def country_names() -> dict[str, dict[str, str]]:
    """ISO3 -> {lang: canonical name}: the first CLDR name of each language."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        for r in read_tsv(lang, "actors_countries.tsv", 2):
            out.setdefault(r[1], {}).setdefault(lang, r[0])
    return out


def actor_for(actor_id: str) -> Actor | None:
    """The Actor of a knowledge-base id, or None when the id is not one."""
    return _actor_for(actor_id)


@functools.lru_cache(maxsize=20_000)  # ids come from text too (group:<name>): bounded
def _actor_for(actor_id: str) -> Actor | None:
    table = actor_table()
    row = table.get(actor_id)
    if row is not None and row.kind != "country":
        name = {k: v for k, v in (("ar", row.ar), ("en", row.en)) if v}
        return Actor(actor_id, name, row.country, row.sector, row.kind, row.wikidata, row.affiliation)
    names = country_names()
    sectors = _sector_names()
    country, _, sector = actor_id.partition(".")
    affiliation = None
    if "@" in actor_id:  # UAF@IRN: an armed group aligned with Iran
        sector, _, affiliation = actor_id.partition("@")
        country = ""
    elif not sector and actor_id in sectors:  # MIL: an army of no known country
        country, sector = "", actor_id
    if sector and sector not in sectors:
        return None
    if country and country not in names:
        return None
    if not country and not sector:
        return None
    cname = names.get(country, {})
    sname = sectors.get(sector, {})
    name = {}
    for lang in ("ar", "en"):
        parts = [p for p in (cname.get(lang), sname.get(lang)) if p]
        if affiliation and names.get(affiliation, {}).get(lang):
            parts.append(f"@{names[affiliation][lang]}")
        if parts:
            name[lang] = " - ".join(parts) if lang == "ar" else " ".join(parts)
    wikidata = table[country].wikidata if not sector and country in table else None
    kind = "country" if country and not sector else "agent"
    return Actor(actor_id, name, country or None, sector or None, kind, wikidata, affiliation)


# -- the lexicon --------------------------------------------------------------------------------

def _id_parts(actor_id: str) -> tuple[str | None, str | None]:
    """(country, sector) of an actor id."""
    row = actor_table().get(actor_id)
    if row is not None and row.kind != "country":
        return row.country, row.sector
    country, _, sector = actor_id.partition(".")
    return (country or None), (sector or None)


def _case_of(surface: str, lang: str) -> int:
    if lang != "en" or not any(c.isalpha() for c in surface):
        return CASE_ANY
    letters = [c for c in surface if c.isalpha()]
    if all(c.isupper() for c in letters) and len(letters) <= 6:
        return CASE_EXACT  # US, UN, NATO: "us" and "un" are words
    return CASE_CAPITAL if surface[0].isupper() else CASE_ANY


class Lexicon:
    """Every actor name and agent noun of one language, ready to scan a text."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rules: dict = read_yaml(lang, "actors_rules.yaml") or {}
        self.article = normalize_str(self.rules.get("article", "")) or None
        clitics = proclitics(lang) if lang == "ar" else ()
        self.clitics = frozenset(c for c, adds in clitics if not adds)
        # li- + al- = لل: the hit starts at the article's lam, the word's prefix is the rest
        self.article_prefixes = frozenset(c[:-1] for c, adds in clitics if adds)
        keys: dict[str, list[Entry]] = {}
        for key, entry in self._entries():
            if key:
                keys.setdefault(key, []).append(entry)
        self.size = len(keys)
        # the first words of each leader's name -> the leaders named so (a king is named by
        # his first name after his title: الملك سلمان)
        self.leader_prefixes: dict[str, list[Entry]] = {}
        for key, entries in keys.items():
            words = key.split()
            for e in entries:
                if e.kind == "leader" and e.source == "leaders":
                    for n in range(1, len(words)):
                        self.leader_prefixes.setdefault(" ".join(words[:n]), []).append(e)
        auto = ahocorasick.Automaton()
        dropped: dict[str, list[Entry]] = {}
        if self.article and self.article_prefixes:
            for key, entries in keys.items():
                if key.startswith(self.article) and len(key) > len(self.article) + 1:
                    dropped.setdefault(key[1:], []).extend(entries)
        for key in set(keys) | set(dropped):
            plain = tuple(sorted(keys.get(key, ()), key=lambda e: _RANK[e.kind]))
            drop = tuple(sorted(dropped.get(key, ()), key=lambda e: _RANK[e.kind]))
            auto.add_word(key, (len(key), plain, drop,
                                self.key_info(key, plain, False), self.key_info(key, drop, True)))
        auto.make_automaton()
        self._auto = auto

    def key_info(self, key: str, entries: tuple[Entry, ...], article_clitic: bool) -> KeyInfo | None:
        if not entries:
            return None
        art = self.article or ""
        last = key.rsplit(" ", 1)[-1]
        form = key[len(art):] if art and key.startswith(art) else key[1:] if article_clitic else key
        first = entries[0]
        return KeyInfo(
            definite=bool(art) and (article_clitic or key.startswith(art)),
            last_definite=bool(art) and (last.startswith(art) or (article_clitic and " " not in key)),
            form=form,
            demonym=next((e for e in entries if e.kind == "demonym"), None),
            country=next((e for e in entries if e.kind == "country"), None),
            rule=f"{self.lang}.lex.{first.source or first.kind}",
        )

    # -- loading -------------------------------------------------------------------------------
    def _entries(self):
        lang = self.lang
        norm = normalize_str
        for r in read_tsv(lang, "actors_countries.tsv", 2):
            yield norm(r[0]), Entry("country", r[1], r[1], None, case=_case_of(r[0], lang),
                                    surface=r[0], source="countries")
        for r in read_tsv(lang, "actors_capitals.tsv", 2):
            yield norm(r[0]), Entry("capital", f"{r[1]}.GOV", r[1], "GOV", case=_case_of(r[0], lang),
                                    surface=r[0], source="capitals")
        for r in read_tsv(lang, "actors_demonyms.tsv", 3):
            yield norm(r[0]), Entry("demonym", r[1], r[1], None, plural=r[2] == "pl",
                                    case=_case_of(r[0], lang), surface=r[0], source="demonyms")
        table = actor_table()
        for row in table.values():
            name = row.ar if lang == "ar" else row.en
            if name and row.kind != "country":
                yield norm(name), Entry(row.kind, row.id, row.country, row.sector,
                                        case=_case_of(name, lang), surface=name, source="actors")
        for r in read_tsv(lang, "actors_aliases.tsv", 3):
            alias, actor_id, kind = r[0], r[1], r[2]
            if kind == "block":
                yield norm(alias), Entry("block", surface=alias, case=_case_of(alias, lang))
                continue
            country, sector = _id_parts(actor_id)
            if actor_for(actor_id) is None:
                raise ResourceError(f"lang/{lang}/actors_aliases.tsv: '{alias}' names an unknown actor '{actor_id}'")
            yield norm(alias), Entry(kind, actor_id, country, sector, case=_case_of(alias, lang),
                                     surface=alias, source="aliases")
        for name in ("actors_agents.tsv", "actors_agents_imported.tsv"):
            for r in read_tsv(lang, name, 2):
                r = r + ("",) * (5 - len(r))
                phrase, kind, sector, head, flags = r[:5]
                key = norm(phrase)
                if not head:
                    head = key[len(self.article):] if self.article and key.startswith(self.article) else key
                fl = frozenset(flags.split(",")) - {""} if flags else frozenset()
                yield key, Entry(kind, None, None, sector or None, head=norm(head),
                                 needs_country="needs_country" in fl, no_name="no_name" in fl,
                                 surface=phrase, source="agents", flags=fl)
        # a name's offices from both tables (the dictionaries' and the recent hand-made one),
        # one entry per name: Mark Rutte, prime minister of the Netherlands, then NATO's head
        leaders: dict[str, set[tuple[str, str, str | None, str]]] = {}
        offices: dict[str, set[str]] = {}
        for r in read_tsv(lang, "actors_leaders.tsv", 5):
            leaders.setdefault(r[0], set()).add((r[3], r[4], r[1] or None, r[2] or "GOV"))
        for r in read_tsv(lang, "actors_leaders_recent.tsv", 4):
            to = r[4] if len(r) > 4 and r[4] else OPEN_TERM
            leaders.setdefault(r[0], set()).add((r[3], to, r[1] or None, r[2] or "GOV"))
            if len(r) > 5 and r[5]:
                offices.setdefault(r[0], set()).add(r[5].lower())
        entries: dict[str, Entry] = {}
        for name, spans in leaders.items():
            key = norm(name)
            terms = tuple(sorted(spans))
            last = terms[-1]
            country = next((c for *_, c, _s in reversed(terms) if c), None)  # the head of an IGO keeps his
            entries[name] = e = Entry("leader", person_id(key), country, last[3], case=_case_of(name, lang),
                                      surface=name, source="leaders", terms=terms,
                                      offices=tuple(sorted(offices.get(name, ()))))
            yield key, e
        # a leader's family name alone (Putin said): the same person, the same terms
        for r in read_tsv(lang, "actors_leader_surnames.tsv", 2):
            surname, name = r[0], r[1]
            if name not in entries:
                raise ResourceError(f"lang/{lang}/actors_leader_surnames.tsv: '{surname}' names "
                                    f"'{name}', who is not in actors_leaders.tsv or actors_leaders_recent.tsv")
            yield norm(surname), replace(entries[name], case=_case_of(surname, lang), source="leader_surnames")

    # -- matching ------------------------------------------------------------------------------
    def scan(self, norm: str, original: Callable[[int, int], str]) -> list[Hit]:
        """Every key of the lexicon found in ``norm`` at word boundaries (overlaps included)."""
        return scan_with(self._auto, norm, original, self.clitics, self.article_prefixes)


def scan_with(auto: ahocorasick.Automaton, norm: str, original: Callable[[int, int], str],
              clitics: frozenset[str], article_prefixes: frozenset[str]) -> list[Hit]:
    """Hits of an automaton built like ``Lexicon``'s (values: (len, entries, dropped))."""
    n = len(norm)
    out: list[Hit] = []
    # a prefix longer than every clitic is no clitic: the walk back stops there
    longest = max(map(len, clitics | article_prefixes), default=0)
    for end, (klen, plain, dropped, plain_info, dropped_info) in auto.iter(norm):
        after = end + 1
        if after < n and norm[after].isalnum():
            continue
        start = after - klen
        article_clitic = False
        info = plain_info
        if start == 0 or not norm[start - 1].isalnum():
            entries = plain
        else:
            ws = start - 1
            inside = False  # the key ends a word whose beginning is no clitic
            while ws > 0 and norm[ws - 1].isalnum():
                if start - ws >= longest:
                    inside = True
                    break
                ws -= 1
            if inside:
                continue
            prefix = norm[ws:start]
            if dropped and prefix in article_prefixes:
                entries, article_clitic, info = dropped, True, dropped_info
            elif plain and prefix in clitics:
                entries = plain
            else:
                continue
        if not entries:
            continue
        if entries[0].case or (len(entries) > 1 and any(e.case for e in entries)):
            cased = _cased(entries, original(start, after))
            if not cased:
                continue
            if cased != entries:
                entries, info = cased, None
        out.append(Hit(start, after, entries, article_clitic, info))
    return out


def _cased(entries: tuple[Entry, ...], surface: str) -> tuple[Entry, ...]:
    ok = []
    for e in entries:
        if e.case == CASE_ANY:
            ok.append(e)
        elif e.case == CASE_CAPITAL:
            if surface[:1].isupper():
                ok.append(e)
        elif surface.replace(".", "") == e.surface.replace(".", ""):
            ok.append(e)
    return tuple(ok)


def select_longest(hits: list[Hit], n: int) -> list[Hit]:
    """Non-overlapping hits, the longest first (leftmost among equals), in text order."""
    covered = bytearray(n)
    chosen: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if covered.find(1, h.start, h.end) == -1:
            covered[h.start:h.end] = b"\x01" * (h.end - h.start)
            chosen.append(h)
    chosen.sort(key=lambda h: h.start)
    return chosen


@functools.cache
def lexicon(lang: str) -> Lexicon:
    """The (cached) actor lexicon of ``lang``."""
    return Lexicon(lang)
