"""The HTTP API and the web page: ``rasad serve`` (FastAPI; everything served offline).

``create_app(db)`` builds the application over a database (read-only unless
``allow_ingest=True``); app.py has the endpoints, queries.py the reads the store does not have,
static/ the page (vanilla JS that builds the DOM with textContent only: article text is
hostile input) and the world outline made by scripts/build_world.py.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The FastAPI application; see ``rasad.web.app.create_app``."""
    from .app import create_app as _create

    return _create(*args, **kwargs)
