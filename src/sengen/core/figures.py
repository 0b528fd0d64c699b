"""Figures as municipalities publish them: ``10,554人``, ``約1,850千人``, ``13箇所 (2箇所)``, ``—``.

A figure is kept as published: the value is a :class:`~decimal.Decimal` built from the digit text
(never through a float, so ``95.20`` keeps its precision), the unit is kept as written (``千人`` is
not multiplied out), and the qualifier and the trailing parenthetical are kept beside the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from sengen.core.messages import SengenError, register
from sengen.core.text import normalize_space

register(
    {
        "figure.not_a_number": (
            "「{text}」を数値として読み取れません。数字と単位で書いてください"
            "（例: 10,554人、95.2%、約1,850千人、13箇所 (2箇所)）。未報告の場合は「—」と書いてください。",
            'Cannot read "{text}" as a figure. Write digits and a unit '
            "(e.g. 10,554人, 95.2%, 約1,850千人, 13箇所 (2箇所)), or — when nothing was reported.",
        ),
        "figure.bad_grouping": (
            "「{text}」の桁区切りのカンマの位置が正しくありません。"
            "3桁ごとに区切るか（例: 1,234人）、カンマなしで書いてください（例: 1234人）。",
            'The thousands separators in "{text}" are misplaced. '
            "Group digits by three (e.g. 1,234人) or leave the commas out (e.g. 1234人).",
        ),
        "figure.two_qualifiers": (
            "「{text}」には「約」と「以上」のような限定の言葉が二つあります。一つだけにしてください（例: 約100人）。",
            'There are two qualifiers in "{text}" (such as 約 and 以上). Keep one (e.g. 約100人).',
        ),
    }
)

#: Qualifiers written before the number (約1,850千人) and after the unit (80%以上).
PREFIX_QUALIFIERS = ("約", "概ね", "おおむね", "およそ")
SUFFIX_QUALIFIERS = ("以上", "以下", "未満", "超", "程度")

#: A whole cell that says "not reported": dashes of every width, and the empty cell.
NOT_REPORTED = frozenset({"", "—", "―", "－", "-", "ー", "ｰ", "‐", "–", "−"})
NOT_REPORTED_MARK = "—"

_NEGATIVE = frozenset("-−－△▲")
_TO_ASCII = str.maketrans("０１２３４５６７８９，．％", "0123456789,.%")
_ANNOTATED = re.compile(r"(?P<main>.*?)\s*[(（](?P<note>[^()（）]*)[)）]", re.DOTALL)
_NUMBER = re.compile(r"(?P<sign>[-−－△▲+＋]?)\s*(?P<digits>[0-9][0-9,]*(?:\.[0-9]+)?)")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_NOT_UNIT_START = frozenset("0123456789.,+＋") | _NEGATIVE | NOT_REPORTED - {""}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


@dataclass(frozen=True)
class Figure:
    value: Decimal | None  # None = not reported
    unit: str | None = None
    qualifier: str | None = None  # 約, 概ね, 以上, 以下, 未満, 超 …
    annotation: str | None = None  # the trailing parenthetical, without brackets


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _is_unit(unit: str) -> bool:
    """Whether the text after a number can be its unit (人, 千円, %, ha, kg/人, m2 …).

    Refused: text starting like a number or sign, brackets, Latin letters running into Japanese
    (``x人`` in ``12,14x人`` is a misprint, not a unit) and digits not attached to a Latin unit
    (``m2`` is a unit, ``人3`` is not).
    """
    if unit[0] in _NOT_UNIT_START or any(c in "()（）" for c in unit):
        return False
    for before, char in pairwise(unit):
        if _is_ascii_letter(before) and _JAPANESE.match(char):
            return False
        if char in "0123456789" and not (before.isascii() and before.isalnum()):
            return False
    return True


def parse_figure(text: str) -> Figure:
    """Read one published figure. Raises :class:`SengenError` (``figure.*``) when it cannot."""
    rest = text.translate(_TO_ASCII).strip()
    annotation = None
    annotated = _ANNOTATED.fullmatch(rest)
    if annotated is not None:
        rest = annotated["main"]
        annotation = normalize_space(annotated["note"]) or None
    if rest in NOT_REPORTED:
        return Figure(None, annotation=annotation)

    qualifier = next((q for q in PREFIX_QUALIFIERS if rest.startswith(q)), None)
    if qualifier is not None:
        rest = rest[len(qualifier) :].lstrip()
    number = _NUMBER.match(rest)
    if number is None:
        raise SengenError("figure.not_a_number", text=text)
    rest = rest[number.end() :].strip()
    suffix = next((q for q in SUFFIX_QUALIFIERS if rest.endswith(q)), None)
    if suffix is not None:
        if qualifier is not None:
            raise SengenError("figure.two_qualifiers", text=text)
        qualifier = suffix
        rest = rest[: -len(suffix)].rstrip()
    unit = normalize_space(rest) or None
    if unit is not None and not _is_unit(unit):
        raise SengenError("figure.not_a_number", text=text)

    digits = number["digits"]
    whole = digits.partition(".")[0]
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise SengenError("figure.bad_grouping", text=text)
    value = Decimal(digits.replace(",", ""))
    if number["sign"] in _NEGATIVE:
        value = value.copy_negate()  # exact: unary minus would round to the context precision
    return Figure(value, unit, qualifier, annotation)


def canonical(value: Decimal) -> Decimal:
    """The figure without trailing zeros or exponent: 95.2000 → 95.2, 12141.0000 → 12141.

    Databases pad to their decimal places; this is the one form exports and comparisons use.
    """
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def format_number(value: Decimal) -> str:
    """Digits with thousands separators, at the published precision: 10,554 / 95.20 / -5."""
    return f"{value:,f}"


def format_figure(figure: Figure) -> str:
    """The figure for display: ``10,554人``, ``約1,850千人``, ``80%以上``, ``13箇所 (2箇所)``, ``—``."""
    if figure.value is None:
        shown = NOT_REPORTED_MARK
    else:
        shown = format_number(figure.value) + (figure.unit or "")
        if figure.qualifier in SUFFIX_QUALIFIERS:
            shown += figure.qualifier
        elif figure.qualifier:
            shown = figure.qualifier + shown
    if figure.annotation:
        shown += f" ({figure.annotation})"
    return shown
