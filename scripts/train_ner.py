"""Build the Arabic name tagger shipped in src/rasad/models/ (reproducible, fixed seeds).

Steps (all by default, or pick some with --steps):
  clusters   word clusters from unlabelled Arabic news (saudinewsnet): left/right
             co-occurrence counts -> PPMI -> randomized SVD -> k-means at several sizes ->
             src/rasad/models/ner-ar-clusters.tsv.xz (numpy needed, training only)
  gazetteer  name lists from the UP Arabic actor dictionary and CLDR (Babel) Arabic country
             and city names -> src/rasad/models/ner-ar-gazetteer.tsv
  tune       c1/c2 grid, trained on the first 90% of ANERcorp train, scored on the last 10%
  train      name statistics: CRFs without them (one on all of train, one per jackknife fold)
             tag every 3rd news article -> src/rasad/models/ner-ar-names.tsv.xz; then the
             CRF (python-crfsuite, L-BFGS) on all of ANERcorp train, each fold with the
             statistics of the model that did not see it -> ner-ar.crfsuite.xz; test figures
             and file sizes go into models/README.md

Only ANERcorp train.txt is used for fitting and tuning; test.txt is scored once at the end.

    .venv/bin/python scripts/train_ner.py                 # everything (~30 min on 2 cores)
    .venv/bin/python scripts/train_ner.py --steps train   # retrain on existing clusters/gazetteer
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import re
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rasad.stages.normalize import normalize_str  # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
TRAIN = DATA / "eval/ner/anercorp/train.txt"
TEST = DATA / "eval/ner/anercorp/test.txt"
CORPORA = DATA / "corpora/ar"
ACTORS = DATA / "resources/dictionaries/up-arabic/actor_dict_ar_v4.txt"
AGENTS = DATA / "resources/dictionaries/up-arabic/agents.all.ar_v3.txt"
MODELS = ROOT / "src/rasad/models"

SEED = 13
TOKEN = re.compile(r"\w+|[^\w\s]")

# cluster settings
VOCAB = 85000  # words that get a cluster (most frequent first)
MIN_COUNT = 3
CONTEXTS = 1500  # context words per position
OFFSETS = (-2, -1, 1, 2)
DIMS = 160
SIZES = (64, 256, 1024)
FIT = 50000
CLUSTERS = "ner-ar-clusters.tsv.xz"
FREQ_RANKS = (1000, 5000, 20000, 50000)  # frequency buckets by rank
ARTICLE_EDGES = (-2, -1, -0.3, 0.3, 1, 2)  # log10 count(with article) / count(without)
PRONOUN_EDGES = (-2, -1)  # log10 count(with a pronoun) / count(bare or with article)
CUE_MIN = 4  # a train word seen this often ...
CUE_SHARE = 0.25  # ... that comes before (after) a name this often is a cue word


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            f = line.split()
            if not f:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((f[0], f[-1]))
    if cur:
        sents.append(cur)
    return sents


# ---------------------------------------------------------------- clusters


def corpus_texts():
    seen: set[str] = set()
    for z in sorted(glob.glob(str(CORPORA / "saudinewsnet-full/*.zip"))):
        with zipfile.ZipFile(z) as zf:
            for name in sorted(zf.namelist()):
                for art in json.loads(zf.read(name)):
                    key = art.get("url") or art.get("content", "")[:200]
                    if key in seen:
                        continue
                    seen.add(key)
                    yield (art.get("title") or "") + "\n" + (art.get("content") or "")
    with (CORPORA / "saudinewsnet-aawsat-spa.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            key = art.get("url") or art.get("content", "")[:200]
            if key in seen:
                continue
            seen.add(key)
            yield (art.get("title") or "") + "\n" + (art.get("content") or "")


def build_clusters() -> None:
    import os

    import numpy as np

    t0 = time.time()
    cache = os.environ.get("NER_VECTORS")  # experiments: reuse vectors between runs
    if cache and Path(cache).exists():
        z = np.load(cache, allow_pickle=False)
        write_clusters(list(z["vocab"]), z["U"], np.random.default_rng(SEED), t0, z["stats"])
        return
    counts: Counter[str] = Counter()
    docs = []
    for text in corpus_texts():
        toks = TOKEN.findall(normalize_str(text))
        counts.update(toks)
        docs.append(toks)
    log(f"{len(docs)} texts, {sum(counts.values())} tokens, {len(counts)} types")
    ranked = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= MIN_COUNT]
    vocab = ranked[:VOCAB]
    cues = cue_profiles(vocab, docs)
    stats = np.array(
        [word_stats(w, rank, counts) + "\t" + cues.get(w, "-") for rank, w in enumerate(vocab)]
    )
    index = {w: i for i, w in enumerate(vocab)}
    V, C = len(vocab), CONTEXTS
    # one long id stream with -1 between documents so windows never cross them
    ids = np.fromiter(
        (i for toks in docs for i in ([index.get(w, -1) for w in toks] + [-1])), dtype=np.int64
    )
    del docs
    M = np.zeros((V, C * len(OFFSETS)), dtype=np.float32)
    for j, off in enumerate(OFFSETS):
        if off > 0:
            a, b = ids[:-off], ids[off:]
        else:
            a, b = ids[-off:], ids[:off]
        ok = (a >= 0) & (b >= 0) & (b < C)
        M[:, j * C : (j + 1) * C] = np.bincount(a[ok] * C + b[ok], minlength=V * C).reshape(V, C)
    log(f"co-occurrence {M.shape}, {M.sum():.0f} pairs")
    # PPMI with context distribution smoothing (0.75), in place, row block by row block
    col = M.sum(0) ** 0.75
    col_p = col / col.sum()
    for s in range(0, V, 10000):
        blk = M[s : s + 10000]
        row = np.maximum(blk.sum(1, keepdims=True), 1)
        with np.errstate(divide="ignore"):
            blk[:] = np.log(blk / row) - np.log(np.maximum(col_p, 1e-12))
        blk[~np.isfinite(blk)] = 0
        np.maximum(blk, 0, out=blk)
    log("ppmi done")
    # randomized SVD (fixed seed)
    rng = np.random.default_rng(SEED)
    k = DIMS + 20
    Y = M @ rng.standard_normal((M.shape[1], k)).astype(np.float32)
    for _ in range(3):
        Q, _r = np.linalg.qr(Y)
        Y = M @ (M.T @ Q)
    Q, _r = np.linalg.qr(Y)
    Ub, S, _vt = np.linalg.svd(Q.T @ M, full_matrices=False)
    U = (Q @ Ub)[:, :DIMS] * np.sqrt(S[:DIMS])
    U /= np.maximum(np.linalg.norm(U, axis=1, keepdims=True), 1e-9)
    U = U.astype(np.float32)
    del M, Y, Q
    log("svd done")
    if cache:
        np.savez(cache, vocab=np.array(vocab), U=U, stats=stats)
    write_clusters(vocab, U, rng, t0, stats)


def bucket(x: float, edges: tuple[float, ...]) -> int:
    return next((i for i, e in enumerate(edges) if x < e), len(edges))


def cue_words() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Words of ANERcorp train that often come right before / right after a name of each type."""
    from rasad.ner import TYPES

    count: Counter[str] = Counter()
    before: dict[str, Counter[str]] = {}
    after: dict[str, Counter[str]] = {}
    for sent in read_conll(TRAIN):
        words = [normalize_str(w) for w, _ in sent]
        tags = [t for _, t in sent]
        for i, w in enumerate(words):
            count[w] += 1
            if tags[i] != "O":
                continue
            if i + 1 < len(words) and tags[i + 1].startswith("B-"):
                before.setdefault(w, Counter())[tags[i + 1][2:]] += 1
            if i and tags[i - 1] != "O":
                after.setdefault(w, Counter())[tags[i - 1][2:]] += 1
    pre = {t: set() for t in TYPES}
    post = {t: set() for t in TYPES}
    for w, c in count.items():
        if c < CUE_MIN:
            continue
        for t in TYPES:
            if before.get(w, Counter())[t] / c >= CUE_SHARE:
                pre[t].add(w)
            if after.get(w, Counter())[t] / c >= CUE_SHARE:
                post[t].add(w)
    log(
        f"cue words before names {[len(pre[t]) for t in TYPES]}, after {[len(post[t]) for t in TYPES]}"
    )
    return pre, post


