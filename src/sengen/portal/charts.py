"""Charts of one indicator as SVG text, rendered on the server (docs/charts.md).

One chart serves the web page, the printed/PDF page and a screen reader: the SVG carries a
``<title>`` and a one- or two-sentence ``<desc>`` (named by ``aria-labelledby``), and the page puts
the data table beside it. Every series has its own mark and is named in a legend, so colour is
never the only cue. The output is plain text built with the standard library: the same indicator
always gives the same bytes (testable, cacheable by ETag), Japanese stays text, and nothing is
loaded from the network. Colours are presentation attributes, so the page's CSS may override them
through the ``chart-*`` classes (e.g. for forced-colors mode).

The strings returned are escaped by construction; a template shows them with ``|safe``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape

from sengen.core.figures import Figure, canonical, format_figure, format_number
from sengen.core.wareki import FIRST_YEAR, LAST_YEAR, format_fiscal_year
from sengen.interchange.models import Indicator

__all__ = ["COLOURS", "FONT_FAMILY", "indicator_chart", "sparkline"]

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "'BIZ UDPGothic', 'BIZ UDGothic', 'IPAexGothic', sans-serif"

#: Contrast against white: marks and lines ≥ 3:1 (WCAG 1.4.11), text ≥ 4.5:1 (1.4.3).
#: The gridlines are a reading aid only (the tick labels and the data table carry the values).
COLOURS = {
    "background": "#ffffff",
    "text": "#1a1a1a",  # 17.4:1
    "muted": "#595959",  # 7.0:1 — axis title, gap label
    "axis": "#767676",  # 4.54:1
    "grid": "#d9d9d9",  # decorative
    "baseline": "#6a3d9a",  # purple, 7.6:1
    "measured": "#0b5cad",  # blue, 6.7:1 — actuals and estimates (same series, different marks)
    "target": "#a84300",  # dark orange, 6.1:1
    "forecast": "#696969",  # grey, 5.5:1
}

_LABELS = {
    "ja": {
        "baseline": "当初水準",
        "actual": "実績値",
        "estimate": "実績見込値",
        "target": "目標値",
        "forecast": "見通し",
        "gap": "未報告",
        "no_data": "データなし",
        "unit": "単位：{unit}",
    },
    "en": {
        "baseline": "Baseline",
        "actual": "Actual",
        "estimate": "Estimate",
        "target": "Target",
        "forecast": "Forecast",
        "gap": "Not reported",
        "no_data": "No data",
        "unit": "Unit: {unit}",
    },
}

GAP_MARK = "—"
_FONT_SIZE = 12
_TICK_SIZE = 11


# --- the data, taken out of the record ------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    year: int
    value: Decimal | None  # None = not reported
    qualifier: str | None = None


@dataclass(frozen=True)
class _Series:
    baseline: _Point | None
    actuals: list[_Point]
    estimates: list[_Point]
    targets: list[_Point]  # with values only
    forecast: _Point | None
    forecast_meets: bool | None
    gaps: list[int]  # years with a record but no value (and no value of that year elsewhere)

    def values(self) -> list[Decimal]:
        points = [self.baseline, *self.actuals, *self.estimates, *self.targets, self.forecast]
        return [p.value for p in points if p is not None and p.value is not None]

    def years(self) -> list[int]:
        points = [self.baseline, *self.actuals, *self.estimates, *self.targets, self.forecast]
        years = {p.year for p in points if p is not None}
        return sorted(years | set(self.gaps))

    def path(self) -> list[tuple[str, _Point]]:
        """The measured line in year order: the baseline, then each year's actual (else estimate).

        An observation with a value in the baseline's year stands in for the baseline, as in the
        evaluation (docs/evaluation.md 2.7).
        """
        by_year: dict[int, tuple[str, _Point]] = {}
        if self.baseline is not None:
            by_year[self.baseline.year] = ("baseline", self.baseline)
        for kind, points in (("estimate", self.estimates), ("actual", self.actuals)):
            for p in points:
                if p.value is not None or p.year not in by_year:
                    by_year[p.year] = (kind, p)
        for year in self.gaps:  # not reported: breaks the line
            by_year[year] = ("gap", _Point(year, None))
        return [by_year[year] for year in sorted(by_year)]

    def last_measured(self) -> _Point | None:
        valued = [p for _, p in self.path() if p.value is not None]
        return valued[-1] if valued else None


def _series(indicator: Indicator) -> _Series:
    baseline = None
    b = indicator.baseline
    if b is not None and b.fiscal_year is not None:
        baseline = _Point(b.fiscal_year, b.value, b.qualifier)
    observations = sorted(indicator.observations, key=lambda o: (o.fiscal_year, o.kind))
    actuals = [_Point(o.fiscal_year, o.value, o.qualifier) for o in observations if o.kind == "actual"]
    estimates = [_Point(o.fiscal_year, o.value, o.qualifier) for o in observations if o.kind == "estimate"]
    targets = sorted(
        (_Point(t.fiscal_year, t.value, t.qualifier) for t in indicator.targets if t.value is not None),
        key=lambda p: p.year,
    )
    valued_years = {p.year for p in [*actuals, *estimates] if p.value is not None}
    if baseline is not None and baseline.value is not None:
        valued_years.add(baseline.year)
    empty = [p for p in [*actuals, *estimates] if p.value is None]
    if baseline is not None and baseline.value is None:
        empty.append(baseline)
    gaps = sorted({p.year for p in empty} - valued_years)
    forecast, meets = None, None
    evaluation = indicator.evaluation
    if evaluation is not None and evaluation.forecast is not None:
        forecast = _Point(evaluation.forecast.fiscal_year, evaluation.forecast.value)
        meets = evaluation.forecast.meets_target
    series = _Series(
        baseline=baseline,
        actuals=[p for p in actuals if p.value is not None],
        estimates=[p for p in estimates if p.value is not None],
        targets=targets,
        forecast=forecast,
        forecast_meets=meets,
        gaps=gaps,
    )
    if forecast is None:
        return series
    # The forecast is an exact fraction; it is drawn and named at the published precision.
    places = Decimal(1).scaleb(-_plotted_places(series))
    rounded = _Point(forecast.year, forecast.value.quantize(places, rounding=ROUND_HALF_UP))  # type: ignore[union-attr]
    return dataclasses.replace(series, forecast=rounded)


# --- text -----------------------------------------------------------------------------------


def _lang(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "ja"


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of the rendered width (no font metrics on the server)."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return (wide + 0.62 * (len(text) - wide)) * size


def _year_text(year: int, lang: str) -> str:
    """平成29年度 / FY2017 (Heisei 29); a plain Western year outside the eras Sengen knows."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return format_fiscal_year(year, lang, short=(lang == "ja"))
    return f"{year}年度" if lang == "ja" else f"FY{year}"


