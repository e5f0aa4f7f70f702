"""Write a generated file, or (``--check``) say whether the one on disk is what a fresh build
makes. Shared by the scripts that build files under ``src/rasad``."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, text: str, check: bool, script: str, what: str = "") -> int:
    """Exit status: with ``check``, 0 when ``path`` holds ``text``, else 1; otherwise write it."""
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{path} is stale: run scripts/{script}", file=sys.stderr)
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}" + (f" ({what})" if what else ""), file=sys.stderr)
    return 0
