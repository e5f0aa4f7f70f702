"""The ingest's writer: the one connection that writes, in this process or in a process of its own.

``LocalWriter`` writes through an open ``Store``. ``WriterProcess`` owns the database from a
child process instead and is replaced by a new one every ``batches`` writes, the way the
pipeline workers are: what DuckDB and the allocator keep between transactions (metadata,
freed-but-held pages) then never builds up, and the writer's memory stays the same for a
month of news as for a day. Both cap DuckDB's buffer pool (doubling the cap when a write
needs more) and write with few threads, so the workers keep the cores.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import signal
from collections.abc import Callable
from typing import Any

import duckdb

from ..errors import StoreError
from .db import Store, open_store
from .rows import DocRows

log = logging.getLogger(__name__)

# (origin, doc_id, stage, reason)
Failure = tuple[str, str | None, str | None, str]
MAX_MEMORY_MB = 4096


def _mb(size: str) -> int:
    s = size.strip().upper().removesuffix("B")
    factor = {"K": 1 / 1024, "M": 1, "G": 1024}.get(s[-1:], None)
    return max(1, int(float(s[:-1]) * factor)) if factor else max(1, int(float(s)) // (1024 * 1024))


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB: of this process, or of the largest child waited for."""
    if who == resource.RUSAGE_SELF:
        # the kernel's high-water mark of this process's own memory; getrusage's would start
        # at the size of the parent that spawned it (it survives exec)
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            pass
    return resource.getrusage(who).ru_maxrss / 1024.0


