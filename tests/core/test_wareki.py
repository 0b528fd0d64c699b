from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sengen.core.messages import SengenError
from sengen.core.wareki import (
    FIRST_YEAR,
    LAST_YEAR,
    era_year,
    find_fiscal_years,
    fiscal_year_label,
    format_fiscal_year,
    parse_fiscal_year,
    parse_fiscal_year_prefix,
)

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def assert_refused(error: pytest.ExceptionInfo[SengenError], code: str, text: str) -> None:
    assert error.value.code == code
    assert text in error.value.message("ja")
    assert text in error.value.message("en")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("令和2年度", 2020),
        ("令和2年", 2020),
        ("令和2", 2020),
        ("令和元年度", 2019),
        ("平成元年度", 1989),
        ("昭和元年度", 1926),
        ("昭和63年度", 1988),
        ("昭和64年度", 1989),
        ("平成２９年度", 2017),
        ("平成 28 年度", 2016),
        ("平\u3000成 2 8 年 度", 2016),
        ("\t令和\n2年度 ", 2020),
        ("令和02年度", 2020),
        ("R2年度", 2020),
        ("Ｒ２年度", 2020),
        ("H29年度", 2017),
        ("Ｈ29年度", 2017),
        ("S63年度", 1988),
        ("Ｓ63年度", 1988),
        ("R元年度", 2019),
        ("㍻30年度", 2018),
        ("㋿2年度", 2020),
        ("㍼63年度", 1988),
        ("2020年度", 2020),
        ("２０２０年度", 2020),
        ("2020年", 2020),
        ("2020", 2020),
        ("FY2020", 2020),
        ("ＦＹ２０２０", 2020),
        ("1926年度", 1926),
        ("2117年度", 2117),
        # forms published before an era change
        ("平成31年度", 2019),
        ("平成32年度", 2020),
        ("平成50年度", 2038),
        ("令和99年度", 2117),
        # the display form of format_fiscal_year, when both halves agree
        ("令和2年度（2020年度）", 2020),
        ("令和2年度 (2020年度)", 2020),
        ("2019年度（平成31年度）", 2019),
    ],
)
def test_parse_fiscal_year(text: str, year: int) -> None:
    assert parse_fiscal_year(text) == year


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("令和0年度", "wareki.impossible_year"),
        ("令和00年度", "wareki.impossible_year"),
        ("令和100年度", "wareki.impossible_year"),
        ("平成0年度", "wareki.impossible_year"),
        ("平成51年度", "wareki.impossible_year"),
        ("昭和65年度", "wareki.impossible_year"),
        ("R2020年度", "wareki.impossible_year"),
        ("令和99999999999999999999年度", "wareki.impossible_year"),
        ("大正5年度", "wareki.unknown_era"),
        ("明治元年度", "wareki.unknown_era"),
        ("未来3年度", "wareki.unknown_era"),
        ("㍽5年度", "wareki.unknown_era"),
        ("Q2年度", "wareki.unknown_era"),
        ("3年度", "wareki.unknown_era"),
        ("20年度", "wareki.unknown_era"),
        ("元年度", "wareki.unknown_era"),
        ("FY20", "wareki.unknown_era"),
        ("1925年度", "wareki.western_out_of_range"),
        ("2118年度", "wareki.western_out_of_range"),
        ("0000年度", "wareki.western_out_of_range"),
        ("20200年度", "wareki.western_out_of_range"),
        ("99999999999999999999999", "wareki.western_out_of_range"),
        ("abc", "wareki.not_a_year"),
        ("令和", "wareki.not_a_year"),
        ("年度", "wareki.not_a_year"),
        ("令和2年3月", "wareki.not_a_year"),
        ("2020年度目標値", "wareki.not_a_year"),
        ("2020-2021年度", "wareki.not_a_year"),
        ("٢٠٢٠年度", "wareki.not_a_year"),  # Arabic-Indic digits are not read as a year
        ("令和2年度（2021年度）", "wareki.inconsistent"),
        ("令和2年度（大正9年度）", "wareki.unknown_era"),
        ("(2020年度)", "wareki.not_a_year"),
    ],
)
def test_parse_fiscal_year_refuses(text: str, code: str) -> None:
    with pytest.raises(SengenError) as error:
        parse_fiscal_year(text)
    assert_refused(error, code, text)


def test_empty_text_is_not_a_year() -> None:
    with pytest.raises(SengenError) as error:
        parse_fiscal_year("  ")
    assert error.value.code == "wareki.not_a_year"


