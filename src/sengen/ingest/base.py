"""What every reader shares: the result type, and turning a file's bytes into text.

Municipal files arrive as UTF-8, UTF-8 with a BOM, or CP932 (Shift_JIS as Windows writes
it), with CRLF or LF. Decoding is strict: a file that is neither is refused with the line
of the first undecodable byte, rather than imported with mojibake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sengen.core.messages import Location, Problem, has_errors, register
from sengen.interchange import Document

register(
    {
        "ingest.empty_file": (
            "ファイルが空です。目標宣言のページ本文を保存したファイルを指定してください。",
            "The file is empty. Give a file that holds the text of a goal-declaration page.",
        ),
        "ingest.binary_file": (
            "テキストファイルではありません（バイナリデータを含みます）。"
            "ページ本文をテキスト（UTF-8 または Shift_JIS）で保存して指定してください。",
            "This is not a text file (it contains binary data). Save the page text as UTF-8 or "
            "Shift_JIS text and give that file.",
        ),
        "ingest.unknown_encoding": (
            "文字コードを判別できません（UTF-8 としても Shift_JIS としても読めない文字があります）。"
            "UTF-8 で保存し直してください。",
            "Cannot tell the text encoding (some bytes are neither UTF-8 nor Shift_JIS). "
            "Save the file again as UTF-8.",
        ),
        "ingest.unreadable_file": (
            "ファイルを読めません（{reason}）。パスと読み取り権限を確認してください。",
            "Cannot read the file ({reason}). Check the path and read permission.",
        ),
    }
)


@dataclass
class ReadResult:
    """A reader's answer: the records it could build, and every problem, located."""

    document: Document | None
    problems: list[Problem] = field(default_factory=list)
    # True for formats that carry KPI tables only (CSV): the loader's caller keeps the stored
    # declaration text (catalog.loader.with_stored_text) instead of emptying it.
    kpi_only: bool = False

    @property
    def ok(self) -> bool:
        return self.document is not None and not has_errors(self.problems)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text with LF line ends, or a located reason why not."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return None, [Problem("ingest.empty_file", location=Location(source))]
    if b"\x00" in data:
        offset = data.index(b"\x00")
        return None, [Problem("ingest.binary_file", location=Location(source, _line_of_offset(data, offset)))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            line = _line_of_offset(data, utf8_error.start)
            return None, [Problem("ingest.unknown_encoding", location=Location(source, line))]
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls:
        offset = next(i for i, ch in enumerate(text) if ord(ch) < 32 and ch not in "\t\r\n\f")
        line = text.count("\n", 0, offset) + 1
        return None, [Problem("ingest.binary_file", location=Location(source, line))]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []
