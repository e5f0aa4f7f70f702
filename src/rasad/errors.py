"""One exception tree; every message says what went wrong and what to do.

    RasadError
    ├── InputError          the input cannot be read as news text
    │   └── UnsupportedLanguage
    ├── PipelineError       stages that do not fit together
    ├── ResourceError       language data that is missing or malformed
    └── StoreError          the database cannot be opened or written
"""

from __future__ import annotations


class RasadError(Exception):
    """Base of every error rasad raises on purpose; its message is one line for the user."""


class InputError(RasadError):
    """The input cannot be read as news text."""


class UnsupportedLanguage(InputError):
    """The text is in a language rasad has no data for."""


class PipelineError(RasadError):
    """Stages that do not fit together (a requirement no earlier stage assigns)."""


class ResourceError(RasadError):
    """Language data that is missing or malformed."""


class StoreError(RasadError):
    """The database cannot be opened, migrated or written."""
