from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the build scripts the tests load share scripts/generated.py, as they do when run from scripts/
sys.path.insert(0, str(ROOT / "scripts"))
SHARED = ROOT.parent / "shared"
GOLDEN = SHARED / "golden"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"../shared is not beside the repository ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared: Path) -> str:
    return (shared / "golden" / "seed" / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_en_text(shared: Path) -> str:
    return (shared / "golden" / "seed-en" / "article.txt").read_text(encoding="utf-8")
