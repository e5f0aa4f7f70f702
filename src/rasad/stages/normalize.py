"""normalize: the matching view of the text, with an offset map back to ``text``.

Folds what Arabic spelling varies on (diacritics, tatweel, alef and hamza forms, alef
maqsura, ta marbuta, digits of three scripts, presentation forms, bidi controls) and
lower-cases Latin letters. The table is language data: ``lang/normalize.tsv``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

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


@functools.cache
def _tables() -> tuple[dict[int, str | None], re.Pattern]:
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
    # NFKC results may hold characters the table folds again (ligature of lam + alef-hamza)
    for cp, rep in list(table.items()):
        if rep and len(rep) > 1:
            table[cp] = "".join(c for c in rep.translate(table))
    special = [cp for cp, rep in table.items() if rep is None or len(rep) != 1]
    pattern = re.compile("[" + "".join(f"\\u{cp:04x}" for cp in special) + "]")
    return table, pattern


def normalize_str(text: str) -> str:
    """The matching form of a string (what lexicon keys are compared in)."""
    table, _ = _tables()
    return text.translate(table)


def normalize_with_map(text: str) -> tuple[str, list[int] | None]:
    """``(norm_text, norm_map)``; the map is None where every character maps one to one."""
    table, special = _tables()
    if not special.search(text):
        return text.translate(table), None
    parts: list[str] = []
    mapping: list[int] = []
    pos = 0
    for m in special.finditer(text):
        i = m.start()
        if i > pos:
            parts.append(text[pos:i].translate(table))
            mapping.extend(range(pos, i))
        rep = table.get(ord(text[i]))
        if rep:
            parts.append(rep)
            mapping.extend([i] * len(rep))
        pos = i + 1
    if pos < len(text):
        parts.append(text[pos:].translate(table))
        mapping.extend(range(pos, len(text)))
    return "".join(parts), mapping


@stage("normalize", requires=("text",), assigns=("norm_text",))
def normalize(doc: Document) -> Document:
    doc.norm_text, doc.norm_map = normalize_with_map(doc.text)
    return doc
