from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sengen.core.figures import (
    NOT_REPORTED,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    Figure,
    canonical,
    format_figure,
    format_number,
    parse_figure,
)
from sengen.core.messages import SengenError


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("10,554人", Figure(D("10554"), "人")),
        ("10554人", Figure(D("10554"), "人")),
        ("9,291 人", Figure(D("9291"), "人")),
        ("１２人", Figure(D("12"), "人")),
        ("５，０００円", Figure(D("5000"), "円")),
        ("95.2%", Figure(D("95.2"), "%")),
        ("95.2％", Figure(D("95.2"), "%")),
        ("約1,850千人", Figure(D("1850"), "千人", "約")),
        ("約 1,850 千人", Figure(D("1850"), "千人", "約")),
        ("概ね90%", Figure(D("90"), "%", "概ね")),
        ("412,350千円", Figure(D("412350"), "千円")),
        ("1,234,567.5千円", Figure(D("1234567.5"), "千円")),
        ("4.5ha", Figure(D("4.5"), "ha")),
        ("612g", Figure(D("612"), "g")),
        ("612g/人日", Figure(D("612"), "g/人日")),
        ("5kg/人", Figure(D("5"), "kg/人")),
        ("12m2", Figure(D("12"), "m2")),
        ("30㎡", Figure(D("30"), "㎡")),
        ("13 自治会", Figure(D("13"), "自治会")),
        ("13箇所 (2箇所)", Figure(D("13"), "箇所", annotation="2箇所")),
        ("13箇所（2箇所）", Figure(D("13"), "箇所", annotation="2箇所")),
        ("13箇所(2箇所)", Figure(D("13"), "箇所", annotation="2箇所")),
        ("10,554人 (平成 29 年度)", Figure(D("10554"), "人", annotation="平成 29 年度")),
        ("13箇所 ()", Figure(D("13"), "箇所")),
        ("80%以上", Figure(D("80"), "%", "以上")),
        ("80% 以上", Figure(D("80"), "%", "以上")),
        ("100人未満", Figure(D("100"), "人", "未満")),
        ("100人超", Figure(D("100"), "人", "超")),
        ("80以下", Figure(D("80"), None, "以下")),
        ("-5%", Figure(D("-5"), "%")),
        ("−5%", Figure(D("-5"), "%")),
        ("－5%", Figure(D("-5"), "%")),
        ("△5", Figure(D("-5"), None)),
        ("▲5", Figure(D("-5"), None)),
        ("▲ 1,200千円", Figure(D("-1200"), "千円")),
        ("+5%", Figure(D("5"), "%")),
        ("約-5人", Figure(D("-5"), "人", "約")),
        ("0件", Figure(D("0"), "件")),
        ("0", Figure(D("0"))),
        ("1.5", Figure(D("1.5"))),
        (" 12人 ", Figure(D("12"), "人")),
    ],
)
def test_parse_figure(text: str, figure: Figure) -> None:
    assert parse_figure(text) == figure


@pytest.mark.parametrize("text", ["—", "―", "－", "-", "ー", "‐", "", " ", "\u3000"])
def test_not_reported(text: str) -> None:
    assert parse_figure(text) == Figure(None)


@pytest.mark.parametrize(
    ("text", "annotation"),
    [
        ("— (未実施)", "未実施"),
        ("―（中止）", "中止"),
        ("(未実施)", "未実施"),
        ("－ ( 調査 なし )", "調査 なし"),
    ],
)
def test_not_reported_with_annotation(text: str, annotation: str) -> None:
    assert parse_figure(text) == Figure(None, annotation=annotation)


@pytest.mark.parametrize(("text", "digits"), [("95.20%", "95.20"), ("1.000ha", "1.000"), ("0.0件", "0.0")])
def test_published_precision_is_kept(text: str, digits: str) -> None:
    value = parse_figure(text).value
    assert isinstance(value, Decimal)
    assert str(value) == digits


@pytest.mark.parametrize("text", ["-12345678901234567890123456789012", "△0", "-0.00"])
def test_negative_values_are_exact(text: str) -> None:
    value = parse_figure(text).value
    assert value is not None
    assert format_number(value) == format_number(Decimal(text.replace("△", "-")))


def test_units_are_not_multiplied_out() -> None:
    assert parse_figure("約1,850千人").value == 1850


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12,14x人", "figure.not_a_number"),
        ("多数", "figure.not_a_number"),
        ("約人", "figure.not_a_number"),
        ("以上", "figure.not_a_number"),
        ("約—", "figure.not_a_number"),
        ("人3", "figure.not_a_number"),
        ("5人3", "figure.not_a_number"),
        ("5.人", "figure.not_a_number"),
        (".5人", "figure.not_a_number"),
        ("1.5.2", "figure.not_a_number"),
        ("5-", "figure.not_a_number"),
        ("12人 (2", "figure.not_a_number"),
        ("13箇所 (2箇所) 以上", "figure.not_a_number"),
        ("13箇所 (2箇所(うち1))", "figure.not_a_number"),
        ("ーー", "figure.not_a_number"),
        ("‐5", "figure.not_a_number"),
        ("1,23,4人", "figure.bad_grouping"),
        ("1,2345人", "figure.bad_grouping"),
        ("1234,567人", "figure.bad_grouping"),
        ("12,34.5%", "figure.bad_grouping"),
        ("5,", "figure.bad_grouping"),
        ("約100人以上", "figure.two_qualifiers"),
    ],
)
def test_parse_figure_refuses(text: str, code: str) -> None:
    with pytest.raises(SengenError) as error:
        parse_figure(text)
    assert error.value.code == code
    assert text in error.value.message("ja")
    assert text in error.value.message("en")


