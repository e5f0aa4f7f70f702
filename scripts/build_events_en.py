"""Generate src/rasad/lang/en/events_generated.tsv from the PETRARCH-2 verb dictionary.

The hand lexicon (lang/en/events.yaml) covers the triggers news uses most, with examples; this
file adds the breadth of the PETRARCH-2 English verb dictionary (CAMEO.2.0.txt, MIT, Open Event
Data Alliance): every verb with a CAMEO code, in all its inflections, and every verb pattern
whose object words say the code (``STAGE * DEMONSTRATION [141]``). Codes go to PLOVER types
through src/rasad/ontology/cameo.tsv (CAMEO2PLOVER-2021); CAMEO 02 appeals are REQUESTs (PLOVER
merged APPEAL and DEMAND), CAMEO 01 statements have no PLOVER type and are left out.

Reviewed entries that code wrongly are listed in lang/en/events_generated_drop.tsv with the
reason (kinds: a verb, a verb alone, its base form, the verbs of a block alone, a verb with a
code, a whole block, a CAMEO code, an object word); the review ran the rules on real news (BBC
politics) and on the dev half of the PLOVER GSR. Only the past and participle of a verb alone
are triggers (its base and present forms are mostly nouns: fire, aid, forces). The events stage
loads this file after the hand lexicon, and a hand form wins: a generated rule gives way
wherever a hand rule lists the same word (tests/test_events_generated.py).

Each row: id, PLOVER type, mode, contexts, CAMEO code, forms, require_after, window, require_before,
origin. Lists are ``|``-separated; a bare verb has no require_after; its base form (ban, evacuate:
also nouns) is a rule of its own that needs a verb marker before it (event_frames.yaml verb_markers).
A verb + object pattern takes the verb's past, participle and -ing forms.

    .venv/bin/python scripts/build_events_en.py            # write the file
    .venv/bin/python scripts/build_events_en.py --check    # exit 1 when the file is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from generated import write_or_check  # noqa: E402  (scripts/ is on the path)

from rasad.lang.loader import read_yaml  # noqa: E402
from rasad.ontology import cameo  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "resources" / "dictionaries" / "phoenix-en" / "CAMEO.2.0.txt"
LANG = ROOT / "src" / "rasad" / "lang" / "en"
OUT = LANG / "events_generated.tsv"
DROP = LANG / "events_generated_drop.tsv"

_CODE = re.compile(r"\[:?(\d{2,4}|---)")
_BRACES = re.compile(r"\{([^}]*)\}")
_WINDOW = 6
_OBJECT_WINDOW = 4
# words that say nothing about what was done (a pattern needs a content word)
_FUNCTION = frozenset(
    "a an the of to for on in at by with from into over about against upon after before during "
    "under as and or not no his her its their it him them this that these those who which "
    "up down out off back away".split()
)


@dataclass
class Block:
    name: str
    code: str  # "" when the block has no default code
    verbs: list[tuple[str, list[str], str]] = field(default_factory=list)  # lemma, forms, own code
    # elements, code, text, the verb the pattern was found with ("" when not said)
    patterns: list[tuple[list[str], str, str, str]] = field(default_factory=list)


def _words(s: str) -> str:
    """Dictionary spelling to text: lower case, ``_`` a space, a hyphen a token of its own."""
    s = s.strip().lstrip("+").rstrip("_").replace("_", " ").lower()
    s = re.sub(r"\s*-\s*", " - ", s)
    return " ".join(s.split())


def _code(text: str) -> str | None:
    m = _CODE.search(text)
    if not m:
        return None
    return "" if m.group(1) == "---" else m.group(1)


def read_dictionary(path: Path = SOURCE) -> tuple[dict[str, list[str]], list[Block]]:
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    section = ""
    current_set: list[str] | None = None
    block: Block | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].rstrip()
        comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
        if raw.startswith("####"):
            section = "syn" if "SYNONYM" in raw else "verbs" if "VERB PATTERNS" in raw else ""
            continue
        if not line.strip():
            continue
        if section == "syn":
            if line.startswith("&"):
                current_set = synsets.setdefault(line.strip().rstrip("_"), [])
            elif line.startswith("+") and current_set is not None:
                current_set.append(_words(line))
            continue
        if section != "verbs":
            continue
        if line.startswith("---"):
            name = line.strip("- ").split()[0]
            block = Block(name, _code(line) or "")
            blocks.append(block)
            continue
        if block is None:
            continue
        if line.startswith("-"):
            code = _code(line)
            if code is None:
                continue
            body = line[1:line.index("[")] if "[" in line else line[1:]
            origin = _words(comment.split()[0]) if comment.split() and comment.split()[0].isupper() else ""
            block.patterns.append((_elements(body), code, " ".join(body.split()), origin))
            continue
        # a verb: LEMMA {IRREGULAR FORMS} [CODE]
        own = _code(line) or ""
        m = _BRACES.search(line)
        forms = [_words(f) for f in m.group(1).split()] if m else []
        lemma = _words(_BRACES.sub("", line).split("[")[0])
        if lemma:
            block.verbs.append((lemma, forms, own))
    return synsets, blocks


def _elements(body: str) -> list[str]:
    """A pattern's tokens: words, ``{noun phrase}`` and ``(prepositional phrase)`` as one each."""
    out: list[str] = []
    for m in re.finditer(r"\{[^}]*\}|\([^)]*\)|\S+", body):
        out.append(m.group(0))
    return out