def test_impossible_year_message_names_the_era_and_its_bound() -> None:
    with pytest.raises(SengenError) as error:
        parse_fiscal_year("平成51年度")
    assert "50" in error.value.message("ja")
    assert "平成" in error.value.message("en")
    assert "50" in error.value.message("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成30年度実績値", (2018, "実績値")),
        ("令和元年度実績見込値", (2019, "実績見込値")),
        ("令和2年度目標値", (2020, "目標値")),
        ("2020年度 目標値", (2020, "目標値")),
        ("２０２０年度\u3000目標値", (2020, "目標値")),
        (" 平成 28 年度 当初水準 ", (2016, "当初水準")),
        ("R2年度目標値", (2020, "目標値")),
        ("令和2年目標値", (2020, "目標値")),
        ("令和2年度", (2020, "")),
        ("平成31年度目標値", (2019, "目標値")),
    ],
)
def test_parse_fiscal_year_prefix(text: str, expected: tuple[int, str]) -> None:
    assert parse_fiscal_year_prefix(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "named"),
    [
        ("大正5年度目標値", "wareki.unknown_era", "大正5年度"),
        ("令和100年度目標値", "wareki.impossible_year", "令和100年度"),
        ("1925年度実績値", "wareki.western_out_of_range", "1925年度"),
        ("目標値", "wareki.not_a_year", "目標値"),
        ("目標値(令和2年度)", "wareki.not_a_year", "目標値(令和2年度)"),
        ("令和2年3月末実績", "wareki.not_a_year", "令和2年3月末実績"),  # a date, not a fiscal year
        ("", "wareki.not_a_year", "「」"),
    ],
)
def test_parse_fiscal_year_prefix_refuses(text: str, code: str, named: str) -> None:
    """The message names the year expression that is wrong, or the whole header if it has none."""
    with pytest.raises(SengenError) as error:
        parse_fiscal_year_prefix(text)
    assert error.value.code == code
    assert named in error.value.message("ja")
    assert named.strip("「」") in error.value.message("en")


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("計画期間:平成30年度～令和2年度", [2018, 2020]),
        ("計画策定時(平成29年度)に設定", [2017]),
        ("※令和2年度の目標値は、計画策定時(平成29年度)に設定した数値です。", [2020, 2017]),
        ("市民協働課平成29年度", [2017]),
        ("平成 29 年度と平成29年度", [2017, 2017]),
        ("R2年度とH30年度", [2020, 2018]),
        ("令和元年度に実施", [2019]),
        ("2020年度から2022年度まで", [2020, 2022]),
        ("期間2020年度", [2020]),  # a word before a Western year is not an era
        ("事業開始3年度目", []),  # the 3rd year of a project, not a fiscal year
        ("第3年度", []),
        ("12020年度", []),
        ("元年度", []),
        ("令和2年3月", []),  # a date, not a fiscal year
        ("PR2年度", []),
        ("今年度", []),
        ("", []),
    ],
)
def test_find_fiscal_years(text: str, years: list[int]) -> None:
    assert find_fiscal_years(text) == years


@pytest.mark.parametrize(
    ("text", "code", "named"),
    [
        ("設立は大正5年度です", "wareki.unknown_era", "大正5年度"),
        ("未来3年度に", "wareki.unknown_era", "未来3年度"),
        ("㍾5年度", "wareki.unknown_era", "㍾5年度"),
        ("令和100年度まで", "wareki.impossible_year", "令和100年度"),
        ("1900年度から", "wareki.western_out_of_range", "1900年度"),
    ],
)
def test_find_fiscal_years_refuses(text: str, code: str, named: str) -> None:
    with pytest.raises(SengenError) as error:
        find_fiscal_years(text)
    assert error.value.code == code
    assert named in error.value.message("ja")
    assert named in error.value.message("en")


@pytest.mark.parametrize(
    ("year", "ja", "en"),
    [
        (2020, "令和2年度（2020年度）", "FY2020 (Reiwa 2)"),
        (2019, "令和元年度（2019年度）", "FY2019 (Reiwa 1)"),
        (2018, "平成30年度（2018年度）", "FY2018 (Heisei 30)"),
        (1989, "平成元年度（1989年度）", "FY1989 (Heisei 1)"),
        (1988, "昭和63年度（1988年度）", "FY1988 (Showa 63)"),
        (1926, "昭和元年度（1926年度）", "FY1926 (Showa 1)"),
        (2117, "令和99年度（2117年度）", "FY2117 (Reiwa 99)"),
    ],
)
def test_format_fiscal_year(year: int, ja: str, en: str) -> None:
    assert format_fiscal_year(year) == ja
    assert format_fiscal_year(year, "ja") == ja
    assert format_fiscal_year(year, "en") == en


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, ("令和", 1)),
        (2018, ("平成", 30)),
        (1989, ("平成", 1)),
        (1988, ("昭和", 63)),
        (1926, ("昭和", 1)),
    ],
)
def test_era_year(year: int, expected: tuple[str, int]) -> None:
    assert era_year(year) == expected


