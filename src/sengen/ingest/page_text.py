"""Reader for the published-page text format: a goal declaration as a city's web page shows it.

The page is the text of an HTML page whose tables were flattened: one table row a line, cells
separated by tabs, cell contents still holding HTML fragments (``<p>``, ``<ul><li>``). The
blocks are found by their labels (部長メッセージ, 部等の主な役割, 部等の取組方針, 計画期間,
事業番号), never by position, and every KPI column is identified by its header, so a page of
another year, with other years in its headers or several KPI tables, reads the same way.
docs/import-format.md describes the format for users.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from sengen.core.figures import Figure, parse_figure
from sengen.core.messages import Location, Problem, SengenError, register
from sengen.core.text import html_to_items, normalize_space
from sengen.core.wareki import find_fiscal_years, parse_fiscal_year, parse_fiscal_year_prefix
from sengen.ingest.base import ReadResult, decode
from sengen.interchange import (
    Baseline,
    Declaration,
    Document,
    Head,
    Indicator,
    Observation,
    Owner,
    Plan,
    Policy,
    Project,
    Section,
    Target,
)

register(
    {
        "page.no_title": (
            "見出し「令和2年度 ○○部長の目標宣言」が見つかりません。"
            "ページの先頭にこの形の見出し行を入れてください。",
            'No title such as "令和2年度 ○○部長の目標宣言" was found. Put a title line of that form '
            "at the top of the page.",
        ),
        "page.no_head": (
            "「部長メッセージ」の行（部長メッセージ<TAB>役職<TAB>氏名）が見つかりません。"
            "部長の役職と氏名の行を入れてください。",
            'No "部長メッセージ" row (部長メッセージ<TAB>title<TAB>name) was found. Add the row '
            "with the head's title and name.",
        ),
        "page.missing_block_body": (
            "「{label}」の次に内容の行がありません。見出し行の次の行に内容を入れてください。",
            'The "{label}" row is not followed by its content. Put the content on the next line.',
        ),
        "page.unknown_column": (
            "KPI表の列見出し「{header}」を読み取れません。使える見出しは 事業番号・主な事業・事業指標・"
            "当初水準・<年度>実績値・<年度>実績見込値・<年度>目標値・所管課 です。",
            'Cannot read the KPI column header "{header}". Headers can be 事業番号, 主な事業, 事業指標, '
            "当初水準, <year>実績値, <year>実績見込値, <year>目標値 and 所管課.",
        ),
        "page.missing_column": (
            "KPI表に「{header}」列がありません。列見出しの行に「{header}」を加えてください。",
            'The KPI table has no "{header}" column. Add "{header}" to the header row.',
        ),
        "page.duplicate_column": (
            "KPI表の列見出し「{header}」が2回あります。年度か種別（実績値・実績見込値・目標値）を直してください。",
            'The KPI column header "{header}" appears twice. Correct its year or kind '
            "(実績値, 実績見込値, 目標値).",
        ),
        "page.cell_count": (
            "KPI表の行の列数が {found} ですが、列見出しは {expected} 列です。"
            "タブ区切りの列数を見出しに合わせてください（空欄もタブで区切ります）。",
            "This KPI row has {found} cells but the header has {expected}. Make the tab-separated "
            "cells match the header (an empty cell still needs its tab).",
        ),
        "page.empty_cell": (
            "「{header}」が空欄です。値を入れてください。",
            'The "{header}" cell is empty. Fill it in.',
        ),
        "page.unit_mismatch": (
            "単位「{unit}」が、同じ行の他の値の単位「{expected}」と違います。"
            "同じ指標の値は同じ単位で書いてください。",
            'The unit "{unit}" differs from the unit "{expected}" of the other figures in this row. '
            "Write every figure of one indicator in the same unit.",
        ),
        "page.duplicate_row": (
            "事業番号 {number}「{indicator}」の行が {first_line}行目にもあり、値が違います。"
            "どちらが正しいか確かめて、一方の行を削除してください。",
            'Project {number} "{indicator}" also has a row on line {first_line}, with different '
            "values. Check which is right and delete the other row.",
        ),
        "page.same_row_twice": (
            "事業番号 {number}「{indicator}」の行は {first_line}行目と同じ内容のため、読み飛ばしました。",
            'Project {number} "{indicator}" repeats the row on line {first_line}; the repeat was skipped.',
        ),
        "page.unknown_owner": (
            "所管課「{owner}」は「部等を構成する課等」にありません。名前が正しければこのまま取り込まれます。",
            'The owner "{owner}" is not among the listed sections. If the name is right it is '
            "imported as written.",
        ),
        "page.unknown_owner_near": (
            "所管課「{owner}」は「部等を構成する課等」にありません。「{match}」の誤りではありませんか。"
            "名前が正しければこのまま取り込まれます。",
            'The owner "{owner}" is not among the listed sections. Did you mean "{match}"? '
            "If the name is right it is imported as written.",
        ),
        "page.baseline_without_year": (
            "当初水準「{text}」に年度がありません。「10,554人 (平成29年度)」のように年度を添えてください。",
            'The baseline "{text}" has no year. Add it like "10,554人 (平成29年度)".',
        ),
        "page.unrecognised_line": (
            "この行はどの項目にも当てはまらないため、取り込まれません: 「{text}」",
            'This line fits no part of a declaration and is not imported: "{text}"',
        ),
        "page.plan_period": (
            "計画期間「{text}」から開始年度と終了年度を読み取れません。"
            "「計画期間:平成30年度～令和2年度」の形で書いてください。",
            'Cannot read the start and end years from the plan period "{text}". '
            'Write it as "計画期間:平成30年度～令和2年度".',
        ),
        "page.figure_too_precise": (
            "「{text}」は桁数が多すぎます。整数部11桁・小数部4桁までで書いてください"
            "（それより細かい値は単位を変えて、例: 千円）。",
            'The figure "{text}" has too many digits. Use at most 11 digits before and 4 after the '
            "decimal point (for larger figures change the unit, e.g. 千円).",
        ),
        "page.policy_number": (
            "取組方針の番号「{text}」が数字ではありません。1, 2, 3 … の番号を付けてください。",
            'The policy number "{text}" is not a number. Number the policies 1, 2, 3 ….',
        ),
    }
)

SECTION_SUFFIXES = ("課", "室", "所", "館", "センター", "局", "署", "園")
UNIT_SUFFIXES = ("担当", "係", "班", "グループ", "チーム")

_TITLE = re.compile(
    r"^\s*(?:#+\s*)?(?P<year>.+?年度(?:\s*[（(]\s*\d{4}\s*年度\s*[)）])?)\s*(?P<head>\S+?)の目標宣言\s*$"
)
_PLAN = re.compile(r"^(?P<name>.+?)\s*[（(]\s*計画期間\s*[:：]?\s*(?P<period>[^)）]+)[)）]")
_SET_IN = re.compile(r"計画策定時\s*[（(]\s*(?P<year>[^)）]+?)\s*[)）]\s*に設定")
_NOTE = re.compile(r"^\s*(※|なお|注[)）:：]|\(注\)|（注）)")
_OWNER_SEPARATORS = re.compile(r"[、，,]")

KPI_FIXED_COLUMNS = {
    "事業番号": "number",
    "主な事業": "project",
    "事業指標": "indicator",
    "当初水準": "baseline",
    "所管課": "owners",
}
VALUE_KINDS = {
    "実績値": "actual",
    "実績": "actual",
    "実績見込値": "estimate",
    "実績見込み値": "estimate",
    "見込値": "estimate",
    "実績見込": "estimate",
    "目標値": "target",
    "目標": "target",
}
REQUIRED_COLUMNS = ("事業番号", "事業指標")


@dataclass(frozen=True)
class Column:
    role: str  # number | project | indicator | baseline | owners | actual | estimate | target
    header: str
    fiscal_year: int | None = None


@dataclass
class _Row:
    line: int
    indicator: Indicator
    owner_texts: list[tuple[str, Location]]


@dataclass
class _Page:
    source: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)

    def at(self, line: int, column: int | None = None, column_name: str | None = None) -> Location:
        return Location(self.source, line, column, column_name=column_name)

    def error(self, code: str, location: Location, **params: object) -> None:
        self.problems.append(Problem(code, params, location, "error"))

    def warn(self, code: str, location: Location, **params: object) -> None:
        self.problems.append(Problem(code, params, location, "warning"))


def read_page_text(data: bytes, source: str) -> ReadResult:
    """Read one published declaration page; see the module docstring."""
    text, problems = decode(data, source)
    if text is None:
        return ReadResult(None, problems)
    page = _Page(source, text.split("\n"), problems)
    declaration = _PageParser(page).parse()
    if declaration is None:
        return ReadResult(None, page.problems)
    return ReadResult(Document(declarations=[declaration]), page.problems)


def cells_of(line: str) -> list[str]:
    """A flattened table row's cells, without the empty cells a row ends with."""
    cells = line.split("\t")
    while len(cells) > 1 and not cells[-1].strip():
        cells.pop()
    return cells


