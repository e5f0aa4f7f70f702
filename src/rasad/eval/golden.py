"""``rasad eval golden``: check articles against their ``expected.json`` (rules: golden/README.md).

A golden folder holds one article and ``expected.json``. The article is analyzed as its
``input`` says, then every expectation becomes one :class:`Check` (pass/fail and a short
reason). ``must`` items and the document, actors, times, quantities and quotes sections gate
the exit code; ``stretch`` items are counted; ``must_not`` items are violations; produced
events that match nothing in ``must`` or ``stretch`` are listed as extra.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..doc import Document, Event, EventActor
from ..errors import InputError, RasadError

# sections in the order they are printed; stretch does not gate the exit code
SECTIONS = ("document", "actors", "times", "quantities", "quotes", "must", "stretch", "must_not")
GATING = frozenset(SECTIONS) - {"stretch"}


# -- small shared helpers (also used by the GSR scorers) ----------------------------------
def as_list(value: Any) -> list[Any]:
    """``None`` -> [], a scalar -> [scalar], a list stays a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def date_matches(produced: str | None, expected: str) -> bool:
    """Equal at the expected grain: ``2024-01-08`` matches ``2024-01``; ``2024`` does not match ``2024-01``."""
    return produced is not None and len(produced) >= len(expected) and produced[: len(expected)] == expected


def actor_attr(doc: Document, ea: EventActor | None, name: str) -> str | None:
    """``country``/``sector`` of an event argument, falling back on its resolved actor."""
    if ea is None:
        return None
    value = getattr(ea, name)
    if value is None and ea.actor and ea.actor in doc.actors:
        value = getattr(doc.actors[ea.actor], name)
    return value


def short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _show(value: Any) -> str:
    items = as_list(value)
    return "/".join(str(v) for v in items) if items else "-"


# -- results ------------------------------------------------------------------------------
@dataclass
class Check:
    section: str
    item: str
    ok: bool
    reason: str = ""
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        out = {"item": self.item, "ok": self.ok, "reason": self.reason}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass
class GoldenResult:
    name: str
    lang: str | None = None
    checks: list[Check] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)
    not_produced: list[str] = field(default_factory=list)
    events_produced: int = 0
    errors: list[str] = field(default_factory=list)

    def section(self, name: str) -> list[Check]:
        return [c for c in self.checks if c.section == name]

    def count(self, name: str) -> tuple[int, int]:
        items = self.section(name)
        return sum(c.ok for c in items), len(items)

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks if c.section in GATING)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "lang": self.lang, "passed": self.passed}
        for name in SECTIONS:
            ok, total = self.count(name)
            out[name] = {"passed": ok, "total": total}
        out["must_not_violations"] = sum(not c.ok for c in self.section("must_not"))
        out["extra"] = len(self.extra)
        out["events_produced"] = self.events_produced
        out["not_produced"] = list(self.not_produced)
        out["errors"] = list(self.errors)
        return out

    def to_json(self) -> dict[str, Any]:
        out = self.summary()
        out["checks"] = {name: [c.to_json() for c in self.section(name)] for name in SECTIONS}
        out["extra_events"] = self.extra
        return out


# -- document -----------------------------------------------------------------------------
def _check_document(doc: Document, exp: dict[str, Any], undated: Document | None,
                    res: GoldenResult) -> None:
    add = res.checks.append
    if "lang" in exp:
        add(Check("document", "lang", doc.lang == exp["lang"], f"got {doc.lang}, want {exp['lang']}"
                  if doc.lang != exp["lang"] else ""))
    for z in exp.get("zones", []):
        kind, needle = z["kind"], z["contains"]
        label = f"zone {kind}: {short(needle, 40)}"
        if any(x.kind == kind and needle in doc.text[x.start:x.end] for x in doc.zones):
            add(Check("document", label, True))
            continue
        if not any(x.kind != "body" for x in doc.zones):
            reason = "not produced yet (no zones)"
        else:
            where = [x.kind for x in doc.zones if needle in doc.text[x.start:x.end]]
            reason = f"inside {', '.join(sorted(set(where)))} instead" if where else f"no {kind} zone holds it"
        add(Check("document", label, False, reason))
    if "byline" in exp:
        got = (doc.byline or "").strip() or None
        ok = got == exp["byline"]
        add(Check("document", "byline", ok, "" if ok else f"got {got!r}"))
    if "credits" in exp:
        got_set, want = set(doc.credits), set(exp["credits"])
        ok = got_set == want
        reason = ""
        if not ok:
            missing, more = sorted(want - got_set), sorted(got_set - want)
            reason = "; ".join(p for p in (f"missing {', '.join(missing)}" if missing else "",
                                           f"extra {', '.join(more)}" if more else "") if p)
        add(Check("document", "credits", ok, reason))
    if "published_when_not_given" in exp:
        want = exp["published_when_not_given"]
        if undated is None:
            add(Check("document", "published when not given", False, "not run without a date"))
        else:
            ok = date_matches(undated.published, want) and undated.published_inferred
            reason = "" if ok else (f"got {undated.published or 'none'}"
                                    f"{'' if undated.published_inferred else ', not marked inferred'}")
            add(Check("document", f"published when not given = {want}", ok, reason))


