"""The fast paths give what the plain ones give: folding, tokens, phrase lookups with full caches,
per-document derived data."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasad
from rasad import match
from rasad.doc import Document, Token
from rasad.stages.normalize import _folding, normalize_str, normalize_with_map
from rasad.stages.quotes import cues, sentence_views
from rasad.stages.segment import _TOKEN, tokenize

# Arabic letters the table folds, diacritics, tatweel, presentation forms (isolated ta marbuta,
# alef with hamza, the lam-alef ligature), digits, bidi marks, Latin of both cases
_ALPHABET = list("abcXYZ إأآىةؤئـًٌٍَُِّْ٠١٢۳ وبالكتبهمن\u200f\ufe93\ufe83\ufefb\ufe8d\ufdf2 .,\"«»-\n")


def _plain_fold(raw: str) -> tuple[str, list[int]]:
    """str.translate, and the source index of every character of the result."""
    table = _folding().table
    out, where = [], []
    for i, c in enumerate(raw):
        rep = table.get(ord(c), c)
        for r in rep or "":
            out.append(r)
            where.append(i)
    return "".join(out), where


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), min_size=64, max_size=400))
def test_long_text_folds_like_translate(raw):
    norm, where = _plain_fold(raw)
    assert normalize_str(raw) == norm == raw.translate(_folding().table)
    text, mapping = normalize_with_map(raw)
    assert text == norm
    assert (mapping if mapping is not None else list(range(len(raw)))) == where


def test_matching_form_of_a_matching_form_is_itself():
    for cp in _folding().table:
        once = normalize_str(chr(cp))
        assert normalize_str(once) == once, hex(cp)


@pytest.mark.parametrize(("form", "letter"), [("\ufe93", "\u0629"), ("\ufe83", "\u0623"), ("\ufef0", "\u0649")])
def test_presentation_forms_fold_like_their_letters(form, letter):
    assert normalize_str(form) == normalize_str(letter)
    assert normalize_str(form * 70) == normalize_str(letter * 70)


def _plain_tokens(doc: Document) -> list[Token]:
    m = doc.norm_map
    if m is None:
        return [Token(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(doc.norm_text)]
    m = m + [len(doc.text)]
    return [Token(m[t.start()], max(m[t.end()], m[t.end() - 1] + 1), t.group()) for t in _TOKEN.finditer(doc.norm_text)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=200))
def test_tokens_are_those_of_a_plain_scan(raw):
    doc = Document(text=raw)
    doc.norm_text, doc.norm_map = normalize_with_map(raw)
    toks = tokenize(doc)
    assert toks == _plain_tokens(doc)
    assert all(type(t) is Token for t in toks)


def test_phrase_lookups_do_not_depend_on_cache_sizes(seed_text, monkeypatch):
    doc = rasad.analyze(seed_text, lang="ar", published="2024-01-09")
    index = cues("ar").cues
    fresh = match.PhraseIndex("ar")
    fresh._by_first = index._by_first
    expected = [index.all_hits(v.tokens) for v in sentence_views(doc)]
    monkeypatch.setattr(match, "_CACHE_MAX", 30)
    monkeypatch.setattr(match, "_RECENT_MAX", 10)
    monkeypatch.setattr(match, "_VARIANTS", {})
    monkeypatch.setattr(match, "_VARIANTS_MAX", 20)
    for _ in range(2):
        got = [fresh.all_hits(v.tokens) for v in sentence_views(doc)]
        assert got == expected
        assert len(fresh._cache) <= 30 + max(len(v.tokens) for v in sentence_views(doc))


def test_derived_data_is_rebuilt_when_its_annotations_change(seed_text):
    doc = rasad.analyze(seed_text, lang="ar", published="2024-01-09")
    assert "_cache" not in doc.to_json()
    views = sentence_views(doc)
    assert sentence_views(doc) is views
    doc.mentions = list(doc.mentions[:1])
    again = sentence_views(doc)
    assert again is not views
    assert sum(len(v.mentions) for v in again) <= 1
    assert Document.from_json(doc.to_json())._cache == {}


def test_a_finished_document_holds_no_derived_data(seed_text):
    doc = rasad.analyze(seed_text, lang="ar", published="2024-01-09")
    assert doc._cache == {}
    assert re.search(r"_cache", doc.dumps()) is None
