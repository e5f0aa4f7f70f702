"""Draft event-trigger candidates from the CAMEO verb dictionaries (for review, not shipped).

Reads the verb-pattern sections of the UP Arabic dictionary (CAMEO.ar.0.5.txt) and of the
PETRARCH-2 English dictionary (CAMEO.2.0.txt), maps every coded verb and pattern through
src/rasad/ontology/cameo.tsv to its PLOVER type, and prints, per type, the verbs with the codes
and pattern words that support them and whether src/rasad/lang/<code>/events.yaml already
covers them. The lexicon itself (events.yaml) is hand-reviewed data: these dictionaries are
noisy (machine-translated lemmas, wrong codes), so nothing here is copied without review.

    .venv/bin/python scripts/build_triggers.py ar [--type ASSAULT] [--missing]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rasad.lang.loader import read_yaml  # noqa: E402
from rasad.ontology import cameo  # noqa: E402
from rasad.stages.normalize import normalize_str  # noqa: E402

DICTS = ROOT.parent / "shared" / "data" / "resources" / "dictionaries"
SOURCES = {"ar": DICTS / "up-arabic" / "CAMEO.ar.0.5.txt", "en": DICTS / "phoenix-en" / "CAMEO.2.0.txt"}
_CODE = re.compile(r"\[:?(\d{2,4})(?::\d+)?\]")


def _type(code: str) -> str:
    row = cameo(code)
    return row.plover_type if row else ""


def verb_candidates(lang: str) -> dict[str, dict[str, list[str]]]:
    """PLOVER type -> verb lemma -> supporting evidence (codes, pattern words)."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    in_verbs = False
    block_code = ""
    lemmas: list[str] = []
    for raw in SOURCES[lang].read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if line.startswith("####"):
            in_verbs = "VERB PATTERNS" in line
            continue
        if not in_verbs or not line:
            continue
        if line.startswith("---"):
            m = _CODE.search(line)
            block_code = m.group(1) if m else ""
            lemmas = []
            continue
        body = line.split("#", 1)[0].strip()
        if line.startswith("-"):
            m = _CODE.search(body)
            if not m:
                continue
            ptype = _type(m.group(1))
            if not ptype:
                continue
            pattern = _CODE.sub("", body).lstrip("-").strip()
            for lemma in lemmas:
                out[ptype][lemma].append(f"{m.group(1)}:{pattern}")
            continue
        m = _CODE.search(body)
        lemma = _CODE.sub("", body)
        lemma = re.sub(r"\{.*?\}", "", lemma).strip().replace("+", " ").replace("_", " ").strip()
        if not lemma:
            continue
        lemma = lemma.lower()
        lemmas.append(lemma)
        code = m.group(1) if m else block_code
        ptype = _type(code) if code else ""
        if ptype:
            out[ptype][lemma].append(code)
    return out


def covered(lang: str) -> set[str]:
    data = read_yaml(lang, "events.yaml") or {}
    forms = set()
    for rule in data.get("rules", []):
        for form in rule.get("forms", []):
            forms.add(normalize_str(str(form)))
    return forms


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lang", choices=sorted(SOURCES))
    ap.add_argument("--type", help="only this PLOVER type")
    ap.add_argument("--missing", action="store_true", help="only lemmas events.yaml lacks")
    args = ap.parse_args(argv)
    have = covered(args.lang)
    for ptype, verbs in sorted(verb_candidates(args.lang).items()):
        if args.type and ptype != args.type:
            continue
        print(f"== {ptype}")
        for lemma, ev in sorted(verbs.items(), key=lambda kv: -len(kv[1])):
            is_in = normalize_str(lemma) in have
            if args.missing and is_in:
                continue
            mark = "+" if is_in else " "
            print(f"{mark} {lemma}\t{len(ev)}\t{' | '.join(ev[:4])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
