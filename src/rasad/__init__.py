"""rasad (رصد): political event data from Arabic and English news, every field traceable."""

from .api import analyze
from .doc import Actor, Document, Event, Mention, Quantity, Quote, TimeExpr, Zone
from .errors import RasadError
from .pipeline import Pipeline

__all__ = [
    "Actor", "Document", "Event", "Mention", "Pipeline", "Quantity", "Quote", "RasadError",
    "TimeExpr", "Zone", "analyze",
]
__version__ = "0.1.0"
