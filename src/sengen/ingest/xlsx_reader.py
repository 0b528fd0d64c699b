"""Reader for Excel workbooks: the input template of ``sengen template`` filled in by a department.

The template's very hidden ``_sengen`` sheet says which declaration it is for and where its columns
are (see :mod:`sengen.exports.xlsx_template`); the visible sheet gives the figures. Rows are matched
to indicators by 事業番号 and 事業指標, so sorting the rows does no harm. Every problem names the
sheet and the cell (``市民生活部!E7``); with any error nothing is returned, so nothing is imported.

Numbers come from spreadsheet cells as doubles; they are read back through their 15-significant-digit
text, so 95.2 typed in Excel is the figure 95.2 (not 95.2000000000000028…).
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from sengen.core.figures import NOT_REPORTED, canonical
from sengen.core.messages import Location, Problem, SengenError, register
from sengen.core.wareki import parse_fiscal_year
from sengen.exports.xlsx import (
    EXPORT_MARKER,
    EXPORT_VERSION,
    KIND_LABELS,
    LONG_COLUMNS,
    LONG_SHEET,
    META_SHEET,
)
from sengen.exports.xlsx_template import KEY_COLUMNS, MARKER, VERSION
from sengen.ingest.base import ReadResult
from sengen.interchange import Document
from sengen.interchange.jsonio import loads_raw
from sengen.interchange.models import Baseline, Declaration, Indicator, Observation, Target

register(
    {
        "xlsx.unreadable": (
            "Excel ファイル（.xlsx）として開けません（{reason}）。Excel で開いて .xlsx 形式で保存し直してください。",
            "Cannot open this as an Excel file (.xlsx) ({reason}). Open it in Excel and save it again as .xlsx.",
        ),
        "xlsx.not_template": (
            "Sengen の入力用テンプレートではありません。sengen template --year 年度 --department 部 "
            "で作ったファイルに入力してください。",
            "This is not a Sengen input template. Fill in a file made by "
            "sengen template --year FY --department NAME.",
        ),
        "xlsx.newer_version": (
            "このテンプレートは新しい版（{version}）の Sengen で作られています。Sengen を更新するか、"
            "このバージョンで sengen template を実行して作り直してください。",
            "This template was made by a newer Sengen (template version {version}). Update Sengen, or "
            "make the template again with this version's sengen template.",
        ),
        "xlsx.damaged_metadata": (
            "テンプレートの管理情報（非表示シート {sheet}）が壊れています（{reason}）。"
            "sengen template でテンプレートを作り直してください。",
            "The template's hidden metadata (sheet {sheet}) is damaged ({reason}). "
            "Make the template again with sengen template.",
        ),
        "xlsx.missing_sheet": (
            "シート「{sheet}」がありません。シートの名前を元に戻してください。",
            'The sheet "{sheet}" is missing. Give the sheet its name back.',
        ),
        "xlsx.not_a_number": (
            "「{text}」は数値ではありません。数値だけを入力してください（単位・カンマは不要）。"
            "未報告の場合は空欄か「—」にしてください。",
            'Not a number: "{text}". Type a number only (no unit, no commas), '
            "or leave the cell blank or — when nothing was reported.",
        ),
        "xlsx.too_precise": (
            "「{text}」は桁数が多すぎます。整数部は11桁、小数部は4桁までにしてください。",
            '"{text}" has too many digits. Use at most 11 digits before and 4 after the decimal point.',
        ),
        "xlsx.bad_year": (
            "「{text}」を年度として読み取れません。西暦の年度（例: 2020）で入力してください。",
            'Cannot read "{text}" as a fiscal year. Type the Western year (e.g. 2020).',
        ),
        "xlsx.bad_kind": (
            "種別「{text}」は使えません。実績値・実績見込値・目標値 のいずれかを選んでください。",
            'The kind "{text}" is not allowed. Choose 実績値, 実績見込値 or 目標値.',
        ),
        "xlsx.duplicate_column": (
            "{year}年度の{kind}の列が2つあります。どちらかの種別を直してください。",
            "There are two columns for FY{year} {kind}. Correct the kind of one of them.",
        ),
        "xlsx.unknown_row": (
            "事業番号「{number}」・事業指標「{name}」はこのテンプレートの指標ではありません。"
            "行を追加せず、事業番号と事業指標は変更しないでください。",
            'Project "{number}", indicator "{name}" is not an indicator of this template. '
            "Do not add rows or change 事業番号 and 事業指標.",
        ),
        "xlsx.duplicate_row": (
            "事業番号「{number}」・事業指標「{name}」の行が2つあります。1つにしてください。",
            'Project "{number}", indicator "{name}" has two rows. Keep one.',
        ),
        "xlsx.missing_row": (
            "事業番号「{number}」・事業指標「{name}」の行がありません。削除した行を元に戻してください。",
            'The row of project "{number}", indicator "{name}" is missing. Put the deleted row back.',
        ),
        "xlsx.missing_columns": (
            "シート「{sheet}」の1行目に列「{columns}」がありません。書き出したときの見出しに戻してください。",
            'Row 1 of the sheet "{sheet}" lacks the columns {columns}. Put the exported headings back.',
        ),
        "xlsx.unknown_long_row": (
            "この行（{year}年度 {department} {number} {name} {kind} {value_year}）は書き出したファイルに"
            "ありません。行を追加したり、年度・部・事業番号・事業指標・種別・値の年度を変えたりしないでください"
            "（変えられるのは 値・限定語・注記・目標設定年度 です）。",
            "This row (FY{year} {department} {number} {name} {kind} {value_year}) was not in the exported "
            "file. Do not add rows or change the year, department, project number, indicator, kind or value "
            "year (値, 限定語, 注記 and 目標設定年度 can be changed).",
        ),
        "xlsx.missing_long_row": (
            "{year}年度 {department} {number} {name} の{kind}（{value_year}）の行がありません。"
            "削除した行を元に戻してください（値を消す場合は、値を空欄にしてください）。",
            "The row of FY{year} {department} {number} {name} {kind} ({value_year}) is missing. Put it back "
            "(to clear a value, leave its 値 cell blank).",
        ),
        "xlsx.annotation_dropped": (
            "値が変わったため、公表時の括弧書き「({annotation})」を外しました。"
            "必要なら取り込み後にワークスペースで付け直してください。",
            'The value changed, so its parenthetical "({annotation})" was dropped. '
            "Add it again in the workspace after importing if it still applies.",
        ),
    }
)

_KINDS = {label: kind for kind, label in KIND_LABELS.items() if kind != "baseline"}


def looks_like_xlsx(data: bytes) -> bool:
    """Whether ``data`` is an Office Open XML workbook (a zip holding xl/workbook.xml)."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


