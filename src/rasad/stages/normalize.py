"""normalize: the matching view of the text, with an offset map back to ``text``.

Folds what Arabic spelling varies on (diacritics, tatweel, alef and hamza forms, alef
maqsura, ta marbuta, digits of three scripts, presentation forms, bidi controls) and
lower-cases Latin letters. The table is language data: ``lang/normalize.tsv``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from ..doc import Document
from ..errors import ResourceError
from ..lang.loader import read_tsv
from ..pipeline import stage


def _codepoints(spec: str) -> range:
    try:
        if ".." in spec:
            a, b = spec.split("..")
            return range(int(a[2:], 16), int(b[2:], 16) + 1)
        cp = int(spec[2:], 16)
        return range(cp, cp + 1)
    except ValueError:
        raise ResourceError(f"lang/normalize.tsv: bad code point '{spec}'") from None


class _Folding(NamedTuple):
    table: dict[int, str | None]  # for str.translate
    special: re.Pattern[str]  # characters deleted or expanded: the offset map records them
    special_chars: frozenset[str]
    expanding: re.Pattern[str]  # characters that become several (ligatures)
    changing: re.Pattern[str]  # every character the table changes
    replacement: dict[str, str]  # what each becomes


@functools.cache
def _tables() -> tuple[dict[int, str | None], re.Pattern]:
    f = _folding()
    return f.table, f.special


def _char_class(cps: list[int]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"\\U{cp:08x}" for cp in sorted(cps)) + "]" if cps else "(?!)")


@functools.cache
def _folding() -> _Folding:
    table: dict[int, str | None] = {}
    for row in read_tsv(None, "normalize.tsv", 1):
        spec, to = row[0], (row[1] if len(row) > 1 else "")
        for cp in _codepoints(spec):
            if to == "":
                table[cp] = None
            elif to == "NFKC":
                nf = unicodedata.normalize("NFKC", chr(cp))
                if nf != chr(cp):
                    table[cp] = nf
            else:
                table[cp] = chr(_codepoints(to)[0])
    # letters with a one-character lower case (Latin, Greek, Cyrillic)
    for cp in range(0x41, 0x530):
        c = chr(cp)
        low = c.lower()
        if low != c and len(low) == 1 and cp not in table:
            table[cp] = low
    # NFKC results may hold characters the table folds again (the ligature of lam + alef-hamza;
    # the isolated form of ta marbuta is ta marbuta, itself folded): fold until nothing changes,
    # so that the matching form of a matching form is itself
    for _ in range(4):
        changed = False
        for cp, rep in list(table.items()):
            if rep and rep.translate(table) != rep:
                table[cp] = rep.translate(table)
                changed = True
        if not changed:
            break
    special = [cp for cp, rep in table.items() if rep is None or len(rep) != 1]
    return _Folding(
        table=table,
        special=_char_class(special),
        special_chars=frozenset(map(chr, special)),
        expanding=_char_class([cp for cp, rep in table.items() if rep is not None and len(rep) > 1]),
        changing=_char_class(list(table)),
        replacement={chr(cp): rep or "" for cp, rep in table.items()},
    )


def expands(text: str) -> bool:
    """Whether a character of ``text`` becomes several in the matching view (a ligature)."""
    return _folding().expanding.search(text) is not None


# below this length (and for ASCII, which CPython translates from a cache) str.translate is
# as fast as anything
_SHORT = 64


def _fold(text: str) -> tuple[str, bool]:
    """``(text.translate(table), whether a character was deleted or expanded)``.

    ``str.translate`` looks every character of a non-ASCII string up in a dict; an Arabic text
    changes few distinct characters (ta marbuta, alef maqsura, hamza forms ...), so replacing
    just those is several times faster. What a character becomes changes no further, so the
    order of the replacements does not matter.
    """
    f = _folding()
    if len(text) < _SHORT or text.isascii():
        return text.translate(f.table), f.special.search(text) is not None
    present = set(f.changing.findall(text))
    replacement = f.replacement
    for c in present:
        text = text.replace(c, replacement[c])
    return text, not f.special_chars.isdisjoint(present)


def normalize_str(text: str) -> str:
    """The matching form of a string (what lexicon keys are compared in)."""
    if len(text) < _SHORT or text.isascii():
        return text.translate(_folding().table)
    return _fold(text)[0]


def normalize_with_map(text: str) -> tuple[str, list[int] | None]:
    """``(norm_text, norm_map)``; the map is None where every character maps one to one."""
    norm, irregular = _fold(text)
    if not irregular:
        return norm, None
    f = _folding()
    table = f.table
    mapping: list[int] = []
    pos = 0
    for m in f.special.finditer(text):
        i = m.start()
        if i > pos:
            mapping.extend(range(pos, i))
        rep = table.get(ord(text[i]))
        if rep:
            mapping.extend([i] * len(rep))
        pos = i + 1
    if pos < len(text):
        mapping.extend(range(pos, len(text)))
    return norm, mapping


@stage("normalize", requires=("text",), assigns=("norm_text",))
def normalize(doc: Document) -> Document:
    doc.norm_text, doc.norm_map = normalize_with_map(doc.text)
    return doc
