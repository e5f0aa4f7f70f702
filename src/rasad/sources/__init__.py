"""Readers that turn files into Documents: plain text, JSONL, HTML, WARC and RSS/Atom feeds."""

from .text import MAX_BYTES, decode_bytes, iter_documents, iter_items, read_text_file

__all__ = ["MAX_BYTES", "decode_bytes", "iter_documents", "iter_items", "read_text_file"]