def _decimals(values: Iterable[Decimal]) -> int:
    return max((max(0, -int(canonical(v).as_tuple().exponent)) for v in values if v.is_finite()), default=0)


def _plotted_places(s: _Series) -> int:
    """The forecast is shown at the precision the department published its figures in."""
    published = [p.value for _, p in s.path() if p.value is not None] + [t.value for t in s.targets]
    return _decimals(v for v in published if v is not None)


def _figure(point: _Point, unit: str | None, places: int | None = None) -> str:
    value = point.value
    if value is not None and places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_figure(Figure(value=value, unit=unit, qualifier=point.qualifier))


def _describe(indicator: Indicator, s: _Series, lang: str) -> str:
    """One or two sentences (three when years were not reported) in ``lang``."""
    unit = indicator.unit
    last = s.last_measured()
    kinds = {id(p): kind for kind, p in s.path()}
    first: list[str] = []
    base = s.baseline if s.baseline is not None and s.baseline.value is not None else None
    if lang == "ja":
        if base is not None:
            first.append(f"当初水準 {_figure(base, unit)}（{_year_text(base.year, lang)}）")
        if last is not None and last is not base:
            kind = "見込み" if kinds.get(id(last)) == "estimate" else "実績"
            joiner = "から" if first else ""
            first.append(f"{joiner}{_year_text(last.year, lang)}{kind} {_figure(last, unit)}")
        sentences = ["".join(first) + "。" if first else "データなし。"]
        if s.targets:
            goal = s.targets[-1]
            second = f"目標 {_figure(goal, unit)}（{_year_text(goal.year, lang)}）"
            if s.forecast is not None:
                reach = "目標に届く見込み" if s.forecast_meets else "目標に届かない見込み"
                second += f"、見通し {_figure(s.forecast, unit)}（{reach}）"
            sentences.append(second + "。")
        if s.gaps:
            sentences.append("・".join(_year_text(y, lang) for y in s.gaps) + "は未報告。")
        return "".join(sentences)

    if base is not None:
        first.append(f"Baseline {_figure(base, unit)} in {_year_text(base.year, lang)}")
    if last is not None and last is not base:
        kind = "estimate" if kinds.get(id(last)) == "estimate" else "actual"
        lead = f"{kind}" if first else kind.capitalize()
        first.append(f"{lead} {_figure(last, unit)} in {_year_text(last.year, lang)}")
    sentences = ["; ".join(first) + "." if first else "No data."]
    if s.targets:
        goal = s.targets[-1]
        second = f"Target {_figure(goal, unit)} in {_year_text(goal.year, lang)}"
        if s.forecast is not None:
            reach = "meets the target" if s.forecast_meets else "short of the target"
            second += f"; forecast {_figure(s.forecast, unit)} ({reach})"
        sentences.append(second + ".")
    if s.gaps:
        years = ", ".join(_year_text(y, lang) for y in s.gaps)
        sentences.append(f"Not reported: {years}.")
    return " ".join(sentences)


