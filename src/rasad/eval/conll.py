"""Entity-level precision, recall and F1 for BIO tags, as conlleval counts them.

A gold and a predicted entity match when span and type are both equal. Chunks follow
conlleval: an ``I-X`` after ``O`` or after another type starts a new chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError


def _split(tag: str) -> tuple[str, str]:
    if tag in ("O", "", "-"):
        return "O", ""
    prefix, _, kind = tag.partition("-")
    if not kind:  # a bare type counts as inside
        return "I", prefix
    return prefix, kind


def chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` of the entities in a BIO(ES) tag sequence, end exclusive."""
    out: list[tuple[int, int, str]] = []
    start = -1
    prev_p, prev_t = "O", ""
    for i, tag in enumerate(list(tags) + ["O"]):
        p, t = _split(tag)
        ends = prev_p != "O" and (p in ("O", "B", "S") or prev_p in ("E", "S") or t != prev_t)
        begins = p != "O" and (p in ("B", "S") or prev_p in ("O", "E", "S") or t != prev_t)
        if ends and start >= 0:
            out.append((start, i, prev_t))
            start = -1
        if begins:
            start = i
        prev_p, prev_t = p, t
    return out


@dataclass
class Score:
    """Counts per type; ``prf(type)`` gives precision, recall and F1."""

    gold: dict[str, int] = field(default_factory=dict)
    pred: dict[str, int] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    tokens: int = 0
    tokens_correct: int = 0

    def add(self, gold: Sequence[str], pred: Sequence[str]) -> None:
        """Count one sentence."""
        if len(gold) != len(pred):
            raise ValueError(f"{len(gold)} gold tags but {len(pred)} predicted")
        g, p = set(chunks(gold)), set(chunks(pred))
        for _s, _e, t in g:
            self.gold[t] = self.gold.get(t, 0) + 1
        for _s, _e, t in p:
            self.pred[t] = self.pred.get(t, 0) + 1
        for _s, _e, t in g & p:
            self.correct[t] = self.correct.get(t, 0) + 1
        self.tokens += len(gold)
        self.tokens_correct += sum(a == b for a, b in zip(gold, pred, strict=True))

    def types(self) -> list[str]:
        return sorted(set(self.gold) | set(self.pred))

    def prf(self, kind: str | None = None) -> tuple[float, float, float]:
        """Precision, recall, F1 of one type, or overall when ``kind`` is None."""
        if kind is None:
            c, g, p = sum(self.correct.values()), sum(self.gold.values()), sum(self.pred.values())
        else:
            c, g, p = self.correct.get(kind, 0), self.gold.get(kind, 0), self.pred.get(kind, 0)
        prec = c / p if p else 0.0
        rec = c / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return prec, rec, f1

    def table(self) -> str:
        """The per-type table and the overall line, as text."""
        lines = [f"{'type':<8}{'prec':>8}{'rec':>8}{'F1':>8}{'gold':>7}{'pred':>7}"]
        for t in self.types() + [None]:
            p, r, f = self.prf(t)
            g = self.gold.get(t, 0) if t else sum(self.gold.values())
            n = self.pred.get(t, 0) if t else sum(self.pred.values())
            lines.append(f"{t or 'overall':<8}{p:>8.4f}{r:>8.4f}{f:>8.4f}{g:>7}{n:>7}")
        acc = self.tokens_correct / self.tokens if self.tokens else 0.0
        lines.append(f"tokens {self.tokens}, accuracy {acc:.4f}")
        return "\n".join(lines)


def score(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Score:
    """Score ``(gold_tags, predicted_tags)`` sentence pairs."""
    s = Score()
    for gold, pred in pairs:
        s.add(gold, pred)
    return s


def read_text(path: str | Path) -> str:
    """The text of a CoNLL file (``-``: standard input), or an InputError saying what to give."""
    if str(path) == "-":
        import sys

        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError(f"cannot read '{path}': no such file; give a CoNLL file") from None
        except IsADirectoryError:
            raise InputError(f"cannot read '{path}': a folder; give a CoNLL file") from None
        except OSError as exc:
            raise InputError(f"cannot read '{path}': {exc.strerror}; give a CoNLL file") from None
    if b"\x00" in data[:4096]:
        raise InputError(f"cannot read '{path}': not text (binary data); give a CoNLL file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"cannot read '{path}': not UTF-8 text; give a UTF-8 CoNLL file") from None
    if not text.strip():
        raise InputError(f"'{path}' holds no tokens; give a CoNLL file (token first, one a line)")
    return text


def read_conll(path: str | Path) -> list[list[list[str]]]:
    """Sentences of a CoNLL file: each a list of lines split on whitespace (token first)."""
    sents: list[list[list[str]]] = []
    cur: list[list[str]] = []
    for line in read_text(path).splitlines():
        cols = line.split()
        if not cols:
            if cur:
                sents.append(cur)
                cur = []
            continue
        cur.append(cols)
    if cur:
        sents.append(cur)
    return sents


def _check_tag(tag: str, path: str | Path) -> str:
    p, _, kind = tag.partition("-")
    if tag == "O" or (p in ("B", "I", "E", "S") and kind):
        return tag
    raise InputError(
        f"'{path}': '{tag}' is not a BIO tag; give a CoNLL file with the gold tag in the last column"
    )


def evaluate_file(path: str | Path, tagger=None) -> Score:
    """Tag the tokens of a CoNLL file with rasad's name tagger and score its last column."""
    from ..ner import default_tagger

    tagger = tagger or default_tagger()
    sents = read_conll(path)
    for sent in sents:
        if any(len(cols) < 2 for cols in sent):
            raise InputError(
                f"'{path}' has lines without a gold tag; give token and BIO tag per line"
            )
    s = Score()
    golds = [[_check_tag(cols[-1], path) for cols in sent] for sent in sents]
    for gold, pred in zip(
        golds, tagger.tag_text([[cols[0] for cols in sent] for sent in sents]), strict=True
    ):
        s.add(gold, pred)
    return s


def main(paths: Sequence[str], as_json: bool = False) -> int:
    """``rasad eval ner``: print the per-type table (or JSON) for each file."""
    import json

    for path in paths:
        s = evaluate_file(path)
        if as_json:
            types = {
                t: dict(zip(("precision", "recall", "f1"), s.prf(t), strict=True))
                for t in s.types()
            }
            p, r, f = s.prf()
            print(
                json.dumps(
                    {"file": str(path), "types": types, "precision": p, "recall": r, "f1": f}
                )
            )
        else:
            if len(paths) > 1:
                print(path)
            print(s.table())
    return 0
