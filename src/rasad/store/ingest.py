"""Ingest: sources -> pipeline in worker processes -> DuckDB in batched transactions.

Streaming and bounded: the sources are read lazily, at most ``workers * 4`` chunks are in
flight, and results are written in source order by a writer process (writer.py); workers and
writers are replaced after a fixed amount of work, so memory stays flat however large the input.
Idempotent: a record whose content hash (Document.id) — or, for HTML, raw-page hash — is
already stored is skipped before any work is done. Safe: every document's rows are written in
the same transaction as its ``documents`` row, so a crash, ``kill -9`` or Ctrl-C loses nothing
committed and a rerun finishes the job with no duplicates. A record that cannot be read or
analyzed is written to ``failures`` with its origin and reason.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import duckdb

from ..api import check_date, default_pipeline
from ..doc import Document
from ..errors import InputError, RasadError, StoreError
from ..sources.html import HtmlRecord
from ..sources.text import iter_items
from .db import Store
from .rows import DOCUMENT_COLUMNS, DocRows, doc_rows
from .writer import Failure, peak_rss_mb, writer_for

log = logging.getLogger(__name__)

_ORIGIN = [c for c, _ in DOCUMENT_COLUMNS].index("origin")


@dataclass(slots=True)
class IngestStats:
    seen: int = 0            # records read from the sources
    stored: int = 0          # documents written
    skipped: int = 0         # already stored (same content)
    failed: int = 0          # records that could not be read or analyzed
    events: int = 0          # events written
    clusters: int = 0        # new event clusters
    seconds: float = 0.0
    interrupted: bool = False
    peak_rss_mb: float = 0.0          # this process
    writer_peak_rss_mb: float = 0.0   # the process that wrote the database (this one, or the largest writer)
    worker_peak_rss_mb: float = 0.0   # the largest worker process

    @property
    def rate(self) -> float:
        """Records handled (stored, skipped or failed) per second."""
        return (self.stored + self.skipped + self.failed) / self.seconds if self.seconds else 0.0


# -- the worker side --------------------------------------------------------------------------
def _init_worker() -> None:
    # Ctrl-C is the parent's to handle: it stops feeding work and commits what is done
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    default_pipeline()


def _exit_with_parent() -> None:
    """A worker whose parent was killed (kill -9) waits for work that never comes: it leaves."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="rasad-parent-watch", daemon=True).start()


def analyze_chunk(items: list[Document | HtmlRecord]) -> list[tuple[str, Any]]:
    """Run the pipeline on each item: ("ok", DocRows) or ("fail", Failure)."""
    pipe = default_pipeline()
    out: list[tuple[str, Any]] = []
    for item in items:
        raw_id = None
        if isinstance(item, HtmlRecord):
            raw_id = item.raw_id
            try:
                doc = item.to_document()
            except InputError as exc:
                out.append(("fail", (item.origin, None, "source", str(exc))))
                continue
        else:
            doc = item
        origin = str(doc.meta.get("origin") or doc.id)
        stage = "input"
        try:
            doc.published = check_date(doc.published)
            for s in pipe.stages:
                stage = s.name
                doc = s.fn(doc)
            stage = "store"
            rows = doc_rows(doc, raw_id)
        except RasadError as exc:
            out.append(("fail", (origin, doc.id, stage, str(exc))))
            continue
        except Exception as exc:  # a bug in a stage must not take the whole ingest down
            log.debug("stage %s failed on %s", stage, origin, exc_info=True)
            out.append(("fail", (origin, doc.id, stage, f"{exc.__class__.__name__}: {exc}")))
            continue
        out.append(("ok", rows))
    return out


# -- the parent side --------------------------------------------------------------------------
def _key(item: Document | HtmlRecord) -> str:
    return item.raw_id if isinstance(item, HtmlRecord) else item.id


def _origin(item: Document | HtmlRecord) -> str:
    return item.origin if isinstance(item, HtmlRecord) else str(item.meta.get("origin") or item.id)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Done:
    """A result computed in this process, with the interface of a Future."""

    def __init__(self, value: list[tuple[str, Any]]) -> None:
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> list[tuple[str, Any]]:
        return self.value

    def cancel(self) -> bool:
        return False


def _new_pool(workers: int, worker_chunks: int | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, max_tasks_per_child=worker_chunks)