class _Sheet:
    """Reads cells of one sheet, collecting located problems."""

    def __init__(self, ws: Worksheet, source: str) -> None:
        self.ws = ws
        self.source = source
        self.problems: list[Problem] = []

    def location(self, coordinate: str) -> Location:
        return Location(self.source, cell=f"{self.ws.title}!{coordinate}")

    def problem(self, code: str, coordinate: str, severity: str = "error", **params: object) -> None:
        self.problems.append(Problem(code, params, self.location(coordinate), severity))  # type: ignore[arg-type]

    def text(self, coordinate: str) -> str:
        value = self.ws[coordinate].value
        return "" if value is None else str(value).strip()

    def figure(self, coordinate: str) -> tuple[bool, Decimal | None]:
        """(ok, value) of a value cell: a number, or None for blank and dashes."""
        value = self.ws[coordinate].value
        if value is None:
            return True, None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.problem("xlsx.not_a_number", coordinate, text=str(value))
            return False, None
        if isinstance(value, str):
            text = value.strip()
            if text in NOT_REPORTED:
                return True, None
            self.problem("xlsx.not_a_number", coordinate, text=text)
            return False, None
        number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
        number = canonical(number)
        _sign, digits, exponent = number.as_tuple()
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > 4 or len(digits) - places > 11:
            self.problem("xlsx.too_precise", coordinate, text=format(number, "f"))
            return False, None
        return True, number

    def year(self, coordinate: str) -> tuple[bool, int | None]:
        value = self.ws[coordinate].value
        if value is None or (isinstance(value, str) and not value.strip()):
            return True, None
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, int | float):
                if value != int(value) or not 1900 <= int(value) <= 2200:
                    raise ValueError
                return True, int(value)
            return True, parse_fiscal_year(str(value))
        except (ValueError, SengenError):
            self.problem("xlsx.bad_year", coordinate, text=str(value))
            return False, None


