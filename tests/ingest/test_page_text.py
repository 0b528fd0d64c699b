"""The published-page reader, checked field by field against the shared FY2020 sample.

Figures, years, units and names are facts and written out here; prose (message, roles,
policies, notes) is compared with an independent extraction from the sample file itself so
the sample's text is never copied into the project.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from sengen.core.messages import Problem
from sengen.ingest import read_bytes
from sengen.ingest.page_text import parse_sections, resolve_owner
from sengen.interchange import Declaration, Owner, Section

# (number, project, indicator, unit, baseline (year, value), 2018 actual, 2019 estimate,
#  2020 target, annotations (2018, 2019, 2020), owners)
H29, H28 = 2017, 2016
CIVIC = Owner(section="市民協働課")
CIVIC_SAFETY = Owner(section="市民協働課", unit="交通防犯対策担当")
RIGHTS = Owner(section="人権・広聴相談課")
FAMILY = Owner(section="戸籍住民課")
EXPECTED_ROWS = [
    ("17-101", "地域防犯活動推進事業", "くらし安心メール登録者数", "人", (H29, 10554), 12141, 13217, 15000, None, [CIVIC_SAFETY]),
    ("17-102", "地域防犯環境整備事業", "防犯カメラの設置箇所数", "箇所", (H29, 11), 13, 15, 17, "2箇所", [CIVIC_SAFETY]),
    ("19-101", "男女共同参画推進事業", "男女共同参画フォーラム及び啓発講座等の参加者数", "人", (H29, 427), 439, 115, 430, None, [RIGHTS]),
    ("20-101", "平和都市宣言推進事業", "平和関連事業実施件数", "件", (H29, 4), 4, 4, 5, None, [CIVIC]),
    ("20-102", "多文化共生推進事業", "外国籍市民等との交流活動の実施件数", "件", (H29, 2), 2, 0, 4, None, [CIVIC]),
    ("22-102", "ワーク・ライフ・バランス普及促進事業", "ワーク・ライフ・バランスに関するホームページの情報提供数", "件", (H29, 0), 3, 4, 5, None, [RIGHTS]),
    ("33-102", "自転車交通安全対策事業", "児童の自転車用ヘルメット着用率", "%", (H29, 11), None, 25, 60, None, [CIVIC_SAFETY]),
    ("37-101", "市民活動サポートセンター運営事業", "市民活動サポートセンターの年間利用者数", "人", (H28, 9291), 11016, 12387, 9600, None, [CIVIC]),
    ("37-102", "市民協働推進事業", "市民協働事業の実施件数", "件", (H28, 18), 19, 17, 22, None, [CIVIC]),
    ("37-103", "地域活動支援事業", "地縁団体法人化数", "自治会", (H29, 13), 13, 13, 14, None, [CIVIC]),
    ("38-103", "市民相談事業", "消費生活相談件数", "件", (H29, 550), 772, 741, 580, None, [RIGHTS]),
    ("40-104", "窓口サービスの効率化", "証明発行件数のうちコンビニ交付の占める割合", "%", (H28, 0), 2, 2, 15, None, [FAMILY]),
]  # fmt: skip


def _read(data: bytes, name: str = "page.txt"):
    return read_bytes(data, name)


def _declaration(data: bytes) -> Declaration:
    result = _read(data)
    errors = [p.render("en") for p in result.problems if p.severity == "error"]
    assert not errors, errors
    assert result.document is not None
    (declaration,) = result.document.declarations
    return declaration


@pytest.fixture
def sample_bytes(sample_path: Path) -> bytes:
    return sample_path.read_bytes()


@pytest.fixture
def sample_text(sample_bytes: bytes) -> str:
    return sample_bytes.decode("utf-8")


@pytest.fixture
def sample(sample_bytes: bytes) -> Declaration:
    return _declaration(sample_bytes)


def _paragraphs(fragment: str) -> list[str]:
    """Independent of the reader: the text inside each <p> or <li>, bullet and spaces trimmed."""
    items = re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", fragment)
    return [re.sub(r"^・\s*", "", item).strip() for item in items]


def _line_after(text: str, label: str) -> str:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(label))
    return lines[index + 1]


class TestSampleDeclaration:
    def test_title_head_and_plan(self, sample: Declaration) -> None:
        assert sample.fiscal_year == 2020
        assert sample.department == "市民生活部"
        assert sample.head.title == "市民生活部長"
        assert sample.head.name == "大津 隆治"
        assert sample.plan is not None
        assert (sample.plan.name, sample.plan.start_year, sample.plan.end_year) == (
            "中期戦略事業プラン",
            2018,
            2020,
        )

    def test_message_paragraphs(self, sample: Declaration, sample_text: str) -> None:
        expected = _paragraphs(_line_after(sample_text, "部長メッセージ"))
        assert len(expected) == 3
        assert sample.message == expected

    def test_roles(self, sample: Declaration, sample_text: str) -> None:
        expected = _paragraphs(_line_after(sample_text, "部等の主な役割").split("\t")[0])
        assert len(expected) == 7
        assert sample.roles == expected
        assert not any(role.startswith("・") for role in sample.roles)

    def test_sections_become_a_hierarchy(self, sample: Declaration) -> None:
        assert sample.sections == [
            Section(name="市民協働課", units=["交通防犯対策担当", "市民文化会館担当"]),
            Section(name="人権・広聴相談課", units=[]),
            Section(name="戸籍住民課", units=[]),
        ]

    def test_policies(self, sample: Declaration, sample_text: str) -> None:
        lines = [line for line in sample_text.splitlines() if re.match(r"^\d\t", line)]
        assert [p.number for p in sample.policies] == [1, 2, 3, 4, 5]
        for policy, line in zip(sample.policies, lines, strict=True):
            paragraphs = _paragraphs(line)
            assert policy.title == paragraphs[0].strip("【】")
            assert policy.body == "\n".join(paragraphs[1:])
            assert "<" not in policy.body and "【" not in policy.title

    def test_notes(self, sample: Declaration, sample_text: str) -> None:
        expected = [line.strip() for line in sample_text.splitlines() if line.startswith(("※", "なお"))]
        assert len(expected) == 2
        assert sample.notes == expected

    def test_every_kpi_row_field_by_field(self, sample: Declaration) -> None:
        assert len(sample.indicators) == len(EXPECTED_ROWS) == 12
        for indicator, row in zip(sample.indicators, EXPECTED_ROWS, strict=True):
            number, project, name, unit, (base_year, base), actual, estimate, target, note, owners = row
            assert indicator.project.number == number
            assert indicator.project.name == project
            assert indicator.name == name
            assert indicator.unit == unit
            assert indicator.owners == owners
            assert indicator.baseline is not None
            assert (indicator.baseline.fiscal_year, indicator.baseline.value) == (base_year, Decimal(base))
            assert indicator.baseline.annotation is None
            assert [(o.fiscal_year, o.kind) for o in indicator.observations] == [
                (2018, "actual"),
                (2019, "estimate"),
            ]
            values = [o.value for o in indicator.observations]
            assert values == [None if actual is None else Decimal(actual), Decimal(estimate)]
            assert [o.annotation for o in indicator.observations] == [note, note]
            (goal,) = indicator.targets
            assert (goal.fiscal_year, goal.value, goal.annotation) == (2020, Decimal(target), note)
            assert goal.set_in == 2017, "計画策定時(平成29年度)に設定 gives every 2020 target its set_in"

    def test_integers_stay_integral(self, sample: Declaration) -> None:
        for indicator in sample.indicators:
            for obs in indicator.observations:
                assert obs.value is None or obs.value == obs.value.to_integral_value()

    def test_sample_reads_without_warnings(self, sample_bytes: bytes) -> None:
        assert _read(sample_bytes).problems == []


class TestEncodings:
    def test_the_same_page_in_every_encoding_reads_the_same(self, sample_text: str) -> None:
        reference = _declaration(sample_text.encode("utf-8"))
        # CP932 has no U+2014: Windows saves the dash as 0x815C, which reads back as U+2015 (―).
        windows = sample_text.replace("\u2014", "\u2015")
        variants = {
            "utf-8 BOM": b"\xef\xbb\xbf" + sample_text.encode("utf-8"),
            "cp932": windows.encode("cp932"),
            "cp932 CRLF": windows.replace("\n", "\r\n").encode("cp932"),
            "utf-8 CRLF": sample_text.replace("\n", "\r\n").encode("utf-8"),
        }
        for name, data in variants.items():
            assert _declaration(data) == reference, name


class TestHeaderDriven:
    def test_columns_are_found_by_header_not_position(self, sample_text: str) -> None:
        """Move the target column before the actuals and add a later year: same figures."""
        lines = sample_text.splitlines()
        out = []
        for line in lines:
            cells = line.split("\t")
            if len(cells) == 8 and (cells[0] == "事業番号" or re.match(r"\d\d-\d{3}$", cells[0])):
                extra = "令和3年度実績見込値" if cells[0] == "事業番号" else "—"
                cells = [*cells[:4], cells[6], cells[4], cells[5], extra, cells[7]]
            out.append("\t".join(cells))
        declaration = _declaration("\n".join(out).encode())
        first = declaration.indicators[0]
        assert [(o.fiscal_year, o.kind, o.value) for o in first.observations] == [
            (2018, "actual", Decimal(12141)),
            (2019, "estimate", Decimal(13217)),
            (2021, "estimate", None),
        ]
        assert first.targets[0].value == Decimal(15000)


def _problems(data: str | bytes, name: str = "bad.txt") -> list[Problem]:
    raw = data.encode() if isinstance(data, str) else data
    return _read(raw, name).problems


def _only_error(problems: list[Problem]) -> Problem:
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [p.render("en") for p in problems]
    return errors[0]


class TestBadInput:
    def test_empty_file(self) -> None:
        problem = _only_error(_problems(b"\xef\xbb\xbf  \r\n"))
        assert problem.code == "ingest.empty_file"
        assert problem.render("ja").startswith("bad.txt: エラー: ファイルが空です")
        assert "empty" in problem.render("en")

    def test_binary_file(self) -> None:
        problem = _only_error(_problems(b"PK\x03\x04\x00\x00binary"))
        assert problem.code == "ingest.binary_file"
        assert "1行目" in problem.render("ja")

    def test_undecodable_bytes_name_the_line(self) -> None:
        problem = _only_error(_problems("## 令和2年度 市民生活部長の目標宣言\n".encode() + b"\x81\xff\xfe\n"))
        assert problem.code == "ingest.unknown_encoding"
        assert problem.location.line == 2

    def test_wrong_number_of_cells(self, sample_text: str) -> None:
        bad = sample_text.replace("\t13,217人\t15,000人", "\t15,000人")
        problem = _only_error(_problems(bad))
        assert problem.code == "page.cell_count"
        line = next(i for i, text in enumerate(bad.splitlines(), 1) if text.startswith("17-101"))
        assert problem.location.line == line
        assert f"bad.txt {line}行目" in problem.render("ja") and "7" in problem.render("ja")
        assert f"line {line}" in problem.render(
            "en"
        ) and "has 7 cells but the header has 8" in problem.render("en")

    def test_unknown_era_in_a_header(self, sample_text: str) -> None:
        bad = sample_text.replace("平成30年度実績値", "大正30年度実績値", 1)
        problem = _only_error(_problems(bad))
        assert problem.code == "wareki.unknown_era"
        assert problem.location.column == 5
        assert "大正30年度" in problem.render("ja")

    def test_unknown_era_in_a_baseline(self, sample_text: str) -> None:
        bad = sample_text.replace("10,554人 (平成29年度)", "10,554人 (光文29年度)")
        problem = _only_error(_problems(bad))
        assert problem.code == "wareki.unknown_era"
        assert problem.location.column_name == "当初水準"

    def test_a_baseline_remark_that_is_not_a_year_stays_an_annotation(self, sample_text: str) -> None:
        text = sample_text.replace("10,554人 (平成29年度)", "10,554人 (推計)")
        result = _read(text.encode())
        assert [p.code for p in result.problems] == ["page.baseline_without_year"]
        baseline = result.document.declarations[0].indicators[0].baseline
        assert (baseline.fiscal_year, baseline.annotation) == (None, "推計")

    def test_title_with_both_calendars(self, sample_text: str) -> None:
        text = sample_text.replace("## 令和2年度 市民生活部長", "## 令和2年度（2020年度） 市民生活部長")
        assert _declaration(text.encode()).fiscal_year == 2020
        wrong = sample_text.replace("## 令和2年度 市民生活部長", "## 令和2年度（2021年度） 市民生活部長")
        assert _only_error(_problems(wrong)).code == "wareki.inconsistent"

    def test_figure_that_is_not_a_number(self, sample_text: str) -> None:
        bad = sample_text.replace("\t12,141人\t", "\t12,14x人\t")
        problem = _only_error(_problems(bad))
        assert problem.code.startswith("figure.")
        assert problem.location.column == 5
        assert problem.location.column_name == "平成30年度実績値"
        assert "12,14x人" in problem.render("ja") and "12,14x人" in problem.render("en")

    def test_owner_naming_no_listed_section_is_a_warning_with_the_nearest_match(
        self, sample_text: str
    ) -> None:
        bad = sample_text.replace("\t戸籍住民課\n", "\t戸籍住民係課\n")
        result = _read(bad.encode(), "bad.txt")
        assert result.ok
        (warning,) = result.problems
        assert warning.severity == "warning" and warning.code == "page.unknown_owner_near"
        assert "「戸籍住民課」の誤りではありませんか" in warning.render("ja")
        assert 'Did you mean "戸籍住民課"' in warning.render("en")
        assert result.document is not None
        assert result.document.declarations[0].indicators[-1].owners == [Owner(section="戸籍住民係課")]

    def test_a_second_row_with_different_values_is_refused(self, sample_text: str) -> None:
        row = next(line for line in sample_text.splitlines() if line.startswith("37-102"))
        bad = sample_text.replace(row, row + "\n" + row.replace("19 件", "20 件"))
        problem = _only_error(_problems(bad))
        assert problem.code == "page.duplicate_row"
        first = next(i for i, text in enumerate(bad.splitlines(), 1) if text.startswith("37-102"))
        assert problem.location.line == first + 1
        assert f"{first}行目" in problem.render("ja")

    def test_an_identical_repeated_row_is_skipped_with_a_warning(self, sample_text: str) -> None:
        row = next(line for line in sample_text.splitlines() if line.startswith("37-102"))
        result = _read(sample_text.replace(row, row + "\n" + row).encode())
        assert result.ok
        assert [p.code for p in result.problems] == ["page.same_row_twice"]
        assert len(result.document.declarations[0].indicators) == 12

    def test_no_title(self) -> None:
        problem = _only_error(_problems("部長メッセージ\t市民生活部長\t氏名\n<p>本文</p>\n"))
        assert problem.code == "page.no_title"

    def test_unknown_column_header(self, sample_text: str) -> None:
        bad = sample_text.replace("\t当初水準\t", "\t基準値\t", 1)
        problem = _only_error(_problems(bad))
        assert problem.code == "page.unknown_column"
        assert "基準値" in problem.render("en")

    def test_unit_mismatch_in_a_row(self, sample_text: str) -> None:
        bad = sample_text.replace("\t13,217人\t", "\t13,217件\t")
        problem = _only_error(_problems(bad))
        assert problem.code == "page.unit_mismatch"
        assert problem.location.column_name == "令和元年度実績見込値"


class TestSectionsAndOwners:
    def test_units_belong_to_the_section_before_them(self) -> None:
        assert parse_sections("環境政策課 地球温暖化対策担当 環境保全担当 資源循環課 公園緑地課 管理係") == [
            Section(name="環境政策課", units=["地球温暖化対策担当", "環境保全担当"]),
            Section(name="資源循環課", units=[]),
            Section(name="公園緑地課", units=["管理係"]),
        ]

    def test_a_name_split_by_a_line_break_is_joined(self) -> None:
        assert parse_sections("人権・広聴 相談課 戸籍住民課") == [
            Section(name="人権・広聴相談課"),
            Section(name="戸籍住民課"),
        ]

    def test_sections_as_a_list(self) -> None:
        assert parse_sections("<ul><li>・ 市民協働課</li><li>・ 交通防犯対策担当</li></ul>") == [
            Section(name="市民協働課", units=["交通防犯対策担当"])
        ]

    @pytest.mark.parametrize(
        ("text", "owner"),
        [
            ("市民協働課 交通防犯対策担当", Owner(section="市民協働課", unit="交通防犯対策担当")),
            ("市民協働課交通防犯対策担当", Owner(section="市民協働課", unit="交通防犯対策担当")),
            ("人権・広聴 相談課", Owner(section="人権・広聴相談課")),
            ("市民協働課", Owner(section="市民協働課")),
        ],
    )
    def test_owner_resolution(self, text: str, owner: Owner) -> None:
        sections = [Section(name="市民協働課", units=["交通防犯対策担当"]), Section(name="人権・広聴相談課")]
        assert resolve_owner(text, sections) == (owner, None)

    def test_several_owners_separated_by_the_japanese_comma(self, sample_text: str) -> None:
        text = sample_text.replace("\t市民協働課\n20-102", "\t市民協働課、戸籍住民課\n20-102")
        declaration = _declaration(text.encode())
        assert declaration.indicators[3].owners == [CIVIC, FAMILY]
