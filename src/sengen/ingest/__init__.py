"""Readers: each input format → interchange records plus located problems. No database here."""

from __future__ import annotations

from pathlib import Path

from sengen.core.messages import Location, Problem
from sengen.ingest.base import ReadResult
from sengen.ingest.csv_reader import looks_like_csv, read_csv
from sengen.ingest.json_reader import read_json
from sengen.ingest.page_text import read_page_text
from sengen.ingest.xlsx_reader import looks_like_xlsx, read_xlsx

__all__ = ["ReadResult", "read_bytes", "read_path"]


def read_bytes(data: bytes, source: str) -> ReadResult:
    """Choose the reader from the content, not the file name: staff rename files freely."""
    if looks_like_xlsx(data):
        return read_xlsx(data, source)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return read_json(data, source)
    if looks_like_csv(data):
        result = read_csv(data, source)
        result.kpi_only = True
        return result
    return read_page_text(data, source)


def read_path(path: str | Path) -> ReadResult:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return ReadResult(None, [Problem("ingest.unreadable_file", {"reason": reason}, Location(str(path)))])
    return read_bytes(data, str(path))
