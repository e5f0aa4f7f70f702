"""Events and quotes: the founding example, negation, modality, the lexicon's own examples."""

from __future__ import annotations

import json

import pytest
import yaml

import rasad
from rasad.cli import main
from rasad.lang.loader import lang_dir

PUB = "2024-01-10"


def _events(text: str, lang: str):
    return rasad.analyze(text, lang=lang, published=PUB).events


def _types(text: str, lang: str) -> set[str]:
    return {e.type for e in _events(text, lang)}


@pytest.mark.parametrize("folder", ["seed", "seed-en"])
def test_golden_seed_passes_with_four_stretch_events(shared, folder, capsys):
    code = main(["eval", "golden", str(shared / "golden" / folder), "--json"])
    summary = json.loads(capsys.readouterr().out)
    f = summary["files"][0]
    assert code == 0, f
    assert f["must"]["passed"] == f["must"]["total"]
    assert f["must_not_violations"] == 0
    assert f["stretch"]["passed"] >= 4


def test_arabic_and_english_seed_give_the_same_events(seed_text, seed_en_text):
    def key(text, lang):
        d = rasad.analyze(text, lang=lang, published="2024-01-09")
        return {(e.type, e.source and e.source.country, e.target and e.target.country, e.date) for e in d.events}

    assert key(seed_text, "ar") == key(seed_en_text, "en")


@pytest.mark.parametrize(
    ("lang", "text", "absent", "present"),
    [
        # a negated intention is a refusal, never the act itself
        ("ar", "قال المتحدث إن الجيش الأمريكي ليس لديه أي خطط لسحب قواته من سوريا.", "RETREAT", "REJECT"),
        ("en", "The Pentagon said it has no plans to withdraw its troops from Syria.", "RETREAT", "REJECT"),
        # a plain negation is no event at all
        ("ar", "لم تهاجم القوات التركية أي مواقع في العراق أمس.", "ASSAULT", None),
        ("en", "Turkish forces did not attack positions in Iraq on Monday.", "ASSAULT", None),
        # what A asks B to do is A's request, not B's act
        ("ar", "دعت مصر إسرائيل إلى الانسحاب من رفح.", "RETREAT", "REQUEST"),
        ("en", "Egypt called on Israel to withdraw from Rafah.", "RETREAT", "REQUEST"),
        # a refusal turns down what it governs, with no intention word between
        ("en", "Chile is declining to pull its troops out of Peru.", "RETREAT", "REJECT"),
        # an act announced on a condition the other side must meet is an ultimatum
        ("en", "Chile said it will withdraw its troops from Peru unless Lima apologizes.", "RETREAT", "THREATEN"),
        ("ar", "تعتزم مصر سحب قواتها من ليبيا ما لم تنسحب القوات التركية.", "CONCEDE", "THREATEN"),
        # a protest announced, not held: a threat of dissent (CAMEO 133), no protest
        ("en", "The Chilean opposition said it will boycott the elections.", "PROTEST", "THREATEN"),
    ],
)
def test_negation_and_demands(lang, text, absent, present):
    types = _types(text, lang)
    assert absent not in types
    if present:
        assert present in types


def test_undergo_frame_makes_the_subject_the_target():
    ev = [e for e in _events("تعرضت القوات الأمريكية لهجمات متكررة في سوريا أمس.", "ar") if e.type == "ASSAULT"]
    assert ev and ev[0].target is not None and ev[0].target.country == "USA"


def test_passive_with_agent_in_english():
    ev = [e for e in _events("Two Iraqi soldiers were killed by Turkish forces on Monday.", "en") if e.type == "ASSAULT"]
    assert ev and ev[0].source is not None and ev[0].source.country == "TUR"


def test_no_event_from_a_caption():
    text = "هاجمت القوات الروسية مدينة خاركيف أمس.\nجنود روس قرب خاركيف في 3 مارس 2022. الصورة: رويترز"
    doc = rasad.analyze(text, lang="ar", published="2022-03-05")
    caption_start = text.index("جنود")
    assert all(e.sentence.start < caption_start for e in doc.events)


def test_every_event_is_explainable(seed_text):
    doc = rasad.analyze(seed_text, lang="ar", published="2024-01-09")
    for e in doc.events:
        assert e.rule and e.trigger.end > e.trigger.start
        assert e.sentence.start <= e.trigger.start < e.trigger.end <= e.sentence.end
        assert 0 < e.confidence < 1
        assert e.quad in (1, 2, 3, 4)
        assert e.cameo and e.goldstein is not None