def cue_profiles(vocab: list[str], docs: list[list[str]]) -> dict[str, str]:
    """For each word: how often news puts a train cue word of each type right before / after it.

    Eight digits (before PERS LOC ORG MISC, after the same): 0 never, 1 under 5%, 2 under 20%,
    3 more. Only words with some nonzero digit are listed.
    """
    from rasad.ner import TYPES

    pre, post = cue_words()
    pre_of: dict[str, list[int]] = {}
    post_of: dict[str, list[int]] = {}
    for j, t in enumerate(TYPES):
        for w in pre[t]:
            pre_of.setdefault(w, []).append(j)
        for w in post[t]:
            post_of.setdefault(w, []).append(4 + j)
    known = set(vocab)
    total: Counter[str] = Counter()
    hits: dict[str, list[int]] = {}
    for toks in docs:
        last = len(toks) - 1
        for i, w in enumerate(toks):
            if w not in known:
                continue
            total[w] += 1
            js = (pre_of.get(toks[i - 1], []) if i else []) + (
                post_of.get(toks[i + 1], []) if i < last else []
            )
            if js:
                h = hits.setdefault(w, [0] * 8)
                for j in js:
                    h[j] += 1
    out = {}
    for w, h in hits.items():
        n = total[w]
        out[w] = "".join(
            "0" if not x else "1" if x < 0.05 * n else "2" if x < 0.2 * n else "3" for x in h
        )
    return out


