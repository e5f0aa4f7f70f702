"""Statistical name tagger for Arabic (CRF, BIO tags PERS/LOC/ORG/MISC).

Finds names no dictionary holds. The model, word clusters, name statistics and gazetteer ship
in ``rasad/models/`` and are built by ``scripts/train_ner.py`` from ANERcorp train and
unlabelled Arabic news. Besides a word's form, clitics, clusters and gazetteer entries, the
tagger sees how often a tagger run over unlabelled news called the word part of a name (a name
the training data never saw is often tagged right somewhere in the news). A word's own
features depend only on the word, so they are computed once per distinct word and cached; a
token's features are its own plus its neighbours' cached ones.
"""

from __future__ import annotations

import functools
import lzma
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ResourceError
from .lang.loader import read_tsv
from .stages.normalize import normalize_str

MODELS = Path(__file__).resolve().parent / "models"
MODEL_FILE = "ner-ar.crfsuite.xz"  # xz-compressed CRFsuite model
WORDS_FILE = "ner-ar-clusters.tsv.xz"
NAMES_FILE = "ner-ar-names.tsv.xz"
GAZETTEER_FILE = "ner-ar-gazetteer.tsv"
TYPES = ("PERS", "LOC", "ORG", "MISC")

# neighbour positions whose features a token sees, and which of them see the fine ones
WINDOW = (-2, -1, 1, 2)
NEAR = (-1, 1)
MIN_STEM = 2
NAME_MIN = 3  # letters a recurring name needs to be tagged again (propagate)
# a name the tagger found is also a name where it recurs untagged within this many sentences
# (and a person's last word alone is that person): tagging a text as a whole
PROPAGATE_WINDOW = 10
CACHE_WORDS = 200_000  # distinct words whose features are kept (a long run starts afresh)


@dataclass(frozen=True, slots=True)
class Affixes:
    """Arabic clitics in matching form (lang/ar/ner_affixes.tsv)."""

    proclitics: tuple[tuple[str, bool], ...]  # longest first; bool: swallowed the article
    article: str
    enclitics: tuple[str, ...]  # longest first
    pronouns: tuple[str, ...]  # the possessive pronoun enclitics


@dataclass(frozen=True, slots=True)
class Resources:
    """What features are computed from: clitics, word clusters and statistics, gazetteer."""

    affixes: Affixes
    # matching form -> (cluster k=64, k=256, k=1024, frequency, article, pronoun buckets,
    # cue profile)
    words: dict[str, tuple[str, ...]]
    gazetteer: dict[str, tuple[str, ...]]  # bare word (no article) -> list tags
    phrases: dict[str, tuple[str, ...]]  # bare words joined by a space -> list tags
    phrase_len: dict[str, int]  # first bare word of a phrase -> longest phrase's length
    # bare word -> how often a tagger run over news called it a name of each type
    names: dict[str, tuple[str, ...]]


@functools.cache
def affixes() -> Affixes:
    """The clitics the tagger strips, read once from lang/ar/ner_affixes.tsv."""
    pro: list[tuple[str, bool]] = []
    enc: list[str] = []
    pron: list[str] = []
    article = ""
    for row in read_tsv("ar", "ner_affixes.tsv", 2):
        kind, affix = row[0], normalize_str(row[1])
        if kind == "proclitic":
            pro.append((affix, len(row) > 2 and row[2] == "1"))
        elif kind == "article":
            article = affix
        elif kind in ("enclitic", "pronoun"):
            enc.append(affix)
            if kind == "pronoun":
                pron.append(affix)
        else:
            raise ResourceError(f"lang/ar/ner_affixes.tsv: unknown kind '{kind}'")
    if not article:
        raise ResourceError("lang/ar/ner_affixes.tsv: no 'article' row; add one")
    return Affixes(
        proclitics=tuple(sorted(pro, key=lambda p: -len(p[0]))),
        article=article,
        enclitics=tuple(sorted(enc, key=len, reverse=True)),
        pronouns=tuple(pron),
    )


def read_model_bytes(path: Path) -> bytes:
    """A model file's content (``.xz`` files decompressed)."""
    if not path.exists():
        raise ResourceError(f"missing {path}; rebuild it with scripts/train_ner.py")
    data = path.read_bytes()
    return lzma.decompress(data) if path.suffix == ".xz" else data