def inflect(lemma: str, irregular: list[str]) -> list[str]:
    """The verb's forms: the irregular ones the dictionary gives, else the regular ones (the first
    word of a phrasal verb inflects: round up, rounded up)."""
    if irregular:
        return [f for f in _unique([lemma] + irregular) if _FORM.match(f)]
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    return [f for f in _unique([lemma] + [f + tail for f in _regular(head)]) if _FORM.match(f)]


_FORM = re.compile(r"^[a-z][a-z' -]*[a-z]$")


def _present(lemma: str) -> set[str]:
    return {lemma + "s", lemma + "es", lemma[:-1] + "ies"}


def past_forms(lemma: str, forms: list[str]) -> list[str]:
    """The forms of a one-word verb that are rarely nouns: the past and past participle (fired,
    but not fire, fires, firing: the fire, the fires, a firing squad). A phrasal verb keeps all."""
    if " " in lemma:
        return forms
    present = {lemma} | _present(lemma)
    return [f for f in forms if f not in present and not f.endswith("ing")]


def _regular(w: str) -> list[str]:
    if not w.isalpha():
        return []
    if w.endswith(("ee", "ye", "oe")):
        return [w + "s", w + "d", w + "ing"]
    if w.endswith("e"):
        return [w + "s", w + "d", w[:-1] + "ing"]
    if len(w) > 2 and w.endswith("y") and w[-2] not in "aeiou":
        return [w[:-1] + "ies", w[:-1] + "ied", w + "ing"]
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return [w + "es", w + "ed", w + "ing"]
    out = [w + "s", w + "ed", w + "ing"]
    # a short verb ending consonant-vowel-consonant doubles its consonant (stab, stabbed)
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou" and len(w) <= 5:
        out += [w + w[-1] + "ed", w + w[-1] + "ing"]
    return out


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for x in items:
        if x:
            seen.setdefault(x, None)
    return list(seen)


def _expand(el: str, synsets: dict[str, list[str]]) -> list[str]:
    """The phrases one pattern element stands for (a synonym set: its members)."""
    el = el.strip("{}() ")
    words = el.split()
    out = [""]
    for w in words:
        if w.startswith("&"):
            members = synsets.get(w.rstrip("_"), [])
            out = [f"{o} {m}".strip() for o in out for m in members]
        elif w in ("$", "+", "^", "%", "!", "|"):
            continue
        else:
            out = [f"{o} {_words(w)}".strip() for o in out]
    return [o for o in out if o]


