"""The times stage: dates in both Arabic month series, Hijri dates, relative days and weekdays,
years told from counts, and the document date inferred from the text."""

from __future__ import annotations

import datetime as dt
import glob
import html
import importlib.util
import io
import json
import re
import tokenize
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasad.doc import Document, Zone
from rasad.lang.loader import read_yaml
from rasad.pipeline import Pipeline
from rasad.stages.times import hijri_to_gregorian, times

ROOT = Path(__file__).resolve().parent.parent
PIPE = Pipeline(["language", "normalize", "segment", "times"])
BEFORE = Pipeline(["language", "normalize", "segment"])
ISO = re.compile(r"\d{4}(-\d\d(-\d\d)?|-W\d\d)?")


def analyze(text: str, lang: str, published: str | None = None) -> Document:
    return PIPE(Document(text=text, lang=lang, published=published))


# -- the examples that live with the language data ------------------------------------------
def _data_examples():
    for lang in ("ar", "en"):
        data = read_yaml(lang, "times.yaml")
        published = str(data["examples_published"])
        for ex in data["examples"]:
            mod = ex[3] if len(ex) > 3 else None
            yield pytest.param(lang, published, ex[0], ex[1], ex[2], mod, id=f"{lang}:{ex[0]}")


@pytest.mark.parametrize(("lang", "published", "text", "surface", "value", "mod"),
                         list(_data_examples()))
def test_language_data_examples(lang, published, text, surface, value, mod):
    doc = analyze(text, lang, published)
    got = [(t.text, t.value, t.mod) for t in doc.times]
    assert got == ([(surface, value, mod)] if surface else [])


# -- more cases, resolved against the publication date -------------------------------------
@pytest.mark.parametrize(
    ("lang", "published", "text", "surface", "value", "grain", "inferred"),
    [
        # the seed's forms, on the seed's date
        ("ar", "2024-01-09", "في الثامن من يناير/كانون الثاني:", "الثامن من يناير/كانون الثاني",
         "2024-01-08", "day", True),
        ("ar", "2024-01-09", "في ديسمبر/كانون الأول.", "ديسمبر/كانون الأول", "2023-12", "month",
         True),
        ("en", "2024-01-09", "in Baghdad in December.", "December", "2023-12", "month", True),
        ("ar", "2024-01-09", "في 3 أكتوبر 2023.", "3 أكتوبر 2023", "2023-10-03", "day", False),
        ("ar", "2024-01-09", "يناير (كانون الثاني) 2024", "يناير (كانون الثاني) 2024", "2024-01",
         "month", False),
        ("ar", "2024-01-09", "في كانون الثاني / يناير الماضي", "كانون الثاني / يناير الماضي",
         "2023-01", "month", True),
        # weekdays: the most recent one, the publication day included
        ("ar", "2024-01-09", "قال يوم الأحد إن", "الأحد", "2024-01-07", "day", True),
        ("ar", "2024-01-09", "قال الثلاثاء إن", "الثلاثاء", "2024-01-09", "day", True),
        ("en", "2024-01-09", "said on Sunday", "Sunday", "2024-01-07", "day", True),
        ("ar", "2024-01-09", "الأسبوع المقبل", "الأسبوع المقبل", "2024-W03", "week", True),
        ("ar", "2024-01-09", "خلال الشهر المقبل", "الشهر المقبل", "2024-02", "month", True),
        ("ar", "2024-01-09", "وقال أول من أمس إن", "أول من أمس", "2024-01-07", "day", True),
        ("ar", "2024-01-09", "تنتهي بعد غد", "بعد غد", "2024-01-11", "day", True),
        # Hijri, written and year-less; numeric Hijri
        ("ar", "2015-08-10", "بريدة 25 شوال 1436 هـ", "25 شوال 1436 هـ", "2015-08-11", "day",
         False),
        ("ar", "2015-08-10", "في 15 شوال", "15 شوال", "2015-08-01", "day", True),
        ("ar", "2015-08-10", "بتاريخ 1436/10/25هـ", "1436/10/25هـ", "2015-08-11", "day", False),
        # Arabic-Indic digits in a numeric date
        ("ar", "2015-08-10", "بتاريخ ٢١/٧/٢٠١٥ أعلن", "٢١/٧/٢٠١٥", "2015-07-21", "day", False),
    ],
)
def test_resolved_against_publication(lang, published, text, surface, value, grain, inferred):
    doc = analyze(text, lang, published)
    got = [(t.text, t.value, t.grain, t.inferred) for t in doc.times]
    assert got == [(surface, value, grain, inferred)]


def test_dateline_gives_hijri_and_gregorian():
    doc = analyze("الرياض 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس أعلن", "ar")
    assert [(t.text, t.value) for t in doc.times] == [
        ("25 شوال 1436 هـ", "2015-08-11"), ("10 أغسطس 2015 م", "2015-08-10")]
    # the Gregorian date wins: the tabular Hijri calendar is a day off here
    assert (doc.published, doc.published_inferred) == ("2015-08-10", True)


