"""The pipeline stages, one module each; rasad.pipeline imports them to register them."""

STAGE_MODULES = (
    "language", "normalize", "zones", "segment", "times", "numbers",
    "mentions", "resolve", "quotes", "events",
)