def test_quotes_direct_and_indirect_with_speakers(seed_text):
    doc = rasad.analyze(seed_text, lang="ar", published="2024-01-09")
    direct = [q for q in doc.quotes if q.kind == "direct"]
    assert len(direct) >= 2
    for q in doc.quotes:
        assert doc.text[q.start:q.end] == q.text
    spoken = [q for q in doc.quotes if q.speaker]
    assert len(spoken) >= 3


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Kenyan President William Ruto said the government would not withdraw the bill.",
         "the government would not withdraw the bill"),
        ("Iran said it would retaliate.", "it would retaliate"),
        ("The minister said in a statement that talks would resume.", "talks would resume"),
        ("The minister said on Monday.", None),  # no clause: no quote
    ],
)
def test_english_indirect_quotes_with_and_without_that(text, content):
    doc = rasad.analyze(text, lang="en")
    assert [q.text for q in doc.quotes if q.kind == "indirect"] == ([content] if content else [])


def test_a_state_agent_named_by_a_speaker_is_the_speakers_countrys():
    doc = rasad.analyze("Kenyan President William Ruto said the government would not withdraw the bill.", lang="en")
    [ev] = doc.events
    assert (ev.type, ev.source.sector, ev.source.country) == ("REJECT", "GOV", "KEN")


def _lexicon_cases(lang: str):
    data = yaml.safe_load((lang_dir(lang) / "events.yaml").read_text(encoding="utf-8"))
    pos, neg = [], []
    for r in data["rules"]:
        for ex in r.get("examples") or ():
            pos.append((r["id"], r["type"], ex["text"] if isinstance(ex, dict) else ex))
        for ex in r.get("counterexamples") or ():
            neg.append((r["id"], r["type"], ex["text"] if isinstance(ex, dict) else ex))
    return pos, neg


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lexicon_examples_mostly_code_their_type(lang):
    """Each rule's examples: the measured share that codes the rule's type must not drop.

    Examples that fail list what to look at (an anchor missing, an actor not found)."""
    pos, neg = _lexicon_cases(lang)
    misses = [(rid, text) for rid, typ, text in pos if typ not in _types(text, lang)]
    assert 1 - len(misses) / len(pos) >= _EXAMPLE_FLOOR[lang], misses
    wrong = [(rid, text) for rid, typ, text in neg if typ in _types(text, lang)]
    assert len(wrong) / len(neg) <= _COUNTEREXAMPLE_CEILING[lang], wrong


# measured shares (ar 0.92 / 0.008, en 0.97 / 0.0): raise them as the lexicons improve
_EXAMPLE_FLOOR = {"ar": 0.91, "en": 0.96}
_COUNTEREXAMPLE_CEILING = {"ar": 0.02, "en": 0.01}


# ------------------------------------------------------------ reported happening, not named
# (PROTEST and ASSAULT precision: general rules checked on sentences written for the purpose)

