"""The Document model, the pipeline checks, normalization and segmentation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasad
from rasad.doc import Document
from rasad.errors import InputError, PipelineError, UnsupportedLanguage
from rasad.pipeline import Pipeline
from rasad.stages.language import detect_language
from rasad.stages.normalize import normalize_str, normalize_with_map


def test_pipeline_rejects_stage_whose_requirement_comes_later():
    with pytest.raises(PipelineError, match="requires"):
        Pipeline(["segment", "normalize"])


def test_pipeline_rejects_unknown_stage():
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline(["language", "nonsense"])


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("إِيرَانُ", "ايران"),  # diacritics and hamza on alef
        ("الـــعراق", "العراق"),  # tatweel
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("القاهرة", "القاهره"),  # ta marbuta
        ("٢٠١٤ ۲۰۱۴", "2014 2014"),  # Arabic-Indic and Persian digits
        ("\u200fUSA\u200e", "usa"),  # bidi marks, case
        ("\ufefb", "لا"),  # lam-alef ligature (presentation form)
    ],
)
def test_normalize_folds(raw, norm):
    assert normalize_str(raw) == norm
    text, mapping = normalize_with_map(raw)
    assert text == norm


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcXYZ إأآىةـًٌٍَُِّْ٠١٢\u200f\ufefb\ufe8d .\"«»")), max_size=60))
def test_every_norm_span_maps_back_into_text(raw):
    doc = Document(text=raw)
    doc.norm_text, doc.norm_map = normalize_with_map(raw)
    n = len(doc.norm_text)
    for a in range(n):
        for b in range(a + 1, min(n, a + 6) + 1):
            s, e = doc.to_text_span(a, b)
            assert 0 <= s < e <= len(raw)
            # the original span normalizes to (at least) the normalized span
            assert doc.norm_text[a:b] in normalize_str(raw[s:e])


def test_sentences_keep_a_quote_after_a_colon_whole():
    text = 'قال المتحدث: "نحن هنا. ولن نغادر". ثم غادر.\nسطر ثان'
    doc = rasad.analyze(text, lang="ar")
    sents = [text[s.start:s.end] for s in doc.sentences]
    assert sents == ['قال المتحدث: "نحن هنا. ولن نغادر".', "ثم غادر.", "سطر ثان"]


def test_english_abbreviations_do_not_end_sentences():
    text = "Mr. Smith met Gen. Jones in the U.S. capital on Monday. They talked."
    doc = rasad.analyze(text, lang="en")
    assert len(doc.sentences) == 2


def test_token_offsets_point_into_text(seed_text):
    doc = rasad.analyze(seed_text, lang="ar", published="2024-01-09")
    for t in doc.tokens:
        assert normalize_str(doc.text[t.start:t.end]) == t.norm


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("دعت إيران العراق إلى إنهاء تواجد التحالف", "ar"),
        ("Iran has called on Iraq to end the presence of the coalition in the country.", "en"),
    ],
)
def test_language_detected(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "Le gouvernement a annoncé une nouvelle réforme des retraites pour le pays.",
        "Правительство объявило о новой реформе.",
        "این یک متن فارسی است که گچ و پژوهش دارد.",
        "12345 67890 !!! ...",
    ],
)
def test_other_languages_are_refused_clearly(text):
    with pytest.raises(UnsupportedLanguage):
        detect_language(text)


def test_empty_text_is_an_input_error():
    with pytest.raises(InputError):
        rasad.analyze("   ")


def test_json_has_design_keys_and_round_trips(seed_text):
    doc = rasad.analyze(seed_text, published="2024-01-09")
    data = json.loads(doc.dumps())
    for key in ("id", "lang", "published", "published_inferred", "meta", "text", "zones", "byline",
                "credits", "sentences", "mentions", "actors", "times", "quantities", "quotes", "events"):
        assert key in data
    again = Document.from_json(data)
    assert again.to_json() == data