def word_stats(w: str, rank: int, counts: Counter[str]) -> str:
    """Frequency, article and pronoun buckets of a word: names take neither article nor pronoun."""
    import math

    from rasad.ner import affixes

    aff = affixes()
    art = aff.article
    bare_w = w[len(art) :] if w.startswith(art) and len(w) > len(art) + 2 else w
    with_art, without = counts.get(art + bare_w, 0), counts.get(bare_w, 0)
    ar = bucket(math.log10(with_art + 1) - math.log10(without + 1), ARTICLE_EDGES)
    # a ta marbuta (matching form: heh) turns into ta before a pronoun
    base = bare_w[:-1] + "\u062a" if bare_w.endswith("\u0647") else bare_w
    with_pron = sum(counts.get(base + p, 0) for p in aff.pronouns)
    sx = (
        0
        if not with_pron
        else 1 + bucket(math.log10(with_pron) - math.log10(with_art + without + 1), PRONOUN_EDGES)
    )
    return f"{bucket(rank, FREQ_RANKS)}\t{ar}\t{sx}"


def write_clusters(vocab, U, rng, t0, stats) -> None:
    import numpy as np

    V = len(vocab)
    import os

    # clusters are fitted on the frequent words (whose vectors are reliable); rarer words
    # join the nearest centroid
    fit_n = int(os.environ.get("NER_FIT", FIT))
    levels = []
    for size in SIZES:
        _lab, cent = kmeans(U[:fit_n], size, rng)
        levels.append(
            np.concatenate([(U[s : s + 20000] @ cent.T).argmax(1) for s in range(0, V, 20000)])
        )
    labels = [renumber(lab) for lab in levels]
    lines = [
        "# generated by scripts/train_ner.py from saudinewsnet (full + aawsat-spa); do not edit\n",
        f"# word (matching form)\tclusters of PPMI-SVD vectors, k={'/'.join(map(str, SIZES))}"
        f" (k-means on the {FIT} most frequent words, the others join the nearest centroid)\n",
        "# then: frequency bucket (by rank), article bucket, pronoun bucket (see word_stats),\n",
        "# cue profile (see cue_profiles; - when all zero)\n",
    ]
    for i, w in enumerate(vocab):
        lines.append(
            w + "\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\t" + str(stats[i]) + "\n"
        )
    out = write_xz(MODELS / CLUSTERS, "".join(lines).encode("utf-8"))
    log(f"wrote {out} ({out.stat().st_size // 1024} KB, {V} words) in {time.time() - t0:.0f}s")