@pytest.mark.parametrize(
    ("lang", "text", "etype", "coded"),
    [
        # participants alone are no protest; a crowd verb needs a crowd as its subject
        ("ar", "قدر مسؤول في الشرطة عدد المتظاهرين بحوالي مئة ألف شخص.", "PROTEST", False),
        ("ar", "وتجمع آلاف المتظاهرين أمس أمام مبنى البرلمان في العاصمة.", "PROTEST", True),
        ("ar", "خرج الوزير من الاجتماع أمس دون أن يدلي بتصريح.", "PROTEST", False),
        ("ar", "كما خرج مساء أمس مئات من المتظاهرين في وسط المدينة.", "PROTEST", True),
        ("ar", "تظاهر نحو مائتي شخص أمس أمام مقر النقابة في وسط القاهرة.", "PROTEST", True),
        ("ar", "انتشرت شرطة مكافحة الشغب حول الساحة أمس.", "PROTEST", False),
        # what will, may or would happen has not happened; a question asserts nothing
        ("ar", "سيتظاهر العمال الأسبوع المقبل أمام وزارة العمل.", "PROTEST", False),
        ("ar", "حذر الخبراء من أن المسلحين قد يقتلون الرهائن.", "ASSAULT", False),
        ("ar", "لم يتوقع الوزير أن تشن تركيا عملية عسكرية كبرى قريبا.", "ASSAULT", False),
        ("ar", "هل هاجم المسلحون القرية أمس؟", "ASSAULT", False),
        # deaths in an accident or a disaster, with no attacker named, are no attack
        ("ar", "لقي 28 راكبا مصرعهم أمس في حادث اصطدام قطارين قرب الإسكندرية.", "ASSAULT", False),
        ("en", "At least 28 passengers were killed when two trains collided near Alexandria on Friday.", "ASSAULT", False),
        ("en", "A car bomb killed five people in Baghdad on Friday, officials said.", "ASSAULT", True),
        # a politician, a party or the press attacks in words: ACCUSE, not ASSAULT
        ("en", "The Conservatives attacked Labour's record on immigration on Monday.", "ASSAULT", False),
        ("en", "The Conservatives attacked Labour's record on immigration on Monday.", "ACCUSE", True),
        ("en", "He attacked the government over its record on immigration.", "ASSAULT", False),
        ("en", "Gunmen attacked an army checkpoint in Borno state on Monday.", "ASSAULT", True),
        # the threat a country seeks to end is a topic, not a threat made
        ("ar", "وتسعى إسرائيل إلى القضاء على التهديد الذي تمثله الأنفاق.", "THREATEN", False),
        # a named past event, a trial, a stopped act: a topic, not a report
        ("ar", "التقى المبعوث أمس الرئيس في أول زيارة منذ اغتيال رئيس الحكومة عام 2005.", "ASSAULT", False),
        ("ar", "سطر المحقق العدلي في جريمة اغتيال رئيس الوزراء استنابات جديدة.", "ASSAULT", False),
        ("ar", "طالب البيت الأبيض الفصائل بوقف إطلاق الصواريخ على المدن.", "ASSAULT", False),
        ("ar", "وعندما قام مسلح باغتيال الرئيس عام 1981 لم تتوقف عملية السلام.", "ASSAULT", False),
        # a relative clause describes, an imperfect tells a habit
        ("ar", "شارك الآلاف في تشييع الوزير الذي اغتيل الأسبوع الماضي.", "ASSAULT", False),
        ("ar", "هؤلاء يقتلون الأبرياء ثم يبكون عليهم.", "ASSAULT", False),
        # a bomb that kills needs no named actor; a drone (طائرة بدون طيار) is not a negation
        ("ar", "قتل 18 شخصا وأصيب عشرات آخرون في انفجار سيارة مفخخة في بغداد أمس.", "ASSAULT", True),
        ("ar", "وأدى انفجار سيارة مفخخة وسط المدينة إلى مقتل شخص وإصابة 11 آخرين.", "ASSAULT", True),
        ("ar", "أطلقت طائرة بدون طيار صاروخا على سيارة شرق المدينة أمس.", "ASSAULT", True),
        ("en", "Thousands of protesters demonstrated in the capital on Sunday.", "PROTEST", True),
        ("en", "Two suicide bombers killed 23 people in a market on Sunday.", "ASSAULT", True),
        ("en", "Radical farmers said they would blockade Paris from Monday night.", "COERCE", False),
    ],
)
def test_events_are_coded_only_when_reported_happening(lang, text, etype, coded):
    assert (etype in _types(text, lang)) is coded


def test_a_crowd_with_no_actor_named_is_the_source_of_its_protest():
    ev = [e for e in _events("تظاهر آلاف في وسط العاصمة أمس احتجاجا على رفع الأسعار.", "ar") if e.type == "PROTEST"]
    assert ev and ev[0].source is not None and ev[0].source.actor is None and ev[0].source.text


def test_gsr_split_keeps_even_rows_for_dev_and_odd_rows_for_test():
    from rasad.eval.gsr import split_rows

    rows = list(range(7))
    assert split_rows(rows, "dev") == [0, 2, 4, 6]
    assert split_rows(rows, "test") == [1, 3, 5]
    assert split_rows(rows, "all") == rows


# ------------------------------------------------------------ English and Arabic syntax

def _one(text: str, lang: str, etype: str):
    evs = [e for e in _events(text, lang) if e.type == etype]
    assert evs, (text, [(e.type, e.rule) for e in _events(text, lang)])
    return evs[0]


def _countries(ev) -> tuple:
    return (ev.source and ev.source.country, ev.target and ev.target.country)


