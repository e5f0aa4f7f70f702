"""``rasad eval plover FILE``: English event coding against the PLOVER GSR or PETR-2 validation file.

Two formats, told apart by their first characters:

- the PLOVER gold standard (``PLOVER_GSR_CAMEO.txt``, a JSON list): one record per coded
  event, PLOVER 0.5 labels mapped to today's (DEMAND -> REQUEST, ...); rasad's event type is
  compared with the record's.
- the PETR-2 validation file (``PETR2_GSR_validation.xml``, XML-like, not well-formed): each
  sentence with its CAMEO codings; codes are compared at root level (first two digits) with
  the ``cameo`` of rasad's events.

Scores: type accuracy (share of gold events whose type is among the sentence's produced
types), precision (produced events whose type is among the sentence's gold types), actor
country accuracy where gold has a state code, and the extra events.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..doc import Document, Event
from ..errors import InputError
from .golden import actor_attr, short
from .gsr import split_rows

# PLOVER 0.5 labels of the GSR file -> the current ontology's event types
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}
# CAMEO codes in the country position that name no state
NON_STATE = frozenset({"IGO", "IMG", "INT", "NGO", "MNC", "UIS", "---", ""})


@dataclass(frozen=True, slots=True)
class GoldEvent:
    id: str
    type: str  # PLOVER type, or a two-digit CAMEO root
    source: tuple[str, ...] = ()  # state codes
    target: tuple[str, ...] = ()
    code: str = ""  # the full CAMEO code (PETR-2)


@dataclass
class GoldSentence:
    id: str
    text: str
    published: str | None
    events: list[GoldEvent] = field(default_factory=list)


@dataclass
class GoldFile:
    scheme: str  # plover | cameo
    sentences: list[GoldSentence]

    @property
    def n_events(self) -> int:
        return sum(len(s.events) for s in self.sentences)


def _state(code: str | None) -> str | None:
    code = (code or "").strip().upper()[:3]
    return code if len(code) == 3 and code.isalpha() and code not in NON_STATE else None


def _plover_codes(side: Any) -> tuple[str, ...]:
    if not isinstance(side, list):
        return ()
    return tuple(c for a in side if isinstance(a, dict) and (c := _state(a.get("code"))))


def read_plover_gsr(path: Path) -> GoldFile:
    """The PLOVER GSR JSON list; records with the same text become one sentence."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read '{path}': {exc}") from None
    by_text: dict[str, GoldSentence] = {}
    for rec in data:
        etype = str(rec.get("event", "")).upper()
        text = rec.get("text")
        if etype == "DOCUMENT" or not isinstance(text, str) or not text.strip():
            continue
        etype = OLD_LABELS.get(etype, etype)
        sent = by_text.setdefault(text, GoldSentence(rec.get("id", ""), text, (rec.get("date") or None)))
        sent.events.append(GoldEvent(rec.get("id", ""), etype, _plover_codes(rec.get("source")),
                                     _plover_codes(rec.get("target"))))
    return GoldFile("plover", list(by_text.values()))


