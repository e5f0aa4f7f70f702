"""The numbers stage: digits of both scripts, number words, counted nouns; and its data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasad.doc import Document, Quantity
from rasad.lang.loader import LANGS, read_tsv
from rasad.pipeline import Pipeline

# the times stage is left out: these tests are about this stage alone (its own fallbacks for
# years and days of dates are what is tested here)
_PIPE = Pipeline(["language", "normalize", "zones", "segment", "numbers"])


def quantities(text: str, lang: str) -> list[Quantity]:
    return _PIPE(Document(text=text, lang=lang)).quantities


def find(qs: list[Quantity], surface: str) -> Quantity | None:
    return next((q for q in qs if q.text == surface), None)


@pytest.mark.parametrize(
    ("lang", "text", "surface", "value", "unit", "mod"),
    [
        # digits, both scripts, separators
        ("ar", "نشرت الولايات المتحدة ٢٥٠٠ جندي", "٢٥٠٠", 2500, "troops", None),
        ("ar", "حوالي ٢٥٠٠ جندي في العراق و٩٠٠ في سوريا", "٩٠٠", 900, "troops", None),
        ("ar", "قتل 12 شخصا", "12", 12, "people", None),
        ("ar", "أصيب ١٥ مدنيا", "١٥", 15, "civilians", None),
        ("ar", "اعتقلت الشرطة ٢٬٥٠٠ متظاهر", "٢٬٥٠٠", 2500, "protesters", None),
        ("ar", "نشر 2.500 جندي", "2.500", 2500, "troops", None),
        ("ar", "سعر السهم 1.250 ريال", "1.250", 1.25, "riyals", None),
        ("ar", "نحو 1.500.000 نسمة", "1.500.000", 1500000, "people", "about"),
        ("ar", "ارتفع المؤشر ٣٫٥ نقطة", "٣٫٥", 3.5, "points", None),
        ("ar", "بلغت الخسائر 2.5 مليون دولار", "2.5 مليون", 2500000, "USD", None),
        ("ar", "تبرع بـ 3 آلاف دولار", "3 آلاف", 3000, "USD", None),
        ("ar", "نما بنسبة 40 في المئة", "40", 40, "percent", None),
        ("ar", "نما بنسبة 7.5%", "7.5", 7.5, "percent", None),
        ("ar", "خلال الـ24 ساعة الماضية", "24", 24, "hours", None),
        ("ar", "وصل أكثر من 300 لاجئ", "300", 300, "refugees", "at_least"),
        ("ar", "قتل ما لا يقل عن 20 شخصا", "20", 20, "people", "at_least"),
        ("ar", "أطلق 40 صاروخا", "40", 40, "missiles", None),
        ("ar", "قتل 12 جنديا و5 مدنيين", "5", 5, "civilians", None),
        ("ar", "سقط 30 قتيلا و70 جريحا", "70", 70, "injured", None),
        ("ar", "ارتفع عدد المعتقلين إلى 45 معتقلا", "45", 45, "arrested", None),
        # number words
        ("ar", "ثلاثة آلاف وخمسمائة جندي", "ثلاثة آلاف وخمسمائة", 3500, "troops", None),
        ("ar", "خمسة وعشرون قتيلا", "خمسة وعشرون", 25, "dead", None),
        ("ar", "ثلاثة عشر جريحا", "ثلاثة عشر", 13, "injured", None),
        ("ar", "مئة وخمسون شخصا", "مئة وخمسون", 150, "people", None),
        ("ar", "ثلاث مئة جندي", "ثلاث مئة", 300, "troops", None),
        ("ar", "مليون وخمسمائة ألف نسمة", "مليون وخمسمائة ألف", 1500000, "people", None),
        ("ar", "خمسة وعشرين ألفا من اللاجئين", "خمسة وعشرين ألفا", 25000, "refugees", None),
        ("ar", "مئتي ألف نازح", "مئتي ألف", 200000, "displaced", None),
        ("ar", "وصل ثلاثة جنود", "ثلاثة", 3, "troops", None),
        ("ar", "قتل بثلاثة صواريخ", "ثلاثة", 3, "missiles", None),
        ("ar", "عشرات من المتظاهرين", "عشرات", 10, "protesters", "vague"),
        ("ar", "اعتقل العشرات من المحتجين", "العشرات", 10, "protesters", "vague"),
        ("ar", "عشرات الآلاف من اللاجئين", "عشرات الآلاف", 10000, "refugees", "vague"),
        ("ar", "مئات الجنود", "مئات", 100, "troops", "vague"),
        ("ar", "آلاف المتظاهرين", "آلاف", 1000, "protesters", "vague"),
        ("ar", "خلال ست سنوات", "ست", 6, "years", None),
        ("ar", "بتكلفة ثلاثة آلاف دولار", "ثلاثة آلاف", 3000, "USD", None),
        # English
        ("en", "at least 2,500 troops", "2,500", 2500, "troops", "at_least"),
        ("en", "about 2,500 troops in Iraq and 900 in Syria", "900", 900, "troops", None),
        ("en", "some 2,500 US troops", "2,500", 2500, "troops", "about"),
        ("en", "12 people were killed", "12", 12, "people", None),
        ("en", "police arrested 45 protesters", "45", 45, "protesters", None),
        ("en", "the deal is worth $2.5bn", "2.5bn", 2500000000, "USD", None),
        ("en", "it costs $400", "400", 400, "USD", None),
        ("en", "spending rose 2.5 million dollars", "2.5 million", 2500000, "USD", None),
        ("en", "a 40% rise", "40", 40, "percent", None),
        ("en", "up 3.2 per cent", "3.2", 3.2, "percent", None),
        ("en", "two hundred and fifty thousand people", "two hundred and fifty thousand", 250000,
         "people", None),
        ("en", "twenty-five soldiers", "twenty-five", 25, "troops", None),
        ("en", "one soldier died", "one", 1, "troops", None),
        ("en", "a dozen rockets", "a dozen", 12, "missiles", None),
        ("en", "dozens of protesters", "dozens", 12, "protesters", "vague"),
        ("en", "hundreds of thousands of refugees", "hundreds of thousands", 100000, "refugees",
         "vague"),
        ("en", "thousands of people", "thousands", 1000, "people", "vague"),
        ("en", "nearly three million civilians", "three million", 3000000, "civilians", "about"),
        ("en", "up to 30 militants", "30", 30, "militants", "at_most"),
        ("en", "the 1,200 detainees", "1,200", 1200, "arrested", None),
    ],
)
def test_quantity_table(lang, text, surface, value, unit, mod):
    qs = quantities(text, lang)
    q = find(qs, surface)
    assert q is not None, [(x.text, x.value) for x in qs]
    assert q.value == value
    assert q.unit == unit
    assert q.mod == mod


@pytest.mark.parametrize(
    ("lang", "text", "surface"),
    [
        # years, days of dates, identifiers, ordinals, clock times, boilerplate
        ("ar", "منذ عام ٢٠١٤ لملاحقة فلول داعش", "٢٠١٤"),
        ("ar", "في 5 يناير/كانون الثاني", "5"),
        ("ar", "في 3 أكتوبر 2023", "3"),
        ("ar", "في 3 أكتوبر 2023", "2023"),
        ("ar", "جدة 25 شوال 1436 هـ", "1436"),
        ("ar", "تبنى مجلس الأمن القرار 2254", "2254"),
        ("ar", "طائرات من طراز إف-16", "16"),
        ("ar", "في اليوم الخامس عشر من الشهر", "عشر"),
        ("ar", "ابتداء من 1 /6 /1437هـ", "6"),
        ("ar", "في تمام الساعة 12.30 ظهرا", "12.30"),
        ("ar", "20:26 ت م", "20"),
        ("ar", "لست متأكدا من ذلك", "ست"),
        ("ar", "قال أحد الجنود", "أحد"),
        ("ar", "في يوم الاثنين الماضي", "الاثنين"),
        ("ar", "نص الخبر\n[إعلان 2]\nتعليق (0)", "2"),
        ("ar", "نص الخبر\n[إعلان 2]\nتعليق (0)", "0"),
        ("en", "US forces have been in Iraq since 2014.", "2014"),
        ("en", "on January 8, officials said", "8"),
        ("en", "on October 3, 2023", "3"),
        ("en", "He told BBC Radio 4 that", "4"),
        ("en", "in the 1990s", "1990"),
        ("en", "the 20th century", "20"),
        ("en", "F-16 jets", "16"),
        ("en", "No one was hurt", "one"),
        ("en", "one of the soldiers", "one"),
        ("en", "a soldier", "a"),
        ("en", "Resolution 2254 was adopted", "2254"),
        ("en", "at 10:30 GMT", "10"),
    ],
)
def test_not_a_quantity(lang, text, surface):
    qs = quantities(text, lang)
    assert find(qs, surface) is None, [(q.text, q.value) for q in qs]


def test_glued_conjunction_is_outside_the_span():
    qs = quantities("لديه ٢٥٠٠ جندي في العراق و٩٠٠ في سوريا", "ar")
    q = find(qs, "٩٠٠")
    assert q is not None and q.unit == "troops"
    assert q.unit_text is None  # inherited from the coordinated quantity: no noun of its own


def test_no_inheritance_across_sentences_or_onto_other_nouns():
    qs = quantities("نشر ٢٥٠٠ جندي. وبعد ذلك وصل 900 إلى المدينة", "ar")
    assert find(qs, "900").unit is None
    qs = quantities("نشر ٢٥٠٠ جندي و900 سيارة", "ar")
    assert find(qs, "900").unit is None


@pytest.mark.parametrize("folder", ["seed", "seed-en"])
def test_seed_quantities(shared: Path, folder: str):
    expected = json.loads((shared / "golden" / folder / "expected.json").read_text(encoding="utf-8"))
    text = (shared / "golden" / folder / "article.txt").read_text(encoding="utf-8")
    doc = _PIPE(Document(text=text, lang=expected["input"]["lang"]))
    for want in expected["quantities"]:
        q = find(doc.quantities, want["surface"])
        assert q is not None and q.value == want["value"], [(x.text, x.value) for x in doc.quantities]
        assert q.unit == "troops"
    # years, days of dates and the boilerplate's numbers are no quantities
    assert {q.text for q in doc.quantities} == {w["surface"] for w in expected["quantities"]}


def test_spans_point_into_text_on_real_articles(shared: Path):
    path = shared / "data" / "corpora" / "ar" / "saudinewsnet-aawsat-spa.jsonl"
    if not path.exists():
        pytest.skip("corpus not present")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(next(fh)) for _ in range(200)]
    for row in rows:
        doc = _PIPE(Document(text=row["content"], lang="ar"))
        for q in doc.quantities:
            assert doc.text[q.start:q.end] == q.text
            assert q.text.strip() == q.text and q.text
            assert q.value >= 0


def test_number_data_loads_and_units_are_codes():
    from rasad.stages.numbers import _res

    for lang in LANGS:
        res = _res(lang)
        assert res.words and res.units
        for row in read_tsv(lang, "units.tsv", 2):
            assert row[1] and " " not in row[1], row