@pytest.mark.parametrize(
    ("lang", "text", "etype", "source", "target"),
    [
        # coordinated subjects of a reciprocal event: the first conjunct acts on the second
        ("en", "Iran and the European Union held talks in Vienna on Monday.", "CONSULT", "IRN", None),
        ("en", "The United States and Jordan have agreed upon a new free-trade pact.", "AGREE", "USA", "JOR"),
        ("ar", "اتفقت مصر وإسرائيل على استئناف المفاوضات.", "AGREE", "EGY", "ISR"),
        # the counted are the victims of an unmarked passive (قتل خمسة جنود، ten soldiers killed in)
        ("ar", "قتل خمسة جنود عراقيين أمس في الموصل.", "ASSAULT", None, "IRQ"),
        # armed men counted after an attack verb attack; they are no victims (settlers: Israel's)
        ("ar", "هاجم عشرات المستوطنين مزارعين فلسطينيين قرب نابلس أمس.", "ASSAULT", "ISR", "PSE"),
        # people counted by their nationality (13 عراقيا) and a dual after the verb (قتل جنديان:
        # passive) are the victims
        ("ar", "قتل 13 عراقيا في انفجار سيارة مفخخة أمس.", "ASSAULT", None, "IRQ"),
        ("ar", "وقتل جنديان أميركيان في انفجار عبوة ناسفة أمس.", "ASSAULT", None, "USA"),
        ("ar", "وقتل في الهجوم أيضا مواطن فرنسي.", "ASSAULT", None, "FRA"),
        # a noun in the nominative plural heads no construct and, right after the verb, is its
        # subject: the opponents criticised the government (not "the government's opponents")
        ("ar", "وانتقد معارضون الحكومة المصرية أمس.", "ACCUSE", None, "EGY"),
        # an attack noun, a verb with a pronoun for it, its doer after (an indefinite relative clause)
        ("ar", "وأصيب ثلاثة جنود إثيوبيين في هجوم شنه مسلحون صوماليون على ثكنة أمس.", "ASSAULT", "SOM", "ETH"),
        # killed by the police's bullets, at the hands of: the police, the hands kill; who meets death
        # in a phrase undergoes it
        ("ar", "ولقي جندي إسرائيلي حتفه برصاص مسلحين فلسطينيين أمس.", "ASSAULT", "PSE", "ISR"),
        # the active verb's subject assassinates; a noun after a preposition before it is no subject
        ("ar", "وفي الليلة الماضية اغتال الجيش الإسرائيلي قائدا في حركة حماس.", "ASSAULT", "ISR", "PSE"),
        ("en", "There were 10 Russian soldiers killed in Ukraine today.", "ASSAULT", None, "RUS"),
        # … but a counted subject of an active verb is its source; the militants, of no state
        # named, are placed where the act happens (CAMEO's convention, implicit_country)
        ("en", "Ten Iraqi soldiers killed five militants on Monday.", "ASSAULT", "IRQ", "IRQ"),
        # "Y must …", says X: X demands it of Y
        ("en", "Russia said on Tuesday that Sudan must return the captured helicopter.", "REQUEST", "RUS", "SDN"),
        # what is demanded or alleged is about the subject of the clause after "that"
        ("en", "China on Tuesday demanded that the US cancel the arms sale to Taiwan.", "REQUEST", "CHN", "USA"),
        # a direct object right after the verb is its target (gave Tanzania a grant)
        ("en", "Finland gave Tanzania a grant of 580 million shillings on Monday.", "AID", "FIN", "TZA"),
        # between X and Y: the two sides; a mediator stays the source
        ("en", "Qatar mediated between Israel and Hamas on Sunday.", "CONSULT", "QAT", "ISR"),
        # a state agent with no country named is of the place the act happens in
        ("en", "Police arrested 45 protesters in Nairobi on Tuesday.", "COERCE", "KEN", None),
        ("ar", "اعتقلت الشرطة 45 متظاهرا في بيروت أمس.", "COERCE", "LBN", None),
        # so are protesters, and a protest with no target named is on that country
        ("en", "Thousands of people protested in Nairobi on Tuesday.", "PROTEST", "KEN", "KEN"),
        # a participle with "by" after its noun is passive
        ("en", "A convoy of Iraqi troops attacked by Turkish forces lost two vehicles.", "ASSAULT", "TUR", "IRQ"),
        # a verb written with the passive vowel: its subject undergoes the act, before or after it
        ("ar", "وكان 23 من أفراد الجيش المصري قُتلوا الجمعة.", "ASSAULT", None, "EGY"),
        ("ar", "وقُتل ثلاثة جنود عراقيين في الموصل أمس.", "ASSAULT", None, "IRQ"),
        # two triggers of one act pool their sides, never the same words as both
        ("ar", "وكان 23 من أفراد الجيش المصري قُتلوا الجمعة في هجوم في سيناء.", "ASSAULT", None, "EGY"),
        # a pronoun glued to the verb is its object: the actor after the verb is the subject
        ("ar", "ويعاني المدنيون الذين يحاصرهم الجيش السوري منذ أشهر من نقص الغذاء.", "COERCE", "SYR", None),
        # a definite noun no table knows before the verb is its subject: the actor after is the object
        ("ar", "وأكد الوزير أن المنظمة تدعم الحكومة اليمنية في جهودها.", "SUPPORT", None, "YEM"),
        # a noun rule's verb in the passive with no agent: the subject is the target
        ("en", "Iraqi troops were attacked near the border on Monday.", "ASSAULT", None, "IRQ"),
        # a group's members are the group (Hezbollah fighters)
        ("en", "Hezbollah fighters attacked an Israeli army post near the border on Monday.", "ASSAULT", "LBN", "ISR"),
        # two offices of two states side by side: subject and object
        ("ar", "التقى الرئيس المصري نظيره الفرنسي في باريس أمس.", "CONSULT", "EGY", "FRA"),
    ],
)
def test_arguments_by_syntax(lang, text, etype, source, target):
    ev = _one(text, lang, etype)
    got = _countries(ev)
    assert got[0] == source, (got, ev.rule)
    if target is not None or etype != "CONSULT":
        assert got[1] == target, (got, ev.rule)


