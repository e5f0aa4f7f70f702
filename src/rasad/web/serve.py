"""``rasad serve``: the API and the page in one process (uvicorn), on a local address by default."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from typing import Any

from ..errors import InputError, RasadError


def add_serve_command(sub: Any) -> None:
    """Register ``rasad serve`` on the main parser's subparsers."""
    from ..store import DEFAULT_DB

    s = sub.add_parser("serve", help="serve the HTTP API and the web page over a database")
    s.add_argument("--db", default=None, metavar="FILE",
                   help=f"the database (default: $RASAD_DB, else ./{DEFAULT_DB})")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--allow-ingest", action="store_true",
                   help="open the database for writing and accept POST /ingest (read-only otherwise)")
    s.set_defaults(func=cmd_serve)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} on {host} is in use; give another with --port") from None
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise RasadError(f"serving needs FastAPI and uvicorn ({exc.name} is missing); "
                         "pip install fastapi uvicorn") from None
    from ..store.cli_cmds import default_db

    if not 0 <= args.port <= 65535:
        raise InputError(f"bad --port {args.port}: give 0 to 65535")
    db = args.db or default_db()
    app = create_app(db, allow_ingest=args.allow_ingest)
    sock = _bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    mode = "ingest allowed" if args.allow_ingest else "read-only"
    print(f"rasad: serving {db} ({mode}) at http://{shown}:{port}/ — Ctrl-C stops", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        app.state.store.close()
    print("rasad: stopped", file=sys.stderr)
    return 0
