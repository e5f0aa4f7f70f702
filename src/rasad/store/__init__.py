"""The event store: DuckDB tables for documents, annotations, events and event clusters.

``open_store(path)`` opens (creating and migrating) a database; ``Store.ingest`` runs the
pipeline over sources into it, ``Store.add`` stores analyzed Documents, query.py lists events
and articles, export.py writes PLOVER JSONL, CSV, Parquet and a GDELT-shaped table. The
command line's default database is ``./rasad.duckdb`` (or ``$RASAD_DB``); the library has no
default and never reads the environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .db import Store

__all__ = ["DEFAULT_DB", "Store", "open_store"]

DEFAULT_DB = "rasad.duckdb"


def open_store(path: Any, *, read_only: bool = False) -> Store:
    """Open (creating and migrating when needed) the rasad database at ``path``."""
    from .db import open_store as _open

    return _open(path, read_only=read_only)


def __getattr__(name: str) -> Any:
    if name == "Store":
        from .db import Store

        return Store
    raise AttributeError(name)
