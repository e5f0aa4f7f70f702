"""Readers that turn files into Documents: plain text and JSONL (HTML, WARC and feeds follow)."""

from .text import MAX_BYTES, decode_bytes, iter_documents, read_text_file

__all__ = ["MAX_BYTES", "decode_bytes", "iter_documents", "read_text_file"]