_SENT = re.compile(r"<Sentence\b([^>]*)>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_PARSE = re.compile(r"<Parse>(.*?)</Parse>", re.S)


def _petr_date(raw: str | None) -> str | None:
    if raw and len(raw) == 8 and raw.isdigit():
        return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    return None


def _text_from_parse(body: str) -> str:
    """The sentence rebuilt from its CoNLL-U parse (a few records have an empty <Text>)."""
    m = _PARSE.search(body)
    if not m:
        return ""
    out: list[str] = []
    for line in m.group(1).splitlines():
        cols = line.split("\t")
        if len(cols) >= 10 and cols[0].isdigit():
            out.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
    return html.unescape("".join(out)).strip()


def read_petr2(path: Path) -> GoldFile:
    """The PETR-2 validation file (read with patterns: it is not well-formed XML)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    start = raw.find("<Sentences>")
    sents: list[GoldSentence] = []
    for m in _SENT.finditer(raw, max(start, 0)):
        attrs = dict(_ATTR.findall(m.group(1)))
        body = m.group(2)
        t = _TEXT.search(body)
        if not t:
            continue
        text = " ".join(html.unescape(t.group(1)).split()) or _text_from_parse(body)
        if not text:
            continue
        sent = GoldSentence(attrs.get("id", ""), text, _petr_date(attrs.get("date")))
        for c in _CODING.finditer(body):
            ca = dict(_ATTR.findall(c.group(1)))
            code = ca.get("eventcode", "")
            if ca.get("noevents") or not code:
                continue
            src, tgt = _state(ca.get("sourcecode")), _state(ca.get("targetcode"))
            sent.events.append(GoldEvent(sent.id, code[:2], (src,) if src else (), (tgt,) if tgt else (), code))
        sents.append(sent)
    if not sents:
        raise InputError(f"no <Sentence> records in '{path}': give PETR2_GSR_validation.xml")
    return GoldFile("cameo", sents)


def read_gold(path: str | Path) -> GoldFile:
    """Either file, told apart by its first characters."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"cannot read '{path}': no such file; give PLOVER_GSR_CAMEO.txt or PETR2_GSR_validation.xml")
    with p.open(encoding="utf-8", errors="replace") as fh:
        head = fh.read(512).lstrip("\ufeff \n\r\t")
    if head.startswith(("[", "{")):
        return read_plover_gsr(p)
    if head.startswith("<"):
        return read_petr2(p)
    raise InputError(f"'{path}' is neither the PLOVER GSR (JSON) nor the PETR-2 validation file (XML)")


def event_key(ev: Event, scheme: str) -> str | None:
    """What is compared with the gold type: the PLOVER type, or the CAMEO root."""
    if scheme == "plover":
        return ev.type
    return ev.cameo[:2] if ev.cameo else None


@dataclass
class _Side:
    gold: int = 0
    correct: int = 0
    with_event: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"gold": self.gold, "correct": self.correct, "with_event": self.with_event,
                "accuracy": round(self.correct / self.gold, 4) if self.gold else None,
                "accuracy_when_detected": round(self.correct / self.with_event, 4) if self.with_event else None}


