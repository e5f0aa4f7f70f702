"""Build the Arabic name tagger shipped in src/rasad/models/ (reproducible, fixed seeds).

Steps (all by default, or pick some with --steps):
  clusters   word clusters from unlabelled Arabic news (saudinewsnet + ANERcorp train tokens):
             left/right co-occurrence counts -> PPMI -> randomized SVD -> k-means at several
             sizes -> src/rasad/models/ner-ar-clusters.tsv (numpy needed, training only)
  gazetteer  name lists from the UP Arabic actor dictionary and CLDR (Babel) Arabic country
             and city names -> src/rasad/models/ner-ar-gazetteer.tsv
  tune       c1/c2 grid trained on the first 90% of ANERcorp train, scored on the last 10%
  train      CRF (python-crfsuite, L-BFGS) on all of ANERcorp train ->
             src/rasad/models/ner-ar.crfsuite; test figures go into models/README.md

Only ANERcorp train.txt is used for fitting and tuning; test.txt is scored once at the end.

    .venv/bin/python scripts/train_ner.py                 # everything (~8 min on 2 cores)
    .venv/bin/python scripts/train_ner.py --steps train   # retrain on existing resources
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
CLUSTERS = "ner-ar-clusters.tsv"
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
    out = MODELS / CLUSTERS
    with out.open("w", encoding="utf-8") as fh:
        fh.write(
            "# generated by scripts/train_ner.py from saudinewsnet (full + aawsat-spa); do not edit\n"
            f"# word (matching form)\tclusters of PPMI-SVD vectors, k={'/'.join(map(str, SIZES))}"
            f" (k-means on the {FIT} most frequent words, the others join the nearest centroid)\n"
            "# then: frequency bucket (by rank), article bucket, pronoun bucket (see word_stats),\n"
            "# cue profile (see cue_profiles; - when all zero)\n"
        )
        for i, w in enumerate(vocab):
            fh.write(
                w
                + "\t"
                + "\t".join(str(int(lab[i])) for lab in labels)
                + "\t"
                + str(stats[i])
                + "\n"
            )
    log(f"wrote {out} ({out.stat().st_size // 1024} KB, {V} words) in {time.time() - t0:.0f}s")


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

# chosen with --steps tune: entity F1 on the last 10% of train, L-BFGS 150 iterations, fitted on
# the first 90% (run of 2026-11-29 on these features):
#   c1=0.02 c2=0.1 0.7172 | c1=0.02 c2=0.3 0.7091 | c1=0.05 c2=0.1 0.7176
#   c1=0.05 c2=0.3 0.7120 | c1=0.1  c2=0.1 0.7113 | c1=0.1  c2=0.3 0.7134
# (without the cue profiles, c2=0.01 scored 0.709-0.715 for c1 in 0.05..0.3)
PARAMS = {"c1": 0.05, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True}
GRID = [(c1, c2) for c1 in (0.02, 0.05, 0.1) for c2 in (0.1, 0.3)]


def featurizer():
    from rasad.ner import Featurizer, load_resources

    load_resources.cache_clear()
    return Featurizer(load_resources(MODELS))


def fit(sents, params: dict, path: Path) -> None:
    import pycrfsuite

    fz = featurizer()
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        trainer.append(fz.sentence([w for w, _ in s]), [t for _, t in s])
    trainer.set_params(params)
    trainer.train(str(path))


def evaluate(path: Path, sents):
    """The score on ``sents`` and tokens per second of a fresh tagger (cold, then warm cache)."""
    from rasad.eval.conll import score
    from rasad.ner import Tagger

    tagger = Tagger(path, models=MODELS)
    ntok = sum(len(s) for s in sents)
    speeds = []
    for _ in range(2):
        t0 = time.perf_counter()
        pred = [tagger.tag([w for w, _ in s]) for s in sents]
        speeds.append(ntok / (time.perf_counter() - t0))
    return score(([t for _, t in s], p) for s, p in zip(sents, pred, strict=True)), speeds


def _dev_run(args) -> tuple[float, dict]:
    import tempfile

    params, fit_part, dev = args
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dev.crfsuite"
        fit(fit_part, params, path)
        sc, _ = evaluate(path, dev)
    log(f"dev c1={params['c1']} c2={params['c2']}: {sc.prf()}")
    return sc.prf()[2], params


def tune() -> dict:
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


def train(params: dict) -> None:
    t0 = time.time()
    sents = read_conll(TRAIN)
    out = MODELS / "ner-ar.crfsuite"
    fit(sents, params, out)
    secs = time.time() - t0
    sc, speeds = evaluate(out, read_conll(TEST))
    log(
        f"trained in {secs:.0f}s; test:\n{sc.table()}\ntokens/s cold {speeds[0]:.0f}, warm {speeds[1]:.0f}"
    )
    write_readme(params, sc, speeds, out.stat().st_size, secs)


def write_readme(params: dict, sc, speeds: list[float], size: int, secs: float) -> None:
    rows = "\n".join(
        f"| {t or 'overall'} | {sc.prf(t)[0]:.4f} | {sc.prf(t)[1]:.4f} | {sc.prf(t)[2]:.4f} |"
        + f" {sc.gold.get(t, 0) if t else sum(sc.gold.values())} |"
        for t in sc.types() + [None]
    )
    text = f"""# rasad models

Generated by `scripts/train_ner.py`; do not edit by hand. Rebuild with

    .venv/bin/pip install numpy                  # training only (word clusters)
    .venv/bin/python scripts/train_ner.py        # clusters, gazetteer, train (~6 min, 2 cores)
    .venv/bin/python scripts/train_ner.py --steps tune   # optional: the c1/c2 grid on dev

Built {datetime.date.today().isoformat()} from `../shared/data` (nothing here is downloaded at run time).

## ner-ar.crfsuite — Arabic name tagger (`rasad.ner`, `rasad tag`, `rasad eval ner`)

- linear-chain CRF (python-crfsuite, L-BFGS), BIO tags PERS/LOC/ORG/MISC; {size // 1024} KB;
  params `{json.dumps(params)}`; trained in {secs:.0f} s
- fitted on ANERcorp `train.txt` only; c1/c2 chosen on the last 10% of train held out
  (`--steps tune`; the grid's figures are beside PARAMS in the script), then the model is
  trained on all of train. `test.txt` is only scored, never tuned on.
- features (rasad/ner.py): matching form, clitic-stripped stem and bare form
  (lang/ar/ner_affixes.tsv), prefixes/suffixes 1-4, nisba/plural base, shape, length, word
  clusters at three sizes, news frequency / article / pronoun buckets, gazetteer words and
  phrases; the coarse ones also for neighbours at -2..+2; word and cluster bigrams

ANERcorp `test.txt` (25,008 tokens), entity level, conlleval rules (exact span and type):

| type | precision | recall | F1 | gold |
|---|---|---|---|---|
{rows}

Speed of `Tagger.tag` over test.txt on one core: {speeds[0]:,.0f} tokens/s from a cold
cache, {speeds[1]:,.0f} tokens/s once the per-word feature cache is warm.

## ner-ar-clusters.tsv — word clusters and statistics

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