# -- actors -------------------------------------------------------------------------------
def _actor_ok(actor: Any, spec: dict[str, Any]) -> bool:
    if actor is None:
        return False
    if "country" in spec and actor.country not in as_list(spec["country"]):
        return False
    return not ("sector" in spec and actor.sector not in as_list(spec["sector"]))


def _actor_label(actor: Any) -> str:
    return "unresolved" if actor is None else f"{actor.id} ({actor.country or '-'}/{actor.sector or '-'})"


def _check_actors(doc: Document, specs: list[dict[str, Any]], res: GoldenResult) -> None:
    for spec in specs:
        surfaces = as_list(spec["surface"])
        want = f"{_show(spec.get('country'))}/{_show(spec.get('sector'))}"
        label = f"{' = '.join(surfaces)} → {want}"
        reasons: list[str] = []
        good_ids: list[set[str]] = []
        if not doc.mentions:
            res.checks.append(Check("actors", label, False, "not produced yet (no mentions)"))
            continue
        for surface in surfaces:
            found = [m for m in doc.mentions if m.text == surface]
            good = {m.actor for m in found if m.actor and _actor_ok(doc.actors.get(m.actor), spec)}
            good_ids.append({a for a in good if a})
            if good:
                continue
            if not found:
                longer = [m.text for m in doc.mentions if surface in m.text]
                reasons.append(f"'{surface}' not a mention" +
                               (f" (only inside '{short(longer[0], 40)}')" if longer else ""))
            else:
                got = {_actor_label(doc.actors.get(m.actor or "")) for m in found}
                reasons.append(f"'{surface}' → {', '.join(sorted(got))}")
        if not reasons and spec.get("same_actor") and len(surfaces) > 1:
            if not set.intersection(*good_ids):
                ids = " vs ".join(",".join(sorted(g)) for g in good_ids)
                reasons.append(f"not one actor: {ids}")
        seen = [m for m in doc.mentions if any(s in m.text for s in surfaces)]
        detail = "; ".join(f"'{m.text}' {m.kind} → {_actor_label(doc.actors.get(m.actor or ''))}" for m in seen[:6])
        res.checks.append(Check("actors", label, not reasons, "; ".join(reasons), detail))


# -- times, quantities, quotes ------------------------------------------------------------
def _check_times(doc: Document, specs: list[dict[str, Any]], res: GoldenResult) -> None:
    for spec in specs:
        surface, value, count = spec["surface"], str(spec["value"]), int(spec.get("count", 1))
        label = f"{surface} = {value}" + (f" ×{count}" if count > 1 else "")
        found = [t for t in doc.times if surface in t.text]
        good = [t for t in found if t.value == value]
        detail = "; ".join(f"'{t.text}' = {t.value}" for t in found[:4])
        if len(good) >= count:
            res.checks.append(Check("times", label, True, detail=detail))
            continue
        if not doc.times:
            reason = "not produced yet (no times)"
        elif not found:
            reason = "not found as a time expression"
        elif good:
            reason = f"found {len(good)} of {count}"
        else:
            reason = "got " + ", ".join(sorted({t.value for t in found}))
        res.checks.append(Check("times", label, False, reason, detail))