class LocalWriter:
    """Writes through ``store`` in this process."""

    def __init__(self, store: Store, memory_limit: str | None, threads: int | None) -> None:
        self.store = store
        self.limit = _mb(memory_limit) if memory_limit else 0
        self.threads = threads
        if self.limit:
            store.con.execute(f"SET memory_limit = '{self.limit}MB'")
        if threads:
            store.con.execute(f"SET threads = {int(threads)}")

    def _retry(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)``; when the capped buffer pool is too small for it, double the cap and
        retry (a failed write transaction was rolled back: nothing is written twice)."""
        while True:
            try:
                return fn(*args)
            except duckdb.OutOfMemoryException:
                if not self.limit or self.limit >= MAX_MEMORY_MB:
                    raise
                self.limit *= 2
                log.info("raising the ingest memory limit to %d MB", self.limit)
                self.store.con.execute(f"SET memory_limit = '{self.limit}MB'")

    def existing(self, ids: list[str], raw_ids: list[str]) -> set[str]:
        return self._retry(self.store.existing, ids, raw_ids)  # type: ignore[no-any-return]

    def write(self, docs: list[DocRows], failures: list[Failure] | None) -> tuple[int, int, int]:
        return self._retry(self.store.write, docs, failures)  # type: ignore[no-any-return]

    def checkpoint(self) -> None:
        # a small checkpoint now, under the memory cap, rather than a big one later: left to
        # close(), it would run uncapped and grow with the database
        try:
            self.store.con.execute("CHECKPOINT")
        except duckdb.OutOfMemoryException:
            pass  # not written: a later checkpoint (or the next writer's) will
        except duckdb.FatalException as exc:  # DuckDB gave the connection up; the file is intact
            raise StoreError("the database could not be checkpointed "
                             f"({str(exc).splitlines()[0]}); what was committed is kept: rerun the "
                             "ingest to finish the job") from None

    def close(self, checkpoint: bool = True) -> float:
        """Checkpoint and give the connection its defaults back; the peak memory of writing
        (0: it is this process's own)."""
        try:
            if checkpoint:
                self.checkpoint()
            if self.limit:
                self.store.con.execute("RESET memory_limit")
            if self.threads:
                self.store.con.execute("RESET threads")
        except Exception:  # the connection is gone (interrupted mid-statement)
            pass
        return 0.0


# -- a writer in a process of its own ----------------------------------------------------------
def _serve(conn: Any, path: str, memory_limit: str | None, threads: int | None) -> None:
    """The child's loop: (op, args) in, ("ok", result) or ("err", exception) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    store: Store | None = None
    try:
        while True:
            try:
                op, args = conn.recv()
            except (EOFError, OSError):  # the parent is gone: what is committed is kept
                return
            try:
                if store is None:
                    store = open_store(path)
                    writer = LocalWriter(store, memory_limit, threads)
                if op == "close":
                    writer.close(*args)
                    store.close()
                    store = None
                    conn.send(("ok", peak_rss_mb()))
                    return
                conn.send(("ok", getattr(writer, op)(*args)))
            except Exception as exc:
                try:
                    conn.send(("err", exc))
                except Exception:  # an exception that does not pickle
                    conn.send(("err", StoreError(f"{exc.__class__.__name__}: {exc}")))
    finally:
        if store is not None:
            store.close()


class WriterProcess:
    """The ``LocalWriter`` interface, served by a child process that owns the database.

    ``store``'s connection is closed while the writer runs (DuckDB lets one process write) and
    opened again by ``close()``. A new child is started ahead of time, so replacing one costs
    only the checkpoint that closes the old.
    """

    def __init__(self, store: Store, memory_limit: str | None, threads: int | None,
                 batches: int) -> None:
        self.store = store
        self.path = store.path
        self.args = (self.path, memory_limit, threads)
        self.batches = max(1, batches)
        self.ctx = multiprocessing.get_context("spawn")
        self.writes = 0
        self.peak = 0.0
        self.owed = False  # a reply not yet read (its call was interrupted by Ctrl-C)
        store.close()
        self.current: tuple[Any, Any] | None = self._start()
        self.spare: tuple[Any, Any] | None = None

    def _start(self) -> tuple[Any, Any]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, *self.args), daemon=True,
                                name="rasad-writer")
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the child starts with Ctrl-C ignored
        try:
            proc.start()
        finally:
            signal.signal(signal.SIGINT, old)
        child.close()
        return proc, parent

    def _call(self, op: str, *args: Any) -> Any:
        if self.current is None:
            self.current, self.spare = self.spare or self._start(), None
        proc, conn = self.current
        try:
            if self.owed:
                conn.recv()
                self.owed = False
            conn.send((op, args))
            self.owed = True
            kind, value = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.current = None
            raise StoreError("the database writer process died; what it committed is kept: "
                             "rerun the ingest to finish the job") from None
        self.owed = False
        if kind == "err":
            raise value
        return value

    def existing(self, ids: list[str], raw_ids: list[str]) -> set[str]:
        return self._call("existing", ids, raw_ids)  # type: ignore[no-any-return]

    def write(self, docs: list[DocRows], failures: list[Failure] | None) -> tuple[int, int, int]:
        out = self._call("write", docs, failures)
        self.writes += 1
        if self.writes % self.batches == 0:
            self.spare = self._start()
            self._retire(checkpoint=True)
        return out  # type: ignore[no-any-return]

    def checkpoint(self) -> None:
        self._call("checkpoint")

    def _retire(self, checkpoint: bool) -> None:
        if self.current is None:
            return
        try:
            peak = self._call("close", checkpoint)
            log.debug("writer process retired after %d writes: peak %.0f MB", self.writes, peak)
            self.peak = max(self.peak, peak)
        finally:
            if self.current is not None:
                proc, conn = self.current
                conn.close()
                proc.join(timeout=30)
            self.current = None

    def close(self, checkpoint: bool = True) -> float:
        """Retire the writer (and the spare), open ``store`` again; the writers' peak memory."""
        try:
            self._retire(checkpoint)
        finally:
            if self.spare is not None:
                proc, conn = self.spare
                conn.close()  # it sees the end of its pipe and exits
                proc.join(timeout=30)
                self.spare = None
            self.store.con = open_store(self.path).con
        return self.peak


def writer_for(store: Store, *, process: bool, memory_limit: str | None, threads: int | None,
               batches: int) -> LocalWriter | WriterProcess:
    if process and store.path != ":memory:":
        return WriterProcess(store, memory_limit, threads, batches)
    return LocalWriter(store, memory_limit, threads)


__all__ = ["Failure", "LocalWriter", "WriterProcess", "peak_rss_mb", "writer_for"]