@pytest.mark.parametrize(
    ("lang", "text", "present", "absent"),
    [
        # a cooperative act announced for the future is a promise (PLOVER manual 3.1, 3.4)
        ("en", "Finland will give Tanzania a grant of 580 million shillings next year.", "AGREE", "AID"),
        ("en", "Iraq's government announced that it is prepared to impose martial law.", "THREATEN", "COERCE"),
        ("en", "Iran said it would attack Israel if provoked.", "THREATEN", "ASSAULT"),
        # and so is a concession (CAMEO 035, intent to yield)
        ("en", "Israel announced that it would withdraw its troops from the city.", "AGREE", "RETREAT"),
        # the same in Arabic, with the future prefix glued on (ستفرض، ستهاجم، سيتظاهر)
        ("ar", "قالت مصر إنها ستفرض عقوبات على إسرائيل.", "THREATEN", "SANCTION"),
        ("ar", "ستهاجم إسرائيل لبنان.", "THREATEN", "ASSAULT"),
        ("ar", "سيتظاهر آلاف الطلاب غدا أمام البرلمان في بيروت.", "THREATEN", "PROTEST"),
        ("ar", "قالت مصر إنها ستقدم مساعدات إلى السودان.", "AGREE", "AID"),
        # what happens "if" is a condition, not anybody's threat
        ("en", "If Iran attacks Israel, the region will burn.", None, "THREATEN"),
        # refusing what one will not do
        ("en", "Israel said it will not withdraw its troops from Gaza.", "REJECT", "RETREAT"),
        ("en", "Syria will not accept the UN proposal.", "REJECT", "AGREE"),
        # a denial covers the clause after its subject
        ("ar", "نفى المتحدث باسم الجيش أن تكون القوات قد قصفت المدينة أمس.", None, "ASSAULT"),
        ("ar", "لم ينف المتحدث باسم الجيش أن تكون القوات قد قصفت المدينة أمس.", "ASSAULT", None),
        # participants named are no protest of their own
        ("en", "Georgian demonstrators received weapons from the government.", None, "PROTEST"),
        # what is agreed to is not done yet
        ("en", "Sudan and the rebels agreed to allow humanitarian access to Darfur.", "AGREE", "RETREAT"),
    ],
)
def test_modality_negation_and_content(lang, text, present, absent):
    types = _types(text, lang)
    if present:
        assert present in types, types
    if absent:
        assert absent not in types, types


def test_an_appeal_keeps_its_cameo_code_and_a_killing_is_conventional_force():
    call = _one("Egypt called on Israel to withdraw from Rafah.", "en", "REQUEST")
    assert call.cameo == "020"
    kill = _one("Israeli troops killed three militants in Jenin on Monday.", "en", "ASSAULT")
    assert kill.cameo.startswith("19")


def test_plover_split_keeps_even_sentences_for_dev_and_odd_for_test(tmp_path):
    import types

    from rasad.eval.plover import evaluate

    recs = [{"id": f"X-{i}", "event": "ASSAULT", "text": f"Sentence number {i}.", "date": "2000-01-01"} for i in range(5)]
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(recs), encoding="utf-8")
    seen: list[str] = []

    def fake(text, lang=None, published=None):
        seen.append(text)
        return types.SimpleNamespace(events=[])

    dev = evaluate(path, analyze=fake, split="dev")
    assert dev["sentences"] == 3 and seen == ["Sentence number 0.", "Sentence number 2.", "Sentence number 4."]
    seen.clear()
    assert evaluate(path, analyze=fake, split="test")["sentences"] == 2 and seen[0] == "Sentence number 1."