def _meta_values(wb) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row in wb[META_SHEET].iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            values[row[0]] = row[1:] if row[0] == "payload" else row[1]
    return values


def _version(values: dict[str, Any]) -> int:
    try:
        return int(values.get("version"))
    except (TypeError, ValueError):
        return -1


def _payload(values: dict[str, Any]) -> Any:
    return loads_raw("".join(part for part in values["payload"] if isinstance(part, str)))


def _damaged(exc: Exception, where: Location) -> list[Problem]:
    reason = exc.__class__.__name__ if not str(exc) else str(exc).splitlines()[0]
    return [Problem("xlsx.damaged_metadata", {"sheet": META_SHEET, "reason": reason}, where)]


def _template_metadata(
    values: dict[str, Any], where: Location
) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        if _version(values) < 1:
            raise ValueError("version")
        columns = json.loads(values["columns"])
        declaration = Declaration.model_validate(_payload(values))
        sheet = str(values["sheet"])
        first_row = int(values["first_row"])
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        return None, _damaged(exc, where)
    return {"columns": columns, "declaration": declaration, "sheet": sheet, "first_row": first_row}, []


def read_xlsx(data: bytes, source: str) -> ReadResult:
    """A filled-in template, or a workbook of ``sengen export --format xlsx`` → sengen/1, or problems."""
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        return ReadResult(None, [Problem("xlsx.unreadable", {"reason": reason}, Location(source))])
    if META_SHEET not in wb.sheetnames:
        return ReadResult(None, [Problem("xlsx.not_template", location=Location(source))])
    values = _meta_values(wb)
    where = Location(source, cell=f"{META_SHEET}!A1")
    marker, version = values.get("marker"), _version(values)
    if marker == EXPORT_MARKER:
        if version > EXPORT_VERSION:
            return ReadResult(None, [Problem("xlsx.newer_version", {"version": version}, where)])
        return _read_export(wb, values, source, where)
    if marker != MARKER:
        return ReadResult(None, [Problem("xlsx.not_template", location=where)])
    if version > VERSION:
        return ReadResult(None, [Problem("xlsx.newer_version", {"version": version}, where)])
    meta, problems = _template_metadata(values, where)
    if meta is None:
        return ReadResult(None, problems)
    if meta["sheet"] not in wb.sheetnames:
        return ReadResult(None, [Problem("xlsx.missing_sheet", {"sheet": meta["sheet"]}, Location(source))])
    sheet = _Sheet(wb[meta["sheet"]], source)
    declaration = _read_template(sheet, meta)
    if declaration is None or any(p.severity == "error" for p in sheet.problems):
        return ReadResult(None, sheet.problems)
    return ReadResult(Document(declarations=[declaration]), sheet.problems)


