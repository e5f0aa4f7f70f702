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


def _count(pattern: re.Pattern[str], s: str) -> int:
    """Characters of ``s`` in a ``[...]+`` class (runs, not characters, are matched)."""
    return sum(map(len, pattern.findall(s)))


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(r[0] for r in read_tsv("en", "stopwords.tsv", 1))


def detect_language(text: str) -> str:
    """``ar`` or ``en``; raises UnsupportedLanguage for anything else."""
    sample = text[:3000]
    arabic = _count(_ARABIC, sample)
    latin = _count(_LATIN, sample)
    if _ANY_OTHER.search(sample):
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
_PERSIAN = re.compile(r"[\u067E\u0686\u06AF\u0698]")


def _looks_persian_or_urdu(sample: str, arabic: int | None = None) -> bool:
    letters = (_count(_ARABIC, sample) if arabic is None else arabic) or 1
    return len(_PERSIAN.findall(sample)) / letters > 0.005


@stage("language", requires=("text",), assigns=("lang",))
def language(doc: Document) -> Document:
    if doc.lang is None:
        doc.lang = detect_language(doc.text)
    elif doc.lang not in LANGS:
        raise UnsupportedLanguage(
            f"unknown language '{doc.lang}': rasad reads {', '.join(LANGS)}"
        )
    return doc
