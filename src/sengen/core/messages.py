"""Bilingual, located messages for everything a user can get wrong.

Each module registers its own message templates next to the code that raises them, so a
message and its cause are read together. A template is a pair (Japanese, English) of
``str.format`` strings; every refusal says what is wrong *and* how to fix it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["ja", "en"]
Severity = Literal["error", "warning"]

CATALOG: dict[str, tuple[str, str]] = {}


def register(templates: dict[str, tuple[str, str]]) -> None:
    """Add message templates; a code may be registered only once."""
    for code in templates:
        if code in CATALOG and CATALOG[code] != templates[code]:
            raise ValueError(f"message code registered twice: {code}")
    CATALOG.update(templates)


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """Japanese unless asked for English: SENGEN_LANG (set from --lang), then the locale (LANG=en*).

    C and POSIX say nothing about language (containers set LC_ALL=C.UTF-8), so they are skipped.
    """
    env = os.environ if environ is None else environ
    if env.get("SENGEN_LANG") in ("ja", "en"):
        return "en" if env["SENGEN_LANG"] == "en" else "ja"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and not value.upper().startswith(("C.", "POSIX")) and value.upper() != "C":
            return "en" if value.lower().startswith("en") else "ja"
    return "ja"


def render(code: str, params: dict[str, object] | None = None, lang: Lang = "ja") -> str:
    ja, en = CATALOG[code]
    template = en if lang == "en" else ja
    return template.format(**(params or {}))


class SengenError(ValueError):
    """A value a user supplied cannot be accepted. Carries a message code, not prose."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(render(code, params, "en") if code in CATALOG else code)

    def message(self, lang: Lang = "ja") -> str:
        return render(self.code, self.params, lang)

    def __reduce__(self):
        # args holds rendered text; rebuild from code and params so copies keep both.
        return (_rebuild_error, (self.__class__, self.code, self.params))


def _rebuild_error(cls: type[SengenError], code: str, params: dict[str, object]) -> SengenError:
    return cls(code, **params)


@dataclass(frozen=True)
class Location:
    """Where in the user's input a problem is: file, 1-based line, and column or cell."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    cell: str | None = None
    column_name: str | None = None  # the column header or JSON path, so a reader needn't count

    def render(self, lang: Lang = "ja") -> str:
        parts = [self.file or ("<入力>" if lang == "ja" else "<input>")]
        if self.line is not None:
            parts.append(f"{self.line}行目" if lang == "ja" else f"line {self.line}")
        if self.column is not None:
            parts.append(f"{self.column}列目" if lang == "ja" else f"column {self.column}")
        if self.cell is not None:
            parts.append(f"セル {self.cell}" if lang == "ja" else f"cell {self.cell}")
        text = ", ".join(parts) if lang == "en" else " ".join(parts)
        if self.column_name is not None:
            text += f"（{self.column_name}）" if lang == "ja" else f" ({self.column_name})"
        return text


@dataclass(frozen=True)
class Problem:
    """One located finding about an input. Errors refuse the input; warnings are reported only."""

    code: str
    params: dict[str, object] = field(default_factory=dict)
    location: Location = field(default_factory=Location)
    severity: Severity = "error"

    @classmethod
    def from_error(cls, error: SengenError, location: Location, severity: Severity = "error") -> Problem:
        return cls(error.code, dict(error.params), location, severity)

    def render(self, lang: Lang = "ja") -> str:
        if lang == "en":
            label = "error" if self.severity == "error" else "warning"
        else:
            label = "エラー" if self.severity == "error" else "警告"
        return f"{self.location.render(lang)}: {label}: {render(self.code, self.params, lang)}"


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
