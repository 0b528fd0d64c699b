"""CSV export of the KPI tables, in two layouts (docs/csv.md).

``long`` (縦持ち) is the open-data layout: one row per indicator × fiscal year × kind (当初水準 /
実績値 / 実績見込値 / 目標値), figures as exact decimals without thousands separators, and Japanese
column headers in the style of the Digital Agency's 自治体標準オープンデータセット. It is also what
:mod:`sengen.ingest.csv_reader` reads back. ``wide`` (横持ち) is the KPI table as published, one row
per indicator and one column per year and kind, figures written as on the page (``10,554人``).

Files are RFC 4180 CSV with CRLF line ends. UTF-8 with a BOM is the default (Excel opens it
correctly); ``cp932`` is for older Excel. A character CP932 cannot hold (𠮷, 髙 is fine) refuses the
export with every such cell located, unless ``replace=True`` asks for 〓 (geta, the customary mark of
a missing kanji) instead.

The header lists below are a contract: add columns at the end, never rename or reorder.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from sengen.core.evaluation import DEFAULT_RULES, Rules, status_label, status_text
from sengen.core.messages import Location, Problem, SengenError, register
from sengen.core.wareki import fiscal_year_label
from sengen.interchange import models as rec
from sengen.interchange.evaluation import percent_text
from sengen.interchange.jsonio import number_text
from sengen.interchange.table import figure_text, kpi_columns

register(
    {
        "csv.unencodable": (
            "{record} の「{column}」列に、CP932（Shift_JIS）では書けない文字「{char}」（{codepoint}）が"
            "あります。文字コード UTF-8（BOM付き、既定）で書き出すか、置換を指定して「〓」に置き換えて"
            "ください。",
            "{record_en}: the {column} column holds \u201c{char}\u201d ({codepoint}), which CP932 "
            "(Shift_JIS) cannot hold. Export as UTF-8 with BOM (the default), or ask for replacement "
            "to write \u3013 instead.",
        ),
    }
)

Layout = Literal["long", "wide"]
Encoding = Literal["utf-8-sig", "cp932"]
LAYOUTS: tuple[Layout, ...] = ("long", "wide")
ENCODINGS: tuple[Encoding, ...] = ("utf-8-sig", "cp932")

#: Columns of the long layout. Those after 計画終了年度 are derived (evaluation) and ignored on import.
LONG_HEADERS: tuple[str, ...] = (
    "年度",
    "年度（和暦）",
    "部",
    "事業番号",
    "事業名",
    "事業指標",
    "単位",
    "方向",
    "値の年度",
    "値の年度（和暦）",
    "種別",
    "値",
    "限定語",
    "注記",
    "目標設定年度",
    "所管課",
    "達成状況の説明",
    "部長の職名",
    "計画名",
    "計画開始年度",
    "計画終了年度",
    "達成状況",
    "進捗率（%）",
    "達成率（%）",
)
DERIVED_HEADERS: tuple[str, ...] = ("達成状況", "進捗率（%）", "達成率（%）")

#: Words of the 種別 column, by kind (baseline, the observation kinds, target).
KIND_WORDS: dict[str, str] = {
    "baseline": "当初水準",
    "actual": "実績値",
    "estimate": "実績見込値",
    "target": "目標値",
}
DIRECTION_WORDS: dict[str, str] = {"increase": "増加", "decrease": "減少", "maintain": "維持"}
#: Between the owners of one indicator, and between an owner's section and unit (long layout).
OWNER_SEPARATOR = "、"
UNIT_SEPARATOR = "／"

WIDE_LEADING: tuple[str, ...] = ("年度", "年度（和暦）", "部", "事業番号", "事業名", "事業指標", "当初水準")
WIDE_TRAILING: tuple[str, ...] = ("所管課", "達成状況", "進捗率")

#: What ``replace=True`` writes for a character CP932 cannot hold.
REPLACEMENT = "\u3013"  # 〓
# Characters with a CP932 twin that looks and means the same: written as the twin, not refused.
_CP932_TWINS = str.maketrans({"\u2014": "\u2015", "\u2225": "\u2016"})


class CsvEncodingError(SengenError):
    """Some cells cannot be written in the chosen encoding; ``problems`` locates every one."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.code, **first.params)
        self.problems = problems


def _year_ja(year: int | None, *, short: bool = True) -> str:
    return "" if year is None else fiscal_year_label(year, "ja", short=short)


def _year_en(year: int) -> str:
    return f"FY{year}"


def _num(value: Decimal | None) -> str:
    return "" if value is None else number_text(value)


def _rate(value: Decimal | None) -> str:
    return "" if value is None else number_text(value * 100)


def owners_text(owners: Iterable[rec.Owner], unit_separator: str = UNIT_SEPARATOR) -> str:
    """``市民協働課／交通防犯対策担当、戸籍住民課`` (long) or with a space between section and unit (wide)."""
    return OWNER_SEPARATOR.join(
        f"{o.section}{unit_separator}{o.unit}" if o.unit else o.section for o in owners
    )


# --- rows ------------------------------------------------------------------------------------------

Row = list[str]
# A row with what it is about, so an encoding error can name the record.
Located = tuple[Row, str, str]  # (cells, record in Japanese, record in English)


def _record_names(d: rec.Declaration, i: rec.Indicator | None) -> tuple[str, str]:
    ja = f"{_year_ja(d.fiscal_year, short=False)} {d.department}"
    en = f"{_year_en(d.fiscal_year)} {d.department}"
    if i is not None:
        ja += f" 事業 {i.project.number} の指標「{i.name}」"
        en += f", project {i.project.number}, indicator \u201c{i.name}\u201d"
    return ja, en


