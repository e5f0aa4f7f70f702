"""Ontology tables (PLOVER, CAMEO, sectors) and the integrity of the event trigger lexicons."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from rasad import ontology
from rasad.lang.loader import read_yaml
from rasad.match import MAX_GAP
from rasad.stages.normalize import normalize_str

ROOT = Path(__file__).resolve().parent.parent
TYPES = (
    "AGREE CONSULT SUPPORT COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST "
    "SANCTION MOBILIZE COERCE ASSAULT CONCEDE"
).split()
SECTORS = "GOV MIL REB OPP PTY COP JUD LEG SPY UAF CVL MED BUS REL REF NGO IGO IMG ELI EDU LAB HLH".split()
RULE_KEYS = {
    "id", "type", "mode", "context", "cameo", "pos", "forms", "require_after", "window",
    "target_preps", "frame", "confidence", "examples", "counterexamples",
    # optional keys beyond notes/events-lexicon-spec.md (documented in the files' headers)
    "exclude_after", "exclude_before", "exclude_window", "before_window", "note", "cameo_note", "actorless", "subject",
    "require_before", "needs_country",
}
LIST_KEYS = ("negation", "intention", "hypothetical", "reported", "undergo", "demand_complement")
ISO3 = re.compile(r"^[A-Z]{3}$")


def _build_script():
    spec = importlib.util.spec_from_file_location("build_ontology", ROOT / "scripts" / "build_ontology.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ------------------------------------------------------------------ ontology tables

def test_cameo_table_is_up_to_date(shared):
    text = _build_script().build()
    assert (ROOT / "src" / "rasad" / "ontology" / "cameo.tsv").read_text(encoding="utf-8") == text, (
        "cameo.tsv is stale: run .venv/bin/python scripts/build_ontology.py"
    )


def test_plover_types():
    types = ontology.plover_types()
    assert sorted(types) == sorted(TYPES)
    quads = {t.name: t.quad for t in types.values()}
    assert {n for n, q in quads.items() if q == 1} == {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"}
    assert {n for n, q in quads.items() if q == 2} == {"COOPERATE", "AID", "RETREAT"}
    assert {n for n, q in quads.items() if q == 3} == {"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION"}
    assert {n for n, q in quads.items() if q == 4} == {"PROTEST", "MOBILIZE", "COERCE", "ASSAULT"}
    for t in types.values():
        row = ontology.cameo(t.cameo)
        assert row is not None and row.plover_type == t.name, (t.name, t.cameo)
    assert "targeted" in ontology.plover_type("ASSAULT").modes
    assert ontology.plover_type("NOPE") is None


def test_cameo_rows_use_plover_vocabulary():
    contexts = ontology.contexts()
    codes = ontology.cameo_codes()
    assert len(codes) == 311
    for row in codes.values():
        if row.plover_type:
            assert row.plover_type in TYPES
            if row.mode:
                assert row.mode in ontology.plover_type(row.plover_type).modes, row
        else:
            assert row.code[:2] in ("01", "02"), row  # statements and appeals: dropped in PLOVER
        assert all(c in contexts for c in row.context), row


@pytest.mark.parametrize(("code", "goldstein", "ptype", "mode"), [
    ("186", -10.0, "ASSAULT", "targeted"),
    ("195", -10.0, "ASSAULT", "aerial"),
    ("173", -5.0, "COERCE", "arrest"),
    ("0841", 7.0, "RETREAT", "release"),
    ("042", 1.9, "CONSULT", "visit"),
    ("1056", -5.0, "REQUEST", "yield"),
    ("020", 3.0, "", ""),
])
def test_cameo_lookup(code, goldstein, ptype, mode):
    row = ontology.cameo(code)
    assert (row.goldstein, row.plover_type, row.mode) == (goldstein, ptype, mode)
    assert ontology.goldstein(code) == goldstein


def test_goldstein_falls_back_to_prefix_and_quad():
    assert ontology.goldstein("18699") == ontology.goldstein("186")
    assert ontology.goldstein("99") is None
    assert ontology.quad("ASSAULT") == 4
    assert ontology.quad(None, "0841") == 2
    assert ontology.quad("", "020") == 1  # dropped in PLOVER: GDELT's quad of the CAMEO root
    assert ontology.quad(None, None) is None
    assert ontology.mode_score("CONSULT", "visit") == 4.0
    assert ontology.mode_score("CONSULT") == 2.5


def test_sectors():
    assert sorted(ontology.sectors()) == sorted(SECTORS)
    assert ontology.sector("UAF").name_en
    assert all(s.name_ar for s in ontology.sectors().values())


# ------------------------------------------------------------------ event lexicons

def _lexicon(lang: str) -> dict:
    data = read_yaml(lang, "events.yaml")
    assert isinstance(data, dict), f"lang/{lang}/events.yaml is missing or not a mapping"
    return data


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lexicon_top_level(lang):
    data = _lexicon(lang)
    for key in LIST_KEYS:
        words = data.get(key)
        assert isinstance(words, list) and words, key
        for w in words:
            assert isinstance(w, str) and normalize_str(w).strip(), (key, w)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lexicon_rules(lang):
    rules = _lexicon(lang)["rules"]
    ids = [r["id"] for r in rules]
    assert not [i for i, n in Counter(ids).items() if n > 1], "duplicate rule ids"
    id_re = re.compile(rf"^{lang}\.[a-z]+\.[a-z0-9_]+$")
    types_seen = set()
    for rule in rules:
        rid = rule["id"]
        assert set(rule) <= RULE_KEYS, (rid, set(rule) - RULE_KEYS)
        assert id_re.match(rid), rid
        assert rule["type"] in TYPES, rid
        assert rid.split(".")[1] == rule["type"].lower(), rid
        types_seen.add(rule["type"])
        ptype = ontology.plover_type(rule["type"])
        assert rule.get("mode", "") in ("",) + ptype.modes, (rid, rule.get("mode"))
        assert all(c in ontology.contexts() for c in rule.get("context", [])), rid
        assert isinstance(rule["cameo"], str), (rid, "cameo must be a quoted string")
        row = ontology.cameo(rule["cameo"])
        assert row is not None, (rid, rule["cameo"])
        if row.plover_type != rule["type"]:
            assert rule.get("cameo_note"), (rid, f"CAMEO {row.code} is {row.plover_type}: add cameo_note")
        assert rule["pos"] in ("verb", "noun", "phrase"), rid
        assert rule.get("frame", "active") in ("active", "undergo", "noun"), rid
        assert 0 < float(rule.get("confidence", 0.7)) <= 1, rid
        assert 1 <= int(rule.get("window", 6)) <= 30, rid
        forms = rule["forms"]
        assert forms, rid
        normalized = []
        for form in forms:
            assert isinstance(form, str), (rid, form)
            norm = normalize_str(form).strip()
            assert norm, (rid, form)
            assert "+" not in norm and not norm.startswith("*") and not norm.endswith("*"), (rid, form)
            normalized.append(" ".join(norm.split()))
        dups = [f for f, n in Counter(normalized).items() if n > 1]
        assert not dups, (rid, dups)
        for key in ("require_after", "target_preps", "exclude_after", "exclude_before"):
            for w in rule.get(key, []) or []:
                assert isinstance(w, str) and normalize_str(w).strip(), (rid, key, w)
        examples = rule.get("examples") or []
        assert examples, (rid, "needs at least one example")
        for ex in examples:
            assert isinstance(ex, dict) and ex.get("text", "").strip(), (rid, ex)
            assert set(ex) <= {"text", "source", "target"}, (rid, ex)
            for role in ("source", "target"):
                if role in ex:
                    assert ISO3.match(ex[role]), (rid, ex)
        for cx in rule.get("counterexamples", []) or []:
            assert isinstance(cx, str) and cx.strip(), (rid, cx)
    assert types_seen == set(TYPES), set(TYPES) - types_seen


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lexicon_size(lang):
    counts = Counter(r["type"] for r in _lexicon(lang)["rules"])
    assert 150 <= sum(counts.values()) <= 300
    assert min(counts.values()) >= 3


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_examples_hold_their_trigger(lang):
    """Each example holds one of its rule's forms, with a require_after word within the window
    and no exclude word next to it (a rough matcher: Arabic words compared without clitics)."""
    bad = []
    for rule in _lexicon(lang)["rules"]:
        forms = [[_word(lang, w) for w in normalize_str(f).split()] for f in rule["forms"]]
        need = [[_word(lang, w) for w in normalize_str(r).split()] for r in rule.get("require_after") or []]
        after = [[_word(lang, w) for w in normalize_str(r).split()] for r in rule.get("exclude_after") or []]
        before = [[_word(lang, w) for w in normalize_str(r).split()] for r in rule.get("exclude_before") or []]
        window = int(rule.get("window", 6))
        xwin = int(rule.get("exclude_window", 2))
        for ex in rule["examples"]:
            words = [_word(lang, w) for w in _tokens(lang, ex["text"])]
            ok = False
            for form in forms:
                for i in range(len(words)):
                    end = _end(words, i, form)
                    if end is None:
                        continue
                    if need and not any(_at(words, j, r) for r in need for j in range(end, min(end + window, len(words)))):
                        continue
                    if any(_at(words, j, r) for r in after for j in range(end, min(end + xwin, len(words)))):
                        continue
                    if any(_at(words, j, r) for r in before for j in range(max(0, i - xwin), i)):
                        continue
                    ok = True
            if not ok:
                bad.append((rule["id"], ex["text"]))
    assert not bad, bad


def _tokens(lang: str, text: str) -> list[str]:
    return re.findall(r"\w+(?:[.'’]\w+)*|[^\w\s]", normalize_str(text))


def _word(lang: str, word: str):
    return _ar_stem(word) if lang == "ar" else word


def _at(words: list, i: int, form: list) -> bool:
    return _end(words, i, form) is not None


def _end(words: list, i: int, form: list) -> int | None:
    """Where ``form`` ends when it matches at ``i`` (a ``*`` stands for up to MAX_GAP words)."""
    if not form:
        return i
    f = form[0]
    if f in ("*", frozenset({"*"})):
        for g in range(MAX_GAP + 1):
            end = _end(words, i + g, form[1:]) if i + g <= len(words) else None
            if end is not None:
                return end
        return None
    if i >= len(words) or not _match(words[i], f):
        return None
    return _end(words, i + 1, form[1:])


_AR_PRE = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "س")
_AR_POST = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")


def _ar_stem(word: str) -> set[str]:
    """A word's candidate stems (rough: enough to check that an example holds its trigger)."""
    out = {word}
    for pre in ("",) + _AR_PRE:
        if pre and not (word.startswith(pre) and len(word) - len(pre) >= 2):
            continue
        w = word[len(pre):]
        out.add(w)
        for post in _AR_POST:
            if w.endswith(post) and len(w) - len(post) >= 2:
                base = w[: -len(post)]
                out.add(base)
                if base.endswith("ت"):
                    out.add(base[:-1] + "ه")
    return frozenset(out)