def ingest(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int = 2,
    text_field: str = "text",
    batch_size: int = 256,
    chunk_size: int = 16,
    commit_seconds: float = 2.0,
    progress: Callable[[IngestStats], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    memory_limit: str | None = "20MB",
    worker_chunks: int | None = 100,
    writer_threads: int | None = 1,
    checkpoint_every: int | None = 4,
    writer_batches: int | None = 4,
) -> IngestStats:
    """Analyze every record of ``paths`` and store it; see the module docstring.

    ``memory_limit`` caps DuckDB's buffer pool while ingesting (it would otherwise keep the
    pages it wrote, and the writer would grow with the database). A worker is replaced after
    ``worker_chunks`` chunks, so that whatever the stages cache or fragment stays bounded
    however long the ingest runs (a new worker costs about a second and starts with cold
    caches, so it is replaced only every 1,600 articles or so). While workers run, DuckDB
    writes with ``writer_threads`` threads (None: DuckDB's default, one per core), so that its
    own thread pool does not take the cores the workers need. Every ``checkpoint_every``
    batches, and at the end, the write-ahead log is checkpointed under the memory cap: DuckDB's
    own checkpoints (and the one at close) would run at whatever size the log had grown to.
    With workers, the database is written from a process of its own, replaced after
    ``writer_batches`` batches (None: one writer in this process): a writer's memory climbs a
    little with every batch (DuckDB's buffers and the allocator keep what they took), so each
    lives for about a thousand articles and the writing stays as small for a year of news as
    for a day; ``store`` is closed meanwhile and opened again at the end.
    """
    stats = IngestStats()
    writer = writer_for(store, process=workers > 0 and bool(writer_batches), memory_limit=memory_limit,
                        threads=writer_threads if workers > 0 else None, batches=writer_batches or 0)
    t0 = time.perf_counter()
    items = (it for p in paths for it in iter_items(os.fspath(p), text_field))
    inflight: set[str] = set()
    pending: deque[tuple[Any, list[tuple[str, str]], list[Failure]]] = deque()
    buf_docs: list[DocRows] = []
    buf_fail: list[Failure] = []
    buf_keys: list[str] = []
    last_commit = time.perf_counter()
    pool: ProcessPoolExecutor | None = None
    if workers > 0:
        pool = _new_pool(workers, worker_chunks)
    max_pending = max(2, workers * 4)
    broken = [0]  # pools broken in a row
    flushes = [0]

    def fail(f: Failure) -> None:
        buf_fail.append(f)
        stats.failed += 1
        if on_failure:
            on_failure(f)

    def flush() -> None:
        nonlocal last_commit
        if buf_docs or buf_fail:
            try:
                n_docs, n_events, n_clusters = writer.write(buf_docs, buf_fail)
            except (duckdb.OutOfMemoryException, duckdb.FatalException):
                raise
            except duckdb.Error:
                # one document the schema refuses (a duplicate event id, say) must not sink the
                # batch: write them one by one and record the one that fails
                n_docs = n_events = n_clusters = 0
                refused: list[Failure] = []
                for d in buf_docs:
                    try:
                        a, b, c = writer.write([d], None)
                    except (duckdb.OutOfMemoryException, duckdb.FatalException):
                        raise
                    except duckdb.Error as exc:
                        origin = str(d.document[_ORIGIN] or d.doc_id)
                        refused.append((origin, d.doc_id, "store", str(exc).splitlines()[0]))
                        continue
                    n_docs, n_events, n_clusters = n_docs + a, n_events + b, n_clusters + c
                for f in refused:
                    fail(f)
                writer.write([], buf_fail)
                stats.skipped -= len(refused)  # counted as failed, not as already stored
            stats.stored += n_docs
            stats.skipped += len(buf_docs) - n_docs
            stats.events += n_events
            stats.clusters += n_clusters
        flushes[0] += 1
        if checkpoint_every and flushes[0] % checkpoint_every == 0:
            writer.checkpoint()
        for k in buf_keys:
            inflight.discard(k)
        buf_docs.clear()
        buf_fail.clear()
        buf_keys.clear()
        last_commit = time.perf_counter()
        stats.seconds = last_commit - t0
        if progress:
            progress(stats)

    def collect(block: bool) -> None:
        nonlocal pool
        while pending and (block or pending[0][0].done()):
            fut, keys, errors = pending.popleft()
            block = False
            for e in errors:
                fail(e)
            try:
                results = fut.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory, a crash in C code): its chunk is recorded
                # as failed, a rerun retries it; the pool is rebuilt for the rest
                broken[0] += 1
                if broken[0] >= 3:
                    raise StoreError(
                        "the worker processes keep dying; run with --workers 0 to see why"
                    ) from None
                for _, origin in keys:
                    fail((origin, None, "worker", "the worker process died while analyzing it; rerun to retry"))
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _new_pool(workers, worker_chunks)
                    _resubmit()
                continue
            broken[0] = 0
            for kind, value in results:
                if kind == "ok":
                    buf_docs.append(value)
                else:
                    fail(value)
            buf_keys.extend(k for k, _ in keys)
            if len(buf_docs) >= batch_size or time.perf_counter() - last_commit >= commit_seconds:
                flush()

    def _resubmit() -> None:
        # the other chunks of the broken pool go to the new one, in their order
        for i, (fut, keys, errors) in enumerate(list(pending)):
            chunk = getattr(fut, "rasad_chunk", None)
            if chunk is not None and pool is not None:
                nf = pool.submit(analyze_chunk, chunk)
                nf.rasad_chunk = chunk  # type: ignore[attr-defined]
                pending[i] = (nf, keys, errors)

    try:
        for chunk in _chunks(items, chunk_size):
            errors: list[Failure] = []
            work: list[Document | HtmlRecord] = []
            for it in chunk:
                stats.seen += 1
                if isinstance(it, InputError):
                    errors.append((_error_origin(it), None, "source", str(it)))
                else:
                    work.append(it)
            keys = [_key(it) for it in work]
            stored = writer.existing(
                [k for k, it in zip(keys, work, strict=True) if not isinstance(it, HtmlRecord)],
                [k for k, it in zip(keys, work, strict=True) if isinstance(it, HtmlRecord)],
            )
            todo, todo_keys = [], []
            for k, it in zip(keys, work, strict=True):
                if k in stored or k in inflight:
                    stats.skipped += 1
                    continue
                inflight.add(k)
                todo.append(it)
                todo_keys.append((k, _origin(it)))
            fut: Any
            if not todo:
                fut = _Done([])
            elif pool is None:
                fut = _Done(analyze_chunk(todo))
            else:
                fut = pool.submit(analyze_chunk, todo)
                fut.rasad_chunk = todo
            pending.append((fut, todo_keys, errors))
            collect(block=len(pending) >= max_pending)
        collect(block=True)
        while pending:
            collect(block=True)
        flush()
    except KeyboardInterrupt:
        stats.interrupted = True
        for fut, _, _ in pending:
            if isinstance(fut, Future):
                fut.cancel()
        # keep what is already analyzed: the results that are done are written
        while pending and pending[0][0].done() and not (isinstance(pending[0][0], Future) and pending[0][0].cancelled()):
            fut, _, errors = pending.popleft()
            for e in errors:
                fail(e)
            try:
                for kind, value in fut.result():
                    (buf_docs.append(value) if kind == "ok" else fail(value))
            except Exception:
                break
        pending.clear()
        try:
            flush()
        except KeyboardInterrupt:
            pass
    finally:
        if pool is not None:
            pool.shutdown(wait=not stats.interrupted, cancel_futures=True)
        # the write-ahead log goes into the database now, under the ingest's memory cap
        writer_peak = writer.close(checkpoint=not stats.interrupted)
        stats.seconds = time.perf_counter() - t0
        stats.peak_rss_mb = peak_rss_mb()
        stats.writer_peak_rss_mb = writer_peak or stats.peak_rss_mb
        stats.worker_peak_rss_mb = peak_rss_mb(resource.RUSAGE_CHILDREN)
    return stats


def _error_origin(exc: InputError) -> str:
    # source errors start with their origin ("path:12: ..." or "cannot read 'path': ...")
    msg = str(exc)
    if msg.startswith("cannot read '"):
        return msg[len("cannot read '"):].split("'", 1)[0]
    head = msg.split(": ", 1)[0]
    return head if head != msg else "source"
