"""Reading the long CSV back: round trips, encodings, and located refusals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document
from sengen.catalog.loader import load
from sengen.exports.csv import LONG_HEADERS, write_csv
from sengen.ingest import read_bytes
from sengen.ingest.csv_reader import keep_stored_text, looks_like_csv, read_csv
from sengen.interchange import Document
from sengen.interchange.evaluation import with_evaluations, without_evaluations
from tests.catalog.factories import declaration, document


def kpi_part(doc: Document) -> list[tuple]:
    """What a CSV round trip keeps: per declaration, its plan and its indicators (without evaluations)."""
    bare = without_evaluations(doc)
    return [(d.fiscal_year, d.department, d.plan, d.indicators) for d in bare.declarations]


def long_csv(*declarations) -> str:
    return write_csv(document(*declarations)).decode("utf-8-sig")


def edited(text: str, line: int, **cells: str) -> bytes:
    """The CSV with cells of one line (1-based, header = 1) changed, as a user would in Excel."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    header = table[0]
    for column, value in cells.items():
        table[line - 1][header.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    return out.getvalue().encode("utf-8")


def errors(data: bytes, source: str = "kpi.csv") -> list[str]:
    result = read_csv(data, source)
    assert not result.ok
    return [p.render("ja") for p in result.problems if p.severity == "error"]


def test_round_trip_keeps_the_kpi_part() -> None:
    original = document(declaration(2019), declaration(2020))
    result = read_csv(write_csv(with_evaluations(original)), "kpi.csv")
    assert result.ok, [p.render() for p in result.problems]
    assert kpi_part(result.document) == kpi_part(original)
    back = result.document.declarations[1]
    assert back.head.title == "市民生活部長" and back.head.name is None
    assert back.message == [] and back.policies == []  # the text of a declaration is not in the CSV
    assert back.indicators[-1].targets[0].value == Decimal("15.0001")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_reads_utf8_with_or_without_bom_and_cp932(encoding: str) -> None:
    data = long_csv(declaration()).encode(encoding)
    result = read_csv(data, "kpi.csv")
    assert result.ok
    assert kpi_part(result.document) == kpi_part(document(declaration()))


def test_looks_like_csv_recognises_the_header_only() -> None:
    assert looks_like_csv(write_csv(document(declaration())))
    assert looks_like_csv(long_csv(declaration()).encode("cp932"))
    assert looks_like_csv(write_csv(document(declaration()), encoding="cp932"))
    assert not looks_like_csv(write_csv(document(declaration()), layout="wide"))
    assert not looks_like_csv(b'{"format": "sengen/1"}')
    assert not looks_like_csv("事業番号\t主な事業\t事業指標\n".encode())
    assert not looks_like_csv(b"\x00\x01\x02")


def test_a_header_written_with_half_width_brackets_is_read() -> None:
    text = long_csv(declaration()).replace("年度（和暦）", "年度(和暦)", 1)
    assert read_csv(text.encode(), "kpi.csv").ok


def test_text_in_the_value_column_is_located_by_line_and_column() -> None:
    data = edited(long_csv(declaration()), 12, 値="たくさん")
    [message] = errors(data)
    assert message.startswith("kpi.csv 12行目（値）: エラー: ")
    assert "「たくさん」を数値として読み取れません" in message


def test_a_unit_in_the_value_column_says_where_it_belongs() -> None:
    [message] = errors(edited(long_csv(declaration()), 3, 値="12,141人"))
    assert "3行目（値）" in message and "単位列" in message


def test_thousands_separators_and_dashes_are_accepted_in_values() -> None:
    text = long_csv(declaration())
    result = read_csv(edited(text, 3, 値="12,141"), "kpi.csv")
    assert result.ok and result.document.declarations[0].indicators[0].observations[0].value == 12141
    result = read_csv(edited(text, 3, 値="—"), "kpi.csv")
    assert result.ok and result.document.declarations[0].indicators[0].observations[0].value is None


def test_too_many_decimals_are_refused() -> None:
    [message] = errors(edited(long_csv(declaration()), 3, 値="1.23456"))
    assert "3行目（値）" in message and "小数部4桁" in message


def test_unknown_kind_names_the_allowed_ones() -> None:
    [message] = errors(edited(long_csv(declaration()), 4, 種別="見込み"))
    assert "4行目（種別）" in message and "当初水準・実績値・実績見込値・目標値" in message


def test_bad_years_are_located() -> None:
    text = long_csv(declaration())
    [message] = errors(edited(text, 5, 値の年度="20x0"))
    assert "5行目（値の年度）" in message and "年度" in message
    [message] = errors(edited(text, 6, 年度="令和100年度", **{"年度（和暦）": ""}))
    assert "6行目（年度）" in message and "令和99年度まで" in message
    [message] = errors(edited(text, 7, **{"値の年度（和暦）": "令和3年度"}))
    assert "7行目（値の年度（和暦））" in message and "別の年度" in message


def test_a_western_year_may_be_written_in_the_era() -> None:
    result = read_csv(edited(long_csv(declaration()), 2, 値の年度="平成29年度"), "kpi.csv")
    assert result.ok


def test_rows_of_one_indicator_must_agree() -> None:
    [message] = errors(edited(long_csv(declaration()), 4, 単位="件"))
    assert "4行目（単位）" in message and "2行目の「人」と違います" in message


def test_blank_shared_cells_take_the_value_of_the_other_rows() -> None:
    text = long_csv(declaration())
    data = edited(text, 3, 単位="", 事業名="", 所管課="", 計画名="", 計画開始年度="", 計画終了年度="")
    result = read_csv(data, "kpi.csv")
    assert result.ok
    assert kpi_part(result.document) == kpi_part(document(declaration()))


def test_evaluation_columns_are_ignored() -> None:
    data = edited(long_csv(declaration()), 2, 達成状況="達成", **{"進捗率（%）": "abc"})
    assert read_csv(data, "kpi.csv").ok


def test_a_figure_given_twice_is_refused_with_both_lines() -> None:
    text = long_csv(declaration())
    lines = text.split("\r\n")
    data = "\r\n".join([*lines[:4], lines[3], *lines[4:]]).encode()
    [message] = errors(data)
    assert "5行目（種別）" in message and "4行目にもあります" in message


def test_missing_required_columns_are_listed() -> None:
    text = long_csv(declaration())
    table = [row[:11] for row in csv.reader(io.StringIO(text))]  # up to 種別: no 値
    out = io.StringIO()
    csv.writer(out).writerows(table)
    [message] = errors(out.getvalue().encode())
    assert "1行目" in message and "値" in message


def test_unknown_columns_are_a_warning() -> None:
    text = long_csv(declaration()).replace("達成率（%）", "備考", 1)
    result = read_csv(text.encode(), "kpi.csv")
    assert result.ok
    assert [p.code for p in result.problems] == ["csv.unknown_column"]


def test_a_comma_outside_quotes_shows_up_as_extra_cells() -> None:
    text = long_csv(declaration())
    lines = text.split("\r\n")
    lines[2] = lines[2] + ",余分"
    [message] = errors("\r\n".join(lines).encode())
    assert "3行目" in message and "引用符" in message


def test_empty_and_header_only_files_are_refused() -> None:
    assert "ファイルが空です" in errors(b"")[0]
    assert "データの行がありません" in errors(",".join(LONG_HEADERS).encode())[0]


def test_a_row_without_kind_keeps_an_indicator_without_figures() -> None:
    header = ",".join(LONG_HEADERS)
    row = "2020,,市民生活部,99-001,新規事業,新しい指標,件,,,,,,,,,企画課,,,,,,,,"
    result = read_csv(f"{header}\n{row}\n".encode(), "kpi.csv")
    assert result.ok
    [indicator] = result.document.declarations[0].indicators
    assert indicator.baseline is None and indicator.observations == [] and indicator.targets == []
    assert indicator.owners[0].section == "企画課"


def _demo_documents() -> list[Document]:
    from sengen.portal.management.commands.demo import demo_files

    return [read_bytes(data, name).document for name, data in demo_files()]


@pytest.mark.django_db
def test_demo_data_round_trip_through_an_empty_database() -> None:
    demo = Document(declarations=[d for doc in _demo_documents() for d in doc.declarations])
    data = write_csv(with_evaluations(demo))
    result = read_csv(data, "demo.csv")
    assert result.ok, [p.render() for p in result.problems]
    report = load([result.document], source="demo.csv")
    assert report.totals["added"] == 4
    stored = queries.to_document()
    assert kpi_part(stored) == kpi_part(demo)
    # Exported again, the figures are the same to the byte.
    assert write_csv(evaluated_document(queries.declarations())) == data


@pytest.mark.django_db
def test_importing_a_csv_over_stored_declarations_replaces_only_the_kpi_tables() -> None:
    load(_demo_documents())
    data = write_csv(evaluated_document(queries.declarations()))
    stored = queries.to_document().declarations

    same = read_csv(data, "kpi.csv")
    report = load([keep_stored_text(same.document, stored)], dry_run=True)
    assert report.totals == {"added": 0, "changed": 0, "unchanged": 4}

    text = data.decode("utf-8-sig")
    changed = read_csv(edited(text, 3, 値="99999"), "kpi.csv")
    report = load([keep_stored_text(changed.document, stored)])
    assert report.totals["changed"] == 1
    [change] = report.declarations[0].changes
    assert change.new == Decimal(99999)
    after = queries.to_document().declarations[0]
    assert after.message == stored[0].message and after.policies == stored[0].policies