def _match(word, form) -> bool:
    if isinstance(word, frozenset):
        return bool(word & form) if isinstance(form, frozenset) else form in word
    return word == form


def test_lexicons_hold_no_seed_phrases(shared):
    """Hard rule 1: no name or phrase of the golden seed in src/ (beyond common vocabulary)."""
    seed = (shared / "golden" / "seed" / "article.txt").read_text(encoding="utf-8")
    seed_en = (shared / "golden" / "seed-en" / "article.txt").read_text(encoding="utf-8")
    for lang, text in (("ar", seed), ("en", seed_en)):
        body = normalize_str((ROOT / "src" / "rasad" / "lang" / lang / "events.yaml").read_text(encoding="utf-8"))
        words = re.findall(r"\w+", normalize_str(text))
        # any run of 5 seed words found verbatim in the lexicon is a copied phrase
        copied = {" ".join(words[i:i + 5]) for i in range(len(words) - 4)
                  if " ".join(words[i:i + 5]) in body}
        assert not copied, copied


def _strict_yaml_loader():
    """A YAML loader that refuses a key given twice in one mapping (the second silently wins)."""
    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            assert key not in seen, f"line {key_node.start_mark.line + 1}: {key!r} given twice"
            seen.add(key)
        return loader.construct_mapping(node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Strict


def test_language_yaml_has_no_repeated_keys_and_no_words_read_as_booleans():
    # "counterexamples:" twice drops the first list; an unquoted on / no / false in a word list
    # is read as a boolean and never matches
    import yaml

    loader = _strict_yaml_loader()
    root = ROOT / "src" / "rasad" / "lang"
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (SafeLoader)
        stack = [data]
        while stack:
            x = stack.pop()
            if isinstance(x, dict):
                stack.extend(x.values())
            elif isinstance(x, list):
                assert not any(isinstance(v, bool) for v in x), f"{path.name}: a boolean in a word list {x[:8]}"
                stack.extend(x)