def _long_row(
    d: rec.Declaration,
    i: rec.Indicator,
    rules: Rules,
    kind: str,
    figure: rec.Baseline | rec.Observation | rec.Target | None,
) -> Row:
    plan, e = d.plan, i.evaluation
    year = figure.fiscal_year if figure is not None else None
    set_in = figure.set_in if isinstance(figure, rec.Target) else None
    return [
        str(d.fiscal_year),
        _year_ja(d.fiscal_year),
        d.department,
        i.project.number,
        i.project.name,
        i.name,
        i.unit or "",
        DIRECTION_WORDS.get(i.direction or "", ""),
        "" if year is None else str(year),
        _year_ja(year),
        KIND_WORDS.get(kind, ""),
        _num(figure.value) if figure is not None else "",
        (figure.qualifier or "") if figure is not None else "",
        (figure.annotation or "") if figure is not None else "",
        "" if set_in is None else str(set_in),
        owners_text(i.owners),
        i.comment or "",
        d.head.title,
        plan.name if plan else "",
        str(plan.start_year) if plan else "",
        str(plan.end_year) if plan else "",
        status_label(e.status, "ja", rules) if e else "",
        _rate(e.progress_rate) if e else "",
        _rate(e.achievement_rate) if e else "",
    ]


def _long_rows(document: rec.Document, rules: Rules) -> list[Located]:
    rows: list[Located] = []
    for d in document.declarations:
        for i in d.indicators:
            figures: list[tuple[str, rec.Baseline | rec.Observation | rec.Target | None]] = []
            if i.baseline is not None:
                figures.append(("baseline", i.baseline))
            figures += [(o.kind, o) for o in i.observations]
            figures += [("target", t) for t in i.targets]
            if not figures:  # an indicator without any figure still has its row, with 種別 empty
                figures.append(("", None))
            names = _record_names(d, i)
            rows.extend((_long_row(d, i, rules, kind, figure), *names) for kind, figure in figures)
    return rows


def _wide(document: rec.Document, rules: Rules) -> tuple[Row, list[Located]]:
    columns = kpi_columns(i for d in document.declarations for i in d.indicators)
    header = [
        *WIDE_LEADING,
        *(f"{_year_ja(year, short=False)}{KIND_WORDS[kind]}" for kind, year in columns),
        *WIDE_TRAILING,
    ]
    rows: list[Located] = []
    for d in document.declarations:
        for i in d.indicators:
            baseline = figure_text(i.baseline, i.unit)
            if i.baseline is not None and i.baseline.fiscal_year is not None and baseline:
                baseline += f" ({_year_ja(i.baseline.fiscal_year)})"
            values = []
            for kind, year in columns:
                if kind == "target":
                    found = next((t for t in i.targets if t.fiscal_year == year), None)
                else:
                    found = next((o for o in i.observations if (o.fiscal_year, o.kind) == (year, kind)), None)
                values.append(figure_text(found, i.unit))
            e = i.evaluation
            status = status_text(e.status, "ja", rules) if e else ""
            progress = f"{percent_text(e.progress_rate)}%" if e and e.progress_rate is not None else ""
            cells = [
                str(d.fiscal_year),
                _year_ja(d.fiscal_year),
                d.department,
                i.project.number,
                i.project.name,
                i.name,
                baseline,
                *values,
                owners_text(i.owners, " "),
                status,
                progress,
            ]
            rows.append((cells, *_record_names(d, i)))
    return header, rows


# --- writing ---------------------------------------------------------------------------------------


def _encode_cp932(header: Row, rows: list[Located], replace: bool, target: str) -> tuple[Row, list[Row]]:
    problems: list[Problem] = []
    out: list[Row] = []
    line = 2  # the header is line 1
    for cells, record_ja, record_en in rows:
        fixed = []
        for column, cell in zip(header, cells, strict=True):
            cell = cell.translate(_CP932_TWINS)
            kept = []
            for char in cell:
                try:
                    char.encode("cp932")
                    kept.append(char)
                except UnicodeEncodeError:
                    if replace:
                        kept.append(REPLACEMENT)
                        continue
                    problems.append(
                        Problem(
                            "csv.unencodable",
                            {
                                "record": record_ja,
                                "record_en": record_en,
                                "column": column,
                                "char": char,
                                "codepoint": f"U+{ord(char):04X}",
                            },
                            Location(target, line, column_name=column),
                        )
                    )
                    kept.append(char)
            fixed.append("".join(kept))
        out.append(fixed)
        line += 1 + sum(cell.count("\n") for cell in cells)
    if problems:
        raise CsvEncodingError(problems)
    return [h.translate(_CP932_TWINS) for h in header], out


def write_csv(
    document: rec.Document,
    layout: Layout = "long",
    encoding: Encoding = "utf-8-sig",
    replace: bool = False,
    *,
    rules: Rules = DEFAULT_RULES,
    target: str = "CSV",
) -> bytes:
    """The document's KPI tables as CSV bytes (CRLF, RFC 4180).

    Evaluation columns are filled where the document carries evaluations (``evaluated_document``).
    ``encoding="cp932"`` raises :class:`CsvEncodingError` naming every record and column holding a
    character CP932 cannot hold, unless ``replace`` writes 〓 for each. ``target`` names the output
    in those messages (e.g. the ``-o`` file); ``rules`` supplies the city's status words.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    if layout == "long":
        header, located = list(LONG_HEADERS), _long_rows(document, rules)
    else:
        header, located = _wide(document, rules)
    if encoding == "cp932":
        header, rows = _encode_cp932(header, located, replace, target)
    else:
        rows = [cells for cells, _, _ in located]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