def test_a_ceasefire_called_for_is_no_shooting():
    # "وقف فوري لإطلاق النار": an adjective between the topic noun and the glued trigger
    text = ("دعت مصر يوم الأحد الأطراف المتحاربة في السودان إلى وقف فوري لإطلاق النار، وقالت وزارة "
            "الخارجية المصرية في بيان إن القتال أودى بحياة أكثر من 300 شخص خلال الأسبوع الماضي.")
    doc = rasad.analyze(text, lang="ar", published="2024-03-17")
    assert not [e for e in doc.events if e.rule.startswith("ar.assault.itlaq")]
    assert any(e.type == "REQUEST" for e in doc.events)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Iraqi troops attacked a base near the border on Monday."),
    ("en", "US and allied forces attacked the town on Monday."),
])
def test_a_side_found_by_the_place_never_takes_the_words_of_the_other_side(lang, text):
    ev = [e for e in _events(text, lang) if e.type == "ASSAULT"]
    assert ev and ev[0].source is not None and ev[0].target is not None
    src, tgt = ev[0].source, ev[0].target
    assert tgt.country == src.country  # the country where it happens, as before ...
    assert tgt.start is None and tgt.text == ""  # ... but not the attackers' own words


def test_an_agent_takes_a_country_before_it_only_across_a_conjunction():
    # "إدانة السعودية للهجوم على السفارة": the embassy is not Saudi Arabia's for being near it
    ev = [e for e in _events("وجاءت إدانة السعودية للهجوم على السفارة أمس.", "ar") if e.type == "ACCUSE"]
    assert ev and ev[0].source is not None and ev[0].source.country == "SAU"
    assert ev[0].target is None or ev[0].target.start != ev[0].source.start


def test_a_generic_effort_launched_is_no_appeal():
    # "launched a mediation effort": the mediation is the act (CAMEO 020 "launch … effort" dropped)
    types = _types("Qatar's emir launched a mediation effort on Saturday between the Emirates and Saudi Arabia.", "en")
    assert "CONSULT" in types and "REQUEST" not in types


def test_a_verbal_noun_with_its_doer_after_it_and_its_object_marked_by_lam():
    # اعتقال X لـ Y: X arrests Y (the actor after the noun is otherwise the one arrested)
    ev = [e for e in _events("وجاء اعتقال الشرطة التركية لعشرات المتظاهرين أمس.", "ar") if e.type == "COERCE"]
    assert ev and ev[0].source is not None and ev[0].source.country == "TUR"
    assert ev[0].target is not None and ev[0].target.country != "TUR"
    ev = [e for e in _events("وأعلن الجيش أمس اعتقال زعيم المعارضة.", "ar") if e.type == "COERCE"]
    assert ev and ev[0].target is not None and ev[0].target.text.endswith("المعارضة")


def test_an_unknown_noun_after_the_verb_is_its_subject_not_the_actor_after_it():
    ev = [e for e in _events("وأدانت المنظمة اعتقال الشرطة التركية لعشرات الصحفيين.", "ar") if e.type == "ACCUSE"]
    assert ev and ev[0].source is None and ev[0].target is not None and ev[0].target.country == "TUR"


@pytest.mark.parametrize(("lang", "text", "etype", "source", "target"), [
    # قد + a feminine past verb is "has done", not "may do"
    ("ar", "وكانت الولايات المتحدة قد تعهدت بدعم كوريا الجنوبية.", "AGREE", "USA", "KOR"),
    # the relative pronoun's antecedent is the verb's subject, the noun after it its object
    ("ar", "قال مسؤول إن الرئيس الأمريكي، الذي كان قد زار الرياض، التقى الملك سلمان.", "CONSULT", "USA", "SAU"),
    ("en", "The Iranian president, who visited Moscow last week, met the Russian foreign minister.", "CONSULT", "IRN", "RUS"),
    # what a subject receives from another is the other's act
    ("en", "Georgian demonstrators received weapons from the Russian government.", "AID", "RUS", "GEO"),
])
def test_arguments_of_past_relative_and_receiving_verbs(lang, text, etype, source, target):
    ev = [e for e in _events(text, lang) if e.type == etype]
    assert ev, [(e.type, e.rule) for e in _events(text, lang)]
    assert any(e.source is not None and e.source.country == source and e.target is not None
               and e.target.country == target for e in ev), [(e.source, e.target) for e in ev]


