"""Writes one section of bench/results.md, keeping the sections other benchmarks wrote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"


def commit() -> str:
    """The commit measured, and whether the tree had uncommitted changes."""
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             cwd=ROOT, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (rev or "unknown") + (" with uncommitted changes" if dirty else "")


def write_section(name: str, section: str, path: Path = RESULTS) -> None:
    """Replace the ``## name`` section of results.md (or add it)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# rasad benchmarks\n\n"
    lines = old.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == f"## {name}"), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        rest = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + rest if rest else "")
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")
    print(f"bench: wrote the '{name}' section of {path}", file=sys.stderr)
