"""``rasad eval gsr DIR``: Arabic PROTEST and ASSAULT detection on the arabic_event_gsr files.

Detection: each sentence of ``<type>_gsr.csv`` is analyzed alone; it is predicted positive
when rasad yields a (not negated) event of that type that the sentence reports as its news —
for a type the event scorer covers (``stages/eventscore.py``), one whose confidence reaches the
type's threshold; ``detection_any`` counts every event of the type instead. ``yes`` (all
annotators accept) is positive, ``easy no`` and ``difficult no`` (at least one rejects)
negative, ``ambiguous`` is reported apart.

Arguments: ``<type>_spans.json`` holds the annotators' codings of each event (``PAK OPP``:
country PAK, sector OPP). The gold country of a side is the annotators' majority; for each
coded event with a state code, rasad is right when one of its events of that type in the
sentence has the same country on that side.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..doc import Document
from ..errors import InputError
from ..stages import eventscore
from .golden import actor_attr

TYPES = ("PROTEST", "ASSAULT")
POSITIVE = "yes"
NEGATIVE = ("easy no", "difficult no")
AMBIGUOUS = "ambiguous"
# CAMEO codes in the country position that name no state: they are left out of the accuracy
NON_STATE = frozenset({"IGO", "IMG", "INT", "NGO", "MNC", "UIS", "KUR", "UNKNOWN", "NONE", ""})

_ID_DATE = re.compile(r"_(\d{8})\.")


@dataclass(frozen=True, slots=True)
class GsrRow:
    id: str
    event_type: str
    label: str
    text: str
    date: str | None


@dataclass(frozen=True, slots=True)
class SpanRecord:
    id: str
    event_type: str
    text: str
    source_country: str | None
    target_country: str | None
    date: str | None


def date_from_id(sid: str) -> str | None:
    """``AAW_ARB_20071026.0026-2`` -> ``2007-10-26`` (None when the id has no date)."""
    m = _ID_DATE.search(sid)
    if not m:
        return None
    s = m.group(1)
    try:
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:])).isoformat()
    except ValueError:
        return None


def read_gsr_csv(path: str | Path) -> list[GsrRow]:
    """The rows of a ``*_gsr.csv`` file."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InputError(f"cannot read '{p}': {exc.strerror or exc}") from None
    need = {"id", "event_type", "label", "text"}
    if rows and not need <= set(rows[0]):
        raise InputError(f"'{p}' is not a GSR file: it needs the columns {', '.join(sorted(need))}")
    return [GsrRow(r["id"], r["event_type"].strip().upper(), r["label"].strip(), r["text"],
                   date_from_id(r["id"])) for r in rows]


def _code_country(role: Any) -> str | None:
    if not isinstance(role, dict):
        return None
    main = str(role.get("main") or "").strip().upper()
    return None if main in NON_STATE or len(main) != 3 else main


def _majority(codes: list[str | None]) -> str | None:
    """The most frequent code; a tie goes to a state code over none, then to the first seen."""
    if not codes:
        return None
    counts = Counter(codes)
    top = max(counts.values())
    tied = [c for c in dict.fromkeys(codes) if counts[c] == top]
    return next((c for c in tied if c), None)