def object_phrases(elements: list[str], synsets: dict[str, list[str]]) -> tuple[list[str], int] | None:
    """What a pattern requires after its verb: the phrases of its most specific content element
    (the last one with a content word) and how far after the verb it may stand; None for a
    pattern that constrains the subject or names no content word."""
    if "*" not in elements or elements.index("*") != 0:
        return None
    after = elements[1:]
    best = None
    offset = 0
    for k, el in enumerate(after):
        words = [w for w in el.strip("{}()").split() if w not in ("$", "+", "^", "%", "!", "|")]
        if any(w.startswith("&") or w.lower() not in _FUNCTION for w in words):
            best = el
            offset = k
    if best is None:
        return None
    inner = best.strip()
    if inner.startswith("("):
        # a prepositional phrase: its words after the preposition (for help -> help)
        words = inner.strip("()").split()
        if len(words) > 1 and words[0].lower() in _FUNCTION:
            inner = " ".join(words[1:])
        else:
            inner = " ".join(words)
    words = [w for w in inner.strip("{}").split() if w not in ("$", "+", "^", "%", "!", "|")]
    if len(words) > 1 and any(w.startswith("&") for w in words):
        inner = words[-1]  # a set inside a phrase ({&CURRENCY HELP}): its head word stands for it
    phrases = _expand(inner, synsets)
    if not phrases:
        return None
    plural = [p + "s" for p in phrases if " " not in p and p.isalpha() and not p.endswith("s")]
    # a direct object stands right after its verb (issued an ultimatum); a prepositional phrase
    # may come after the object (appealed to the UN for help)
    window = _OBJECT_WINDOW if not best.startswith("(") else _WINDOW + 2 * offset
    return _unique(phrases + plural), window


@dataclass(frozen=True)
class Drops:
    verbs: frozenset[str]  # verb: no rule from this verb at all
    bare: frozenset[str]  # bare: not the verb alone (its patterns stay)
    base: frozenset[str]  # base: not the base form after to / will (to aid: access to aid)
    bare_blocks: frozenset[str]  # bare-block: no verb of the block alone
    verb_codes: frozenset[tuple[str, str]]  # verb+code: a verb with one code
    blocks: frozenset[str]  # block: nothing from the block
    codes: tuple[str, ...]  # code: CAMEO code prefixes
    phrases: frozenset[str]  # object: object phrases that say nothing


_KINDS = ("verb", "bare", "base", "bare-block", "verb+code", "block", "code", "object")


def read_drops(path: Path = DROP) -> Drops:
    found: dict[str, set] = {k: set() for k in _KINDS}
    if path.exists():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) < 3 or cols[0] not in _KINDS or not cols[2]:
                raise SystemExit(f"{path}:{n}: want kind, what, reason (kinds: {', '.join(_KINDS)})")
            kind, what = cols[0], cols[1]
            for w in (x.strip() for x in what.split(",")):
                if kind == "verb+code":
                    lemma, _, code = w.rpartition(" ")
                    found[kind].add((lemma, code))
                else:
                    found[kind].add(w)
    return Drops(frozenset(found["verb"]), frozenset(found["bare"]), frozenset(found["base"]), frozenset(found["bare-block"]),
                 frozenset(found["verb+code"]), frozenset(found["block"]), tuple(sorted(found["code"])),
                 frozenset(found["object"]))


def _plover(code: str) -> tuple[str, str, str] | None:
    """PLOVER type, mode, contexts of a CAMEO code; CAMEO 02 (appeal) is a REQUEST."""
    if code.startswith("02"):
        return "REQUEST", "", ""
    row = cameo(code)
    if row is None or not row.plover_type:
        return None
    return row.plover_type, row.mode, ",".join(row.context)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")