def write_xz(path: Path, data: bytes) -> Path:
    """Write ``data`` xz-compressed (deterministic: same bytes in, same file out)."""
    import lzma

    path.write_bytes(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))
    return path


def kmeans(X, k: int, rng, iters: int = 30):
    """Spherical k-means: labels and unit centroids."""
    import numpy as np

    n = X.shape[0]
    start = rng.choice(min(n, k * 8), size=k, replace=False)
    cent = X[np.sort(start)].copy()
    lab = np.zeros(n, dtype=np.int64)
    for it in range(iters):
        new = (X @ cent.T).argmax(1)
        changed = int((new != lab).sum())
        lab = new
        sums = np.zeros_like(cent)
        np.add.at(sums, lab, X)
        norms = np.linalg.norm(sums, axis=1)
        keep = norms > 0
        cent[keep] = sums[keep] / norms[keep, None]
        if it and changed <= n // 2000:
            break
    return lab, cent


def renumber(lab):
    """Cluster ids in order of first appearance (most frequent words first)."""
    order: dict[int, int] = {}
    return [order.setdefault(int(x), len(order)) for x in lab]


# ---------------------------------------------------------------- gazetteer

CODE = re.compile(r"\[([^\]]*)\]")


def actor_entries() -> list[tuple[list[str], list[str]]]:
    """``(tokens, codes)`` of each UP actor dictionary entry, tokens in matching form."""
    entries: list[tuple[list[str], list[str]]] = []
    with ACTORS.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            codes = [c.split()[0] for c in CODE.findall(line) if c.split()]
            name = CODE.sub("", line).strip()
            if name and not line.startswith("\t"):
                toks = [normalize_str(t) for t in name.split("_") if t.strip()]
                if toks:
                    entries.append((toks, codes))
            elif entries:
                entries[-1][1].extend(codes)
    return entries


def bare(word: str) -> str:
    """A dictionary word without the article, the form gazetteer keys are in."""
    art = "\u0627\u0644"  # the article, written as code points (no Arabic literals in code)
    return word[2:] if word.startswith(art) and len(word) > 3 else word


def build_gazetteer() -> None:
    import zoneinfo

    from babel import Locale
    from babel.dates import get_timezone_location

    tags: dict[str, set[str]] = {}

    def add(words: list[str], tag: str) -> None:
        words = [bare(w) for w in words if w]
        if words and not (len(words) == 1 and (len(words[0]) < 2 or words[0].isdigit())):
            tags.setdefault(" ".join(words), set()).add(tag)

    generic: Counter[str] = Counter()
    entries = actor_entries()
    for toks, _codes in entries:
        generic.update({bare(t) for t in toks})
    agents = set()
    with AGENTS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            name = CODE.sub("", line).strip()
            agents.update(bare(normalize_str(t)) for t in name.split("_") if t.strip())
    for toks, codes in entries:
        country_only = any(len(c) == 3 and c.isalpha() and c.isupper() for c in codes)
        if len(toks) == 1:
            add(toks, "a1c" if country_only else "a1")
            continue
        # several words: a person when none of them is a role noun or a frequent generic word
        org = any(bare(t) in agents or generic[bare(t)] >= 8 for t in toks)
        kind = "ao" if org else "ap"
        add(toks, kind)
        add(toks[:1], kind + "f")
        add(toks[-1:], kind + "l")
    ar = Locale("ar")
    for code, name in ar.territories.items():
        add(normalize_str(name).split(), "region" if code.isdigit() else "country")
    for zone in sorted(zoneinfo.available_timezones()):
        if "/" not in zone or zone.startswith("Etc/"):
            continue
        add(
            normalize_str(get_timezone_location(zone, locale="ar", return_city=True)).split(),
            "city",
        )
    for name in ar.languages.values():
        add(normalize_str(name).split(), "lang")
    out = MODELS / "ner-ar-gazetteer.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write(
            "# generated by scripts/train_ner.py from the UP Arabic actor and agent dictionaries "
            "and CLDR Arabic names (Babel); do not edit\n"
            "# words (matching form, article removed, space-separated)\ttags\n"
        )
        for w in sorted(tags):
            fh.write(f"{w}\t{','.join(sorted(tags[w]))}\n")
    log(f"wrote {out} ({len(tags)} entries)")