def read_spans(path: str | Path) -> list[SpanRecord]:
    """The coded events of a ``*_spans.json`` file, one per sentence, with majority countries."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read '{p}': {exc}") from None
    if not isinstance(data, list):
        raise InputError(f"'{p}' is not a spans file: it should hold a JSON list of records")
    out = []
    for rec in data:
        spans = rec.get("spans") or []
        src = _majority([_code_country(s.get("source_role")) for s in spans])
        tgt = _majority([_code_country(s.get("target_role")) for s in spans])
        sid = str(rec.get("source") or rec.get("_id") or "")
        out.append(SpanRecord(sid, str(rec.get("event_type", "")).upper(), rec["text"], src, tgt,
                              date_from_id(sid)))
    return out


@dataclass
class Detection:
    event_type: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    fp_difficult: int = 0
    ambiguous: int = 0
    ambiguous_pos: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"type": self.event_type, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "fp_difficult_no": self.fp_difficult, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "ambiguous": self.ambiguous, "ambiguous_predicted": self.ambiguous_pos}


@dataclass
class ArgScore:
    event_type: str
    side: str
    gold: int = 0  # coded events with a state code on this side
    correct: int = 0
    with_event: int = 0  # ... where rasad produced an event of the type at all

    def to_json(self) -> dict[str, Any]:
        return {"type": self.event_type, "side": self.side, "gold": self.gold, "correct": self.correct,
                "with_event": self.with_event,
                "accuracy": round(self.correct / self.gold, 4) if self.gold else None,
                "accuracy_when_detected": round(self.correct / self.with_event, 4) if self.with_event else None}


class _Analyzer:
    """Analyze each text once; remember the (type, source country, target country) of its events."""

    def __init__(self, analyze: Callable[..., Document] | None = None) -> None:
        if analyze is None:
            from ..api import analyze as _analyze
            analyze = _analyze
        self._analyze = analyze
        # per text: (type, source country, target country, reported as the sentence's news)
        self._cache: dict[tuple[str, str | None], list[tuple[str, str | None, str | None, bool]]] = {}
        self.failures: list[str] = []

    def events(self, text: str, published: str | None) -> list[tuple[str, str | None, str | None, bool]]:
        key = (text, published)
        if key not in self._cache:
            try:
                doc = self._analyze(text, lang="ar", published=published)
            except Exception as exc:  # one bad sentence must not stop the run; count it
                self.failures.append(f"{exc.__class__.__name__}: {exc}")
                self._cache[key] = []
            else:
                self._cache[key] = [(ev.type, actor_attr(doc, ev.source, "country"),
                                     actor_attr(doc, ev.target, "country"), eventscore.reported(ev, "ar"))
                                    for ev in doc.events if not ev.negated]
        return self._cache[key]


SPLITS = ("all", "dev", "test")


def split_rows(rows: list, split: str) -> list:
    """``dev``: the even rows of a file (0, 2, …) for error analysis and tuning; ``test``: the
    odd rows, held out and only reported; ``all``: every row."""
    if split not in SPLITS:
        raise InputError(f"unknown split '{split}'; choose {', '.join(SPLITS)}")
    if split == "all":
        return rows
    return rows[split == "test"::2]


def evaluate(folder: str | Path, limit: int | None = None,
             analyze: Callable[..., Document] | None = None,
             progress: Callable[[int, int], None] | None = None, split: str = "all") -> dict[str, Any]:
    """Score rasad on the GSR folder; ``limit`` sentences per file for a quick run; ``split``
    keeps the dev (even) or held-out test (odd) rows of each file."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"'{folder}' is not a folder: give the arabic-event-gsr folder")
    az = _Analyzer(analyze)
    detection: list[Detection] = []
    detection_any: list[Detection] = []
    args: list[ArgScore] = []
    todo: list[tuple[str, list[GsrRow], list[SpanRecord]]] = []
    for etype in TYPES:
        csv_path, spans_path = root / f"{etype.lower()}_gsr.csv", root / f"{etype.lower()}_spans.json"
        if not csv_path.exists():
            continue
        rows = split_rows(read_gsr_csv(csv_path), split)
        rows = rows[:limit] if limit else rows
        spans = split_rows(read_spans(spans_path), split) if spans_path.exists() else []
        if limit:
            spans = spans[:limit]
        todo.append((etype, rows, spans))
    if not todo:
        raise InputError(f"no protest_gsr.csv or assault_gsr.csv in '{folder}'")
    total = sum(len(r) + len(s) for _, r, s in todo)
    done = 0
    for etype, rows, spans in todo:
        det, det_any = Detection(etype), Detection(etype)
        for row in rows:
            evs = [e for e in az.events(row.text, row.date) if e[0] == etype]
            pred = any(e[3] for e in evs)
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
            _count(det_any, row, bool(evs))
            _count(det, row, pred)
            if row.label == POSITIVE and not pred:
                det.errors.append({"kind": "fn", "id": row.id, "text": row.text})
            elif row.label in NEGATIVE and pred:
                det.errors.append({"kind": "fp", "id": row.id, "label": row.label, "text": row.text})
        detection.append(det)
        detection_any.append(det_any)
        src, tgt = ArgScore(etype, "source"), ArgScore(etype, "target")
        for rec in spans:
            evs = [e for e in az.events(rec.text, rec.date) if e[0] == etype]
            done += 1
            for score, gold, pos in ((src, rec.source_country, 1), (tgt, rec.target_country, 2)):
                if gold is None:
                    continue
                score.gold += 1
                score.with_event += bool(evs)
                score.correct += any(e[pos] == gold for e in evs)
        args += [src, tgt]
    return {"folder": str(root), "limit": limit, "split": split, "sentences_analyzed": len(az._cache),
            "analyze_failures": len(az.failures), "_failures": az.failures[:20],
            "detection": [d.to_json() for d in detection],
            "detection_any": [d.to_json() for d in detection_any], "arguments": [a.to_json() for a in args],
            "_errors": {d.event_type: d.errors for d in detection}}