def test_refusals_say_how_to_fix() -> None:
    with pytest.raises(SengenError) as error:
        parse_figure("1,23,4人")
    assert "1,234人" in error.value.message("ja")
    assert "1,234人" in error.value.message("en")
    with pytest.raises(SengenError) as error:
        parse_figure("多数")
    assert "—" in error.value.message("ja")
    assert "—" in error.value.message("en")


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        (Figure(D("10554"), "人"), "10,554人"),
        (Figure(D("1850"), "千人", "約"), "約1,850千人"),
        (Figure(D("13"), "箇所", annotation="2箇所"), "13箇所 (2箇所)"),
        (Figure(D("80"), "%", "以上"), "80%以上"),
        (Figure(D("80"), None, "未満"), "80未満"),
        (Figure(D("95.20"), "%"), "95.20%"),
        (Figure(D("-1234.5"), "千円"), "-1,234.5千円"),
        (Figure(D("0")), "0"),
        (Figure(None), "—"),
        (Figure(None, "人", "約"), "—"),
        (Figure(None, annotation="未実施"), "— (未実施)"),
        (Figure(D("5"), "人", "見込み"), "見込み5人"),  # an unknown qualifier goes in front
    ],
)
def test_format_figure(figure: Figure, shown: str) -> None:
    assert format_figure(figure) == shown


@pytest.mark.parametrize(("value", "shown"), [("1E+3", "1,000"), ("1234567", "1,234,567"), ("0.50", "0.50")])
def test_format_number(value: str, shown: str) -> None:
    assert format_number(D(value)) == shown


# --- properties ------------------------------------------------------------------------------

UNITS = [
    None,
    "人",
    "千人",
    "%",
    "千円",
    "円",
    "ha",
    "g",
    "kg/人",
    "自治会",
    "箇所",
    "件",
    "回",
    "㎡",
    "m2",
    "世帯",
]
VALUES = st.one_of(
    st.integers(-(10**15), 10**15).map(Decimal),
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=2),
    st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, allow_infinity=False),
)
QUALIFIERS = st.sampled_from([None, *PREFIX_QUALIFIERS, *SUFFIX_QUALIFIERS])
ANNOTATIONS = st.sampled_from([None, "2箇所", "平成29年度", "未実施", "見込み 値"])


@given(VALUES, st.sampled_from(UNITS), QUALIFIERS, ANNOTATIONS)
def test_figures_round_trip(
    value: Decimal, unit: str | None, qualifier: str | None, note: str | None
) -> None:
    figure = Figure(value, unit, qualifier, note)
    parsed = parse_figure(format_figure(figure))
    assert parsed == figure
    assert parsed.value is not None
    assert format_number(parsed.value) == format_number(value)  # the same digits, not just equal


@given(ANNOTATIONS)
def test_not_reported_round_trips(note: str | None) -> None:
    assert parse_figure(format_figure(Figure(None, annotation=note))) == Figure(None, annotation=note)


@given(st.sampled_from(sorted(NOT_REPORTED)), ANNOTATIONS)
def test_every_not_reported_mark_reads_as_none(mark: str, note: str | None) -> None:
    text = mark if note is None else f"{mark} ({note})"
    assert parse_figure(text) == Figure(None, annotation=note)


def check_refusals(text: str) -> None:
    try:
        figure = parse_figure(text)
    except SengenError as error:
        assert error.code.startswith("figure.")
        assert text in error.message("ja")
        assert text in error.message("en")
    else:
        assert figure.value is None or isinstance(figure.value, Decimal)


@given(st.text())
def test_parse_figure_refuses_only_with_sengen_errors(text: str) -> None:
    check_refusals(text)


@given(st.text(alphabet="0123456789０１２３４５６７８９,.，．-−△▲約以上人%千円ha ()（）—"))
def test_parse_figure_refuses_only_with_sengen_errors_on_figure_like_text(text: str) -> None:
    check_refusals(text)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("95.2000", "95.2"), ("12141.0000", "12141"), ("0.0000", "0"), ("-5.5000", "-5.5"), ("1E+3", "1000")],
)
def test_canonical_drops_database_padding(stored: str, expected: str) -> None:
    value = canonical(Decimal(stored))
    assert value == Decimal(stored)
    assert format(value, "f") == expected