@pytest.mark.parametrize(("lang", "text", "absent"), [
    ("ar", "أطلقت كوريا الشمالية أمس أربعة صواريخ باليستية باتجاه بحر اليابان.", "ASSAULT"),  # a test
    ("ar", "انفجر الصاروخ في الجو بعد إطلاقه مباشرة أمس.", "ASSAULT"),
    ("ar", "هاجم الرئيس الأمريكي أمس وسائل الإعلام.", "ASSAULT"),  # in words: ACCUSE
    ("en", "He said he was confident the chancellor would meet his fiscal rules.", "AGREE"),
    ("en", "The Tories attacked Labour's six new pledges as vacuous.", "AGREE"),
])
def test_no_event_of_the_type(lang, text, absent):
    assert absent not in _types(text, lang)


@pytest.mark.parametrize(("text", "etype", "source", "target"), [
    # a masculine verb and a feminine state: the subject is a pronoun, the state the object
    ("وحث واشنطن أمس على العودة إلى المفاوضات.", "REQUEST", None, "USA"),
    # an actor after a preposition glued to it is no subject
    ("ونددت المنظمة أمس بالرئيس السوري.", "ACCUSE", None, "SYR"),
    # agreement holds where it should: a feminine verb, a feminine state
    ("دعت مصر إسرائيل إلى وقف الهجمات.", "REQUEST", "EGY", "ISR"),
    # ب glued to an office is no place (بوزير): the one met
    ("التقى الرئيس المصري بوزير الخارجية الأمريكي.", "CONSULT", "EGY", "USA"),
])
def test_arabic_subject_by_agreement_and_prepositions(text, etype, source, target):
    ev = [e for e in _events(text, "ar") if e.type == etype]
    assert ev, [(e.type, e.rule) for e in _events(text, "ar")]
    e = ev[0]
    assert (e.source.country if e.source else None) == source
    assert e.target is not None and e.target.country == target


@pytest.mark.parametrize(("lang", "text", "etype", "source", "target"), [
    # conjuncts of the subject are subjects, not the object
    ("ar", "ورفضت كل من الدنمارك والسويد الانضمام إلى العملة الموحدة.", "REJECT", "DNK", None),
    # a verbal noun's genitive is its doer (استسلام اليابان), a masculine-looking form or not
    ("ar", "وجاء ذلك عقب استسلام اليابان أمس.", "RETREAT", "JPN", None),
    # a name and the office after it are one person
    ("ar", "وأعلنت استقالة مايكل فلين مستشار الأمن القومي أمس.", "RETREAT", "USA", None),
])
def test_conjuncts_genitives_and_appositions(lang, text, etype, source, target):
    ev = [e for e in _events(text, lang) if e.type == etype]
    assert ev, [(e.type, e.rule) for e in _events(text, lang)]
    assert (ev[0].source.country if ev[0].source else None) == source
    assert (ev[0].target.country if ev[0].target else None) == target


def test_asked_not_to_be_named_is_no_request():
    assert "REQUEST" not in _types("ولم يذكر المسؤول، الذي طلب عدم ذكر اسمه، أية تفاصيل.", "ar")
    assert "REQUEST" not in _types("An official, who asked not to be named, gave no details.", "en")


def test_an_act_named_by_a_noun_dated_after_publication_is_planned():
    evs = rasad.analyze("Leaders will gather for next week's European Council summit in Brussels.",
                        lang="en", published="2005-03-01").events
    assert [e.modality for e in evs if e.type == "CONSULT"] == ["intended"]
    evs = rasad.analyze("Thousands of workers will join a strike called for next week in Paris.",
                        lang="en", published="2005-03-01").events
    assert "PROTEST" not in {e.type for e in evs if e.modality == "asserted"}


def test_a_condemned_act_names_its_doer_in_a_relative_clause():
    ev = [e for e in _events("أدانت مصر الهجوم الذي شنته إسرائيل على غزة أمس.", "ar") if e.type == "ACCUSE"]
    assert ev and ev[0].source.country == "EGY" and ev[0].target is not None and ev[0].target.country == "ISR"


def test_the_actor_after_a_verbal_noun_of_an_act_done_oneself_does_it():
    # أعلن X استقالة Y: Y resigns; انسحاب القوات من العراق: the forces withdraw from Iraq
    ev = [e for e in _events("أعلن البيت الأبيض أمس استقالة مستشار الأمن القومي الأمريكي.", "ar") if e.type == "RETREAT"]
    assert ev and ev[0].source is not None and ev[0].source.text.startswith("مستشار")
    ev = [e for e in _events("وأعلنت الحكومة انسحاب القوات الأمريكية من العراق أمس.", "ar") if e.type == "RETREAT"]
    assert ev and ev[0].source.country == "USA" and ev[0].target is not None and ev[0].target.country == "IRQ"


