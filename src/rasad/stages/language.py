"""language: which language the document is in (Arabic, English), or a clear refusal."""

from __future__ import annotations

import functools
import re

from ..doc import Document
from ..errors import UnsupportedLanguage
from ..lang.loader import LANGS, read_tsv
from ..pipeline import stage

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]+")
_WORD = re.compile(r"[A-Za-z]+")
_SCRIPTS = {
    "Cyrillic": re.compile(r"[\u0400-\u04FF]"),
    "Hebrew": re.compile(r"[\u0590-\u05FF]"),
    "Chinese/Japanese": re.compile(r"[\u3040-\u30FF\u4E00-\u9FFF]"),
    "Greek": re.compile(r"[\u0370-\u03FF]"),
    "Devanagari": re.compile(r"[\u0900-\u097F]"),
}
# any of them: most texts have none, and one search tells
_ANY_OTHER = re.compile("|".join(p.pattern for p in _SCRIPTS.values()))

# Counting letters by regex costs as much as the rest of the stage; the high bytes of the UTF-16
# form tell the 256-character block of every character, and bytes.count / bytes.translate count
# whole blocks in C. Blocks a class takes only part of are counted exactly by a regex, only when
# the text has characters in them (rarely).
_AR_WHOLE = (0x06, 0xFC, 0xFD)  # U+0600-06FF, U+FC00-FDFF
_AR_PART = re.compile(r"[\u0750-\u077F\u08A0-\u08FF\uFB50-\uFBFF\uFE70-\uFEFF]")
_AR_PART_BLOCKS = (0x07, 0x08, 0xFB, 0xFE)
_LATIN_EXT_PART = re.compile(r"[\u0200-\u024F]")  # U+0100-01FF is whole: block 0x01
# Latin-1 letters of _LATIN: A-Z, a-z, U+00C0-00FF
_NOT_LATIN1_LETTER = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A or b >= 0xC0))
_OTHER_BLOCKS = (0x03, 0x04, 0x05, 0x09, 0x30, *range(0x4E, 0xA0))


def _without(blocks: tuple[int, ...]) -> bytes:
    """The bytes to delete so that only the high bytes of ``blocks`` stay."""
    return bytes(b for b in range(256) if b not in blocks)


_NOT_AR_PART = _without(_AR_PART_BLOCKS)
_NOT_OTHER = _without(_OTHER_BLOCKS)


def _letter_counts(sample: str) -> tuple[int, int, bool]:
    """``(Arabic letters, Latin letters, any letter of another script)``: what ``_ARABIC``,
    ``_LATIN`` and ``_ANY_OTHER`` would find."""
    high = sample.encode("utf-16-le", "surrogatepass")[1::2]
    arabic = sum(map(high.count, _AR_WHOLE))
    if high.translate(None, _NOT_AR_PART):
        arabic += len(_AR_PART.findall(sample))
    latin = len(sample.encode("latin-1", "ignore").translate(None, _NOT_LATIN1_LETTER)) + high.count(0x01)
    if high.count(0x02):
        latin += len(_LATIN_EXT_PART.findall(sample))
    other = bool(high.translate(None, _NOT_OTHER)) and _ANY_OTHER.search(sample) is not None
    return arabic, latin, other


def _count(pattern: re.Pattern[str], s: str) -> int:
    """Characters of ``s`` in a ``[...]+`` class (runs, not characters, are matched)."""
    return sum(map(len, pattern.findall(s)))


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(r[0] for r in read_tsv("en", "stopwords.tsv", 1))


def detect_language(text: str) -> str:
    """``ar`` or ``en``; raises UnsupportedLanguage for anything else."""
    sample = text[:3000]
    arabic, latin, other = _letter_counts(sample)
    if other:
        others = {name: len(p.findall(sample)) for name, p in _SCRIPTS.items()}
    else:
        others = dict.fromkeys(_SCRIPTS, 0)
    best_other = max(others.items(), key=lambda kv: kv[1])
    if arabic == 0 and latin == 0 and best_other[1] == 0:
        raise UnsupportedLanguage("no letters found: rasad reads Arabic and English news text")
    # Arabic news quotes Latin names and titles freely: a tenth of the letters is enough
    if arabic >= 0.1 * (arabic + latin) and arabic >= best_other[1]:
        if _looks_persian_or_urdu(sample, arabic):
            raise UnsupportedLanguage(
                "the text is in Arabic script but looks Persian or Urdu; rasad reads Arabic and English"
            )
        return "ar"
    if best_other[1] > latin:
        raise UnsupportedLanguage(
            f"the text looks {best_other[0]}; rasad reads Arabic and English (give --lang to force)"
        )
    words = list(map(str.lower, _WORD.findall(sample)[:2000]))
    hits = sum(map(_stopwords().__contains__, words))
    if words and hits / len(words) >= 0.08:
        return "en"
    raise UnsupportedLanguage(
        "the text is in Latin script but does not look English; rasad reads Arabic and English "
        "(give --lang en to force)"
    )


# letters Persian and Urdu use and Arabic does not (peh, tcheh, gaf, jeh); Farsi yeh and keheh
# are left out: Arabic typed on Persian keyboards has them too
_PERSIAN = "\u067E\u0686\u06AF\u0698"


def _looks_persian_or_urdu(sample: str, arabic: int | None = None) -> bool:
    letters = (_count(_ARABIC, sample) if arabic is None else arabic) or 1
    return sum(map(sample.count, _PERSIAN)) / letters > 0.005


@stage("language", requires=("text",), assigns=("lang",))
def language(doc: Document) -> Document:
    if doc.lang is None:
        doc.lang = detect_language(doc.text)
    elif doc.lang not in LANGS:
        raise UnsupportedLanguage(
            f"unknown language '{doc.lang}': rasad reads {', '.join(LANGS)}"
        )
    return doc
