"""The Arabic name tagger (rasad.ner), the conlleval scorer and their CLI commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rasad.cli import main
from rasad.eval.conll import Score, chunks, evaluate_file
from rasad.ner import (
    MODEL_FILE,
    MODELS,
    NAMES_FILE,
    WORDS_FILE,
    Featurizer,
    Tagger,
    default_tagger,
    load_resources,
    read_model_bytes,
)

# measured with `.venv/bin/python scripts/train_ner.py` (see src/rasad/models/README.md)
TEST_F1 = 0.7442
FLOOR = TEST_F1 - 0.01


def anercorp(shared: Path, name: str) -> Path:
    path = shared / "data/eval/ner/anercorp" / name
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture(scope="module")
def test_slice(shared: Path, tmp_path_factory) -> Path:
    """The first 40 sentences of ANERcorp test."""
    lines = anercorp(shared, "test.txt").read_text(encoding="utf-8").splitlines()
    out, blanks = [], 0
    for line in lines:
        out.append(line)
        if not line.strip():
            blanks += 1
            if blanks == 40:
                break
    path = tmp_path_factory.mktemp("ner") / "slice.txt"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "tags, expected",
    [
        (["B-PERS", "I-PERS", "O"], [(0, 2, "PERS")]),
        (["I-LOC", "I-LOC"], [(0, 2, "LOC")]),  # conlleval: I after O starts a chunk
        (["B-ORG", "I-LOC"], [(0, 1, "ORG"), (1, 2, "LOC")]),
        (["B-PERS", "B-PERS"], [(0, 1, "PERS"), (1, 2, "PERS")]),
        (["O", "B-MISC"], [(1, 2, "MISC")]),
        (["O", "O"], []),
    ],
)
def test_chunks(tags, expected):
    assert chunks(tags) == expected


def test_score_exact_span_and_type():
    s = Score()
    s.add(["B-PERS", "I-PERS", "O", "B-LOC"], ["B-PERS", "O", "O", "B-LOC"])
    s.add(["B-ORG"], ["B-LOC"])
    assert s.prf("LOC") == (0.5, 1.0, pytest.approx(2 / 3))
    assert s.prf("PERS") == (0.0, 0.0, 0.0)
    p, r, f = s.prf()
    assert (p, r) == (1 / 3, 1 / 3)
    assert "overall" in s.table()


def test_model_ships_in_package():
    names = {p.name for p in MODELS.iterdir()}
    shipped = {MODEL_FILE, WORDS_FILE, NAMES_FILE, "ner-ar-gazetteer.tsv"}
    assert shipped <= names
    assert {p.name for p in MODELS.glob("ner-ar*")} == shipped  # no stale model files
    size = sum(p.stat().st_size for p in MODELS.glob("ner-ar*"))
    assert size < 4_000_000


def test_features_are_deterministic():
    words = "وقال الرئيس الفرنسي جاك شيراك في باريس".split()
    a = Featurizer(load_resources()).sentence(words)
    b = Featurizer(load_resources()).sentence(words)
    assert a == b
    assert all(len(f) == len(set(f)) for f in a)  # no feature twice
    assert any(x.startswith("c2=") for x in a[-1])  # a frequent city has a cluster
    assert "pc=" + "و" in a[0] and "bs=" + "قال" in a[0]  # the conjunction comes off
    assert "al" in a[1] and "bs=" + "رييس" in a[1]  # so does the article (matching form)
    assert "-1w=" + "وقال" in a[1] and "1w=" + "الفرنسي" in a[1]


def test_stem_strips_clitics_to_known_words():
    fz = Featurizer(load_resources())
    aff = fz.res.affixes
    word = next(w for w in fz.res.words if len(w) > 4 and w.startswith(aff.article))
    pre = aff.proclitics[-1][0]  # a one-letter proclitic
    assert fz.stem(pre + word) == (pre, word)
    assert fz.stem(word) == ("", word)


def test_gazetteer_phrases_mark_every_word():
    fz = Featurizer(load_resources())
    phrase = next(p for p in fz.res.phrases if len(p.split()) == 3)
    feats = fz.sentence(phrase.split())
    tag = fz.res.phrases[phrase][0]
    assert "gB=" + tag in feats[0] and "gI=" + tag in feats[1] and "gI=" + tag in feats[2]


def test_tag_short_sentence():
    tagger = default_tagger()
    words = "وقال الرئيس الامريكي جورج بوش في واشنطن ان".split()
    tags = tagger.tag(words)
    assert len(tags) == len(words)
    assert tags[3:5] == ["B-PERS", "I-PERS"]
    assert tags[6] == "B-LOC"
    assert tagger.tag([]) == []


N = "O"  # no name


@pytest.mark.parametrize(
    "bares, tags, expected",
    [
        # a name found in one sentence is a name where it recurs untagged nearby
        (
            [["قال", "شوماخر"], ["فاز", "شوماخر"]],
            [[N, "B-PERS"], [N, N]],
            [[N, "B-PERS"], [N, "B-PERS"]],
        ),
        # several words, the type given most often nearby; a tagged word keeps its tag
        (
            [["نادي", "ريال", "مدريد"], ["فاز", "ريال", "مدريد"], ["ريال", "مدريد"]],
            [[N, "B-ORG", "I-ORG"], [N, N, N], [N, "B-LOC"]],
            [[N, "B-ORG", "I-ORG"], [N, "B-ORG", "I-ORG"], [N, "B-LOC"]],
        ),
        # a person's last name alone is that person
        (
            [["قال", "فايزة", "ابوالنجا"], ["واكدت", "ابوالنجا"]],
            [[N, "B-PERS", "I-PERS"], [N, N]],
            [[N, "B-PERS", "I-PERS"], [N, "B-PERS"]],
        ),
        # an unknown name keeps its one-letter proclitic (wa-)
        (
            [["قال", "سولانا"], ["وسولانا", "قالا"]],
            [[N, "B-PERS"], [N, N]],
            [[N, "B-PERS"], ["B-PERS", N]],
        ),
        # two letters are too short to spread
        ([["قال", "لي"], ["زار", "لي"]], [[N, "B-PERS"], [N, N]], [[N, "B-PERS"], [N, N]]),
    ],
)
def test_propagate(bares, tags, expected):
    from rasad.ner import affixes, propagate

    assert propagate(bares, tags, affixes()) == expected


def test_propagate_stays_within_the_window():
    from rasad.ner import affixes, propagate

    bares = [["قال", "شوماخر"]] + [["و"]] * 3 + [["فاز", "شوماخر"]]
    tags = [[N, "B-PERS"]] + [[N]] * 3 + [[N, N]]
    assert propagate(bares, tags, affixes(), window=3)[-1] == [N, N]
    assert propagate(bares, tags, affixes(), window=4)[-1] == [N, "B-PERS"]


def test_tagger_loads_given_model():
    tagger = Tagger(MODELS / MODEL_FILE)
    assert tagger.tag(["."]) == ["O"]


def test_name_statistics_are_features():
    """How often news tagging called a word a name: a feature of the word and its neighbours."""
    res = load_resources()
    assert len(res.names) > 10_000
    fz = Featurizer(res)
    word = next(w for w, f in res.names.items() if w.isalpha() and f != ("cs=O",) and len(w) > 3)
    feats = fz.sentence(["x", word, "y"])
    stats = res.names[word]
    assert all(f in feats[1] for f in stats)
    assert all("1" + f in feats[0] for f in stats) and all("-1" + f in feats[2] for f in stats)
    assert not any(f.startswith("-2cs=") for f in fz.sentence(["a", "b", word, "c", "d"])[4])


def test_cli_tag(test_slice: Path, capsys):
    assert main(["tag", str(test_slice)]) == 0
    out = capsys.readouterr().out.splitlines()
    src = test_slice.read_text(encoding="utf-8").splitlines()
    assert len(out) == len(src)
    for a, b in zip(src, out, strict=True):
        if not a.strip():
            assert b == ""
        else:
            assert b.startswith(a.rstrip()) and b.split()[-1][:2] in ("O", "B-", "I-")


def test_cli_tag_tokens_only(tmp_path: Path, capsys):
    path = tmp_path / "tokens.txt"
    path.write_text("قال\nالرئيس\nجورج\nبوش\n\n.\n", encoding="utf-8")
    assert main(["tag", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2:4] == ["جورج B-PERS", "بوش I-PERS"]
    assert out[4] == "" and out[5] == ". O"


def test_cli_eval_ner(test_slice: Path):
    res = subprocess.run(
        [sys.executable, "-m", "rasad.cli", "eval", "ner", str(test_slice)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["type", "prec", "rec", "F1"]
    overall = next(line for line in lines if line.startswith("overall"))
    assert float(overall.split()[3]) > 0.5


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"\x00\x01binary", "not text"),
        (b"   \n\n", "no tokens"),
    ],
)
def test_cli_bad_file(tmp_path: Path, capsys, content, message):
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    for argv in (["tag", str(path)], ["eval", "ner", str(path)]):
        assert main(argv) != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith("rasad: ") and message in err and "\n" not in err


def test_eval_needs_gold_tags(tmp_path: Path, capsys):
    path = tmp_path / "tokens.txt"
    path.write_text("قال\nبوش\n", encoding="utf-8")
    assert main(["eval", "ner", str(path)]) != 0
    assert "gold tag" in capsys.readouterr().err


def test_test_floor(shared: Path):
    """Entity F1 on the whole ANERcorp test stays at the measured figure (speed: make bench)."""
    path = anercorp(shared, "test.txt")
    s = evaluate_file(path, Tagger())
    assert s.prf()[2] >= FLOOR, s.table()


def test_gazetteer_regenerates(shared: Path, tmp_path: Path):
    """The shipped gazetteer is what scripts/train_ner.py builds from ../shared and Babel."""
    import importlib.util

    pytest.importorskip("babel")
    script = Path(__file__).resolve().parent.parent / "scripts" / "train_ner.py"
    spec = importlib.util.spec_from_file_location("train_ner", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if not mod.ACTORS.exists():
        pytest.skip(f"{mod.ACTORS} is missing")
    mod.MODELS = tmp_path
    mod.build_gazetteer()
    built = (tmp_path / "ner-ar-gazetteer.tsv").read_text(encoding="utf-8")
    shipped = (MODELS / "ner-ar-gazetteer.tsv").read_text(encoding="utf-8")
    assert built == shipped


def test_shipped_files_carry_provenance():
    texts = {}
    for name in (WORDS_FILE, NAMES_FILE, "ner-ar-gazetteer.tsv"):
        texts[name] = read_model_bytes(MODELS / name).decode("utf-8").splitlines()
        assert texts[name][0].startswith("# generated by scripts/train_ner.py")
    rows = [line.split("\t") for line in texts[WORDS_FILE] if not line.startswith("#")]
    assert rows and all(len(r) == 8 for r in rows)
    rows = [line.split("\t") for line in texts[NAMES_FILE] if not line.startswith("#")]
    assert rows and all(len(r) == 2 for r in rows)
    assert (MODELS / "README.md").read_text(encoding="utf-8").count(str(TEST_F1)) >= 1