def clean(cell: str) -> str:
    """A cell as one line of plain text (HTML removed, whitespace collapsed)."""
    return " ".join(html_to_items(cell))


def compact(text: str) -> str:
    """A name with every space removed: cells wrap names at arbitrary points."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class _PageParser:
    def __init__(self, page: _Page) -> None:
        self.page = page
        self.fiscal_year: int | None = None
        self.department: str | None = None
        self.head: Head | None = None
        self.message: list[str] = []
        self.roles: list[str] = []
        self.sections: list[Section] = []
        self.policies: list[Policy] = []
        self.plan: Plan | None = None
        self.notes: list[str] = []
        self.rows: list[_Row] = []
        self.title_line: int | None = None
        self.title_head: str | None = None

    # -- driver ---------------------------------------------------------------------------------

    def parse(self) -> Declaration | None:
        lines = self.page.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            number = i + 1
            first = clean(cells_of(line)[0]) if line.strip() else ""
            if not line.strip():
                i += 1
            elif self.title_line is None and _TITLE.match(normalize_space(line)):
                self._title(line, number)
                i += 1
            elif first.endswith("メッセージ"):
                i = self._message(i)
            elif "主な役割" in first:
                i = self._roles_and_sections(i)
            elif "取組方針" in first:
                i = self._policies(i)
            elif "計画期間" in line and self.plan is None:
                self._plan(line, number)
                i += 1
            elif compact(first) == "事業番号":
                i = self._kpi_table(i)
            elif _NOTE.match(line):
                self.notes.append(normalize_space(line))
                i += 1
            else:
                self.page.warn("page.unrecognised_line", self.page.at(number), text=_excerpt(line))
                i += 1
        return self._finish()

    def _finish(self) -> Declaration | None:
        if self.fiscal_year is None or self.department is None:
            if self.title_line is None:
                self.page.error("page.no_title", self.page.at(1))
            return None
        if self.head is None:
            self.page.error("page.no_head", self.page.at(self.title_line))
            return None
        indicators = self._resolve_owners()
        set_in = self._set_in_years()
        indicators = [
            ind.model_copy(
                update={
                    "targets": [
                        t.model_copy(update={"set_in": set_in.get(t.fiscal_year, set_in.get(None))})
                        for t in ind.targets
                    ]
                }
            )
            for ind in indicators
        ]
        if any(p.severity == "error" for p in self.page.problems):
            return None
        return Declaration(
            fiscal_year=self.fiscal_year,
            department=self.department,
            head=self.head,
            message=self.message,
            roles=self.roles,
            sections=self.sections,
            policies=self.policies,
            plan=self.plan,
            notes=self.notes,
            indicators=indicators,
        )

    def _next_content(self, i: int) -> int | None:
        j = i + 1
        while j < len(self.page.lines) and not self.page.lines[j].strip():
            j += 1
        return j if j < len(self.page.lines) else None

    def _year(self, text: str, location: Location, *, prefix: bool = False) -> int | None:
        try:
            return parse_fiscal_year_prefix(text)[0] if prefix else parse_fiscal_year(text)
        except SengenError as exc:
            self.page.problems.append(Problem.from_error(exc, location))
            return None

    # -- blocks ---------------------------------------------------------------------------------

    def _title(self, line: str, number: int) -> None:
        match = _TITLE.match(normalize_space(line))
        assert match is not None
        self.title_line = number
        self.fiscal_year = self._year(match["year"], self.page.at(number))
        head_title = match["head"]
        # 市民生活部長 → 市民生活部: the declaration belongs to the department the head leads.
        self.department = head_title[:-1] if head_title.endswith("長") else head_title
        self.title_head = head_title

    def _message(self, i: int) -> int:
        cells = [clean(c) for c in cells_of(self.page.lines[i])]
        title = cells[1] if len(cells) > 1 and cells[1] else self.title_head
        name = cells[2] if len(cells) > 2 and cells[2] else None
        if title:
            self.head = Head(title=title, name=name)
        body = self._next_content(i)
        if body is None:
            self.page.error("page.missing_block_body", self.page.at(i + 1), label=cells[0])
            return len(self.page.lines)
        self.message = html_to_items(cells_of(self.page.lines[body])[0])
        return body + 1

    def _roles_and_sections(self, i: int) -> int:
        label = clean(cells_of(self.page.lines[i])[0])
        body = self._next_content(i)
        if body is None:
            self.page.error("page.missing_block_body", self.page.at(i + 1), label=label)
            return len(self.page.lines)
        cells = cells_of(self.page.lines[body])
        self.roles = html_to_items(cells[0])
        if len(cells) > 1:
            self.sections = parse_sections(cells[1])
        return body + 1

    def _policies(self, i: int) -> int:
        j = i + 1
        while j < len(self.page.lines):
            line = self.page.lines[j]
            if not line.strip():
                if self.policies:
                    break
                j += 1
                continue
            cells = cells_of(line)
            if len(cells) < 2:
                break
            number_text = unicodedata.normalize("NFKC", cells[0]).strip()
            if not number_text.isdigit():
                if self.policies:
                    break
                self.page.error("page.policy_number", self.page.at(j + 1, 1), text=cells[0].strip())
                j += 1
                continue
            self.policies.append(parse_policy(int(number_text), "\t".join(cells[1:])))
            j += 1
        return j

    def _plan(self, line: str, number: int) -> None:
        text = normalize_space(line)
        match = _PLAN.match(text)
        location = self.page.at(number)
        if match is None:
            self.page.error("page.plan_period", location, text=_excerpt(text))
            return
        try:
            years = find_fiscal_years(match["period"])
        except SengenError as exc:
            self.page.problems.append(Problem.from_error(exc, location))
            return
        if len(years) != 2 or years[0] > years[1]:
            self.page.error("page.plan_period", location, text=match["period"])
            return
        self.plan = Plan(name=match["name"].strip(), start_year=years[0], end_year=years[1])

    def _kpi_table(self, i: int) -> int:
        header_line = i + 1
        columns = self._columns(cells_of(self.page.lines[i]), header_line)
        j = i + 1
        while j < len(self.page.lines) and self.page.lines[j].strip():
            if columns is not None:
                self._kpi_row(cells_of(self.page.lines[j]), j + 1, columns)
            j += 1
        return j

    def _columns(self, headers: list[str], line: int) -> list[Column] | None:
        columns: list[Column] = []
        ok = True
        for index, raw in enumerate(headers, start=1):
            header = compact(clean(raw))
            location = self.page.at(line, index, header or None)
            if header in KPI_FIXED_COLUMNS:
                columns.append(Column(KPI_FIXED_COLUMNS[header], header))
                continue
            try:
                year, rest = parse_fiscal_year_prefix(header)
            except SengenError as exc:
                if exc.code == "wareki.not_a_year":
                    self.page.error("page.unknown_column", location, header=header)
                else:
                    self.page.problems.append(Problem.from_error(exc, location))
                ok = False
                continue
            kind = VALUE_KINDS.get(compact(rest))
            if kind is None:
                self.page.error("page.unknown_column", location, header=header)
                ok = False
                continue
            columns.append(Column(kind, header, year))
        seen: set[tuple[str, int | None]] = set()
        for index, column in enumerate(columns, start=1):
            key = (column.role, column.fiscal_year)
            if key in seen:
                self.page.error(
                    "page.duplicate_column", self.page.at(line, index, column.header), header=column.header
                )
                ok = False
            seen.add(key)
        for required in REQUIRED_COLUMNS:
            if ok and all(c.header != required for c in columns):
                self.page.error("page.missing_column", self.page.at(line), header=required)
                ok = False
        return columns if ok else None

    def _kpi_row(self, cells: list[str], line: int, columns: list[Column]) -> None:
        if len(cells) != len(columns):
            self.page.error("page.cell_count", self.page.at(line), found=len(cells), expected=len(columns))
            return
        values: dict[str, str] = {}
        baseline: Baseline | None = None
        observations: list[Observation] = []
        targets: list[Target] = []
        owner_texts: list[tuple[str, Location]] = []
        units: list[tuple[str, Location]] = []
        failed = False
        for index, (column, raw) in enumerate(zip(columns, cells, strict=True), start=1):
            location = self.page.at(line, index, column.header)
            text = clean(raw)
            if column.role in ("number", "project", "indicator"):
                if not text and column.role != "project":
                    self.page.error("page.empty_cell", location, header=column.header)
                    failed = True
                values[column.role] = unicodedata.normalize("NFKC", text) if column.role == "number" else text
                continue
            if column.role == "owners":
                owner_texts.extend(
                    (part.strip(), location) for part in _OWNER_SEPARATORS.split(text) if part.strip()
                )
                continue
            try:
                figure = parse_figure(text)
            except SengenError as exc:
                self.page.problems.append(Problem.from_error(exc, location))
                failed = True
                continue
            if not fits_storage(figure):
                self.page.error("page.figure_too_precise", location, text=text)
                failed = True
                continue
            if figure.unit:
                units.append((figure.unit, location))
            if column.role == "baseline":
                baseline = self._baseline(figure, text, location)
            elif column.role == "target":
                assert column.fiscal_year is not None
                targets.append(
                    Target(
                        fiscal_year=column.fiscal_year,
                        value=figure.value,
                        qualifier=figure.qualifier,
                        annotation=figure.annotation,
                    )
                )
            else:
                assert column.fiscal_year is not None
                observations.append(
                    Observation(
                        fiscal_year=column.fiscal_year,
                        kind=column.role,
                        value=figure.value,
                        qualifier=figure.qualifier,
                        annotation=figure.annotation,
                    )
                )
        unit = units[0][0] if units else None
        for other, location in units[1:]:
            if other != unit:
                self.page.error("page.unit_mismatch", location, unit=other, expected=unit)
                failed = True
        if failed:
            return
        indicator = Indicator(
            project=Project(number=values["number"], name=values.get("project") or values["number"]),
            name=values["indicator"],
            unit=unit,
            baseline=baseline,
            observations=sorted(observations, key=lambda o: (o.fiscal_year, o.kind)),
            targets=sorted(targets, key=lambda t: t.fiscal_year),
        )
        self._add_row(_Row(line, indicator, owner_texts))

    def _baseline(self, figure: Figure, text: str, location: Location) -> Baseline:
        year: int | None = None
        annotation = figure.annotation
        if annotation is not None:
            try:
                year = parse_fiscal_year(annotation)
                annotation = None
            except SengenError as exc:
                if exc.code != "wareki.not_a_year":
                    # 大正29年度 is a year written wrong, not a remark: refuse rather than guess.
                    self.page.problems.append(Problem.from_error(exc, location))
                # Otherwise the parenthetical is a remark, kept as the annotation.
        if year is None and figure.value is not None:
            self.page.warn("page.baseline_without_year", location, text=text)
        return Baseline(
            fiscal_year=year, value=figure.value, qualifier=figure.qualifier, annotation=annotation
        )

    def _add_row(self, row: _Row) -> None:
        key = (row.indicator.project.number, row.indicator.name)
        for earlier in self.rows:
            if (earlier.indicator.project.number, earlier.indicator.name) != key:
                continue
            params = {"number": key[0], "indicator": key[1], "first_line": earlier.line}
            same = earlier.indicator == row.indicator and [t for t, _ in earlier.owner_texts] == [
                t for t, _ in row.owner_texts
            ]
            if same:
                self.page.warn("page.same_row_twice", self.page.at(row.line), **params)
            else:
                self.page.error("page.duplicate_row", self.page.at(row.line), **params)
            return
        self.rows.append(row)

    # -- cross-references -----------------------------------------------------------------------

    def _resolve_owners(self) -> list[Indicator]:
        result = []
        for row in self.rows:
            owners = []
            for text, location in row.owner_texts:
                owner, near = resolve_owner(text, self.sections)
                if near is not None:
                    if near:
                        self.page.warn("page.unknown_owner_near", location, owner=text, match=near)
                    else:
                        self.page.warn("page.unknown_owner", location, owner=text)
                owners.append(owner)
            result.append(row.indicator.model_copy(update={"owners": owners}))
        return result

    def _set_in_years(self) -> dict[int | None, int]:
        """Years targets were set, from notes like ※令和2年度の目標値は、計画策定時(平成29年度)に設定…

        Keyed by the target year the note names, or None when it names none (then it applies
        to every target of the page).
        """
        result: dict[int | None, int] = {}
        for note in self.notes:
            match = _SET_IN.search(note)
            if match is None:
                continue
            try:
                set_in = parse_fiscal_year(match["year"])
                named = find_fiscal_years(note[: match.start()])
            except SengenError:
                continue
            for year in named or [None]:
                result[year] = set_in
        return result


def fits_storage(figure: Figure) -> bool:
    """Whether a figure fits the interchange bounds (15 digits, 4 of them decimal) exactly."""
    if figure.value is None:
        return True
    _sign, digits, exponent = figure.value.as_tuple()
    assert isinstance(exponent, int)
    decimals = max(0, -exponent)
    integers = max(0, len(digits) + exponent)
    return decimals <= 4 and integers <= 11


def _excerpt(text: str, limit: int = 40) -> str:
    text = normalize_space(re.sub(r"<[^>]+>", " ", text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_policy(number: int, cell: str) -> Policy:
    """【title】 in the first paragraph, the rest is the body (paragraphs joined by newlines)."""
    items = html_to_items(cell)
    title = ""
    if items:
        match = re.fullmatch(r"\s*【(?P<title>.+?)】\s*(?P<rest>.*)", items[0])
        if match:
            title = match["title"].strip()
            items = ([match["rest"]] if match["rest"] else []) + items[1:]
    return Policy(number=number, title=title, body="\n".join(items))


def _role(token: str) -> str:
    if token.endswith(UNIT_SUFFIXES):
        return "unit"
    if token.endswith(SECTION_SUFFIXES):
        return "section"
    return "fragment"


def parse_sections(cell: str) -> list[Section]:
    """「市民協働課  交通防犯対策担当 市民文化会館担当 人権・広聴相談課」 → sections with their units.

    Sections end in 課/室 (and the like); units (担当, 係 …) belong to the section before them.
    A token that is neither is the first part of a name a line break split, joined to the next.
    """
    tokens: list[str] = []
    for item in html_to_items(cell):
        tokens.extend(item.split())
    sections: list[tuple[str, list[str]]] = []
    pending = ""
    for token in tokens:
        name = pending + token
        role = _role(name)
        if role == "fragment":
            pending = name
            continue
        pending = ""
        if role == "unit" and sections:
            sections[-1][1].append(name)
        else:
            sections.append((name, []))
    if pending:
        sections.append((pending, []))
    return [Section(name=name, units=units) for name, units in sections]


def resolve_owner(text: str, sections: list[Section]) -> tuple[Owner, str | None]:
    """Match a 所管課 cell part to the page's sections.

    Returns the owner and, when it names no listed section, the nearest listed name ("" when
    nothing is near) so the caller can warn; the owner is then taken as written.
    """
    wanted = compact(text)
    for section in sections:
        key = compact(section.name)
        if wanted == key:
            return Owner(section=section.name), None
        if wanted.startswith(key):
            rest = wanted[len(key) :]
            for unit in section.units:
                if rest == compact(unit):
                    return Owner(section=section.name, unit=unit), None
    candidates = {compact(s.name): s.name for s in sections}
    candidates.update({compact(s.name + u): f"{s.name} {u}" for s in sections for u in s.units})
    near = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
    tokens = text.split()
    if len(tokens) > 1 and _role(tokens[-1]) == "unit":
        owner = Owner(section="".join(tokens[:-1]), unit=tokens[-1])
    else:
        owner = Owner(section=wanted)
    return owner, candidates[near[0]] if near else ""
