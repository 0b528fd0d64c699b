"""CSV export: what a user opening the file in Excel or an open-data catalogue sees."""

from __future__ import annotations

import csv
import io

import pytest

from sengen.exports.csv import LONG_HEADERS, REPLACEMENT, CsvEncodingError, write_csv
from sengen.interchange.evaluation import with_evaluations
from tests.catalog.factories import declaration, document, replace_indicator


def rows(data: bytes, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def test_long_header_is_the_documented_list_and_the_file_opens_in_excel() -> None:
    data = write_csv(document(declaration()))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 only with it
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(LONG_HEADERS)
    assert LONG_HEADERS[:16] == (
        "年度", "年度（和暦）", "部", "事業番号", "事業名", "事業指標", "単位", "方向", "値の年度",
        "値の年度（和暦）", "種別", "値", "限定語", "注記", "目標設定年度", "所管課",
    )  # fmt: skip
    assert text.count("\r\n") == text.count("\n")  # every line ends CRLF (RFC 4180)


def test_long_has_one_row_per_indicator_year_and_kind() -> None:
    d = declaration()
    table = rows(write_csv(document(d)))
    expected = sum(1 + len(i.observations) + len(i.targets) for i in d.indicators)
    assert len(table) == expected
    mail = [r for r in table if r["事業番号"] == "17-101"]
    assert [(r["種別"], r["値の年度"], r["値"]) for r in mail] == [
        ("当初水準", "2017", "10554"),
        ("実績値", "2018", "12141"),
        ("実績見込値", "2019", "13217"),
        ("目標値", "2020", "15000"),
    ]
    first = mail[0]
    assert (first["年度"], first["年度（和暦）"], first["部"]) == ("2020", "令和2年度", "市民生活部")
    assert first["値の年度（和暦）"] == "平成29年度"
    assert first["所管課"] == "市民協働課／交通防犯対策担当"
    assert first["計画名"] == "中期戦略事業プラン" and first["計画開始年度"] == "2018"


def test_long_values_are_exact_decimals_with_qualifiers_and_notes_beside() -> None:
    table = rows(write_csv(document(declaration())))

    def cell(number: str, kind: str, column: str = "値") -> str:
        return next(r[column] for r in table if r["事業番号"] == number and r["種別"] == kind)

    assert cell("40-104", "目標値") == "15.0001"
    assert cell("40-104", "実績値") == "2.25"
    assert cell("33-102", "実績値") == ""  # not reported (—)
    assert cell("33-102", "目標値", "限定語") == "以上"
    assert cell("17-102", "実績値", "注記") == "2箇所"
    assert cell("17-101", "目標値", "目標設定年度") == "2017"
    assert cell("33-102", "当初水準", "所管課") == "市民協働課／交通防犯対策担当、戸籍住民課"
    assert cell("38-103", "当初水準", "方向") == "減少"


def test_long_evaluation_columns_are_filled_for_an_evaluated_document() -> None:
    evaluated = with_evaluations(document(declaration()))
    table = rows(write_csv(evaluated))
    mail = next(r for r in table if r["事業番号"] == "17-101")
    assert mail["達成状況"] == "遅れ"
    assert mail["進捗率（%）"] == "59.9"
    assert mail["達成率（%）"] == "88.1"
    plain = rows(write_csv(document(declaration())))
    assert plain[0]["達成状況"] == ""


def test_an_indicator_without_figures_keeps_one_row() -> None:
    d = replace_indicator(declaration(), 0, baseline=None, observations=[], targets=[])
    table = rows(write_csv(document(d)))
    mail = [r for r in table if r["事業番号"] == "17-101"]
    assert len(mail) == 1 and mail[0]["種別"] == "" and mail[0]["値"] == ""


def test_wide_is_the_published_table() -> None:
    evaluated = with_evaluations(document(declaration()))
    data = write_csv(evaluated, layout="wide")
    text = data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == [
        "年度", "年度（和暦）", "部", "事業番号", "事業名", "事業指標", "当初水準",
        "平成30年度（2018年度）実績値", "令和元年度（2019年度）実績見込値", "令和2年度（2020年度）目標値",
        "所管課", "達成状況", "進捗率",
    ]  # fmt: skip
    table = rows(data)
    mail = table[0]
    assert mail["当初水準"] == "10,554人 (平成29年度)"
    assert mail["平成30年度（2018年度）実績値"] == "12,141人"
    assert mail["達成状況"] == "△ 遅れ" and mail["進捗率"] == "60%"
    helmet = next(r for r in table if r["事業番号"] == "33-102")
    assert helmet["平成30年度（2018年度）実績値"] == "—"
    assert helmet["令和2年度（2020年度）目標値"] == "60%以上"
    assert helmet["所管課"] == "市民協働課 交通防犯対策担当、戸籍住民課"
    assert len(table) == len(declaration().indicators)


def test_wide_puts_declarations_of_several_years_under_one_header() -> None:
    data = write_csv(document(declaration(2019), declaration(2020)), layout="wide")
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert "平成29年度（2017年度）実績値" in header and "令和3年度（2021年度）目標値" not in header
    assert header.index("令和元年度（2019年度）目標値") < header.index("令和2年度（2020年度）目標値")


def _with_rare_kanji() -> object:
    d = replace_indicator(declaration(), 2, name="𠮷野家との共催講座の参加者数")
    return document(d)


def test_cp932_refuses_a_character_it_cannot_hold_naming_record_and_field() -> None:
    with pytest.raises(CsvEncodingError) as caught:
        write_csv(_with_rare_kanji(), encoding="cp932", target="kpi.csv")
    error = caught.value
    message = error.message("ja")
    assert "令和2年度（2020年度） 市民生活部" in message
    assert "19-101" in message and "「事業指標」列" in message and "U+20BB7" in message
    assert "FY2020" in error.message("en")
    # Every row of that indicator is listed, located in the output file.
    assert len(error.problems) == 4
    first = error.problems[0]
    assert first.location.file == "kpi.csv" and first.location.column_name == "事業指標"
    assert first.location.line == 2 + 4 + 4  # header, then two indicators of four rows each
    assert "kpi.csv 10行目（事業指標）" in first.render("ja")


def test_cp932_with_replacement_writes_geta() -> None:
    data = write_csv(_with_rare_kanji(), encoding="cp932", replace=True)
    text = data.decode("cp932")
    assert REPLACEMENT == "〓"
    assert "〓野家との共催講座の参加者数" in text and "𠮷" not in text
    assert not text.startswith("\ufeff")


def test_cp932_keeps_what_it_can_hold_and_writes_the_dash_as_its_twin() -> None:
    d = replace_indicator(declaration(), 0, name="髙島屋前の登録者数①")
    data = write_csv(document(d), layout="wide", encoding="cp932")
    text = data.decode("cp932")
    assert "髙島屋前の登録者数①" in text
    helmet = next(r for r in rows(data, "cp932") if r["事業番号"] == "33-102")
    assert helmet["平成30年度（2018年度）実績値"] == "―"  # U+2014 has no CP932 code; U+2015 looks the same


def test_utf8_keeps_every_character() -> None:
    text = write_csv(_with_rare_kanji()).decode("utf-8-sig")
    assert "𠮷野家" in text


def test_unknown_layout_or_encoding_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        write_csv(document(declaration()), layout="tall")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        write_csv(document(declaration()), encoding="latin-1")  # type: ignore[arg-type]