def _check_quantities(doc: Document, specs: list[dict[str, Any]], res: GoldenResult) -> None:
    for spec in specs:
        surface, value = spec["surface"], spec["value"]
        label = f"{surface} = {value}"
        found = [q for q in doc.quantities if surface in q.text]
        if any(float(q.value) == float(value) for q in found):
            res.checks.append(Check("quantities", label, True))
            continue
        if not doc.quantities:
            reason = "not produced yet (no quantities)"
        elif not found:
            reason = "not found as a quantity"
        else:
            reason = "got " + ", ".join(sorted({str(q.value) for q in found}))
        res.checks.append(Check("quantities", label, False, reason))


def _check_quotes(doc: Document, specs: list[dict[str, Any]], res: GoldenResult) -> None:
    for spec in specs:
        needle = spec["contains"]
        speaker = spec.get("speaker") or {}
        label = f"«{short(needle, 40)}»"
        found = [q for q in doc.quotes if needle in q.text]
        reasons: list[str] = []
        ok = False
        for q in found:
            mism = []
            actor = doc.actors.get(q.speaker or "")
            if speaker and not _actor_ok(actor, speaker):
                mism.append(f"speaker {_actor_label(actor)}" + (f" '{q.speaker_text}'" if q.speaker_text else ""))
            if "date" in spec and not date_matches(q.date, spec["date"]):
                mism.append(f"date {q.date or 'none'}")
            if not mism:
                ok = True
                break
            reasons.append(", ".join(mism))
        if ok:
            res.checks.append(Check("quotes", label, True))
            continue
        if not doc.quotes:
            reason = "not produced yet (no quotes)"
        elif not found:
            reason = "no quote holds it"
        else:
            reason = "; ".join(reasons)
        res.checks.append(Check("quotes", label, False, reason))


# -- events -------------------------------------------------------------------------------
def _side_mismatch(doc: Document, ea: EventActor | None, spec: dict[str, Any], side: str) -> str | None:
    if ea is None:
        return f"no {side}"
    for attr in ("country", "sector"):
        if attr in spec:
            got = actor_attr(doc, ea, attr)
            if got not in as_list(spec[attr]):
                return f"{side} {attr} {got or '-'}"
    return None


def event_mismatches(doc: Document, ev: Event, spec: dict[str, Any]) -> list[str]:
    """What keeps ``ev`` from matching ``spec`` (empty: it matches). Negation is not looked at."""
    out: list[str] = []
    if "type" in spec and ev.type not in as_list(spec["type"]):
        out.append(f"type {ev.type}")
    for side in ("source", "target"):
        if side in spec and spec[side] is not None:
            m = _side_mismatch(doc, getattr(ev, side), spec[side], side)
            if m:
                out.append(m)
    if "date" in spec and not date_matches(ev.date, str(spec["date"])):
        out.append(f"date {ev.date or 'none'}")
    if "sentence_contains" in spec:
        sent = doc.text[ev.sentence.start:ev.sentence.end]
        if spec["sentence_contains"] not in sent:
            out.append("sentence")
    return out


def _spec_label(spec: dict[str, Any]) -> str:
    parts = [_show(spec.get("type"))]
    for side in ("source", "target"):
        s = spec.get(side)
        if s:
            parts.append(f"{'src' if side == 'source' else 'tgt'} {_show(s.get('country'))}/{_show(s.get('sector'))}")
    if "date" in spec:
        parts.append(str(spec["date"]))
    if "sentence_contains" in spec:
        parts.append(f"«{short(spec['sentence_contains'], 30)}»")
    if "zone" in spec:
        parts = [f"no event from a {spec['zone']} zone"]
    return " ".join(parts)


def event_row(doc: Document, ev: Event) -> dict[str, Any]:
    """A produced event as a small dict for reports."""
    def side(ea: EventActor | None) -> str:
        if ea is None:
            return "-"
        return f"{actor_attr(doc, ea, 'country') or '-'}/{actor_attr(doc, ea, 'sector') or '-'} {short(ea.text, 25)}"

    return {
        "type": ev.type, "source": side(ev.source), "target": side(ev.target), "date": ev.date,
        "negated": ev.negated, "rule": ev.rule,
        "trigger": doc.text[ev.trigger.start:ev.trigger.end],
        "sentence": short(doc.text[ev.sentence.start:ev.sentence.end], 80),
    }


def _describe(doc: Document, ev: Event) -> str:
    r = event_row(doc, ev)
    neg = " negated" if ev.negated else ""
    return f"{r['type']}{neg} src {r['source']} tgt {r['target']} date {r['date'] or '-'} [{r['rule']}]"