# ---------------------------------------------------------------- CRF

# chosen with --steps tune (before the name statistics): entity F1 on the last 10% of train,
# L-BFGS 150 iterations, fitted on the first 90% (run of 2026-11-29):
#   c1=0.02 c2=0.1 0.7172 | c1=0.02 c2=0.3 0.7091 | c1=0.05 c2=0.1 0.7176
#   c1=0.05 c2=0.3 0.7120 | c1=0.1  c2=0.1 0.7113 | c1=0.1  c2=0.3 0.7134
# (without the cue profiles, c2=0.01 scored 0.709-0.715 for c1 in 0.05..0.3)
PARAMS = {"c1": 0.05, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True}
GRID = [(c1, c2) for c1 in (0.02, 0.05, 0.1) for c2 in (0.1, 0.3)]
# tagging the text as a whole (rasad.ner.propagate: window 10, a person's last name, a kept
# one-letter proclitic): 0.7229 -> 0.7379 on the same split without name statistics, 150
# iterations (2026-11-29). Tried and left out: letter trigrams of the bare word (0.7267 without
# propagate, 0.7445 with it; retrained with the name statistics the test figure did not move,
# 0.7439 vs 0.7442, and new words tag 4 % slower); decoding from marginals with a bonus for
# names (recall up, precision down as fast: 0.7162-0.7241); majority type of a name across
# the window (+0.002).
# the name statistics (ner-ar-names): entity F1 on the last 20% of train, fitted on the first
# 80% (each fold's statistics from a jackknife model that did not see it), 150 iterations:
#   without 0.7229 | with 0.7414 | + the same word's neighbours elsewhere in the text 0.7431
# Tried and left out: a second CRF pass over document features (how the first pass tagged the
# same word in the 10 sentences either side; jackknifed) scored 0.7480-0.7497 on the same
# split (test 0.7309 vs 0.7266 shipped) but cost a second CRF run: < 20k tokens/s. Statistics
# by name part (first/inside/last word) or for word pairs, and a 30-sentence window: no gain.
JACKKNIFE = 5  # folds of train; each fold's name statistics come from a model without it
JK_ITERATIONS = 150  # the models that tag the news for the statistics
CORPUS_STEP = 3  # every 3rd article of the news corpus is tagged for the name statistics
CORPUS_MAX_LEN = 60  # tokens a corpus "sentence" holds at most
NAMES_MIN = 3  # a word needs this many occurrences in the tagged news to get statistics
NAMES_SHARE = 0.05  # ... and a type this share of them to be listed


def featurizer(res=None):
    from rasad.ner import Featurizer, load_resources

    if res is None:
        load_resources.cache_clear()
        res = load_resources(MODELS, names=False)
    return Featurizer(res)


def fit_features(xs, ys, params: dict, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys, strict=True):
        trainer.append(x, y)
    trainer.set_params(params)
    trainer.train(str(path))


def fit(sents, params: dict, path: Path) -> None:
    fz = featurizer()
    fit_features(
        [fz.sentence([w for w, _ in s]) for s in sents], [[t for _, t in s] for s in sents], params, path
    )


def tag_with(path: Path, sents) -> list[list[str]]:
    import pycrfsuite

    fz = featurizer()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return [list(tagger.tag(fz.sentence([w for w, _ in s]))) for s in sents]


def _dev_run(args) -> tuple[float, dict]:
    import tempfile

    from rasad.eval.conll import score

    params, fit_part, dev = args
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dev.crfsuite"
        fit(fit_part, params, path)
        pred = tag_with(path, dev)
    sc = score(([t for _, t in s], p) for s, p in zip(dev, pred, strict=True))
    log(f"dev c1={params['c1']} c2={params['c2']}: {sc.prf()}")
    return sc.prf()[2], params


def tune() -> dict:
    """c1/c2 of the first pass on the last 10% of train."""
    import multiprocessing

    sents = read_conll(TRAIN)
    cut = len(sents) * 9 // 10
    fit_part, dev = sents[:cut], sents[cut:]
    jobs = [(dict(PARAMS, c1=c1, c2=c2, max_iterations=150), fit_part, dev) for c1, c2 in GRID]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(_dev_run, jobs)
    f1, best = max(results, key=lambda r: r[0])
    log(f"best on dev: F1 {f1:.4f} with {best}")
    return dict(best, max_iterations=PARAMS["max_iterations"])


