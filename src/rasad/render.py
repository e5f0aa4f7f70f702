"""A readable terminal summary of a Document (``rasad analyze -f table``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .doc import Document

_console = Console(highlight=False, soft_wrap=False)


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_table(doc: Document, console: Console | None = None) -> None:
    con = console or _console
    title = doc.meta.get("title") or doc.meta.get("origin") or doc.id
    pub = f"{doc.published}{' (inferred)' if doc.published_inferred else ''}"
    con.rule(f"[bold]{_short(str(title), 60)}[/]  {doc.lang}  published {pub}")
    if doc.byline or doc.credits:
        con.print(f"byline: {doc.byline or '-'}   credits: {', '.join(doc.credits) or '-'}")
    zones = [z for z in doc.zones if z.kind != "body"]
    if zones:
        t = Table("zone", "text", title="zones", title_justify="left")
        for z in zones:
            t.add_row(z.kind, _short(doc.text[z.start:z.end]))
        con.print(t)
    if doc.events:
        t = Table("type", "source", "target", "date", "place", "modality", "rule", "trigger", title="events",
                  title_justify="left")
        for e in doc.events:
            loc = e.location
            t.add_row(
                e.type,
                _actor_label(e.source), _actor_label(e.target),
                e.date or "-", f"{loc.name} ({loc.country or '?'})" if loc else "-",
                e.modality + (", negated" if e.negated else ""), e.rule,
                _short(doc.text[e.trigger.start:e.trigger.end], 30),
            )
        con.print(t)
    if doc.mentions:
        t = Table("mention", "kind", "country", "sector", "actor", title="actors", title_justify="left")
        for m in doc.mentions:
            a = doc.actors.get(m.actor or "")
            t.add_row(m.text, m.kind, (a.country if a else None) or "-", (a.sector if a else None) or "-",
                      (a.name.get("en") or a.id) if a else "-")
        con.print(t)
    if doc.times:
        t = Table("time", "value", "grain", title="times", title_justify="left")
        for x in doc.times:
            t.add_row(x.text, x.value + (f" ({x.mod})" if x.mod else ""), x.grain)
        con.print(t)
    if doc.quantities:
        t = Table("quantity", "value", "unit", title="quantities", title_justify="left")
        for qty in doc.quantities:
            t.add_row(qty.text, str(qty.value), qty.unit or "-")
        con.print(t)
    if doc.quotes:
        t = Table("quote", "speaker", "cue", "date", title="quotes", title_justify="left")
        for q in doc.quotes:
            t.add_row(_short(q.text, 60), q.speaker_text or "-", q.cue or "-", q.date or "-")
        con.print(t)


def _actor_label(a) -> str:
    if a is None:
        return "-"
    code = "".join(x for x in (a.country, a.sector) if x)
    return f"{_short(a.text, 24)} [{code}]" if code else _short(a.text, 24)