def _count(det: Detection, row: GsrRow, pred: bool) -> None:
    """Tally one row's prediction."""
    if row.label == AMBIGUOUS:
        det.ambiguous += 1
        det.ambiguous_pos += pred
    elif row.label == POSITIVE:
        det.tp += pred
        det.fn += not pred
    elif row.label in NEGATIVE:
        det.fp += pred
        det.tn += not pred
        det.fp_difficult += pred and row.label == "difficult no"


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def print_report(res: dict[str, Any], verbose: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(highlight=False)
    t = Table("type", "P", "R", "F1", "tp", "fp", "fp hard", "fn", "tn", "ambig+",
              title="sentence-level detection (yes vs easy/difficult no)", title_justify="left")
    for d in res["detection"] + [dict(d, type=f"{d['type']}*") for d in res.get("detection_any", [])]:
        t.add_row(d["type"], _fmt(d["precision"]), _fmt(d["recall"]), f"[bold]{_fmt(d['f1'])}[/]",
                  str(d["tp"]), str(d["fp"]), str(d["fp_difficult_no"]), str(d["fn"]), str(d["tn"]),
                  f"{d['ambiguous_predicted']}/{d['ambiguous']}")
    con.print(t)
    t = Table("type", "side", "gold", "correct", "acc", "detected", "acc detected",
              title="actor country on *_spans.json", title_justify="left")
    for a in res["arguments"]:
        t.add_row(a["type"], a["side"], str(a["gold"]), str(a["correct"]), _fmt(a["accuracy"]),
                  str(a["with_event"]), _fmt(a["accuracy_when_detected"]))
    con.print(t)
    if verbose:
        for etype, errs in res["_errors"].items():
            for e in errs[:40]:
                con.print(f"{etype} {e['kind']} {e.get('label', '')} {e['id']}: {e['text'][:160]}", soft_wrap=True)
    con.print("PROTEST, ASSAULT: sentences with an event scored as their news (confidence from the scorer's "
              "threshold up); PROTEST*, ASSAULT*: with any event of the type; "
              "fp hard: false positives on 'difficult no'; ambig+: 'ambiguous' sentences predicted positive; "
              "gold: coded events with a state code on that side; acc detected: accuracy where rasad "
              "found an event of the type", style="dim", soft_wrap=True)
    con.print(f"{res['sentences_analyzed']} texts analyzed (split: {res.get('split', 'all')})"
              + (f", {res['analyze_failures']} failed: " + "; ".join(res["_failures"][:3])
               if res["analyze_failures"] else ""), soft_wrap=True)


def main(folder: str, limit: int | None = None, as_json: bool = False, verbose: bool = False,
         split: str = "all") -> int:
    """Score and print; 0 unless the folder cannot be read."""
    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    show = None if as_json or not sys.stderr.isatty() else progress
    res = evaluate(folder, limit=limit, progress=show, split=split)
    if show:
        print(file=sys.stderr)
    if as_json:
        out = {k: v for k, v in res.items() if not k.startswith("_")}
        if verbose:
            out["errors"] = res["_errors"]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_report(res, verbose=verbose)
    return 0