def _read_model_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in read_model_bytes(path).decode("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rows.append(line.split("\t"))
    return rows


def name_features(code: str) -> tuple[str, ...]:
    """The features of a names-table entry (``PERS3,LOC1``, ``O`` or ``o``)."""
    return tuple("cs=" + c for c in code.split(","))


@functools.cache
def load_resources(models: Path = MODELS, names: bool = True) -> Resources:
    """The feature resources shipped with the package (read once); ``names=False``: without
    the name statistics (training builds them with a tagger that does without)."""
    words = {r[0]: tuple(r[1:]) for r in _read_model_tsv(models / WORDS_FILE)}
    gaz: dict[str, tuple[str, ...]] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    phrase_len: dict[str, int] = {}
    for r in _read_model_tsv(models / GAZETTEER_FILE):
        parts = r[0].split(" ")
        tags = tuple(r[1].split(","))
        if len(parts) == 1:
            gaz[r[0]] = tags
        else:
            phrases[r[0]] = tags
            phrase_len[parts[0]] = max(phrase_len.get(parts[0], 0), len(parts))
    stats = (
        {r[0]: name_features(r[1]) for r in _read_model_tsv(models / NAMES_FILE)} if names else {}
    )
    return Resources(
        affixes=affixes(),
        words=words,
        gazetteer=gaz,
        phrases=phrases,
        phrase_len=phrase_len,
        names=stats,
    )


def _shape(w: str) -> str:
    if w.isdigit():
        return "num"
    c = w[0]
    if not c.isalnum():
        return "punct"
    script = unicodedata.name(c, "").split(" ")[0]
    if script == "LATIN":
        return "latin"
    if any(ch.isdigit() for ch in w):
        return "alnum"
    return "ar" if script == "ARABIC" else "other"


OFFSET_PREFIX = tuple(str(off) for off in WINDOW)
AFFIX_P = {k: f"p{k}=" for k in (1, 2, 3, 4)}
AFFIX_S = {k: f"s{k}=" for k in (1, 2, 3, 4)}
CLUSTER_NAMES = ("c0=", "c1=", "c2=")

# (own features, features seen by the neighbour at each WINDOW offset, matching form,
#  finest cluster, bare form)
WordInfo = tuple[list[str], tuple[list[str], ...], str, str, str]


class Featurizer:
    """Feature strings for tokens; per-word parts are cached in a dict."""

    def __init__(self, res: Resources):
        self.res = res
        self._cache: dict[str, WordInfo] = {}

    def stem(self, n: str) -> tuple[str, str]:
        """``(proclitic, rest)``: the longest proclitic whose removal leaves a known word."""
        known = self.res.words
        art = self.res.affixes.article
        for p, swallowed in self.res.affixes.proclitics:
            if n.startswith(p) and len(n) - len(p) >= MIN_STEM:
                rest = n[len(p) :]
                if swallowed:
                    rest = art + rest
                if rest in known or (rest.startswith(art) and rest[len(art) :] in known):
                    return p, rest
        return "", n

    def word(self, w: str) -> WordInfo:
        """What a token contributes to its own and its neighbours' features (cached)."""
        hit = self._cache.get(w)
        if hit is not None:
            return hit
        res = self.res
        known = res.words
        art = res.affixes.article
        n = normalize_str(w)
        shape = _shape(n) if n else "punct"
        own = ["b", "sh=" + shape, "w=" + n]
        ctx_coarse: list[str] = ["w=" + n]
        ctx_fine: list[str] = []
        ctx_near: list[str] = []  # seen by the neighbours at -1 and +1 only
        info: tuple[str, ...] = ()
        bare = n
        if shape in ("ar", "latin", "alnum", "other"):
            pfx, stem = self.stem(n)
            bare = stem
            if stem.startswith(art) and len(stem) - len(art) >= MIN_STEM:
                bare = stem[len(art) :]
                own.append("al")
                ctx_fine.append("al")
            if pfx:
                own.append("pc=" + pfx)
                ctx_fine.append("pc=" + pfx)
            own.append("st=" + stem)
            own.append("bs=" + bare)
            ctx_coarse.append("bs=" + bare)
            size = len(bare)
            own.append("len=" + (str(size) if size < 8 else "8+"))
            for k in (1, 2, 3, 4):
                if size > k:
                    own.extend((AFFIX_P[k] + bare[:k], AFFIX_S[k] + bare[-k:]))
            # a nisba or plural ending: the word it is made from
            for e in res.affixes.enclitics:
                if bare.endswith(e) and len(bare) - len(e) >= 3:
                    base = bare[: -len(e)]
                    if base in known or art + base in known:
                        own.append("en=" + e)
                        own.append("eb=" + base)
                        break
            info = known.get(n) or known.get(stem) or known.get(bare) or ()
            if info:
                # how common the word is, how often it takes the article and a pronoun
                fq, ar, sx = info[3:6]
                own.extend(("fq=" + fq, "ar=" + ar, "sx=" + sx, "fa=" + fq + ar))
                ctx_fine.append("fq=" + fq)
                # how often news puts a word that cues a name right before / after it
                if info[6] != "-":
                    own.extend(f"q{j}={d}" for j, d in enumerate(info[6]) if d != "0")
            else:
                own.append("nocl")
                ctx_fine.append("nocl")
            gz: dict[str, None] = {}
            for form in (n, stem, bare):
                gz.update(dict.fromkeys(res.gazetteer.get(form, ())))
            for tag in gz:
                own.append("gz=" + tag)
                ctx_coarse.append("gz=" + tag)
            # how often a tagger run over news called the word a name (the neighbours see it)
            if len(bare) >= MIN_STEM and any(c.isalpha() for c in bare):
                stats = res.names.get(bare, ())
                own.extend(stats)
                ctx_near.extend(stats)
        for i, c in enumerate(info[:3]):
            own.append(CLUSTER_NAMES[i] + c)
            ctx_coarse.append(CLUSTER_NAMES[i] + c)
        ctx_fine.extend(ctx_near)
        by_offset = tuple(
            [p + f for f in ctx_coarse] + ([p + f for f in ctx_fine] if off in NEAR else [])
            for off, p in zip(WINDOW, OFFSET_PREFIX, strict=True)
        )
        out = (own, by_offset, n, info[2] if info else "-", bare)
        if len(self._cache) >= CACHE_WORDS:
            self._cache.clear()
        self._cache[w] = out
        return out

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        """Feature strings for each token of a sentence."""
        return self.features([self.word(t) for t in tokens])

    def features(self, infos: list[WordInfo]) -> list[list[str]]:
        """Feature strings for each token of a sentence, from its words' ``word()``."""
        last = len(infos) - 1
        extra = self._phrases([x[4] for x in infos])
        out: list[list[str]] = []
        for i, (own, _ctx, key, cl, *_rest) in enumerate(infos):
            f = own + extra[i] if extra[i] else list(own)
            for j, off in enumerate(WINDOW):
                k = i + off
                if 0 <= k <= last:
                    f.extend(infos[k][1][j])
            if i == 0:
                f.append("BOS")
            else:
                prev = infos[i - 1]
                f.append("wb=" + prev[2] + "|" + key)
                f.append("cb=" + prev[3] + "|" + cl)
            if i == last:
                f.append("EOS")
            else:
                nxt = infos[i + 1]
                f.append("wf=" + key + "|" + nxt[2])
                f.append("cf=" + cl + "|" + nxt[3])
            out.append(f)
        return out

    def _phrases(self, bares: list[str]) -> list[list[str]]:
        """Features of gazetteer phrases (several words) matched in the sentence."""
        res = self.res
        out: list[list[str]] = [[] for _ in bares]
        for i, b in enumerate(bares):
            longest = res.phrase_len.get(b)
            if not longest:
                continue
            for n in range(min(longest, len(bares) - i), 1, -1):
                tags = res.phrases.get(" ".join(bares[i : i + n]))
                if tags:
                    for tag in tags:
                        out[i].append("gB=" + tag)
                        for j in range(i + 1, i + n):
                            if "gI=" + tag not in out[j]:  # phrases may overlap
                                out[j].append("gI=" + tag)
                    break
        return out


def open_crf(path: Path):
    """``(pycrfsuite tagger, buffer)`` for a model file; an ``.xz`` model is decompressed in
    memory, and the tagger reads that buffer for as long as it lives: keep both."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    if path.suffix == ".xz":
        data = read_model_bytes(path)
        tagger.open_inmemory(data)
        return tagger, data
    if not path.exists():
        raise ResourceError(f"missing NER model {path}; build it with scripts/train_ner.py")
    tagger.open(str(path))
    return tagger, b""


class Tagger:
    """The shipped CRF name tagger: ``Tagger().tag(tokens) -> BIO tags``."""

    def __init__(self, model: Path | None = None, models: Path = MODELS):
        self._crf, self._buf = open_crf(Path(model) if model else models / MODEL_FILE)
        self.features = Featurizer(load_resources(models))

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (B-PERS, I-LOC, O, ...) for the tokens of one sentence."""
        if not tokens:
            return []
        return list(self._crf.tag(self.features.sentence(tokens)))

    def tag_text(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for the sentences of one text, in order: each sentence is tagged alone,
        then a name is also tagged where it recurs untagged nearby (``propagate``)."""
        tags = [self.tag(s) for s in sentences]
        word = self.features.word
        bares = [[word(t)[4] for t in s] for s in sentences]
        return propagate(bares, tags, self.features.res.affixes)


def propagate(
    bares: list[list[str]], tags: list[list[str]], affixes: Affixes, window: int = PROPAGATE_WINDOW
) -> list[list[str]]:
    """Tags where a name found in one sentence also names its untagged recurrences.

    ``bares`` are the sentences' bare words (``Featurizer.word(t)[4]``). A word sequence tagged
    as a name within ``window`` sentences either side (the type it was given most often) is
    tagged where it recurs and the tagger left every word of it O; the last word of a
    person's name of two or more words is that person alone; a one-word name also matches
    behind a one-letter proclitic the stemmer kept (an unknown name is not stemmed).
    """
    from .eval.conll import chunks

    singles = tuple(p for p, swallowed in affixes.proclitics if len(p) == 1 and not swallowed)
    found: list[list[tuple[tuple[str, ...], str]]] = []
    for b, t in zip(bares, tags, strict=True):
        names = []
        for start, end, kind in chunks(t):
            names.append((tuple(b[start:end]), kind))
            if kind == "PERS" and end - start >= 2:
                names.append(((b[end - 1],), kind))
        found.append([(seq, kind) for seq, kind in names if sum(map(len, seq)) >= NAME_MIN])
    out = [list(t) for t in tags]
    for i, toks in enumerate(bares):
        votes: dict[tuple[str, ...], dict[str, int]] = {}
        for j in range(max(0, i - window), min(len(bares), i + window + 1)):
            for seq, kind in found[j]:
                by_kind = votes.setdefault(seq, {})
                by_kind[kind] = by_kind.get(kind, 0) + 1
        # where each word stands in this sentence (and, kept behind a one-letter proclitic,
        # where a one-word name would)
        at: dict[str, list[int]] = {}
        behind: dict[str, list[int]] = {}
        for a, w in enumerate(toks):
            at.setdefault(w, []).append(a)
            if len(w) > 4 and w.startswith(singles):
                behind.setdefault(w[1:], []).append(a)
        for seq, by_kind in sorted(votes.items(), key=lambda v: -len(v[0])):
            n = len(seq)
            starts = at.get(seq[0], []) + (behind.get(seq[0], []) if n == 1 else [])
            kind = ""
            for a in starts:
                if (n == 1 or tuple(toks[a : a + n]) == seq) and all(x == "O" for x in out[i][a : a + n]):
                    kind = kind or max(by_kind, key=lambda k: (by_kind[k], k))
                    out[i][a : a + n] = ["B-" + kind] + ["I-" + kind] * (n - 1)
    return out


@functools.cache
def default_tagger() -> Tagger:
    """The shipped tagger, loaded once."""
    return Tagger()


def tag_conll(text: str, tagger: Tagger | None = None) -> Iterator[str]:
    """Lines of a CoNLL text (token first) with the predicted tag appended as a last column."""
    tagger = tagger or default_tagger()
    # the file is one text: sentences (runs of token lines) are tagged together
    blocks: list[list[str]] = []
    prev_blank = True
    for line in text.splitlines():
        if not line.strip():
            blocks.append([])
            prev_blank = True
            continue
        if prev_blank:
            blocks.append([])
        blocks[-1].append(line)
        prev_blank = False
    sents = [b for b in blocks if b]
    tags = iter(tagger.tag_text([[line.split()[0] for line in b] for b in sents]))
    for block in blocks:
        if not block:
            yield ""
            continue
        for line, tag in zip(block, next(tags), strict=True):
            line = line.rstrip()
            yield line + ("\t" if "\t" in line else " ") + tag


def main_tag(path: str) -> int:
    """``rasad tag FILE``: print the file with the predicted BIO tag as a new last column."""
    from .eval.conll import read_text

    text = read_text(path)
    tagger = default_tagger()
    for line in tag_conll(text, tagger):
        print(line)
    return 0
