"""rasad (رصد): political event data from Arabic and English news, every field traceable."""

from .api import analyze
from .doc import Actor, Document, Event, Mention, Quantity, Quote, TimeExpr, Zone
from .errors import RasadError
from .pipeline import Pipeline
from .store import open_store

__all__ = [
    "Actor", "Document", "Event", "Mention", "Pipeline", "Quantity", "Quote", "RasadError",
    "TimeExpr", "Zone", "analyze", "open_store",
]
__version__ = "0.1.0"
