"""The HTTP API (FastAPI) and the page it serves.

Endpoints: ``POST /analyze``, ``GET /events``, ``GET /events/{id}``, ``GET /articles/{id}``,
``GET /actors``, ``GET /stats``, ``GET /types``, ``POST /ingest`` (only with
``allow_ingest``); the page at ``/`` and its files under ``/static``. Every error is JSON
``{"error": "..."}`` with its status code. The database is opened once; each request reads
through its own cursor (DuckDB connections are not shared across threads).
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import InputError, RasadError, StoreError
from ..store.db import Store, open_store
from ..store.query import Filters
from . import queries

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_INGEST_DOCS = 500

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'")

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "the article's plain text"},
                    "html": {"type": "string", "description": "or the page's HTML (no URL is fetched)"},
                    "lang": {"type": "string", "enum": ["ar", "en"]},
                    "published": {"type": "string", "description": "YYYY-MM-DD"},
                    "title": {"type": "string"}, "url": {"type": "string"},
                    "source": {"type": "string"}, "author": {"type": "string"},
                    "documents": {"type": "array", "items": {"type": "object"},
                                  "description": "POST /ingest: several articles at once"},
                },
            }},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


async def _read_body(request: Request, limit: int) -> bytes:
    too_big = (f"the request body is over the {_mb(limit)} limit; send one article at a time "
               "(for large collections use 'rasad ingest')")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the request body ({_mb(int(declared))}) is over the {_mb(limit)} limit; "
                            "send one article at a time (for large collections use 'rasad ingest')")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _records(request: Request, body: bytes) -> list[dict[str, Any]]:
    """The articles a body holds: JSON {text|html, ...} or {documents: [...]}, or a raw text/HTML body."""
    from ..sources import decode_bytes

    if not body.strip():
        raise InputError("the request body is empty: send JSON {\"text\": \"...\"} or the text itself")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = {k: v for k, v in request.query_params.items() if k in ("lang", "published", "title")}
    if ctype in ("application/json", "") and body.lstrip()[:1] in (b"{", b"["):
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"the body is not valid JSON ({exc.__class__.__name__})") from None
        items = data.get("documents") if isinstance(data, dict) and "documents" in data else data
        items = items if isinstance(items, list) else [items]
        if not all(isinstance(x, dict) for x in items):
            raise InputError("each article must be a JSON object with 'text' or 'html'")
        return [{**params, **x} for x in items]
    text = decode_bytes(body, "the request body")
    if ctype in ("text/html", "application/xhtml+xml"):
        return [{**params, "html": text}]
    return [{**params, "text": text}]


def _document(rec: dict[str, Any]) -> Any:
    from ..api import check_date
    from ..doc import Document
    from ..sources.html import html_to_document

    lang = rec.get("lang")
    if lang not in (None, "", "ar", "en"):
        raise InputError(f"unknown language '{lang}'; give ar or en, or leave it out to detect it")
    if isinstance(rec.get("html"), str):
        doc = html_to_document(rec["html"], origin="request", url=rec.get("url"))
    elif isinstance(rec.get("text"), str) and rec["text"].strip():
        meta = {k: str(rec[k]) for k in ("url", "source", "title", "author") if rec.get(k)}
        meta["origin"] = "request"
        doc = Document(text=rec["text"].replace("\r\n", "\n"), meta=meta)
    elif rec.get("url"):
        raise InputError("rasad does not fetch pages: send the page itself as 'html' (or its text as 'text')")
    else:
        raise InputError("nothing to analyze: give 'text' (plain text) or 'html' (a page)")
    if rec.get("title") and not doc.meta.get("title"):
        doc.meta["title"] = str(rec["title"])
    if lang:
        doc.lang = lang
    published = check_date(rec.get("published"))
    if published:
        doc.published = published
    return doc


def _csv(rows: list[tuple[Any, ...]]) -> Iterator[str]:
    """CSV text (header: queries.CSV_COLUMNS), a chunk at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(queries.CSV_COLUMNS)
    for i in range(0, len(rows), 500):
        writer.writerows(rows[i:i + 500])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _static_dir() -> Path:
    return Path(str(resources.files("rasad.web").joinpath("static")))


def get_store(request: Request) -> Iterator[Store]:
    """The request's own read cursor on the app's database."""
    base: Store = request.app.state.store
    cur = base.con.cursor()
    try:
        yield Store(cur, base.path, True)
    finally:
        cur.close()


StoreDep = Annotated[Store, Depends(get_store)]