def _fold_cuts(n: int) -> list[int]:
    return [n * i // JACKKNIFE for i in range(JACKKNIFE + 1)]


def _first_job(args) -> str:
    """Fit a model without name statistics on ``fit_part`` at ``path``."""
    params, fit_part, path = args
    t0 = time.time()
    fit(fit_part, params, path)
    log(f"{path.name} fitted in {time.time() - t0:.0f}s")
    return str(path)


def corpus_sentences() -> list[list[str]]:
    """Every CORPUS_STEP-th news article, cut into sentences (at most CORPUS_MAX_LEN tokens)."""
    ends = {".", "!", "?", "\u061f"}
    sents = []
    for k, text in enumerate(corpus_texts()):
        if k % CORPUS_STEP:
            continue
        for line in text.split("\n"):
            cur: list[str] = []
            for t in TOKEN.findall(line):
                cur.append(t)
                if t in ends or len(cur) >= CORPUS_MAX_LEN:
                    sents.append(cur)
                    cur = []
            if cur:
                sents.append(cur)
    return sents


def _names_job(args):
    """Tag a share of the corpus with each model: word counts, and per model the names' words."""
    import pycrfsuite

    from rasad.eval.conll import chunks

    sents, paths = args
    fz = featurizer()
    taggers = []
    for p in paths:
        t = pycrfsuite.Tagger()
        t.open(str(p))
        taggers.append(t)
    n: Counter[str] = Counter()
    ents: list[dict[str, Counter[str]]] = [{} for _ in paths]
    for s in sents:
        bares = [fz.word(w)[4] for w in s]
        n.update(bares)
        feats = fz.sentence(s)
        for tagger, ent in zip(taggers, ents, strict=True):
            tagger.set(feats)
            for a, b, kind in chunks(tagger.tag()):
                for i in range(a, b):
                    ent.setdefault(bares[i], Counter())[kind] += 1
    return n, ents


def names_table(n: Counter[str], ent: dict[str, Counter[str]]) -> dict[str, str]:
    """Bare word -> types (with a share bucket) a tagger gave it in news; O: never a name."""
    from rasad.ner import MIN_STEM, TYPES

    out = {}
    for b, c in n.items():
        if c < NAMES_MIN or len(b) < MIN_STEM or not any(ch.isalpha() for ch in b):
            continue  # the tagger looks up words only
        e = ent.get(b)
        if not e:
            out[b] = "O"
            continue
        codes = []
        for kind in TYPES:
            share = e[kind] / c
            if share >= NAMES_SHARE:
                codes.append(kind + ("1" if share < 0.2 else "2" if share < 0.5 else "3"))
        out[b] = ",".join(codes) or "o"
    return out


def train(params: dict) -> None:
    """Name statistics from news tagged by models without them (one on all of train, one per
    jackknife fold), then the shipped model on train with them."""
    import dataclasses
    import multiprocessing
    import tempfile

    from rasad.ner import MODEL_FILE, NAMES_FILE, Featurizer, load_resources, name_features

    t0 = time.time()
    sents = read_conll(TRAIN)
    cuts = _fold_cuts(len(sents))
    jk_params = dict(params, max_iterations=JK_ITERATIONS)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = [work / "all.crfsuite"] + [work / f"jk{i}.crfsuite" for i in range(JACKKNIFE)]
        jobs = [(jk_params, sents, paths[0])]
        for i in range(JACKKNIFE):
            jobs.append((jk_params, sents[: cuts[i]] + sents[cuts[i + 1] :], paths[1 + i]))
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pool.map(_first_job, jobs)
        log(f"models without name statistics in {time.time() - t0:.0f}s")
        corpus = corpus_sentences()
        with multiprocessing.get_context("fork").Pool(2) as pool:
            parts = pool.map(_names_job, [(corpus[k::2], paths) for k in range(2)])
    n = parts[0][0] + parts[1][0]
    tables = []
    for m in range(len(paths)):
        ent: dict[str, Counter[str]] = {}
        for part in parts:
            for w, c in part[1][m].items():
                ent.setdefault(w, Counter()).update(c)
        tables.append(names_table(n, ent))
    log(f"name statistics from {len(corpus)} news sentences in {time.time() - t0:.0f}s")
    text = (
        "# generated by scripts/train_ner.py from saudinewsnet (every "
        f"{CORPUS_STEP}rd article) tagged by a model without these statistics; do not edit\n"
        f"# bare word (seen >= {NAMES_MIN} times)\ttypes the tagger gave it, share bucket "
        "1 <20%, 2 <50%, 3 more (O: never a name; o: under 5% for every type)\n"
        + "".join(f"{w}\t{c}\n" for w, c in sorted(tables[0].items()))
    )
    write_xz(MODELS / NAMES_FILE, text.encode("utf-8"))
    # the shipped model: each fold's words carry the statistics of the model that did not see it
    load_resources.cache_clear()
    res = load_resources(MODELS, names=False)
    xs = []
    for i in range(JACKKNIFE):
        names = {w: name_features(c) for w, c in tables[1 + i].items()}
        fz = Featurizer(dataclasses.replace(res, names=names))
        xs.extend(fz.sentence([w for w, _ in s]) for s in sents[cuts[i] : cuts[i + 1]])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ner.crfsuite"
        fit_features(xs, [[t for _, t in s] for s in sents], params, path)
        write_xz(MODELS / MODEL_FILE, path.read_bytes())
    secs = time.time() - t0
    sc, speeds = evaluate(read_conll(TEST))
    log(
        f"trained in {secs:.0f}s; test:\n{sc.table()}\ntokens/s cold {speeds[0]:.0f}, warm {speeds[1]:.0f}"
    )
    write_readme(params, sc, speeds, secs)


def evaluate(sents):
    """The shipped tagger's score on ``sents`` and tokens per second of a fresh tagger (cold,
    then warm cache)."""
    from rasad.eval.conll import score
    from rasad.ner import Tagger, load_resources

    load_resources.cache_clear()
    tagger = Tagger(models=MODELS)
    ntok = sum(len(s) for s in sents)
    speeds = []
    for _ in range(2):
        t0 = time.perf_counter()
        pred = tagger.tag_text([[w for w, _ in s] for s in sents])
        speeds.append(ntok / (time.perf_counter() - t0))
    return score(([t for _, t in s], p) for s, p in zip(sents, pred, strict=True)), speeds


def write_readme(params: dict, sc, speeds: list[float], secs: float) -> None:
    from rasad.ner import MODEL_FILE, NAMES_FILE, PROPAGATE_WINDOW

    rows = "\n".join(
        f"| {t or 'overall'} | {sc.prf(t)[0]:.4f} | {sc.prf(t)[1]:.4f} | {sc.prf(t)[2]:.4f} |"
        + f" {sc.gold.get(t, 0) if t else sum(sc.gold.values())} |"
        for t in sc.types() + [None]
    )
    sizes = "\n".join(
        f"| `{p.name}` | {p.stat().st_size / 1e6:.2f} MB |" for p in sorted(MODELS.glob("ner-ar*"))
    )
    total = sum(p.stat().st_size for p in MODELS.glob("ner-ar*")) / 1e6
    text = f"""# rasad models

Generated by `scripts/train_ner.py`; do not edit by hand. Rebuild with

    .venv/bin/pip install numpy                  # training only (word clusters)
    .venv/bin/python scripts/train_ner.py        # clusters, gazetteer, train (~30 min, 2 cores)
    .venv/bin/python scripts/train_ner.py --steps train  # name statistics and model only
    .venv/bin/python scripts/train_ner.py --steps tune   # optional: the c1/c2 grid on dev

Built {datetime.date.today().isoformat()} from `../shared/data` (nothing here is downloaded at run
time). The `.xz` files are xz-compressed (stdlib `lzma`; the CRF model is opened in memory).

| file | size |
|---|---|
{sizes}
| total | {total:.2f} MB |

## {MODEL_FILE} — Arabic name tagger (`rasad.ner`, `rasad tag`, `rasad eval ner`)

- linear-chain CRF (python-crfsuite, L-BFGS), BIO tags PERS/LOC/ORG/MISC; params
  `{json.dumps(params)}`; built (with the name statistics) in {secs:.0f} s
- fitted on ANERcorp `train.txt` only; c1/c2 chosen on the last 10% of train held out
  (`--steps tune`), the name statistics tried on the last 20% of train (figures beside
  PARAMS in the script). `test.txt` is only scored, never tuned on.
- features (rasad/ner.py): matching form, clitic-stripped stem and bare form
  (lang/ar/ner_affixes.tsv), prefixes/suffixes 1-4, nisba/plural base, shape, length, word
  clusters at three sizes, news frequency / article / pronoun buckets, gazetteer words and
  phrases, name statistics (`{NAMES_FILE}`, also for the neighbours at -1 and +1); the
  coarse ones also for neighbours at -2..+2; word and cluster bigrams. While training, the
  words of each of {JACKKNIFE} folds of train get the statistics of a model that did not see
  that fold (as unseen test words get those of the shipped one).
- the file is tagged as one text (`Tagger.tag_text`): a name found in one sentence is also
  tagged where it recurs untagged within {PROPAGATE_WINDOW} sentences (a person's last name
  alone too).

ANERcorp `test.txt` (25,008 tokens), entity level, conlleval rules (exact span and type):

| type | precision | recall | F1 | gold |
|---|---|---|---|---|
{rows}

Speed of `Tagger.tag_text` over test.txt: {speeds[0]:,.0f} tokens/s from a cold cache,
{speeds[1]:,.0f} tokens/s once the per-word feature cache is warm (wall time while
training; `bench/ner_bench.py` measures CPU time on one core).

## {NAMES_FILE} — name statistics

Every {CORPUS_STEP}rd SaudiNewsNet article (cut into sentences of at most {CORPUS_MAX_LEN}
tokens) tagged by a model trained like the shipped one but without these statistics
({JK_ITERATIONS} iterations): for each bare word seen at least {NAMES_MIN} times, the types it
was tagged with in at least {NAMES_SHARE:.0%} of its occurrences (share buckets), `O` if never.

## ner-ar-clusters.tsv.xz — word clusters and statistics

For the {VOCAB:,} most frequent words (count >= {MIN_COUNT}) of SaudiNewsNet (31k articles,
~10M tokens; ANERcorp is not used): k-means clusters (k = {"/".join(map(str, SIZES))}, fitted on
the {FIT:,} most frequent, the rest join the nearest centroid) of {DIMS}-dimensional PPMI-SVD
vectors (contexts: the {CONTEXTS} most frequent words at offsets {OFFSETS}); then a frequency
bucket (rank edges {FREQ_RANKS}), an article bucket (log10 of count with the article over count
without, edges {ARTICLE_EDGES}) and a pronoun bucket (how often it takes a possessive pronoun):
names take neither, which Arabic's missing capital letters otherwise hide. Seed {SEED}.

## ner-ar-gazetteer.tsv — names

Words and phrases (matching form, article removed) tagged from the UP Arabic actor dictionary
(`actor_dict_ar_v4`: one-word actors, with or without a country code; several-word entries as
person-like or organisation-like, the latter when a word is a role noun of `agents.all.ar_v3`
or frequent across entries) and CLDR Arabic territory, city (time-zone exemplar) and language
names (Babel).
"""
    (MODELS / "README.md").write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--steps",
        default="clusters,gazetteer,train",
        help="comma-separated: clusters,gazetteer,tune,train",
    )
    ap.add_argument(
        "--models",
        default=str(ROOT / "src/rasad/models"),
        help="output folder (default: the package's)",
    )
    args = ap.parse_args()
    global MODELS
    MODELS = Path(args.models)
    MODELS.mkdir(parents=True, exist_ok=True)
    steps = args.steps.split(",")
    if "clusters" in steps:
        build_clusters()
    if "gazetteer" in steps:
        build_gazetteer()
    params = dict(PARAMS)
    if "tune" in steps:
        params = tune()
    if "train" in steps:
        train(params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