def _check_event_specs(doc: Document, specs: list[dict[str, Any]], section: str, res: GoldenResult,
                       matched: set[int]) -> None:
    for spec in specs:
        label = _spec_label(spec)
        hits = [i for i, ev in enumerate(doc.events) if not ev.negated and not event_mismatches(doc, ev, spec)]
        if hits:
            matched.update(hits)
            res.checks.append(Check(section, label, True, detail=_describe(doc, doc.events[hits[0]])))
            continue
        if not doc.events:
            res.checks.append(Check(section, label, False, "not produced yet (no events)"))
            continue
        # the nearest miss: fewest mismatches, preferring events in the right sentence
        best: tuple[int, int, Event] | None = None
        for i, ev in enumerate(doc.events):
            mism = event_mismatches(doc, ev, spec)
            cost = len(mism) + (10 if "sentence" in mism else 0) + (1 if ev.negated else 0)
            if best is None or cost < best[0]:
                best = (cost, i, ev)
        assert best is not None
        ev = best[2]
        mism = event_mismatches(doc, ev, spec)
        if "sentence" in mism:
            reason = "no event in that sentence"
        elif ev.negated and not mism:
            reason = "only as a negated event"
        else:
            reason = "nearest: " + ", ".join(mism) + (" (negated)" if ev.negated else "")
        res.checks.append(Check(section, label, False, reason, detail=_describe(doc, ev)))


def _in_zone(doc: Document, ev: Event, kind: str) -> bool:
    s = ev.sentence
    return any(z.kind == kind and z.start < s.end and s.start < z.end for z in doc.zones)


def _check_must_not(doc: Document, specs: list[dict[str, Any]], res: GoldenResult) -> None:
    for spec in specs:
        label = _spec_label(spec)
        if "zone" in spec:
            bad = [ev for ev in doc.events if _in_zone(doc, ev, spec["zone"])]
        else:
            # a negated event counts too: it should not carry this type at all
            bad = [ev for ev in doc.events if not event_mismatches(doc, ev, spec)]
        if not bad:
            reason = "" if doc.events else "no events produced"
            res.checks.append(Check("must_not", label, True, reason))
            continue
        neg = " (negated, still emitted with this type)" if all(ev.negated for ev in bad) else ""
        reason = f"{len(bad)} event(s): {bad[0].type} «{short(doc.text[bad[0].sentence.start:bad[0].sentence.end], 40)}»{neg}"
        res.checks.append(Check("must_not", label, False, reason,
                                detail="; ".join(_describe(doc, ev) for ev in bad)))


# -- the whole check ----------------------------------------------------------------------
_STAGE_OUTPUT: dict[str, Callable[[Document], Any]] = {
    "zones": lambda d: [z for z in d.zones if z.kind != "body"],
    "byline": lambda d: d.byline,
    "credits": lambda d: d.credits,
    "mentions": lambda d: d.mentions,
    "times": lambda d: d.times,
    "quantities": lambda d: d.quantities,
    "quotes": lambda d: d.quotes,
    "events": lambda d: d.events,
}


def check_document(doc: Document, expected: dict[str, Any], undated: Document | None = None,
                   name: str = "") -> GoldenResult:
    """Check an analyzed ``doc`` against an expected dict (``undated``: the same text run without a date)."""
    res = GoldenResult(name=name or doc.meta.get("origin", doc.id), lang=doc.lang)
    res.not_produced = [k for k, get in _STAGE_OUTPUT.items() if not get(doc)]
    res.events_produced = len(doc.events)
    _check_document(doc, expected.get("document") or {}, undated, res)
    _check_actors(doc, expected.get("actors") or [], res)
    _check_times(doc, expected.get("times") or [], res)
    _check_quantities(doc, expected.get("quantities") or [], res)
    _check_quotes(doc, expected.get("quotes") or [], res)
    events = expected.get("events") or {}
    matched: set[int] = set()
    _check_event_specs(doc, events.get("must") or [], "must", res, matched)
    _check_event_specs(doc, events.get("stretch") or [], "stretch", res, matched)
    _check_must_not(doc, events.get("must_not") or [], res)
    res.extra = [event_row(doc, ev) for i, ev in enumerate(doc.events) if i not in matched]
    return res


