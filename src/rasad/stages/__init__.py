"""The pipeline stages; importing this package registers them all."""

from . import (  # noqa: F401
    events,
    language,
    mentions,
    normalize,
    numbers,
    quotes,
    resolve,
    segment,
    times,
    zones,
)