def test_four_digit_count_is_not_a_year():
    doc = analyze("وللجيش حوالي ٢٥٠٠ جندي في البلاد منذ عام ٢٠١٤ و٩٠٠ في سوريا", "ar", "2024-01-09")
    assert [(t.text, t.value) for t in doc.times] == [("٢٠١٤", "2014")]
    doc = analyze("The army has about 2,500 troops there since 2014.", "en", "2024-01-09")
    assert [(t.text, t.value) for t in doc.times] == [("2014", "2014")]


def test_no_publication_date_and_no_anchor_leaves_yearless_dates_out():
    doc = analyze("قال في الثامن من يناير إن", "ar")
    assert doc.times == [] and doc.published is None and not doc.published_inferred


def test_background_years_alone_do_not_date_the_story():
    doc = analyze("بدأت الحرب في مارس 2011 وتوسعت عام 2014.", "ar")
    assert doc.published is None
    assert [t.value for t in doc.times] == ["2011-03", "2014"]


def test_story_told_from_its_own_day_is_not_dated_from_background():
    # yesterday and May are told from the unknown day of publication, not from 2019
    doc = analyze("وقعت الحادثة في 3 مارس 2019. وقال أمس إن ما حدث في مايو خطير", "ar")
    assert doc.published is None
    assert [t.text for t in doc.times] == ["3 مارس 2019"]


def test_inferred_month_does_not_resolve_days():
    doc = analyze("وقعت الحادثة في 3 مارس 2019، وتكررت في مايو خلال الأسبوع الأول", "ar")
    assert (doc.published, doc.published_inferred) == ("2019-05", True)
    assert [(t.text, t.value) for t in doc.times] == [("3 مارس 2019", "2019-03-03"),
                                                      ("مايو", "2019-05")]


def test_dateline_dates_relative_days():
    doc = analyze("الرياض 10 أغسطس 2015 م واس\nقال الوزير أمس إن", "ar")
    assert (doc.published, doc.published_inferred) == ("2015-08-10", True)
    assert [(t.text, t.value) for t in doc.times] == [("10 أغسطس 2015 م", "2015-08-10"),
                                                      ("أمس", "2015-08-09")]


def test_times_are_found_in_captions():
    text = ("قال الوزير أمس إن المحادثات مستمرة.\n"
            "الوزير في مؤتمر صحفي في 3 أكتوبر 2023. الصورة: رويترز")
    doc = BEFORE(Document(text=text, lang="ar", published="2024-01-09"))
    line = text.index("\n") + 1
    doc.zones = [Zone(0, line - 1, "body"), Zone(line, len(text), "caption")]
    doc = times(doc)
    assert [(t.text, t.zone) for t in doc.times] == [("أمس", "body"), ("3 أكتوبر 2023", "caption")]


def test_span_keeps_marks_normalization_deleted():
    doc = analyze("سيزور غداً العاصمة ثم يعود في 15 شوال 1436 هـ", "ar", "2015-07-20")
    assert [t.text for t in doc.times] == ["غداً", "15 شوال 1436 هـ"]


# -- the golden seeds ------------------------------------------------------------------------
@pytest.mark.parametrize("folder", ["seed", "seed-en"])
@pytest.mark.parametrize("given_date", [True, False])
def test_seed_times(shared, folder, given_date):
    expected = json.loads((shared / "golden" / folder / "expected.json").read_text("utf-8"))
    text = (shared / "golden" / folder / expected["input"]["file"]).read_text("utf-8")
    published = expected["input"]["published"] if given_date else None
    doc = analyze(text, expected["input"]["lang"], published)
    for t in doc.times:
        assert doc.text[t.start:t.end] == t.text
    for want in expected["times"]:
        found = [t for t in doc.times if t.text == want["surface"] and t.value == want["value"]]
        assert len(found) == want.get("count", 1), (want, [(t.text, t.value) for t in doc.times])
    if given_date:
        assert (doc.published, doc.published_inferred) == (published, False)
    else:
        assert doc.published == expected["document"]["published_when_not_given"]
        assert doc.published_inferred is True


# -- Hijri arithmetic ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        ((1, 1, 1), "0622-07-19"),  # 16 July 622 Julian
        ((1445, 1, 1), "2023-07-19"),  # Islamic new year 1445
        ((1445, 9, 1), "2024-03-11"),  # Ramadan 1445
        ((1436, 10, 1), "2015-07-18"),  # Eid al-Fitr 1436 (sighted: 17 July)
    ],
)
def test_hijri_to_gregorian(hijri, gregorian):
    assert hijri_to_gregorian(*hijri).isoformat() == gregorian


@given(st.integers(1300, 1500))
def test_hijri_year_is_354_or_355_days(year):
    days = (hijri_to_gregorian(year + 1, 1, 1) - hijri_to_gregorian(year, 1, 1)).days
    assert days in (354, 355)


# -- data integrity ---------------------------------------------------------------------------
def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_month_files_match_their_generator():
    for path, content in _load_script("build_months").build().items():
        assert content.startswith("# generated by scripts/build_months.py from Babel")
        assert path.read_text(encoding="utf-8") == content, (
            f"{path.name} is stale: run python scripts/build_months.py")


