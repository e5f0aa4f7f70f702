"""Arabic name tagger: entity F1 on ANERcorp test and tagging speed on one core.

    python bench/ner_bench.py          # writes the "ner" section of bench/results.md
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from results_md import write_section

from rasad.eval.conll import evaluate_file, read_conll
from rasad.ner import Tagger

ROOT = Path(__file__).resolve().parent.parent
TEST = ROOT.parent / "shared" / "data" / "eval" / "ner" / "anercorp" / "test.txt"
SECTION = "ner"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--test", default=str(TEST))
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    opts = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sents = [[row[0] for row in s] for s in read_conll(opts.test)]
    tokens = sum(len(s) for s in sents)
    cold = Tagger()
    t0 = time.process_time()
    cold.tag_text(sents)
    cold_s = time.process_time() - t0
    t0 = time.process_time()
    cold.tag_text(sents)
    warm_s = time.process_time() - t0
    score = evaluate_file(opts.test, Tagger())
    p, r, f = score.prf()
    section = (
        f"## {SECTION}\n\nCommand: `python bench/ner_bench.py`; ANERcorp `test.txt` ({tokens:,} tokens), "
        "entity level (conlleval), one core, CPU time; the file tagged as one text (`Tagger.tag_text`).\n\n"
        "| precision | recall | F1 | tokens/s (new words) | tokens/s (cached words) |\n|---:|---:|---:|---:|---:|\n"
        f"| {p:.4f} | {r:.4f} | **{f:.4f}** | {tokens / cold_s:,.0f} | {tokens / warm_s:,.0f} |\n"
    )
    print(section)
    write_section(SECTION, section, Path(opts.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
