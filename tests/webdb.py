"""A small real database for the API and browser tests (tests/test_api.py, tests/test_web.py).

Twenty real articles of the shared Arabic corpus, the two golden articles (published
2024-01-09) and a hostile article whose text carries markup and event handlers, ingested with
the store's own ingest into a temporary folder, once per test session.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "data" / "corpora" / "ar" / "saudinewsnet-aawsat-spa.jsonl"
N_CORPUS = 20

HOSTILE_TITLE = "Hostile <script>window.__rasad_pwned = 'title'</script> title"
HOSTILE_TEXT = (
    "Iran condemned Israel on Monday. <script>window.__rasad_pwned = 'script'</script>\n"
    "The ministry said \" onmouseover=\"window.__rasad_pwned='attr'\" x=\" and "
    "<img src=x onerror=\"window.__rasad_pwned='img'\"> in its statement.\n"
    "Egypt urged Iran to release the prisoners on Sunday, <b>officials</b> said."
)

_built: dict[str, Path] = {}


def records() -> list[dict]:
    """The records ingested: corpus lines, the seeds with their date, the hostile article."""
    out = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append({"text": rec["content"], "title": rec.get("title"), "url": rec.get("url"),
                        "source": rec.get("source"), "published": (rec.get("date_extracted") or "")[:10] or None})
            if len(out) == N_CORPUS:
                break
    for name, lang in (("seed", "ar"), ("seed-en", "en")):
        text = (SHARED / "golden" / name / "article.txt").read_text(encoding="utf-8")
        out.append({"text": text, "published": "2024-01-09", "lang": lang, "title": f"golden {name}",
                    "source": f"golden-{name}"})
    out.append({"text": HOSTILE_TEXT, "published": "2024-01-08", "lang": "en", "title": HOSTILE_TITLE,
                "source": "hostile.example"})
    return out


def build(folder: Path) -> Path:
    """Ingest ``records()`` into ``folder``/web.duckdb (once per session) and return its path."""
    key = str(folder)
    if key in _built:
        return _built[key]
    from rasad.store import open_store
    from rasad.store.ingest import ingest

    folder.mkdir(parents=True, exist_ok=True)
    src = folder / "articles.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for rec in records():
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    db = folder / "web.duckdb"
    with open_store(db) as store:
        stats = ingest(store, [src], workers=0, memory_limit=None)
    assert stats.failed == 0, stats
    _built[key] = db
    return db