@pytest.mark.parametrize("year", [1925, 2118, 0, -1])
def test_years_outside_the_eras_cannot_be_formatted(year: int) -> None:
    for call in (era_year, format_fiscal_year):
        with pytest.raises(SengenError) as error:
            call(year)
        assert error.value.code == "wareki.western_out_of_range"
        assert str(year) in error.value.message("en")


# --- properties ------------------------------------------------------------------------------

ERA_SPELLINGS = {
    "令和": ["令和", "R", "Ｒ", "㋿"],
    "平成": ["平成", "H", "Ｈ", "㍻"],
    "昭和": ["昭和", "S", "Ｓ", "㍼"],
}
SPACES = st.sampled_from(["", "", " ", "\u3000", "  ", "\t"])


@st.composite
def era_forms(draw: st.DrawFn, year: int, era: str | None = None, number: int | None = None) -> str:
    """A way a municipality might write ``year`` in an era: spelling, digit width, spaces, suffix."""
    if era is None:
        era, number = era_year(year)
    assert number is not None
    spelling = draw(st.sampled_from(ERA_SPELLINGS[era]))
    digits = "元" if number == 1 and draw(st.booleans()) else str(number)
    if draw(st.booleans()):
        digits = digits.translate(FULL_WIDTH)
    suffix = draw(st.sampled_from(["年度", "年度", "年"]))
    parts = [spelling, *digits, *suffix]
    return draw(SPACES) + "".join(part + draw(SPACES) for part in parts)


YEARS = st.integers(FIRST_YEAR, LAST_YEAR)


@given(st.data(), YEARS)
def test_every_fiscal_year_round_trips_through_its_era_form(data: st.DataObject, year: int) -> None:
    assert parse_fiscal_year(data.draw(era_forms(year))) == year


@given(YEARS)
def test_every_fiscal_year_round_trips_through_its_display_form(year: int) -> None:
    assert parse_fiscal_year(format_fiscal_year(year)) == year
    assert parse_fiscal_year(str(year)) == year
    assert parse_fiscal_year(f"{year}年度".translate(FULL_WIDTH)) == year


@given(st.data(), st.integers(2019, 2038))
def test_heisei_forms_written_before_the_change_equal_the_reiwa_form(data: st.DataObject, year: int) -> None:
    heisei = data.draw(era_forms(year, "平成", year - 1988))
    assert parse_fiscal_year(heisei) == parse_fiscal_year(format_fiscal_year(year)) == year


@given(st.data(), YEARS, st.sampled_from(["実績値", "実績見込値", "目標値"]))
def test_prefix_round_trips(data: st.DataObject, year: int, rest: str) -> None:
    form = data.draw(era_forms(year))
    assert parse_fiscal_year_prefix(form + rest) == (year, rest)


def check_refusals(text: str) -> None:
    for parse in (parse_fiscal_year, parse_fiscal_year_prefix, find_fiscal_years):
        try:
            parse(text)
        except SengenError as error:
            assert error.code.startswith("wareki.")
            assert error.message("ja")
            assert error.message("en")


@given(st.text())
def test_parsers_refuse_only_with_sengen_errors(text: str) -> None:
    check_refusals(text)


@given(st.text(alphabet="令和平成昭和大正未来RHS元0123456789０１２３４５６７８９年度 　()（）FY・-"))
def test_parsers_refuse_only_with_sengen_errors_on_year_like_text(text: str) -> None:
    check_refusals(text)


@pytest.mark.parametrize(
    ("year", "ja", "en"),
    [(2019, "令和元年度", "FY2019"), (2018, "平成30年度", "FY2018"), (1988, "昭和63年度", "FY1988")],
)
def test_short_form_for_running_text(year: int, ja: str, en: str) -> None:
    assert format_fiscal_year(year, "ja", short=True) == ja
    assert format_fiscal_year(year, "en", short=True) == en


@pytest.mark.parametrize(
    ("year", "lang", "short", "expected"),
    [
        (2020, "ja", False, "令和2年度（2020年度）"),
        (2020, "ja", True, "令和2年度"),
        (2020, "en", False, "FY2020 (Reiwa 2)"),
        (1920, "ja", False, "1920年度"),
        (1920, "en", True, "FY1920"),
    ],
)
def test_fiscal_year_label_writes_years_outside_the_eras_in_the_western_calendar(
    year: int, lang: str, short: bool, expected: str
) -> None:
    assert fiscal_year_label(year, lang, short=short) == expected
