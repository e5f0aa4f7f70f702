"""The DuckDB store: open and migrate, write documents with their annotations in transactions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ..doc import Document
from ..errors import StoreError
from .dedup import CLUSTER_COLUMNS, CLUSTER_TYPES, Deduper, mention_from_row
from .rows import (
    ACTOR_COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    SPAN_TABLES,
    DocRows,
    doc_rows,
)

_MIGRATION = re.compile(r"^-- migration (\d+): (.*)$", re.M)
_EVENT_INDEX = {c: i for i, (c, _) in enumerate(EVENT_COLUMNS)}


def migrations() -> list[tuple[int, str, str]]:
    """(version, description, SQL) for every migration in schema.sql, in order."""
    sql = resources.files("rasad.store").joinpath("schema.sql").read_text(encoding="utf-8")
    marks = list(_MIGRATION.finditer(sql))
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(sql)
        out.append((int(m.group(1)), m.group(2).strip(), sql[m.end():end]))
    return out


def _insert(con: Any, table: str, columns: list[tuple[str, str]], rows: list[tuple[Any, ...]],
            now: dt.datetime | None = None) -> None:
    """Insert many rows at once: one list parameter per column, unnested side by side."""
    if not rows:
        return
    cols = [list(c) for c in zip(*rows, strict=True)]
    names = ", ".join(c for c, _ in columns)
    sel = ", ".join(f"unnest(?::{t}[])" for _, t in columns)
    params: list[Any] = cols
    if now is not None:
        names += ", ingested_at"
        sel += ", ?::TIMESTAMP"
        params = [*cols, now]
    con.execute(f"INSERT INTO {table} ({names}) SELECT {sel}", params)


def _span_columns(table: str) -> list[tuple[str, str]]:
    return [("doc_id", "VARCHAR"), ("n", "INTEGER"),
            *((c, t) for c, _, t in SPAN_TABLES[table]), ("extra", "VARCHAR")]


class Store:
    """A rasad database. ``open_store(path)`` makes one; use it as a context manager."""

    def __init__(self, con: Any, path: str, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self._known_actors: set[str] = set()

    # -- life cycle ----------------------------------------------------------------------
    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def version(self) -> int:
        try:
            row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        except Exception:  # no schema_version table: an empty database
            return 0
        return int(row[0])

    def migrate(self) -> None:
        have = self.version()
        known = migrations()
        newest = known[-1][0] if known else 0
        if have > newest:
            raise StoreError(
                f"the database '{self.path}' has schema version {have}, newer than this rasad "
                f"knows ({newest}); upgrade rasad"
            )
        for version, desc, sql in known:
            if version <= have:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, desc])
                self.con.execute("COMMIT")
            except Exception as exc:
                self.con.execute("ROLLBACK")
                raise StoreError(f"cannot migrate '{self.path}' to schema {version}: {exc}") from None

    # -- writing -------------------------------------------------------------------------
    def existing(self, ids: Iterable[str], raw_ids: Iterable[str] = ()) -> set[str]:
        """Those of ``ids`` (document ids) and ``raw_ids`` already stored."""
        ids, raw_ids = list(ids), list(raw_ids)
        out: set[str] = set()
        if ids:
            out.update(r[0] for r in self.con.execute(
                "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())
        if raw_ids:
            out.update(r[0] for r in self.con.execute(
                "SELECT raw_id FROM documents WHERE raw_id IN (SELECT unnest(?::VARCHAR[]))",
                [raw_ids]).fetchall())
        return out

    def write(self, batch: list[DocRows],
              failures: list[tuple[str, str | None, str | None, str]] | None = None
              ) -> tuple[int, int, int]:
        """Store documents (skipping those present) and failures in ONE transaction.

        Returns (documents written, events written, new clusters). ``failures`` are
        (origin, doc_id, stage, reason).
        """
        now = dt.datetime.now()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            present = self.existing([r.doc_id for r in batch])
            todo: list[DocRows] = []
            for r in batch:
                if r.doc_id not in present:
                    present.add(r.doc_id)
                    todo.append(r)
            counts, new_actors = self._write_docs(todo, now) if todo else ((0, 0, 0), set())
            if failures:
                self._write_failures(failures, now)
            if todo:
                con.execute("DELETE FROM failures WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                            [[r.doc_id for r in todo]])
            con.execute("COMMIT")
            self._known_actors |= new_actors
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except Exception:
                pass
            raise
        return counts

    def _write_docs(self, todo: list[DocRows], now: dt.datetime) -> tuple[tuple[int, int, int], set[str]]:
        con = self.con
        _insert(con, "documents", DOCUMENT_COLUMNS, [r.document for r in todo], now)
        for table in SPAN_TABLES:
            _insert(con, table, _span_columns(table), [row for r in todo for row in r.tables.get(table, ())])
        _insert(con, "document_actors", [("doc_id", "VARCHAR"), ("actor_id", "VARCHAR")],
                [row for r in todo for row in r.tables.get("document_actors", ())])
        new_actors: dict[str, tuple[Any, ...]] = {}
        for r in todo:
            for a in r.actors:
                if a[0] not in self._known_actors and a[0] not in new_actors:
                    new_actors[a[0]] = a
        if new_actors:
            stored = {row[0] for row in con.execute(
                "SELECT id FROM actors WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(new_actors)]).fetchall()}
            _insert(con, "actors", ACTOR_COLUMNS, [a for k, a in new_actors.items() if k not in stored])
        events = [e for r in todo for e in r.events]
        _insert(con, "events", EVENT_COLUMNS, events)
        new_clusters = self._cluster(events)
        return (len(todo), len(events), new_clusters), set(new_actors)

    def _cluster(self, events: list[tuple[Any, ...]]) -> int:
        if not events:
            return 0
        names = [c for c, _ in EVENT_COLUMNS]
        mentions = [mention_from_row(dict(zip(names, e, strict=True))) for e in events]
        members, touched, old = Deduper(self.con).assign(mentions)
        if old:
            self.con.execute("DELETE FROM event_clusters WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(old)])
        _insert(self.con, "event_clusters", [(c, CLUSTER_TYPES[c]) for c in CLUSTER_COLUMNS],
                [tuple(getattr(c, name) for name in CLUSTER_COLUMNS) for c in touched])
        _insert(self.con, "cluster_members",
                [("doc_id", "VARCHAR"), ("event_id", "VARCHAR"), ("cluster_id", "VARCHAR"),
                 ("n", "INTEGER"), ("score", "DOUBLE"), ("reason", "VARCHAR")], members)
        return len(touched) - len(old)

    def _write_failures(self, failures: Iterable[tuple[str, str | None, str | None, str]], now: dt.datetime) -> None:
        seen: dict[tuple[str, str], tuple[Any, ...]] = {}
        for origin, doc_id, stage, reason in failures:
            key = (origin or doc_id or "?", reason)
            seen.setdefault(key, (key[0], doc_id, stage, reason))
        rows = list(seen.values())
        self.con.execute(
            """INSERT INTO failures (origin, doc_id, stage, reason, ingested_at)
               SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                      unnest(?::VARCHAR[]), ?::TIMESTAMP
               ON CONFLICT DO NOTHING""",
            [*[list(c) for c in zip(*rows, strict=True)], now],
        )

    def add(self, docs: Document | Iterable[Document]) -> int:
        """Store analyzed Documents as they are (no pipeline run); returns how many were new."""
        if isinstance(docs, Document):
            docs = [docs]
        return self.write([doc_rows(d) for d in docs])[0]

    # -- reading (see query.py and export.py) ---------------------------------------------
    def count(self, table: str) -> int:
        if not re.fullmatch(r"[a-z_]+", table):
            raise StoreError(f"no table '{table}'")
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating and migrating when needed) the rasad database at ``path``."""
    import duckdb

    p = str(path)
    if read_only and p != ":memory:" and not Path(p).exists():
        raise StoreError(f"no database at '{p}': run 'rasad ingest PATH --db {p}' first")
    if p != ":memory:":
        parent = Path(p).parent
        if not parent.exists():
            raise StoreError(f"cannot create the database '{p}': the folder '{parent}' does not exist")
    try:
        con = duckdb.connect(p, read_only=read_only)
    except duckdb.IOException as exc:
        msg = str(exc)
        if "lock" in msg.lower():
            raise StoreError(
                f"the database '{p}' is in use by another process (an ingest?); "
                "wait for it to finish, or give another --db"
            ) from None
        raise StoreError(f"cannot open the database '{p}': {msg.splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the database '{p}': {str(exc).splitlines()[0]}") from None
    store = Store(con, p, read_only)
    if read_only:
        v = store.version()
        newest = migrations()[-1][0]
        if v == 0:
            store.close()
            raise StoreError(f"'{p}' is not a rasad database; run 'rasad ingest PATH --db {p}' to make one")
        if v != newest:
            store.close()
            raise StoreError(f"the database '{p}' has schema {v}, this rasad uses {newest}; "
                             f"an ingest into it (rasad ingest PATH --db {p}) upgrades it")
    else:
        store.migrate()
    return store
