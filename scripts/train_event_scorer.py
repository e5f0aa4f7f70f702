"""Train the event scorer (rasad.stages.eventscore) on the DEV rows of arabic-event-gsr.

    .venv/bin/python scripts/train_event_scorer.py [GSR_DIR] [--out PATH] [--l2 X] [--check]

Only the even rows of ``protest_gsr.csv`` and ``assault_gsr.csv`` are read (``rasad eval gsr
--split dev``); the odd rows stay held out. Each row is analyzed alone with the scorer
recording instead of scoring; every PROTEST event of a protest row (ASSAULT of an assault row)
is an instance labelled by the row ("yes" positive, "easy/difficult no" negative, "ambiguous"
left out). A logistic model per type (L2, batch gradient descent in plain Python: deterministic)
is fitted; its threshold is the one that maximises the sentence-level F1 of out-of-fold scores
(5 folds over rows), so it is not tuned on the very scores it was fitted to. Writes
``src/rasad/lang/ar/event_scorer.yaml`` with a provenance header. ``--check`` compares instead
of writing (exit 1 when the file differs).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from generated import write_or_check  # noqa: E402  (scripts/ is on the path)

from rasad.api import analyze  # noqa: E402
from rasad.eval.gsr import NEGATIVE, POSITIVE, read_gsr_csv, split_rows  # noqa: E402
from rasad.stages import eventscore  # noqa: E402

TYPES = ("PROTEST", "ASSAULT")
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "eval" / "events" / "arabic-event-gsr"
OUT = ROOT / "src" / "rasad" / "lang" / "ar" / eventscore.MODEL_FILE
FOLDS = 5
REPEATS = 5  # cross-validation repeated with as many fold splits: a steadier curve than one split
SMOOTH = 2  # threshold grid steps (of 0.02) either side averaged into its F1
ITERATIONS = 1500
RATE = 0.5
MIN_COUNT = 3  # a feature seen on fewer instances gets no weight


def collect(folder: Path, etype: str) -> list[tuple[bool, list[list[str]]]]:
    """Per labelled dev row of the type's file: (positive, the features of each candidate event)."""
    rows = split_rows(read_gsr_csv(folder / f"{etype.lower()}_gsr.csv"), "dev")
    out = []
    eventscore.recording = []
    try:
        for r in rows:
            if r.label not in NEGATIVE and r.label != POSITIVE:
                continue
            eventscore.recording.clear()
            analyze(r.text, lang="ar", published=r.date)
            out.append((r.label == POSITIVE, [f for t, f, _ in eventscore.recording if t == etype]))
    finally:
        eventscore.recording = None
    return out


def fit(rows: list[tuple[float, list[list[str]]]], l2: float) -> tuple[float, dict[str, float]]:
    counts: dict[str, int] = {}
    for _, evs in rows:
        for f in evs:
            for x in set(f):
                counts[x] = counts.get(x, 0) + 1
    vocab = sorted(x for x, c in counts.items() if c >= MIN_COUNT)
    ix = {x: i for i, x in enumerate(vocab)}
    data = [([ix[x] for x in set(f) if x in ix], float(y)) for y, evs in rows for f in evs]
    if not data:
        return 0.0, {}
    w = [0.0] * len(vocab)
    b = 0.0
    m = len(data)
    for _ in range(ITERATIONS):
        gw = [0.0] * len(vocab)
        gb = 0.0
        for xs, y in data:
            z = b + sum(w[i] for i in xs)
            d = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
            gb += d
            for i in xs:
                gw[i] += d
        b -= RATE * gb / m
        for i in range(len(w)):
            w[i] -= RATE * (gw[i] + l2 * w[i]) / m
    return b, {x: w[i] for x, i in ix.items()}


def _prob(b: float, w: dict[str, float], f: list[str]) -> float:
    z = b + sum(w.get(x, 0.0) for x in set(f))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def threshold(rows: list[tuple[bool, list[list[str]]]], l2: float) -> tuple[float, float]:
    """The threshold with the best sentence-level F1 on out-of-fold scores, and that F1.

    F1 is averaged over REPEATS fold splits and over the SMOOTH grid steps either side of each
    threshold: on a few dozen positive rows the curve is flat and jagged, and its single highest
    point moves with any change to the lexicon; the middle of the best stretch does not."""
    grid = [x / 100 for x in range(10, 91, 2)]
    f1s = [0.0] * len(grid)
    for rep in range(REPEATS):
        # each repeat splits the rows into folds its own (fixed) way: the curve is their mean
        order = list(range(len(rows)))
        random.Random(rep).shuffle(order)
        fold = {i: n % FOLDS for n, i in enumerate(order)}
        scored: list[tuple[bool, float]] = []
        for k in range(FOLDS):
            train = [r for i, r in enumerate(rows) if fold[i] != k]
            b, w = fit(train, l2)
            # rounded as the event's confidence is
            scored += [(y, round(max((_prob(b, w, f) for f in evs), default=0.0), 2))
                       for i, (y, evs) in enumerate(rows) if fold[i] == k]
        pos = sum(y for y, _ in scored)
        for j, t in enumerate(grid):
            tp = sum(1 for y, p in scored if y and p >= t)
            fp = sum(1 for y, p in scored if not y and p >= t)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / pos if pos else 0.0
            f1s[j] += (2 * prec * rec / (prec + rec) if prec + rec else 0.0) / REPEATS
    best = (0.0, 0.5, 0.0)
    for i, t in enumerate(grid):
        near = f1s[max(0, i - SMOOTH): i + SMOOTH + 1]
        smooth = sum(near) / len(near)
        if smooth > best[0] + 1e-9:
            best = (smooth, t, f1s[i])
    return best[1], best[2]


def render(models: dict[str, tuple[float, float, float, dict[str, float], int]], l2: float) -> str:
    lines = [
        f"# generated by scripts/train_event_scorer.py from arabic-event-gsr (dev rows only; l2 {l2}); do not edit",
        "# Logistic model per event type over features of how the trigger stands in its sentence",
        "# (rasad.stages.eventscore.features); an event from its type's threshold up is the news its sentence reports.",
        "types:",
    ]
    for typ, (b, t, f1, w, n) in models.items():
        lines += [f"  {typ}:", f"    bias: {b:.4f}", f"    threshold: {t:.2f}",
                  f"    cv_f1: {f1:.4f}  # out-of-fold sentence F1 on {n} dev rows", "    weights:"]
        for x in sorted(w, key=lambda x: (-abs(w[x]), x)):
            if abs(w[x]) >= 1e-4:
                lines.append(f'      "{x}": {w[x]:.4f}')
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args(argv)
    folder = Path(a.folder)
    # the scorer must not see its own old model while features are collected
    eventscore.model.cache_clear()
    models = {}
    for typ in TYPES:
        rows = collect(folder, typ)
        t, f1 = threshold(rows, a.l2)
        b, w = fit(rows, a.l2)
        models[typ] = (b, t, f1, w, len(rows))
        print(f"{typ}: {len(rows)} rows, {sum(len(e) for _, e in rows)} events, threshold {t:.2f}, "
              f"out-of-fold F1 {f1:.3f}", file=sys.stderr)
    text = render(models, a.l2)
    return write_or_check(Path(a.out), text, a.check, "train_event_scorer.py")


if __name__ == "__main__":
    sys.exit(main())