def evaluate(path: str | Path, limit: int | None = None,
             analyze: Callable[..., Document] | None = None, split: str = "all") -> dict[str, Any]:
    """Score rasad's English events on the gold file; ``limit`` sentences for a quick run;
    ``split`` keeps the dev (even) or held-out test (odd) sentences, counted in file order."""
    if analyze is None:
        from ..api import analyze as _analyze
        analyze = _analyze
    gold = read_gold(path)
    sents = split_rows(gold.sentences, split)
    sents = sents[:limit] if limit else sents
    found = Counter[str]()
    gold_n = Counter[str]()
    produced_n = Counter[str]()
    produced_ok = Counter[str]()
    sides = {"source": _Side(), "target": _Side()}
    extra: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    failures: list[str] = []
    n_gold = n_found = n_produced = n_correct = 0
    for sent in sents:
        try:
            doc = analyze(sent.text, lang="en", published=sent.published)
        except Exception as exc:  # one bad sentence must not stop the run; count it
            failures.append(f"{sent.id}: {exc}")
            doc = None
        events = [ev for ev in (doc.events if doc else []) if not ev.negated]
        keys = [event_key(ev, gold.scheme) for ev in events]
        gold_types = {g.type for g in sent.events}
        for g in sent.events:
            n_gold += 1
            gold_n[g.type] += 1
            same = [ev for ev, k in zip(events, keys, strict=True) if k == g.type]
            if same:
                n_found += 1
                found[g.type] += 1
            else:
                missed.append({"id": g.id, "type": g.type, "code": g.code, "produced": sorted({k or "?" for k in keys}),
                               "text": short(sent.text, 100)})
            for name, codes in (("source", g.source), ("target", g.target)):
                if not codes:
                    continue
                side = sides[name]
                side.gold += 1
                side.with_event += bool(same)
                side.correct += any(actor_attr(doc, getattr(ev, name), "country") in codes
                                    for ev in same) if doc else 0
        for ev, k in zip(events, keys, strict=True):
            n_produced += 1
            produced_n[k or "?"] += 1
            if k in gold_types:
                n_correct += 1
                produced_ok[k or "?"] += 1
            else:
                assert doc is not None
                extra.append({"id": sent.id, "type": ev.type, "cameo": ev.cameo, "rule": ev.rule,
                              "gold": sorted(gold_types),
                              "trigger": doc.text[ev.trigger.start:ev.trigger.end],
                              "text": short(sent.text, 100)})
    per_type = [{"type": t, "gold": gold_n[t], "found": found[t], "produced": produced_n[t],
                 "correct": produced_ok[t]} for t in sorted(set(gold_n) | set(produced_n))]
    return {
        "file": str(path), "scheme": gold.scheme, "limit": limit, "split": split, "sentences": len(sents),
        "gold_events": n_gold, "found": n_found,
        "type_accuracy": round(n_found / n_gold, 4) if n_gold else None,
        "produced_events": n_produced, "correct_events": n_correct,
        "precision": round(n_correct / n_produced, 4) if n_produced else None,
        "extra_events": len(extra), "analyze_failures": len(failures), "_failures": failures,
        "actor_country": {k: v.to_json() for k, v in sides.items()},
        "per_type": per_type, "_extra": extra, "_missed": missed,
    }


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def print_report(res: dict[str, Any], verbose: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(highlight=False)
    what = "PLOVER type" if res["scheme"] == "plover" else "CAMEO root"
    con.rule(f"[bold]{Path(res['file']).name}[/]  ({what}s, {res['sentences']} sentences, "
             f"split: {res.get('split', 'all')})")
    t = Table("measure", "value", "of", title="summary", title_justify="left")
    t.add_row(f"{what} accuracy (recall)", f"[bold]{_fmt(res['type_accuracy'])}[/]",
              f"{res['found']}/{res['gold_events']} gold events")
    t.add_row("precision", _fmt(res["precision"]), f"{res['correct_events']}/{res['produced_events']} produced")
    for name, s in res["actor_country"].items():
        t.add_row(f"{name} country accuracy", _fmt(s["accuracy"]),
                  f"{s['correct']}/{s['gold']} (when detected {_fmt(s['accuracy_when_detected'])})")
    t.add_row("extra events", str(res["extra_events"]), "type not in the sentence's gold")
    con.print(t)
    t = Table(what, "gold", "found", "produced", "correct", title="per type", title_justify="left")
    for r in res["per_type"]:
        t.add_row(r["type"], str(r["gold"]), str(r["found"]), str(r["produced"]), str(r["correct"]))
    con.print(t)
    if verbose:
        from rich.markup import escape  # rule ids and gold lists in brackets are no markup

        for e in res["_extra"]:
            con.print(escape(f"extra {e['type']} ({e['cameo'] or '-'}) [{e['rule']}] '{e['trigger']}' "
                             f"gold {e['gold']}: {e['text']}"), soft_wrap=True)
        for m in res["_missed"]:
            con.print(escape(f"missed {m['type']} {m['code']} (got {m['produced']}): {m['text']}"), soft_wrap=True)
    if res["analyze_failures"]:
        con.print(f"{res['analyze_failures']} sentences failed to analyze: " + "; ".join(res["_failures"][:3]),
                  style="red", soft_wrap=True)


def main(paths: list[str], limit: int | None = None, as_json: bool = False, verbose: bool = False,
         split: str = "all") -> int:
    """Score each file and print; 0 unless a file cannot be read."""
    results = [evaluate(p, limit=limit, split=split) for p in paths]
    if as_json:
        outs = []
        for res in results:
            out = {k: v for k, v in res.items() if not k.startswith("_")}
            if verbose:
                out["extra"] = res["_extra"]
                out["missed"] = res["_missed"]
            outs.append(out)
        print(json.dumps(outs[0] if len(outs) == 1 else outs, ensure_ascii=False, indent=2))
    else:
        for res in results:
            print_report(res, verbose=verbose)
    return 0