def _mark_title(label: str, point: _Point, unit: str | None, lang: str) -> str:
    year = _year_text(point.year, lang)
    return (
        f"{year} {label} {_figure(point, unit)}"
        if lang == "ja"
        else f"{label}, {year}: {_figure(point, unit)}"
    )


# --- scales ---------------------------------------------------------------------------------

_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """4–6 evenly spaced round values covering [low, high] (1, 2, 2.5 or 5 × 10ⁿ apart)."""
    span = high - low
    top = span.adjusted()
    best: tuple[tuple[int, Decimal, int], list[Decimal]] | None = None
    for exponent in range(top - 2, top + 2):
        for base in _STEPS:
            step = base.scaleb(exponent)
            start = (low / step).to_integral_value(rounding=ROUND_FLOOR)
            stop = (high / step).to_integral_value(rounding=ROUND_CEILING)
            count = int(stop - start) + 1
            # Prefer 4–6 ticks, then the tightest axis, then fewer ticks.
            score = (0 if 4 <= count <= 6 else abs(count - 5), (stop - start) * step, count)
            if best is None or score < best[0]:
                best = (score, [(start + i) * step for i in range(count)])
    assert best is not None
    ticks = best[1]
    places = max(0, -(ticks[1] - ticks[0]).normalize().as_tuple().exponent)
    return [t.quantize(Decimal(1).scaleb(-places)) + 0 for t in ticks]  # + 0 turns -0 into 0