def _slot_kinds(sheet: _Sheet, meta: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    """(column, fiscal year, kind now, kind in the template) for every value column."""
    header_row = meta["first_row"] - 1
    result, seen = [], set()
    for slot in meta["columns"]["slots"]:
        coordinate = f"{slot['column']}{header_row}"
        label = sheet.text(coordinate)
        kind = _KINDS.get(label)
        if kind is None:
            sheet.problem("xlsx.bad_kind", coordinate, text=label)
            continue
        if (slot["fiscal_year"], kind) in seen:
            sheet.problem("xlsx.duplicate_column", coordinate, year=slot["fiscal_year"], kind=label)
            continue
        seen.add((slot["fiscal_year"], kind))
        result.append((slot["column"], slot["fiscal_year"], kind, slot["kind"]))
    return result


def _read_template(sheet: _Sheet, meta: dict[str, Any]) -> Declaration | None:
    base: Declaration = meta["declaration"]
    columns = meta["columns"]
    slots = _slot_kinds(sheet, meta)
    by_key = {(i.project.number, i.name): i for i in base.indicators}
    number_col, name_col = "A", "C"
    assert KEY_COLUMNS[number_col] == "事業番号" and KEY_COLUMNS[name_col] == "事業指標"
    read: dict[tuple[str, str], Indicator] = {}
    row = meta["first_row"]
    while row <= sheet.ws.max_row:
        key = (sheet.text(f"{number_col}{row}"), sheet.text(f"{name_col}{row}"))
        if key == ("", ""):
            row += 1
            continue
        if key not in by_key:
            sheet.problem("xlsx.unknown_row", f"{number_col}{row}", number=key[0], name=key[1])
        elif key in read:
            sheet.problem("xlsx.duplicate_row", f"{number_col}{row}", number=key[0], name=key[1])
        else:
            indicator = _read_row(sheet, row, by_key[key], columns, slots)
            if indicator is not None:
                read[key] = indicator
        row += 1
    for key in by_key:
        if key not in read and not any(p.severity == "error" for p in sheet.problems):
            sheet.problem("xlsx.missing_row", f"{number_col}{meta['first_row']}", number=key[0], name=key[1])
    if any(p.severity == "error" for p in sheet.problems):
        return None
    return base.model_copy(update={"indicators": [read[key] for key in by_key]})


def _annotation(sheet: _Sheet, coordinate: str, old, value: Decimal | None) -> str | None:
    """The published parenthetical is kept while the figure is; a changed figure loses it (warned)."""
    if old is None or not old.annotation:
        return None
    if old.value == value:
        return old.annotation
    sheet.problem("xlsx.annotation_dropped", coordinate, "warning", annotation=old.annotation)
    return None


def _read_row(sheet: _Sheet, row: int, base: Indicator, columns: dict[str, Any], slots) -> Indicator | None:
    errors_before = len(sheet.problems)
    value_at, year_at = f"{columns['baseline_value']}{row}", f"{columns['baseline_year']}{row}"
    ok_value, value = sheet.figure(value_at)
    ok_year, year = sheet.year(year_at)
    baseline = base.baseline
    if ok_value and ok_year and (baseline is not None or value is not None or year is not None):
        old = baseline
        baseline = Baseline(
            fiscal_year=year,
            value=value,
            qualifier=old.qualifier if old is not None else None,
            annotation=_annotation(sheet, value_at, old, value),
        )
    observations: list[Observation] = []
    targets: list[Target] = []
    for column, fiscal_year, kind, template_kind in slots:
        coordinate = f"{column}{row}"
        ok, value = sheet.figure(coordinate)
        if not ok:
            continue
        old = _entry(base, fiscal_year, template_kind)
        if old is None and value is None:
            continue  # the published table had no cell here, and none was added
        same_kind = kind == template_kind
        qualifier = old.qualifier if old is not None and same_kind else None
        annotation = _annotation(sheet, coordinate, old, value) if same_kind else None
        if kind == "target":
            set_in = old.set_in if isinstance(old, Target) else None
            targets.append(
                Target(
                    fiscal_year=fiscal_year,
                    value=value,
                    set_in=set_in,
                    qualifier=qualifier,
                    annotation=annotation,
                )
            )
        else:
            observations.append(
                Observation(
                    fiscal_year=fiscal_year,
                    kind=kind,
                    value=value,
                    qualifier=qualifier,
                    annotation=annotation,
                )
            )
    if any(p.severity == "error" for p in sheet.problems[errors_before:]):
        return None
    observations.sort(key=lambda o: _position(base.observations, o))
    targets.sort(key=lambda t: _position(base.targets, t))
    return base.model_copy(update={"baseline": baseline, "observations": observations, "targets": targets})


def _entry(indicator: Indicator, fiscal_year: int, kind: str) -> Observation | Target | None:
    entries = indicator.targets if kind == "target" else indicator.observations
    return next(
        (e for e in entries if e.fiscal_year == fiscal_year and (kind == "target" or e.kind == kind)), None
    )


def _position(entries: list, entry) -> int:
    """Where the published table had this year and kind, so an unchanged row stays unchanged."""
    for index, old in enumerate(entries):
        if old.fiscal_year == entry.fiscal_year and getattr(old, "kind", None) == getattr(
            entry, "kind", None
        ):
            return index
    return len(entries)


def _key(value: object) -> object:
    if isinstance(value, float) and value == int(value):
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _optional_text(sheet: _Sheet, coordinate: str) -> str | None:
    return sheet.text(coordinate) or None


def _read_export(wb, values: dict[str, Any], source: str, where: Location) -> ReadResult:
    """The long sheet of an export, applied to the declarations the export held (in ``_sengen``).

    Only 値, 限定語, 注記 and 目標設定年度 are read; the other columns locate the figure."""
    try:
        base = Document.model_validate(_payload(values))
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        return ReadResult(None, _damaged(exc, where))
    if LONG_SHEET not in wb.sheetnames:
        return ReadResult(None, [Problem("xlsx.missing_sheet", {"sheet": LONG_SHEET}, Location(source))])
    sheet = _Sheet(wb[LONG_SHEET], source)
    header = {sheet.text(cell.coordinate): cell.column_letter for cell in sheet.ws[1]}
    missing = [name for name in LONG_COLUMNS if name not in header]
    if missing:
        sheet.problem("xlsx.missing_columns", "A1", sheet=LONG_SHEET, columns="、".join(missing))
        return ReadResult(None, sheet.problems)
    col = header

    # Every figure of the export, by the key columns of its row.
    slots: dict[tuple, tuple[int, int, str, int]] = {}
    for d_index, d in enumerate(base.declarations):
        for i_index, indicator in enumerate(d.indicators):
            head = (d.fiscal_year, d.department, indicator.project.number, indicator.name)
            if indicator.baseline is not None:
                slots[(*head, KIND_LABELS["baseline"], indicator.baseline.fiscal_year)] = (
                    d_index,
                    i_index,
                    "baseline",
                    0,
                )
            for index, o in enumerate(indicator.observations):
                slots[(*head, KIND_LABELS[o.kind], o.fiscal_year)] = (d_index, i_index, "observations", index)
            for index, t in enumerate(indicator.targets):
                slots[(*head, KIND_LABELS["target"], t.fiscal_year)] = (d_index, i_index, "targets", index)

    updates: dict[tuple[int, int, str, int], dict[str, Any]] = {}
    key_names = ("年度", "部", "事業番号", "事業指標", "種別", "値の年度")
    for row in range(2, sheet.ws.max_row + 1):
        key = tuple(_key(sheet.ws[f"{col[name]}{row}"].value) for name in key_names)
        if all(part is None for part in key) or key[4] is None:
            continue  # a blank row, or an indicator without any figure (種別 empty)
        slot = slots.get(key)
        params = dict(zip(("year", "department", "number", "name", "kind", "value_year"), key, strict=True))
        if slot is None or slot in updates:
            sheet.problem("xlsx.unknown_long_row", f"A{row}", **params)
            continue
        ok, value = sheet.figure(f"{col['値']}{row}")
        change: dict[str, Any] = {
            "value": value,
            "qualifier": _optional_text(sheet, f"{col['限定語']}{row}"),
            "annotation": _optional_text(sheet, f"{col['注記']}{row}"),
        }
        if slot[2] == "targets":
            ok_year, change["set_in"] = sheet.year(f"{col['目標設定年度']}{row}")
            ok = ok and ok_year
        if ok:
            updates[slot] = change
    if not any(p.severity == "error" for p in sheet.problems):
        for key, slot in slots.items():
            if slot not in updates:
                params = dict(
                    zip(("year", "department", "number", "name", "kind", "value_year"), key, strict=True)
                )
                sheet.problem("xlsx.missing_long_row", "A1", **params)
    if any(p.severity == "error" for p in sheet.problems):
        return ReadResult(None, sheet.problems)

    declarations = []
    for d_index, d in enumerate(base.declarations):
        indicators = []
        for i_index, indicator in enumerate(d.indicators):
            changes: dict[str, Any] = {}
            if indicator.baseline is not None:
                changes["baseline"] = indicator.baseline.model_copy(
                    update=updates[(d_index, i_index, "baseline", 0)]
                )
            for field in ("observations", "targets"):
                changes[field] = [
                    entry.model_copy(update=updates[(d_index, i_index, field, index)])
                    for index, entry in enumerate(getattr(indicator, field))
                ]
            indicators.append(indicator.model_copy(update=changes))
        declarations.append(d.model_copy(update={"indicators": indicators}))
    document = Document(declarations=declarations)
    # model_copy skips validation: validate the result as a whole, as the JSON reader does.
    return ReadResult(Document.model_validate(document.model_dump()), sheet.problems)
