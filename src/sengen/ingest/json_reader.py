"""Reader for sengen/1 JSON, the format `sengen export --format json` writes."""

from __future__ import annotations

import json

from pydantic import ValidationError

from sengen.core.messages import Location, Problem, register
from sengen.ingest.base import ReadResult
from sengen.interchange import FORMAT, Document
from sengen.interchange.evaluation import without_evaluations
from sengen.interchange.jsonio import loads_raw

register(
    {
        "json.syntax": (
            "JSON の書式が正しくありません（{reason}）。エクスポートしたファイルをそのまま使うか、"
            "括弧やカンマを確かめてください。",
            "The JSON is malformed ({reason}). Use the exported file as it is, or check brackets and commas.",
        ),
        "json.format": (
            '"format": "{expected}" の JSON ではありません。sengen export --format json で'
            "書き出したファイルを指定してください。",
            'This is not "format": "{expected}" JSON. Give a file written by sengen export --format json.',
        ),
        "json.invalid": (
            "値が正しくありません（{reason}）。sengen export --schema のスキーマに合わせてください。",
            "Invalid value ({reason}). Make it match the schema of sengen export --schema.",
        ),
    }
)


def _path(loc: tuple[object, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "$"


def read_json(data: bytes, source: str) -> ReadResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return ReadResult(None, [Problem("ingest.unknown_encoding", location=Location(source, line))])
    try:
        raw = loads_raw(text)
    except json.JSONDecodeError as exc:
        location = Location(source, exc.lineno, exc.colno)
        return ReadResult(None, [Problem("json.syntax", {"reason": exc.msg}, location)])
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return ReadResult(None, [Problem("json.format", {"expected": FORMAT}, Location(source, 1))])
    try:
        document = Document.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(
                "json.invalid", {"reason": error["msg"]}, Location(source, column_name=_path(error["loc"]))
            )
            for error in exc.errors()
        ]
        return ReadResult(None, problems)
    # Evaluation blocks are derived from the figures; what is stored is the figures alone.
    return ReadResult(without_evaluations(document), [])