def _y_range(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    """The data range, stretched to zero when the values lie at least half-way to it (or are flat)."""
    low, high = min(values), max(values)
    if low == high:
        low, high = min(low, Decimal(0)), max(high, Decimal(0))
        if low == high:  # all zero: whole steps for counts
            high = Decimal(4) if all(v == v.to_integral_value() for v in values) else Decimal(1)
    elif low >= 0 and low * 2 <= high:
        low = Decimal(0)
    elif high <= 0 and high * 2 >= low:
        high = Decimal(0)
    return low, high


def _num(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- SVG pieces -----------------------------------------------------------------------------


def _attrs(attrs: dict[str, object]) -> str:
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, float) else str(value)
        out.append(f' {key}="{_esc(shown)}"')
    return "".join(out)


def _el(tag: str, attrs: dict[str, object], content: str | None = None) -> str:
    if content is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{content}</{tag}>"


def _tooltip(text: str | None) -> str | None:
    return None if text is None else f"<title>{_esc(text)}</title>"


def _mark(kind: str, x: float, y: float, size: float, tip: str | None = None) -> str:
    """The mark of a series: ■ baseline, ● actual, ○ estimate, ◆ target, × forecast."""
    c = COLOURS
    r = size / 2
    common: dict[str, object] = {"class": "mark"}
    if kind == "baseline":
        attrs = {**common, "x": x - r, "y": y - r, "width": size, "height": size, "fill": c["baseline"]}
        return _el("rect", attrs, _tooltip(tip))
    if kind == "actual":
        attrs = {**common, "cx": x, "cy": y, "r": r, "fill": c["measured"]}
        return _el("circle", attrs, _tooltip(tip))
    if kind == "estimate":
        attrs = {
            **common,
            "cx": x,
            "cy": y,
            "r": r - 0.75,
            "fill": c["background"],
            "stroke": c["measured"],
            "stroke-width": 1.5,
        }
        return _el("circle", attrs, _tooltip(tip))
    if kind == "target":
        d = r * 1.45
        path = f"M{_num(x)} {_num(y - d)}L{_num(x + d)} {_num(y)}L{_num(x)} {_num(y + d)}L{_num(x - d)} {_num(y)}Z"
        return _el("path", {**common, "d": path, "fill": c["target"]}, _tooltip(tip))
    # forecast: a cross, stroke only
    d = r * 0.9
    path = (
        f"M{_num(x - d)} {_num(y - d)}L{_num(x + d)} {_num(y + d)}"
        f"M{_num(x - d)} {_num(y + d)}L{_num(x + d)} {_num(y - d)}"
    )
    attrs = {**common, "d": path, "fill": "none", "stroke": c["forecast"], "stroke-width": 2}
    return _el("path", attrs, _tooltip(tip))


_LINE_STYLE = {
    "actual": {"stroke": COLOURS["measured"], "stroke-width": 2},
    "estimate": {"stroke": COLOURS["measured"], "stroke-width": 2, "stroke-dasharray": "6 4"},
    "forecast": {"stroke": COLOURS["forecast"], "stroke-width": 2, "stroke-dasharray": "4 4"},
    "target": {"stroke": COLOURS["target"], "stroke-width": 1.5, "stroke-dasharray": "2 3"},
}


def _line(kind: str, x1: float, y1: float, x2: float, y2: float, scale: float = 1.0) -> str:
    style = dict(_LINE_STYLE[kind])
    if scale != 1.0:
        style["stroke-width"] = style["stroke-width"] * scale
    return _el(
        "line",
        {"class": "line", "x1": x1, "y1": y1, "x2": x2, "y2": y2, **style, "stroke-linecap": "butt"},
    )


def safe_id(prefix: str) -> str:
    """An id prefix usable in ``id`` and in the space-separated ``aria-labelledby`` list."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    return cleaned if cleaned[:1].isalpha() else f"c{cleaned}"


def _default_prefix(indicator: Indicator) -> str:
    digest = hashlib.sha1(f"{indicator.project.number}\n{indicator.name}".encode()).hexdigest()
    return f"chart-{digest[:8]}"


@dataclass(frozen=True)
class _Frame:
    left: float
    top: float
    right: float
    bottom: float
    first_year: int
    last_year: int
    low: float
    high: float

    def x(self, year: int) -> float:
        n = self.last_year - self.first_year + 1
        return self.left + (year - self.first_year + 0.5) * (self.right - self.left) / n

    def y(self, value: Decimal) -> float:
        if self.high == self.low:
            return (self.top + self.bottom) / 2
        return self.bottom - (float(value) - self.low) / (self.high - self.low) * (self.bottom - self.top)


def _plot(s: _Series, f: _Frame, unit: str | None, lang: str, *, small: bool) -> list[str]:
    """Reference line, lines, marks and gap labels, each series in its own ``g.chart-<kind>``."""
    labels = _LABELS[lang]
    scale = 0.75 if small else 1.0
    size = 6.0 if small else 9.0
    out: list[str] = []

    def tip(kind: str, p: _Point) -> str | None:
        return None if small else _mark_title(labels[kind], p, unit, lang)

    if s.targets:
        goal = s.targets[-1]
        y = f.y(goal.value)  # type: ignore[arg-type]
        out.append(_el("g", {"class": "chart-target-line"}, _line("target", f.left, y, f.right, y, scale)))

    # The measured line: solid into an actual (or the baseline), dashed into an estimate; a year
    # that was not reported breaks it.
    segments: list[str] = []
    previous: _Point | None = None
    for kind, p in s.path():
        if p.value is None:
            previous = None
            continue
        if previous is not None:
            style = "estimate" if kind == "estimate" else "actual"
            segments.append(
                _line(style, f.x(previous.year), f.y(previous.value), f.x(p.year), f.y(p.value), scale)  # type: ignore[arg-type]
            )
        previous = p
    if segments:
        out.append(_el("g", {"class": "chart-lines"}, "".join(segments)))

    last = s.last_measured()
    if s.forecast is not None and s.forecast.value is not None:
        parts = []
        if last is not None and last.value is not None and s.forecast.year > last.year:
            fx, fy = f.x(s.forecast.year), f.y(s.forecast.value)
            parts.append(_line("forecast", f.x(last.year), f.y(last.value), fx, fy, scale))
        parts.append(
            _mark("forecast", f.x(s.forecast.year), f.y(s.forecast.value), size, tip("forecast", s.forecast))
        )
        out.append(_el("g", {"class": "chart-forecast"}, "".join(parts)))

    for kind, points in (
        ("baseline", [s.baseline] if s.baseline is not None and s.baseline.value is not None else []),
        ("actual", s.actuals),
        ("estimate", s.estimates),
        ("target", s.targets),
    ):
        if points:
            marks = "".join(_mark(kind, f.x(p.year), f.y(p.value), size, tip(kind, p)) for p in points)  # type: ignore[arg-type]
            out.append(_el("g", {"class": f"chart-{kind}"}, marks))

    if s.gaps:
        gap_size = 9 if small else 15
        texts = []
        for year in s.gaps:
            tip_text = None if small else f"{_year_text(year, lang)} {labels['gap']}"
            texts.append(
                _el(
                    "text",
                    {
                        "class": "gap",
                        "x": f.x(year),
                        "y": f.bottom - (1.0 if small else 6.0),
                        "font-weight": "bold",
                        "text-anchor": "middle",
                        "font-size": gap_size,
                        "fill": COLOURS["muted"],
                    },
                    (_tooltip(tip_text) or "") + GAP_MARK,
                )
            )
        out.append(_el("g", {"class": "chart-gap"}, "".join(texts)))
    return out


def _legend(s: _Series, lang: str, width: int, y: float) -> tuple[str, int]:
    """The legend row(s) at ``y``; returns the markup and the number of rows."""
    labels = _LABELS[lang]
    present = [
        ("baseline", s.baseline is not None and s.baseline.value is not None),
        ("actual", bool(s.actuals)),
        ("estimate", bool(s.estimates)),
        ("target", bool(s.targets)),
        ("forecast", s.forecast is not None),
        ("gap", bool(s.gaps)),
    ]
    items, x, row, gap = [], 12.0, 0, 18.0
    for kind, shown in present:
        if not shown:
            continue
        label = labels[kind]
        item_width = 30 + _text_width(label, _FONT_SIZE)
        if x + item_width > width - 8 and x > 12:
            x, row = 12.0, row + 1
        cy = y + row * 20
        sample = []
        if kind == "gap":
            sample.append(
                _el(
                    "text",
                    {
                        "x": x + 11,
                        "y": cy + 5,
                        "text-anchor": "middle",
                        "font-size": 15,
                        "font-weight": "bold",
                        "fill": COLOURS["muted"],
                    },
                    GAP_MARK,
                )
            )
        else:
            line_kind = {"baseline": None, "actual": "actual", "estimate": "estimate"}.get(kind, kind)
            if line_kind is not None:
                sample.append(_line(line_kind, x, cy, x + 22, cy))
            sample.append(_mark(kind, x + 11, cy, 9.0))
        sample.append(_el("text", {"x": x + 28, "y": cy + 4, "fill": COLOURS["text"]}, _esc(label)))
        items.append(_el("g", {"class": f"legend-item legend-{kind}"}, "".join(sample)))
        x += item_width + gap
    if not items:
        return "", 0
    return _el("g", {"class": "chart-legend"}, "".join(items)), row + 1


def _svg_open(css_class: str, width: int, height: int, labelled_by: str) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" class="{css_class}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{labelled_by}" '
        f'font-family="{FONT_FAMILY}" font-size="{_FONT_SIZE}">'
    )


# --- the public functions -------------------------------------------------------------------


def indicator_chart(
    indicator: Indicator,
    *,
    lang: str = "ja",
    width: int = 640,
    height: int = 320,
    id_prefix: str | None = None,
) -> str:
    """The indicator over the fiscal years as an SVG element (a string), with title, desc and legend.

    ``id_prefix`` keeps the ids of the title and desc unique when several charts share a page;
    without it a prefix is derived from the indicator's project number and name.
    """
    lang = _lang(lang)
    labels = _LABELS[lang]
    prefix = safe_id(id_prefix) if id_prefix else _default_prefix(indicator)
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    s = _series(indicator)
    values = s.values()
    years = s.years()

    parts = [
        _svg_open("sengen-chart", width, height, f"{title_id} {desc_id}"),
        _el("title", {"id": title_id}, _esc(indicator.name)),
        _el("desc", {"id": desc_id}, _esc(_describe(indicator, s, lang))),
        _el("rect", {"class": "chart-bg", "width": width, "height": height, "fill": COLOURS["background"]}),
    ]

    ticks = _ticks(*_y_range(values)) if values else [Decimal(0), Decimal(1)]
    tick_labels = [format_number(t) for t in ticks]
    unit_title = labels["unit"].format(unit=indicator.unit) if indicator.unit else None
    _, legend_rows = _legend(s, lang, width, 0)
    left = 10 + max(_text_width(t, _TICK_SIZE) for t in tick_labels) + 8
    top = 30.0 if unit_title else 14.0
    bottom = height - 22 - (legend_rows * 20 + 8 if legend_rows else 0)
    right = width - 14.0
    bottom = max(bottom, top + 20)
    first_year, last_year = (years[0], years[-1]) if years else (0, 0)
    frame = _Frame(left, top, right, bottom, first_year, last_year, float(ticks[0]), float(ticks[-1]))

    if unit_title:
        attrs = {"class": "chart-axis-title", "x": 10, "y": 16, "fill": COLOURS["muted"]}
        parts.append(_el("text", attrs, _esc(unit_title)))

    grid, axis_labels = [], []
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = frame.y(tick)
        zero = tick == 0 and ticks[0] < 0
        stroke = COLOURS["axis"] if zero or tick == ticks[0] else COLOURS["grid"]
        grid.append(
            _el("line", {"x1": left, "y1": y, "x2": right, "y2": y, "stroke": stroke, "stroke-width": 1})
        )
        if values:
            axis_labels.append(
                _el(
                    "text",
                    {
                        "x": left - 6,
                        "y": y + 4,
                        "text-anchor": "end",
                        "font-size": _TICK_SIZE,
                        "fill": COLOURS["text"],
                    },
                    _esc(label),
                )
            )
    parts.append(_el("g", {"class": "chart-grid"}, "".join(grid)))

    if not values and not years:
        attrs = {
            "class": "chart-nodata",
            "x": (left + right) / 2,
            "y": (top + bottom) / 2 + 5,
            "text-anchor": "middle",
            "font-size": 14,
            "fill": COLOURS["muted"],
        }
        parts.append(_el("text", attrs, _esc(labels["no_data"])))
        parts.append("</svg>")
        return "".join(parts)

    every = max(1, math.ceil((last_year - first_year + 1) / max(1, (right - left) // 40)))
    for year in range(first_year, last_year + 1):
        if (year - first_year) % every:
            continue
        attrs = {
            "x": frame.x(year),
            "y": bottom + 16,
            "text-anchor": "middle",
            "font-size": _TICK_SIZE,
            "fill": COLOURS["text"],
        }
        axis_labels.append(_el("text", attrs, str(year)))
    parts.append(_el("g", {"class": "chart-axis"}, "".join(axis_labels)))

    if not values:  # only not-reported years
        attrs = {
            "class": "chart-nodata",
            "x": (left + right) / 2,
            "y": (top + bottom) / 2 + 5,
            "text-anchor": "middle",
            "font-size": 14,
            "fill": COLOURS["muted"],
        }
        parts.append(_el("text", attrs, _esc(labels["no_data"])))
    parts.extend(_plot(s, frame, indicator.unit, lang, small=False))
    legend, _ = _legend(s, lang, width, bottom + 36)
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def sparkline(
    indicator: Indicator,
    *,
    lang: str = "ja",
    width: int = 120,
    height: int = 32,
    id_prefix: str,
) -> str:
    """A small chart for a table row: the same marks, no axes or legend, a short title only.

    The figures are in the same row, so the title (the indicator's name) is its whole alternative.
    """
    lang = _lang(lang)
    prefix = safe_id(id_prefix)
    title_id = f"{prefix}-title"
    s = _series(indicator)
    values = s.values()
    years = s.years()
    parts = [
        _svg_open("sengen-sparkline", width, height, title_id),
        _el("title", {"id": title_id}, _esc(indicator.name)),
        _el("rect", {"class": "chart-bg", "width": width, "height": height, "fill": COLOURS["background"]}),
    ]
    if not values:
        attrs = {
            "class": "chart-nodata",
            "x": width / 2,
            "y": height / 2 + 4,
            "text-anchor": "middle",
            "font-size": 10,
            "fill": COLOURS["muted"],
        }
        parts.append(_el("text", attrs, _esc(_LABELS[lang]["no_data"])))
        parts.append("</svg>")
        return "".join(parts)
    low, high = min(values), max(values)
    pad = 5.0
    frame = _Frame(pad, pad, width - pad, height - pad, years[0], years[-1], float(low), float(high))
    parts.extend(_plot(s, frame, indicator.unit, lang, small=True))
    parts.append("</svg>")
    return "".join(parts)