def find_expected(paths: Iterable[str | Path]) -> list[Path]:
    """``expected.json`` files from folders (a golden folder or a folder of them) or the files themselves."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            out.append(p)
        elif (p / "expected.json").is_file():
            out.append(p / "expected.json")
        elif p.is_dir() and (found := sorted(p.glob("*/expected.json"))):
            out.extend(found)
        else:
            raise InputError(f"no expected.json in '{raw}': give a golden folder or its expected.json")
    return out


def load_expected(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read '{path}': {exc}; fix the JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("input"), dict) or "file" not in data["input"]:
        raise InputError(f"'{path}' has no input.file: say which article to analyze")
    return data


def run_golden(path: Path) -> GoldenResult:
    """Analyze the article of one ``expected.json`` (with and without its date) and check it."""
    from ..api import analyze
    from ..sources import read_text_file

    expected = load_expected(path)
    inp = expected["input"]
    text = read_text_file(path.parent / inp["file"])
    lang, published = inp.get("lang"), inp.get("published")
    errors: list[str] = []

    def run(date: str | None) -> Document:
        # a stage that fails is reported as a failed check, and every item is still listed
        try:
            return analyze(text, lang=lang, published=date, meta={"origin": str(path.parent)})
        except RasadError as exc:
            errors.append(str(exc))
            return Document(text=text, meta={"origin": str(path.parent)})
        except Exception as exc:  # a stage with a bug: say so, and still list every item
            errors.append(f"analyze crashed: {exc.__class__.__name__}: {exc}")
            return Document(text=text, meta={"origin": str(path.parent)})

    doc = run(published)
    undated = run(None) if "published_when_not_given" in (expected.get("document") or {}) else None
    res = check_document(doc, expected, undated, name=str(path.parent))
    for err in dict.fromkeys(errors):
        res.checks.insert(0, Check("document", "analyze", False, err))
    res.errors = list(dict.fromkeys(errors))
    return res


# -- output -------------------------------------------------------------------------------
def summary_line(res: GoldenResult) -> str:
    s = res.summary()
    parts = [f"{name} {s[name]['passed']}/{s[name]['total']}" for name in SECTIONS[:5] if s[name]["total"]]
    parts += [f"must {s['must']['passed']}/{s['must']['total']}",
              f"stretch {s['stretch']['passed']}/{s['stretch']['total']}",
              f"must_not violations {s['must_not_violations']}", f"extra {s['extra']}"]
    return f"{'PASS' if res.passed else 'FAIL'} {res.name}: " + ", ".join(parts)


def print_result(res: GoldenResult, verbose: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(highlight=False)
    con.rule(f"[bold]{res.name}[/]  ({res.lang})")
    if res.not_produced:
        con.print(f"not produced yet: {', '.join(res.not_produced)}", style="yellow")
    for name in SECTIONS:
        checks = res.section(name)
        if not checks:
            continue
        ok, total = res.count(name)
        title = f"{name} {ok}/{total}" + ("" if name in GATING else " (not gating)")
        cols = ["", "item", "reason"] + (["detail"] if verbose else [])
        t = Table(*cols, title=title, title_justify="left")
        for c in checks:
            mark = "[green]pass[/]" if c.ok else ("[yellow]miss[/]" if name == "stretch" else "[red]FAIL[/]")
            row = [mark, c.item, c.reason] + ([c.detail] if verbose else [])
            t.add_row(*row)
        con.print(t)
    if res.extra:
        t = Table("type", "source", "target", "date", "rule", "sentence",
                  title=f"extra events {len(res.extra)} (match nothing expected)", title_justify="left")
        for e in res.extra:
            t.add_row(e["type"] + (" (neg)" if e["negated"] else ""), e["source"], e["target"],
                      e["date"] or "-", e["rule"], e["sentence"] if verbose else short(e["sentence"], 50))
        con.print(t)
    con.print(summary_line(res), style="bold green" if res.passed else "bold red", soft_wrap=True)


def main(paths: list[str], verbose: bool = False, as_json: bool = False) -> int:
    """Check each golden file; 0 when every gating item passes, else 1."""
    results = [run_golden(p) for p in find_expected(paths)]
    if as_json:
        out = {"passed": all(r.passed for r in results), "files": [r.to_json() for r in results]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for r in results:
            print_result(r, verbose=verbose)
        if len(results) > 1:
            from rich.console import Console

            con = Console(highlight=False)
            for r in results:
                con.print(summary_line(r), soft_wrap=True)
    return 0 if all(r.passed for r in results) else 1
