"""Reader for the long CSV layout that ``sengen export --format csv`` writes (docs/csv.md).

A long CSV carries the KPI part of declarations: for each declaration (年度 × 部) its indicators with
their baseline, actual and estimated figures and targets, owners, unit, direction and comment, and
the plan the table belongs to. It does not carry the text of a declaration (message, roles,
sections, policies, notes): a declaration read from CSV has the head title from 部長の職名 (or
部名 + 長) and nothing else. :func:`keep_stored_text` puts the stored text back, so importing a CSV
over declarations already in the database replaces their KPI tables only.

Rows are grouped by (年度, 部) into declarations and by (事業番号, 事業指標) into indicators, in the
order they first appear; figures keep the order of their rows. Columns an indicator or declaration
shares (事業名, 単位, 方向, 所管課, 達成状況の説明, 部長の職名, 計画…) may be left blank on some rows,
but the values given must agree. Evaluation columns (達成状況, 進捗率, 達成率) are derived and ignored.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import ValidationError

from sengen.core.figures import canonical, parse_figure
from sengen.core.messages import Location, Problem, SengenError, register
from sengen.core.wareki import parse_fiscal_year
from sengen.exports.csv import DERIVED_HEADERS, DIRECTION_WORDS, KIND_WORDS, LONG_HEADERS, owners_text
from sengen.ingest.base import ReadResult, decode
from sengen.interchange import models as rec

register(
    {
        "csv.syntax": (
            'CSV の書式が正しくありません（{reason}）。引用符（"）の対応を確かめてください。',
            'The CSV is malformed ({reason}). Check that quotes (") are paired.',
        ),
        "csv.missing_columns": (
            "見出し行に必要な列がありません: {columns}。sengen export --format csv で書き出した"
            "ファイルの1行目と同じ見出しにしてください。",
            "The header row lacks required columns: {columns}. Use the header row of a file written by "
            "sengen export --format csv.",
        ),
        "csv.duplicate_column": (
            "見出し「{column}」が2回あります。どちらか一方の列を削除してください。",
            "The header \u201c{column}\u201d appears twice. Delete one of the two columns.",
        ),
        "csv.unknown_column": (
            "見出し「{column}」は使われない列のため、読み飛ばします。見出しの誤りなら直してください。",
            "The column \u201c{column}\u201d is not used and is skipped. Correct the header if it is a typo.",
        ),
        "csv.no_rows": (
            "見出し行のほかにデータの行がありません。1行に1つの値を書いてください。",
            "There are no data rows below the header. Write one figure per row.",
        ),
        "csv.extra_cells": (
            "見出しより多くのセルがあります（{count}列、見出しは{expected}列）。"
            '値にカンマが含まれる場合は、セル全体を引用符（"）で囲んでください。',
            "The row has more cells ({count}) than the header ({expected}). If a value contains a "
            'comma, enclose the whole cell in quotes (").',
        ),
        "csv.required": (
            "「{column}」が空です。この列は必ず書いてください。",
            "The {column} cell is empty. This column is required.",
        ),
        "csv.bad_kind": (
            "種別「{text}」は使えません。当初水準・実績値・実績見込値・目標値のいずれかを書いてください。",
            "Unknown kind \u201c{text}\u201d. Write one of 当初水準 (baseline), 実績値 (actual), "
            "実績見込値 (estimate) or 目標値 (target).",
        ),
        "csv.bad_direction": (
            "方向「{text}」は使えません。増加・減少・維持のいずれかを書くか、空欄にしてください。",
            "Unknown direction \u201c{text}\u201d. Write 増加 (increase), 減少 (decrease) or 維持 "
            "(maintain), or leave it empty.",
        ),
        "csv.bad_value": (
            "値「{text}」を数値として読み取れません。数字だけを書いてください（例: 12141、95.2、-5）。"
            "未報告なら空欄か「—」にしてください。",
            "Cannot read \u201c{text}\u201d as a number. Write digits only (e.g. 12141, 95.2, -5); "
            "leave it empty or write — when nothing was reported.",
        ),
        "csv.value_with_text": (
            "値「{text}」に数値以外の言葉があります。値列には数値だけを書き、単位は単位列、"
            "約・以上などは限定語列、括弧書きは注記列に書いてください。",
            "The value \u201c{text}\u201d holds more than a number. Write only the number here; put the "
            "unit in 単位, words such as 約 or 以上 in 限定語 and a parenthetical in 注記.",
        ),
        "csv.value_out_of_range": (
            "値「{text}」は扱える桁数を超えています（整数部11桁・小数部4桁まで）。桁数を減らしてください。",
            "The value \u201c{text}\u201d has too many digits (at most 11 before and 4 after the point).",
        ),
        "csv.no_value_year": (
            "{kind}の行に「値の年度」がありません。値がどの年度のものかを書いてください（例: 2020）。",
            "The {kind} row has no 値の年度 (the year of the figure). Write it, e.g. 2020.",
        ),
        "csv.figure_without_kind": (
            "種別が空なのに値や値の年度が書かれています。種別（当初水準・実績値・実績見込値・目標値）を"
            "書いてください。",
            "The kind is empty but a value or year is given. Write the kind (当初水準, 実績値, 実績見込値 "
            "or 目標値).",
        ),
        "csv.set_in_not_target": (
            "目標設定年度は目標値の行にだけ書けます。この行（{kind}）では空欄にしてください。",
            "目標設定年度 (the year a target was set) belongs on target rows only; leave it empty on this "
            "{kind} row.",
        ),
        "csv.year_mismatch": (
            "「{column}」（{text}）が西暦の列（{year}）と別の年度を指しています。どちらかを直すか、"
            "和暦の列を空欄にしてください。",
            "{column} ({text}) names another year than the Western column ({year}). Correct one of them, "
            "or leave the era column empty.",
        ),
        "csv.inconsistent": (
            "「{column}」が{first_line}行目の「{first}」と違います（「{value}」）。"
            "同じ{scope}の行では同じ値にするか、空欄にしてください。",
            "{column} is \u201c{value}\u201d here but \u201c{first}\u201d on line {first_line}. Rows of "
            "the same {scope_en} must agree (or leave the cell empty).",
        ),
        "csv.missing_in_group": (
            "{scope}「{key}」のどの行にも「{column}」がありません。少なくとも1行に書いてください。",
            "No row of the {scope_en} \u201c{key}\u201d gives {column}. Write it on at least one row.",
        ),
        "csv.duplicate_figure": (
            "同じ指標の{kind}（{year}）が{first_line}行目にもあります。重複した行を削除してください。",
            "The same indicator's {kind} ({year}) is also on line {first_line}. Delete the duplicate row.",
        ),
        "csv.plan_incomplete": (
            "計画名・計画開始年度・計画終了年度は3つとも書くか、3つとも空欄にしてください。",
            "Write all three of 計画名, 計画開始年度 and 計画終了年度, or leave all three empty.",
        ),
        "csv.invalid": (
            "{key} の内容が正しくありません（{reason}）。",
            "The content of {key} is invalid ({reason}).",
        ),
    }
)

REQUIRED = ("年度", "部", "事業番号", "事業名", "事業指標", "値の年度", "種別", "値")
_KINDS = {unicodedata.normalize("NFKC", w): k for k, w in KIND_WORDS.items()} | {k: k for k in KIND_WORDS}
_DIRECTIONS = {w: k for k, w in DIRECTION_WORDS.items()} | {k: k for k in DIRECTION_WORDS}
_KIND_EN = {"baseline": "baseline", "actual": "actual", "estimate": "estimate", "target": "target"}


def _key(header: str) -> str:
    """Headers are matched loosely: full-width/half-width brackets and spaces do not matter."""
    return "".join(unicodedata.normalize("NFKC", header).split())


_KNOWN = {_key(h): h for h in LONG_HEADERS}


def _decode_head(data: bytes) -> str | None:
    head = data[:4096]
    for encoding in ("utf-8-sig", "cp932"):
        try:
            # Incremental: a character cut by the slice at the end is not a reason to refuse.
            return codecs.getincrementaldecoder(encoding)().decode(head, final=len(data) <= len(head))
        except UnicodeDecodeError:
            continue
    return None


def looks_like_csv(data: bytes) -> bool:
    """Whether the file starts with the header row of the long CSV layout (for the reader dispatch)."""
    text = _decode_head(data)
    if text is None:
        return False
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    if "," not in first:
        return False
    try:
        names = {_key(cell) for cell in next(csv.reader([first]))}
    except (csv.Error, StopIteration):
        return False
    return all(_key(name) in names for name in REQUIRED)


# --- grouping --------------------------------------------------------------------------------------


@dataclass
class _Shared:
    """A value every row of a group may give; the first given value and its line."""

    value: object = None
    line: int | None = None


@dataclass
class _IndicatorRows:
    number: str
    name: str
    line: int
    shared: dict[str, _Shared] = field(default_factory=dict)
    baseline: rec.Baseline | None = None
    observations: list[rec.Observation] = field(default_factory=list)
    targets: list[rec.Target] = field(default_factory=list)
    seen: dict[tuple[str, int | None], int] = field(default_factory=dict)


@dataclass
class _DeclarationRows:
    fiscal_year: int
    department: str
    line: int
    shared: dict[str, _Shared] = field(default_factory=dict)
    indicators: dict[tuple[str, str], _IndicatorRows] = field(default_factory=dict)


def _shown(value: object) -> str:
    """A shared value as the CSV writes it, for messages."""
    if isinstance(value, list):  # owners
        return owners_text(value)
    if isinstance(value, tuple):  # plan
        return " ".join(map(str, value))
    return str(value)


class _RowError(Exception):
    """Stops reading one row; the problem is already recorded."""


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.declarations: dict[tuple[int, str], _DeclarationRows] = {}

    # Row-level parsing: each helper records a located problem and raises _RowError when it fails.

    def fail(self, code: str, line: int, at: str | None, **params: object) -> _RowError:
        self.problems.append(Problem(code, params, Location(self.source, line, column_name=at)))
        return _RowError()

    def year(self, cells: dict[str, str], column: str, line: int, *, required: bool) -> int | None:
        text = cells.get(column, "")
        if not text:
            if required:
                raise self.fail("csv.required", line, column, column=column)
            return None
        try:
            year = parse_fiscal_year(text)
        except SengenError as exc:
            self.problems.append(Problem.from_error(exc, Location(self.source, line, column_name=column)))
            raise _RowError() from exc
        era_column = f"{column}（和暦）"
        era_text = cells.get(era_column, "")
        if era_text:
            try:
                era_year = parse_fiscal_year(era_text)
            except SengenError as exc:
                loc = Location(self.source, line, column_name=era_column)
                self.problems.append(Problem.from_error(exc, loc))
                raise _RowError() from exc
            if era_year != year:
                raise self.fail(
                    "csv.year_mismatch", line, era_column, column=era_column, text=era_text, year=year
                )
        return year

    def text(self, cells: dict[str, str], column: str, line: int) -> str:
        value = cells.get(column, "")
        if not value:
            raise self.fail("csv.required", line, column, column=column)
        return value

    def value(self, cells: dict[str, str], line: int) -> Decimal | None:
        text = cells.get("値", "")
        try:
            figure = parse_figure(text)
        except SengenError:
            raise self.fail("csv.bad_value", line, "値", text=text) from None
        if figure.unit or figure.qualifier or figure.annotation:
            raise self.fail("csv.value_with_text", line, "値", text=text)
        value = figure.value
        if value is not None:
            value = canonical(value)
            exponent = value.as_tuple().exponent
            places = max(0, -exponent) if isinstance(exponent, int) else 0
            if places > 4 or len(value.as_tuple().digits) - places > 11:
                raise self.fail("csv.value_out_of_range", line, "値", text=text)
        return value

    def owners(self, text: str) -> list[rec.Owner]:
        owners = []
        for part in text.replace(",", "、").split("、"):
            section, _, unit = part.replace("/", "／").partition("／")
            if section.strip():
                owners.append(rec.Owner(section=section.strip(), unit=unit.strip() or None))
        return owners

    def share(self, shared: dict[str, _Shared], column: str, value: object, line: int, scope: str) -> None:
        """Record a value the whole group shares; a second, different value is an error."""
        if value is None or value == "":
            return
        current = shared.setdefault(column, _Shared())
        if current.line is None:
            current.value, current.line = value, line
        elif current.value != value:
            first, given = current.value, value
            first, given = _shown(first), _shown(given)
            scope_en = {"指標": "indicator", "目標宣言": "declaration"}[scope]
            raise self.fail(
                "csv.inconsistent",
                line,
                column,
                column=column,
                first=first,
                first_line=current.line,
                value=given,
                scope=scope,
                scope_en=scope_en,
            )

    def row(self, cells: dict[str, str], line: int) -> None:
        fiscal_year = self.year(cells, "年度", line, required=True)
        assert fiscal_year is not None
        department = self.text(cells, "部", line)
        number = self.text(cells, "事業番号", line)
        name = self.text(cells, "事業指標", line)

        kind_text = cells.get("種別", "")
        kind = _KINDS.get(unicodedata.normalize("NFKC", kind_text)) if kind_text else ""
        if kind is None:
            raise self.fail("csv.bad_kind", line, "種別", text=kind_text)
        direction_text = cells.get("方向", "")
        direction = _DIRECTIONS.get(direction_text.lower()) if direction_text else None
        if direction_text and direction is None:
            raise self.fail("csv.bad_direction", line, "方向", text=direction_text)
        value = self.value(cells, line)
        value_year = self.year(cells, "値の年度", line, required=kind in ("actual", "estimate", "target"))
        set_in = self.year(cells, "目標設定年度", line, required=False)
        kind_ja = KIND_WORDS.get(kind, "")
        if set_in is not None and kind != "target":
            raise self.fail("csv.set_in_not_target", line, "目標設定年度", kind=kind_ja or "種別なし")
        if not kind and (value is not None or value_year is not None or cells.get("値", "")):
            raise self.fail("csv.figure_without_kind", line, "種別")
        plan_cells = [cells.get(c, "") for c in ("計画名", "計画開始年度", "計画終了年度")]
        plan = None
        if any(plan_cells):
            if not all(plan_cells):
                raise self.fail("csv.plan_incomplete", line, "計画名")
            start = self.year(cells, "計画開始年度", line, required=True)
            end = self.year(cells, "計画終了年度", line, required=True)
            plan = (plan_cells[0], start, end)

        d = self.declarations.get((fiscal_year, department))
        if d is None:
            d = self.declarations[(fiscal_year, department)] = _DeclarationRows(fiscal_year, department, line)
        self.share(d.shared, "部長の職名", cells.get("部長の職名", ""), line, "目標宣言")
        self.share(d.shared, "計画名", plan, line, "目標宣言")
        i = d.indicators.get((number, name))
        if i is None:
            i = d.indicators[(number, name)] = _IndicatorRows(number, name, line)
        self.share(i.shared, "事業名", cells.get("事業名", ""), line, "指標")
        self.share(i.shared, "単位", cells.get("単位", ""), line, "指標")
        self.share(i.shared, "方向", direction, line, "指標")
        self.share(i.shared, "所管課", self.owners(cells.get("所管課", "")) or None, line, "指標")
        self.share(i.shared, "達成状況の説明", cells.get("達成状況の説明", ""), line, "指標")
        if not kind:
            return
        figure_key = (kind, value_year)
        if figure_key in i.seen or (kind == "baseline" and i.baseline is not None):
            first_line = i.seen.get(figure_key) or next(v for (k, _), v in i.seen.items() if k == "baseline")
            year_text = "" if value_year is None else str(value_year)
            raise self.fail(
                "csv.duplicate_figure", line, "種別", kind=kind_ja, year=year_text, first_line=first_line
            )
        i.seen[figure_key] = line
        qualifier = cells.get("限定語", "") or None
        annotation = cells.get("注記", "") or None
        if kind == "baseline":
            i.baseline = rec.Baseline(
                fiscal_year=value_year, value=value, qualifier=qualifier, annotation=annotation
            )
        elif kind == "target":
            assert value_year is not None
            i.targets.append(
                rec.Target(
                    fiscal_year=value_year,
                    value=value,
                    set_in=set_in,
                    qualifier=qualifier,
                    annotation=annotation,
                )
            )
        else:
            assert value_year is not None
            i.observations.append(
                rec.Observation(
                    fiscal_year=value_year, kind=kind, value=value, qualifier=qualifier, annotation=annotation
                )
            )

    # Building the records once every row is read.

    def shared(self, group: dict[str, _Shared], column: str) -> object:
        entry = group.get(column)
        return None if entry is None else entry.value

    def build(self) -> rec.Document | None:
        declarations = []
        for d in self.declarations.values():
            indicators = []
            for i in d.indicators.values():
                project_name = self.shared(i.shared, "事業名")
                if project_name is None:
                    self.problems.append(
                        Problem(
                            "csv.missing_in_group",
                            {
                                "scope": "指標",
                                "scope_en": "indicator",
                                "key": f"{i.number} {i.name}",
                                "column": "事業名",
                            },
                            Location(self.source, i.line, column_name="事業名"),
                        )
                    )
                    continue
                indicators.append(
                    dict(
                        project={"number": i.number, "name": project_name},
                        name=i.name,
                        unit=self.shared(i.shared, "単位"),
                        direction=self.shared(i.shared, "方向"),
                        owners=self.shared(i.shared, "所管課") or [],
                        baseline=i.baseline,
                        observations=i.observations,
                        targets=i.targets,
                        comment=self.shared(i.shared, "達成状況の説明"),
                    )
                )
            plan = self.shared(d.shared, "計画名")
            data = dict(
                fiscal_year=d.fiscal_year,
                department=d.department,
                head={"title": self.shared(d.shared, "部長の職名") or f"{d.department}長"},
                plan={"name": plan[0], "start_year": plan[1], "end_year": plan[2]} if plan else None,  # type: ignore[index]
                indicators=indicators,
            )
            try:
                declarations.append(rec.Declaration.model_validate(data))
            except ValidationError as exc:
                for error in exc.errors():
                    self.problems.append(
                        Problem(
                            "csv.invalid",
                            {"key": f"{d.fiscal_year} {d.department}", "reason": error["msg"]},
                            Location(self.source, d.line),
                        )
                    )
        if any(p.severity == "error" for p in self.problems):
            return None
        return rec.Document(declarations=declarations)


def read_csv(data: bytes, source: str) -> ReadResult:
    """The long CSV layout → sengen/1 (KPI part only; see the module docstring)."""
    text, problems = decode(data, source)
    if text is None:
        return ReadResult(None, problems)
    reader = _Reader(source)
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    columns: list[str | None] = []
    data_rows = 0
    last_line = 0
    try:
        for cells in rows:
            line, last_line = last_line + 1, rows.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                parsed = _columns(header, reader, line)
                if parsed is None:
                    return ReadResult(None, reader.problems)
                columns = parsed
                continue
            data_rows += 1
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                reader.fail("csv.extra_cells", line, None, count=len(cells), expected=len(columns))
                continue
            named = {col: cell.strip() for col, cell in zip(columns, cells, strict=False) if col is not None}
            try:
                reader.row(named, line)
            except _RowError:
                continue
    except csv.Error as exc:
        location = Location(source, rows.line_num)
        return ReadResult(None, [*reader.problems, Problem("csv.syntax", {"reason": str(exc)}, location)])
    if header is None or not data_rows:
        return ReadResult(None, [Problem("csv.no_rows", location=Location(source, last_line or 1))])
    document = reader.build()
    return ReadResult(document, reader.problems)


def _columns(header: list[str], reader: _Reader, line: int) -> list[str | None] | None:
    """The known column of each header cell (None: skipped), or None when required ones are missing."""
    columns: list[str | None] = []
    found: set[str] = set()
    for cell in header:
        name = _KNOWN.get(_key(cell))
        if name is None:
            if cell.strip():
                reader.problems.append(
                    Problem(
                        "csv.unknown_column",
                        {"column": cell.strip()},
                        Location(reader.source, line),
                        "warning",
                    )
                )
            columns.append(None)
            continue
        if name in found:
            reader.fail("csv.duplicate_column", line, name, column=name)
            return None
        found.add(name)
        columns.append(None if name in DERIVED_HEADERS else name)
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        reader.fail("csv.missing_columns", line, None, columns="、".join(missing))
        return None
    return columns


def keep_stored_text(imported: rec.Document, stored: Iterable[rec.Declaration]) -> rec.Document:
    """A CSV import replaces KPI tables only: each imported declaration already stored keeps its stored
    head, message, roles, sections, policies and notes (and its plan, where the CSV names none).

    ``stored`` is what the database holds for those declarations (e.g. ``queries.to_document(...)``);
    declarations not stored are returned as read.
    """
    by_key = {(d.fiscal_year, d.department): d for d in stored}
    merged = []
    for d in imported.declarations:
        old = by_key.get((d.fiscal_year, d.department))
        if old is None:
            merged.append(d)
            continue
        update: dict[str, object] = {"indicators": d.indicators}
        if d.plan is not None:
            update["plan"] = d.plan
        merged.append(old.model_copy(update=update))
    return imported.model_copy(update={"declarations": merged})