def test_both_arabic_month_series_are_generated():
    text = (ROOT / "src/rasad/lang/ar/months.tsv").read_text("utf-8")
    for name in ("يناير", "كانون الثاني", "تشرين الأول", "أيلول", "جانفي"):
        assert f"\n{name}\t" in text


def test_pattern_ids_are_unique():
    for lang in ("ar", "en"):
        ids = [p["id"] for p in read_yaml(lang, "times.yaml")["patterns"]]
        assert len(ids) == len(set(ids)) and all(i.startswith(f"{lang}.") for i in ids)


def test_no_words_in_the_code():
    """Words live in lang/; the stage's string literals hold none (Arabic or Latin words)."""
    source = (ROOT / "src/rasad/stages/times.py").read_text("utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING and not tok.string.startswith(('"""', "r'", 'r"')):
            assert not re.search(r"[\u0621-\u064a]", tok.string), tok.string  # letters


# -- real text ---------------------------------------------------------------------------------
def _corpus(shared: Path, n: int, source: str | None = None):
    path = shared / "data/corpora/ar/saudinewsnet-aawsat-spa.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if source and f'"source": "{source}"' not in line:
                continue
            out.append(json.loads(line))
            if len(out) >= n:
                break
    return out


def test_spans_and_values_on_real_articles(shared):
    for rec in _corpus(shared, 150):
        doc = analyze(rec["content"], "ar", rec["date_extracted"][:10])
        for t in doc.times:
            assert doc.text[t.start:t.end] == t.text
            assert ISO.fullmatch(t.value), t
            assert t.grain in ("day", "week", "month", "year")


def test_wire_datelines_date_the_story(shared):
    """SPA stories open with a dateline; without a date given, it becomes the document date."""
    recs = _corpus(shared, 120, source="was")
    ok = 0
    for rec in recs:
        doc = analyze(rec["content"], "ar")
        true = dt.date.fromisoformat(rec["date_extracted"][:10])
        if doc.published and len(doc.published) == 10:
            ok += abs((dt.date.fromisoformat(doc.published) - true).days) <= 1
    assert ok / len(recs) >= 0.9  # measured 0.97 on the whole file


def _silver(shared: Path):
    for path in sorted(glob.glob(str(shared / "data/eval/time/arabic-timex-silver/*.tml"))):
        body = Path(path).read_text("utf-8").split("<TimeML>", 1)[1].rsplit("</TimeML>", 1)[0]
        parts, gold, pos = [], [], 0
        for m in re.finditer(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>|<[^>]+>|[^<]+", body, re.S):
            if m.group(0).startswith("<") and not m.group(1):
                continue
            piece = html.unescape(m.group(2) if m.group(1) else m.group(0))
            if m.group(1):
                attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
                gold.append((pos, pos + len(piece), attrs))
            parts.append(piece)
            pos += len(piece)
        yield "".join(parts), gold


def test_silver_timeml_recall(shared):
    """Smoke test on machine-annotated TimeML: calendar DATE timexes found (overlap)."""
    total = found = checked = agree = 0
    for text, gold in _silver(shared):
        # the silver files carry no document date; one near theirs lets relative days resolve
        doc = analyze(text, "ar", "2015-12-24")
        for start, end, attrs in gold:
            if attrs.get("type") != "DATE" or not ISO.fullmatch(attrs.get("value", "")):
                continue
            total += 1
            hits = [t for t in doc.times if t.start < end and t.end > start]
            found += bool(hits)
            if hits and not hits[0].inferred:
                checked += 1
                agree += hits[0].value == attrs["value"]
    assert total > 100
    assert found / total >= 0.7  # measured 0.78; most misses are the silver's own errors
    assert checked > 15 and agree == checked  # every written date agrees with the silver


def test_explicit_dates_agree_with_dateparser():
    dateparser = pytest.importorskip("dateparser")
    for lang, text in [("en", "on March 4, 2019 the"), ("en", "on 8 January 2020 the"),
                       ("en", "on Jan. 8, 2020, the"), ("ar", "في 17 فبراير 2011 اندلعت"),
                       ("ar", "في 3 أكتوبر 2023 قال")]:
        (t,) = analyze(text, lang, "2024-01-09").times
        parsed = dateparser.parse(t.text, languages=[lang])
        assert parsed is not None and parsed.date().isoformat() == t.value


@pytest.mark.parametrize(
    ("text", "lang", "published"),
    [
        # a feed's timestamp alone on one of the first lines is the publication day
        ("عنوان الخبر\nFri, 11 Aug 2017 15:16:33 GMT\nوقالت الشرطة أمس إن المهاجم قتل.", "ar", "2017-08-11"),
        ("Headline\n2017-08-11T15:16:33Z\nPolice said yesterday the attacker was killed.", "en", "2017-08-11"),
    ],
)
def test_a_header_timestamp_dates_the_document(text, lang, published):
    doc = analyze(text, lang)
    assert (doc.published, doc.published_inferred) == (published, True)
    assert [t.value for t in doc.times if t.value.startswith("2017-08-10")]  # yesterday / أمس
