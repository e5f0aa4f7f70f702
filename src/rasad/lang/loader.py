"""Reads and caches the language data in ``rasad/lang/<code>/`` (TSV and YAML files).

Every file is human-edited data; rows are checked as they are read, and a malformed file
raises ResourceError naming the file and line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from ..errors import ResourceError

LANGS = ("ar", "en")


def lang_dir(lang: str | None = None) -> Path:
    root = Path(__file__).resolve().parent
    return root / lang if lang else root


def data_path(lang: str | None, name: str) -> Path:
    return lang_dir(lang) / name


@functools.cache
def read_tsv(lang: str | None, name: str, columns: int = 0) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV file, without comments (``#``) and blank lines.

    ``columns`` is the number of columns a row must at least have.
    """
    path = data_path(lang, name)
    if not path.exists():
        return ()
    return read_tsv_path(path, columns)


def read_tsv_path(path: Path, columns: int = 0) -> tuple[tuple[str, ...], ...]:
    """Rows of the TSV file at ``path`` (comments and blank lines left out), checked."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            row = tuple(c.strip() for c in line.split("\t"))
            if len(row) < columns:
                raise ResourceError(
                    f"{path}:{n}: expected at least {columns} tab-separated columns, got {len(row)}"
                )
            rows.append(row)
    return tuple(rows)


# libyaml's safe loader when PyYAML was built with it (the PyPI wheels are): the same documents,
# ten times faster to read — the trigger lexicons are most of a worker's start-up
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def read_yaml(lang: str | None, name: str) -> Any:
    path = data_path(lang, name)
    if not path.exists():
        return None
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise ResourceError(f"{path}: not valid YAML ({exc})") from None