@pytest.mark.parametrize(
    ("text", "protest"),
    [
        # a crowd verb with a mere count is a protest only with protesters or a protest cue named
        ("وتجمع مئات الأشخاص أمس أمام مبنى البرلمان احتجاجا على رفع الأسعار.", True),
        ("وتجمع مئات الأشخاص أمس في الملعب لحضور الحفل.", False),
        # a question quoted in a chant does not make the sentence ask
        ("وتظاهر نحو مائتي شخص أمس هاتفين «أين العدالة؟».", True),
        # was + imperfect: they were protesting (past), not a habit
        ("واعتقلت الشرطة أمس طلابا كانوا يتظاهرون ضد الحكومة.", True),
        # boycotting a session; the same verb with a pronoun and speech is interrupting
        ("وقاطع نواب المعارضة الجلسة أمس احتجاجا على القانون.", True),
        ("وقاطعه الوزير قائلا إن الجلسة لم تنته بعد.", False),
    ],
)
def test_arabic_protest_cues(text, protest):
    doc = rasad.analyze(text, lang="ar", published="2008-01-10")
    assert any(e.type == "PROTEST" and not e.negated for e in doc.events) == protest, \
        [(e.type, e.rule) for e in doc.events]


def test_which_killed_and_no_to_war_negate_nothing():
    doc = rasad.analyze("وانفجرت عبوة ناسفة في السوق أمس، مما أسفر عن مقتل خمسة أشخاص.", lang="ar",
                        published="2008-01-10")
    assert any(e.type == "ASSAULT" and not e.negated for e in doc.events)
    doc = rasad.analyze("وتظاهر آلاف الطلاب أمس أمام البرلمان رافعين شعار لا للحرب.", lang="ar", published="2008-01-10")
    assert any(e.type == "PROTEST" and not e.negated for e in doc.events)


def test_one_side_struck_and_struck_back_are_two_events():
    """Two attacks of one sentence whose sides cross (X struck, after fire on X) are not merged."""
    doc = rasad.analyze("ونفذت القوات الأميركية ضربة جوية إثر تعرض القوات الأميركية لإطلاق نار من مسلحين أمس.",
                        lang="ar", published="2008-01-10")
    sides = {((e.source.country if e.source else None), (e.target.country if e.target else None))
             for e in doc.events if e.type == "ASSAULT"}
    assert ("USA", None) in sides or any(s == "USA" for s, _ in sides), sides
    assert any(t == "USA" for _, t in sides), sides


def test_who_disperses_a_protest_does_not_hold_it():
    doc = rasad.analyze("فرقت الشرطة مظاهرة في الخرطوم أمس.", lang="ar", published="2008-01-10")
    [protest] = [e for e in doc.events if e.type == "PROTEST"]
    assert protest.source is None or protest.source.sector != "COP", protest.source


def test_a_verb_does_not_borrow_the_last_sentences_target():
    """Only an act named again (الهجمات, the attacks) points back to an earlier act's target."""
    doc = rasad.analyze("وطلب الرئيس من البرلمان إقرار الميزانية أمس. وطلب الوزير تأجيل الجلسة.",
                        lang="ar", published="2008-01-10")
    second = [e for e in doc.events if e.type == "REQUEST" and e.trigger.start > doc.text.index(".")]
    assert all("anaphora" not in e.rule for e in second), [e.rule for e in second]


def test_police_with_no_country_are_of_the_country_the_story_happens_in():
    text = ("قتل سبعة أشخاص في انفجار قرب مدرسة في الصين أمس.\n"
            "وأصيب عشرون آخرون في انفجار ثان في الصين.\n"
            "وقالت الشرطة إنها اعتقلت رجلا يشتبه في تورطه.")
    doc = rasad.analyze(text, lang="ar", published="2017-08-11")
    police = [e for e in doc.events if e.source is not None and e.source.sector == "COP"]
    assert police and all(e.source.country == "CHN" for e in police), [(e.type, e.source) for e in doc.events]


def test_the_actor_in_a_phrases_gap_is_its_subject():
    doc = rasad.analyze("قبضت الشرطة الفرنسية على رجل يشتبه في تنفيذ الهجوم أمس.", lang="ar", published="2017-08-11")
    [arrest] = [e for e in doc.events if e.type == "COERCE"]
    assert arrest.source is not None and arrest.source.country == "FRA"
