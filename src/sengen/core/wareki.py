"""Japanese eras (和暦) and fiscal years (年度).

A fiscal year runs from April to March and is stored as the Western year it starts in:
令和2年度 = 2020. Plans written before an era change name later years in the old era, so
平成31年度 = 令和元年度 = 2019 and 平成32年度 = 2020 are read as well. Nothing is guessed: a
year that cannot be read with certainty is refused with a message saying how to write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sengen.core.messages import SengenError, register

register(
    {
        "wareki.not_a_year": (
            "「{text}」は年度として読み取れません。"
            "令和2年度・R2年度・2020年度のように、元号（または西暦）と年と「年度」で書いてください。",
            'Cannot read "{text}" as a fiscal year. '
            "Write an era (or a Western year), a number and 年度, e.g. 令和2年度, R2年度 or 2020年度.",
        ),
        "wareki.unknown_era": (
            "「{text}」の元号を読み取れません。"
            "昭和・平成・令和のいずれか（例: 令和2年度）か西暦（例: 2020年度）で書いてください。",
            'Cannot read the era in "{text}". '
            "Use 昭和, 平成 or 令和 (e.g. 令和2年度) or a Western year (e.g. 2020年度).",
        ),
        "wareki.impossible_year": (
            "「{text}」は存在しない年度です。{era}は{era}元年度（1年度）から{era}{last}年度までで"
            "書いてください（0年はありません）。",
            '"{text}" is not a possible fiscal year. '
            "Write {era} years from 1 (元年度) to {last}; there is no year 0.",
        ),
        "wareki.western_out_of_range": (
            "「{text}」は扱える年度の範囲外です。西暦{low}年度から{high}年度までの年度を書いてください。",
            '"{text}" is outside the supported fiscal years. Write a year from {low} to {high}.',
        ),
        "wareki.inconsistent": (
            "「{text}」の元号表記と括弧内の西暦が別の年度を指しています。"
            "どちらかを直すか、片方だけを書いてください（例: 令和2年度（2020年度））。",
            'The two years in "{text}" disagree. '
            "Correct one of them or write only one (e.g. 令和2年度（2020年度）).",
        ),
    }
)


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    offset: int  # Western year of the era's year 0
    last: int  # highest year number accepted, including pre-change forms

    def to_western(self, number: int) -> int:
        return self.offset + number


SHOWA = Era("昭和", "Showa", 1925, 64)
HEISEI = Era("平成", "Heisei", 1988, 50)
REIWA = Era("令和", "Reiwa", 2018, 99)
ERAS = (SHOWA, HEISEI, REIWA)

FIRST_YEAR = SHOWA.to_western(1)  # 1926
LAST_YEAR = REIWA.to_western(REIWA.last)  # 2117

_ERA_NAMES = {era.name: era for era in ERAS} | {
    "S": SHOWA,
    "H": HEISEI,
    "R": REIWA,
    "㍼": SHOWA,
    "㍻": HEISEI,
    "㋿": REIWA,
}
_WESTERN_MARKS = ("", "FY")

_TO_ASCII = str.maketrans("０１２３４５６７８９ＳＨＲＦＹ（）", "0123456789SHRFY()")
_MAX_DIGITS = 6  # longer numbers are out of range anyway; avoid converting huge digit strings

# One year expression once whitespace is removed and digits are ASCII.
_WHOLE = re.compile(r"(?P<era>[^0-9年()]*?)(?P<num>元|[0-9]+)(?:年度|年)?")
# The display form of format_fiscal_year: 令和2年度(2020年度).
_WITH_WESTERN = re.compile(r"(?P<outer>[^()]+)\((?P<inner>[^()]+)\)")

_D = "[0-9０-９]"
_NUM = rf"(?:元|{_D}(?:\s*{_D})*)"
# A year at the start of a header: up to two era characters, a number, 年度 (or 年 not followed by a
# month number, which would be a calendar date rather than a fiscal year).
_PREFIX = re.compile(rf"\s*(?:[^\s0-9０-９元年]\s*){{0,2}}?{_NUM}\s*(?:年\s*度|年(?!\s*{_D}))")
_KANJI = "\u4e00-\u9fff"
# X年度 in free text, with a known era, an era abbreviation, two kanji that stand where an era name
# would (an unknown era: refused), or none (a Western year when four digits, otherwise not a year).
_FIND = re.compile(
    r"(?:(?P<era>昭\s*和|平\s*成|令\s*和|[㍼㍻㋿㍽㍾]"
    r"|(?<![A-Za-zＡ-Ｚａ-ｚ])[SHRＳＨＲ]"
    rf"|(?<![{_KANJI}])[{_KANJI}]{{2}})\s*)?"
    rf"(?<![0-9０-９])(?P<num>{_NUM})\s*年\s*度"
)


def _number(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


def _resolve(era_text: str, num: str, text: str) -> int:
    if era_text in _WESTERN_MARKS:
        if num == "元" or len(num) < 4:
            raise SengenError("wareki.unknown_era", text=text)
        year = _number(num)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise SengenError("wareki.western_out_of_range", text=text, low=FIRST_YEAR, high=LAST_YEAR)
        return year
    era = _ERA_NAMES.get(era_text)
    if era is None:
        raise SengenError("wareki.unknown_era", text=text)
    number = 1 if num == "元" else _number(num)
    if not 1 <= number <= era.last:
        raise SengenError("wareki.impossible_year", text=text, era=era.name, last=era.last)
    return era.to_western(number)


def _parse_one(compact: str, text: str) -> int:
    match = _WHOLE.fullmatch(compact)
    if match is None:
        raise SengenError("wareki.not_a_year", text=text)
    return _resolve(match["era"], match["num"], text)


def parse_fiscal_year(text: str) -> int:
    """Read a whole string as one fiscal year: 令和2年度, R2年度, 平成 28 年度, ２０２０年度, 2020 …

    Also reads the display form of :func:`format_fiscal_year`, 令和2年度（2020年度）, when both
    years agree.
    """
    compact = "".join(text.split()).translate(_TO_ASCII)
    both = _WITH_WESTERN.fullmatch(compact)
    if both is None:
        return _parse_one(compact, text)
    outer = _parse_one(both["outer"], text)
    if _parse_one(both["inner"], text) != outer:
        raise SengenError("wareki.inconsistent", text=text)
    return outer


def parse_fiscal_year_prefix(text: str) -> tuple[int, str]:
    """Read the fiscal year a header starts with and return it with the rest of the header.

    ``平成30年度実績値`` → ``(2018, "実績値")``.
    """
    match = _PREFIX.match(text)
    if match is None:
        raise SengenError("wareki.not_a_year", text=text)
    return parse_fiscal_year(match.group()), text[match.end() :].strip()


def find_fiscal_years(text: str) -> list[int]:
    """Every fiscal year (X年度) named in free text, in order of appearance, repeats included.

    Era-less numbers other than four-digit Western years (``3年度``, 3rd year of a plan) are not
    fiscal years and are skipped; two kanji standing where an era would (大正5年度) are refused, but a
    word before a four-digit Western year (期間2020年度) is just a word.
    """
    years = []
    for match in _FIND.finditer(text):
        era = "".join((match["era"] or "").split()).translate(_TO_ASCII)
        western = len("".join(match["num"].split())) == 4
        if era in _ERA_NAMES:
            years.append(parse_fiscal_year(match.group()))
        elif western:  # 期間2020年度: a word before a Western year, not an era (no era lasts 1000 years)
            years.append(parse_fiscal_year(text[match.start("num") : match.end()]))
        elif era:
            raise SengenError("wareki.unknown_era", text=match.group())
    return years


def era_year(year: int) -> tuple[str, int]:
    """The era and year number a fiscal year is written with today: 2019 → ("令和", 1)."""
    era = _era_of(year)
    return era.name, year - era.offset


def _era_of(year: int) -> Era:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SengenError("wareki.western_out_of_range", text=str(year), low=FIRST_YEAR, high=LAST_YEAR)
    if year >= REIWA.to_western(1):
        return REIWA
    if year >= HEISEI.to_western(1):
        return HEISEI
    return SHOWA


def format_fiscal_year(year: int, lang: str = "ja", *, short: bool = False) -> str:
    """令和2年度（2020年度） in Japanese, FY2020 (Reiwa 2) in English.

    ``short`` gives 令和2年度 / FY2020, for running text where the year was shown in full nearby.
    """
    era = _era_of(year)
    number = year - era.offset
    if lang == "en":
        return f"FY{year}" if short else f"FY{year} ({era.romaji} {number})"
    era_form = f"{era.name}{'元' if number == 1 else number}年度"
    return era_form if short else f"{era_form}（{year}年度）"


def fiscal_year_label(year: int, lang: str = "ja", *, short: bool = False) -> str:
    """:func:`format_fiscal_year` for showing any stored year: one outside the eras Sengen knows
    (before 昭和) is written in the Western calendar alone (1920年度 / FY1920) instead of refused."""
    try:
        return format_fiscal_year(year, lang, short=short)
    except SengenError:
        return f"{year}年度" if lang == "ja" else f"FY{year}"