def create_app(db: str | Path | Store, *, allow_ingest: bool = False,
               max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The API over the database ``db`` (a path, or an open Store); read-only unless ``allow_ingest``."""
    if isinstance(db, Store):
        base = db
    else:
        base = open_store(db, read_only=not allow_ingest)
    write_lock = threading.Lock()
    analyze_lock = threading.Lock()
    static = _static_dir()

    app = FastAPI(
        title="rasad", version=__version__,
        description=("Political event data from Arabic and English news, every field traceable to "
                     "its characters. Errors are JSON {\"error\": \"...\"}."),
    )
    app.state.store = base
    app.state.allow_ingest = allow_ingest

    # -- errors ------------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(queries.NotFound)
    async def _not_found(_: Request, exc: queries.NotFound) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(StoreError)
    async def _store_error(_: Request, exc: StoreError) -> JSONResponse:
        return _error(503, str(exc))

    @app.exception_handler(RasadError)
    async def _rasad_error(_: Request, exc: RasadError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        msg = str(exc.detail)
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"no such page or endpoint: {request.url.path}; the API is described at /openapi.json"
        elif exc.status_code == 405:
            msg = f"{request.method} is not allowed on {request.url.path}"
        return _error(exc.status_code, msg)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return _error(422, "bad parameter: " + "; ".join(parts))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        return _error(500, f"internal error ({exc.__class__.__name__}); please report it")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    # -- the page ----------------------------------------------------------------------------
    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=static), name="static")

    # -- the API -----------------------------------------------------------------------------
    @app.post("/analyze", summary="Analyze one article (text or HTML) and return its Document JSON",
              openapi_extra=_BODY_DOC)
    async def analyze(request: Request) -> JSONResponse:
        body = await _read_body(request, max_body_bytes)
        recs = _records(request, body)
        if len(recs) != 1:
            raise InputError("POST /analyze takes one article; POST /ingest takes several")

        def work() -> dict[str, Any]:
            from ..api import run

            doc = _document(recs[0])
            with analyze_lock:
                return run(doc).to_json()

        return JSONResponse(await run_in_threadpool(work))

    @app.get("/events", summary="Events (one per real-world event), filtered, sorted, paginated")
    def list_events(
        store: StoreDep,
        since: str | None = None, until: str | None = None, actor: str | None = None,
        country: str | None = None,
        type: Annotated[str | None, Query(description="PLOVER type(s), comma-separated")] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        text: str | None = None,
        limit: Annotated[int | None, Query(ge=1, le=queries.MAX_LIMIT)] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        sort: Annotated[str, Query(description="date, confidence, type, goldstein, mentions, "
                                               "articles; prefix - for descending")] = "-date",
        format: Literal["json", "csv"] = "json",
    ) -> Response:
        f = Filters(since=since, until=until, actor=actor, country=country, type=type,
                    min_confidence=min_confidence, text=text)
        if format == "csv":  # every matching event unless a limit is given
            rows = queries.csv_rows(store, f, limit=limit, offset=offset, sort=sort)
            return StreamingResponse(_csv(rows), media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": 'attachment; filename="rasad-events.csv"'})
        n = limit if limit is not None else 50
        total, recs = queries.events_page(store, f, limit=n, offset=offset, sort=sort)
        return JSONResponse({"total": total, "limit": n, "offset": offset, "sort": sort,
                             "events": recs}, headers={"X-Total-Count": str(total)})

    @app.get("/events/{event_id}", summary="One event: its mentions across articles and why they merged")
    def get_event(store: StoreDep, event_id: str) -> JSONResponse:
        return JSONResponse(queries.event_detail(store, event_id))

    @app.get("/articles/{doc_id}", summary="One article: text, zones and every annotation")
    def get_article(store: StoreDep, doc_id: str) -> JSONResponse:
        return JSONResponse(queries.article(store, doc_id))

    @app.get("/actors", summary="Actors by Arabic or English name, id or code (IRNGOV)")
    def list_actors(store: StoreDep, q: str | None = None,
                    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 50) -> JSONResponse:
        return JSONResponse({"q": q, "actors": queries.actors(store, q, limit)})

    @app.get("/stats", summary="Counts by day, type, quad class and country dyad; network; places")
    def get_stats(
        store: StoreDep,
        since: str | None = None, until: str | None = None, actor: str | None = None,
        country: str | None = None, type: str | None = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        text: str | None = None,
    ) -> JSONResponse:
        f = Filters(since=since, until=until, actor=actor, country=country, type=type,
                    min_confidence=min_confidence, text=text)
        out = queries.stats(store, f)
        out["articles"] = store.count("documents")
        return JSONResponse(out)

    @app.get("/types", summary="The 16 PLOVER event types with their quad class")
    def get_types() -> JSONResponse:
        return JSONResponse({"types": queries.types(), "allow_ingest": allow_ingest})

    @app.post("/ingest", summary="Analyze and store articles (only with rasad serve --allow-ingest)",
              openapi_extra=_BODY_DOC)
    async def ingest(request: Request) -> JSONResponse:
        if not allow_ingest:
            raise ApiError(403, "ingest is off: this server is read-only; start it with "
                                "'rasad serve --allow-ingest' to add articles")
        body = await _read_body(request, max_body_bytes)
        recs = _records(request, body)
        if len(recs) > MAX_INGEST_DOCS:
            raise ApiError(413, f"{len(recs)} articles in one request; send at most {MAX_INGEST_DOCS}")

        def work() -> dict[str, Any]:
            from ..api import run

            docs = [_document(r) for r in recs]
            with analyze_lock:
                docs = [run(d) for d in docs]
            with write_lock:
                cur = base.con.cursor()
                try:
                    stored = Store(cur, base.path, False).add(docs)
                finally:
                    cur.close()
            return {"stored": stored, "skipped": len(docs) - stored,
                    "documents": [{"id": d.id, "title": d.meta.get("title"), "lang": d.lang,
                                   "published": d.published, "events": len(d.events)} for d in docs]}

        return JSONResponse(await run_in_threadpool(work))

    return app