def build(path: Path = SOURCE, drops: Drops | None = None) -> list[tuple[str, ...]]:
    drops = drops or read_drops()
    synsets, blocks = read_dictionary(path)
    markers = [str(w) for w in (read_yaml("en", "event_frames.yaml") or {}).get("verb_markers") or ()]
    rows: list[tuple[str, ...]] = []
    ids: dict[str, int] = defaultdict(int)

    def dropped(lemma: str, code: str, block: str) -> bool:
        return (lemma in drops.verbs or (lemma, code) in drops.verb_codes or block in drops.blocks
                or any(code.startswith(c) for c in drops.codes))

    def add(typ: str, name: str, mode: str, ctx: str, code: str, forms: list[str], need: list[str],
            window: int, origin: str, before: list[str] | None = None) -> None:
        base = f"en.{typ.lower()}.gen_{_slug(name)}"
        ids[base] += 1
        rid = base if ids[base] == 1 else f"{base}_{ids[base]}"
        rows.append((rid, typ, mode, ctx, code, "|".join(forms), "|".join(need), str(window),
                     "|".join(before or ()), origin))

    for block in blocks:
        # bare verbs: the verb's own code, else its block's
        for lemma, irregular, own in block.verbs:
            forms = past_forms(lemma, inflect(lemma, irregular))
            code = own or block.code
            if not code or dropped(lemma, code, block.name) or lemma in drops.bare or block.name in drops.bare_blocks:
                continue
            mapped = _plover(code)
            if mapped is None:
                continue
            typ, mode, ctx = mapped
            add(typ, lemma, mode, ctx, code, forms, [], _WINDOW, f"{block.name}: {lemma.upper()} [{code}]")
            if " " not in lemma and lemma not in drops.base and markers:
                # the base form only after to, will, would …: a verb, not the noun (to ban, will evacuate)
                add(typ, lemma + "_base", mode, ctx, code, [lemma], [], _WINDOW, f"{block.name}: {lemma.upper()} [{code}]",
                    markers)
        # patterns: one rule per verb and code, its objects pooled (the more specific first). A
        # pattern holds for the verb it was found with (its comment), else for the whole block.
        verbs = {lemma: inflect(lemma, irregular) for lemma, irregular, _ in block.verbs}
        pooled: dict[tuple[str, str], tuple[list[str], int, list[str]]] = {}
        for elements, code, raw, origin in sorted(block.patterns, key=lambda p: -len(p[0])):
            if not code or _plover(code) is None:
                continue
            obj = object_phrases(elements, synsets)
            if obj is None:
                continue
            phrases = [p for p in obj[0] if p not in drops.phrases]
            # one rule per verb and three-digit code: fewer rules to try on each occurrence of
            # the verb (0231 economic aid and 0233 humanitarian aid are both 023, appeal for aid)
            short = _plover(code[:3])
            key3 = code[:3] if short and short[0] == _plover(code)[0] else code  # type: ignore[index]
            for lemma in ([origin] if origin in verbs else list(verbs)):
                if not phrases or dropped(lemma, code, block.name):
                    continue
                need, window, raws = pooled.get((lemma, key3), ([], 0, []))
                pooled[(lemma, key3)] = (need + phrases, max(window, obj[1]), raws + [raw])
        for (lemma, code), (need, window, raws) in pooled.items():
            typ, mode, ctx = _plover(code)  # type: ignore[misc]
            origin = f"{block.name}: {lemma.upper()} - " + " / ".join(raws[:3]) + (" …" if len(raws) > 3 else "")
            # the past, participle and -ing forms: the present (issues, rules) is most often a plural
            # noun, the base form (an issue, a ban, an appeal) a noun
            forms = verbs[lemma] if " " in lemma else [f for f in verbs[lemma] if f != lemma and f not in _present(lemma)]
            if forms:
                add(typ, f"{lemma}_{code}", mode, ctx, code, forms, _unique(need), window, origin)
    return rows


HEADER = (
    "# generated by scripts/build_events_en.py from ../shared/data/resources/dictionaries/phoenix-en/"
    "CAMEO.2.0.txt (PETRARCH-2 verb patterns, MIT) through src/rasad/ontology/cameo.tsv "
    "(CAMEO2PLOVER-2021), less lang/en/events_generated_drop.tsv; do not edit\n"
    "# the events stage loads it after events.yaml: a hand form wins over a generated one\n"
    "# id\ttype\tmode\tcontext\tcameo\tforms\trequire_after\twindow\trequire_before\torigin\n"
)


def render(rows: list[tuple[str, ...]]) -> str:
    return HEADER + "".join("\t".join(r) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the file differs from a fresh build")
    args = ap.parse_args(argv)
    text = render(build())
    return write_or_check(OUT, text, args.check, "build_events_en.py", f"{text.count(chr(10)) - 3} rules")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
