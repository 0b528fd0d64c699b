"""The SVG charts: structure, marks per series, accessibility and determinism (no database)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from sengen.interchange.models import (
    Baseline,
    Evaluation,
    Forecast,
    Indicator,
    Observation,
    Project,
    Target,
)
from sengen.portal.charts import COLOURS, indicator_chart, sparkline

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def make(
    name: str = "くらし安心メール登録者数",
    unit: str | None = "人",
    baseline: tuple[int, object] | None = (2017, 10554),
    actual: dict[int, object] | None = None,
    estimate: dict[int, object] | None = None,
    target: tuple[int, object] | None = (2020, 15000),
    forecast: tuple[int, str, bool] | None = None,
    qualifier: str | None = None,
) -> Indicator:
    def dec(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    observations = [
        Observation(fiscal_year=year, kind=kind, value=dec(value), qualifier=qualifier)
        for kind, values in (("actual", actual or {}), ("estimate", estimate or {}))
        for year, value in values.items()
    ]
    evaluation = None
    if forecast is not None:
        year, value, meets = forecast
        evaluation = Evaluation(
            status="behind",
            progress_rate=None,
            achievement_rate=None,
            elapsed_share=None,
            direction="increase",
            latest=None,
            target=None,
            forecast=Forecast(fiscal_year=year, value=Decimal(value), meets_target=meets),
        )
    return Indicator(
        project=Project(number="17-101", name="地域防犯活動推進事業"),
        name=name,
        unit=unit,
        baseline=None if baseline is None else Baseline(fiscal_year=baseline[0], value=dec(baseline[1])),
        observations=observations,
        targets=[] if target is None else [Target(fiscal_year=target[0], value=dec(target[1]), set_in=2017)],
        evaluation=evaluation,
    )


# 17-101 and 33-102 of the FY2020 市民生活部 sample (tests/ingest/test_page_text.py EXPECTED_ROWS).
MAIL = make(
    actual={2018: 12141}, estimate={2019: 13217}, forecast=(2020, "14633.666666666666666666666667", False)
)
HELMET = make(
    name="児童の自転車用ヘルメット着用率",
    unit="%",
    baseline=(2017, 11),
    actual={2018: None},
    estimate={2019: 25},
    target=(2020, 60),
)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def marks(root: ET.Element, series: str) -> list[ET.Element]:
    return root.findall(f".//svg:g[@class='chart-{series}']/*[@class='mark']", NS)


def mark_y(mark: ET.Element) -> float:
    if mark.tag == f"{SVG}circle":
        return float(mark.get("cy", "nan"))
    if mark.tag == f"{SVG}rect":
        return float(mark.get("y", "nan")) + float(mark.get("height", "0")) / 2
    numbers = [float(n) for n in re.findall(r"-?[0-9.]+", mark.get("d", ""))]
    ys = numbers[1::2]
    return (min(ys) + max(ys)) / 2


def legend(root: ET.Element) -> list[str]:
    items = root.findall(".//svg:g[@class='chart-legend']/svg:g", NS)
    return [item.get("class", "").split("legend-")[-1] for item in items]


class TestTextAlternative:
    def test_title_and_desc_are_named_by_aria_labelledby(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c1"))
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "c1-title c1-desc"
        title, desc = root[0], root[1]
        assert (title.tag, title.get("id"), title.text) == (
            f"{SVG}title",
            "c1-title",
            "くらし安心メール登録者数",
        )
        assert (desc.tag, desc.get("id")) == (f"{SVG}desc", "c1-desc")
        assert desc.text == (
            "当初水準 10,554人（平成29年度）から令和元年度見込み 13,217人。"
            "目標 15,000人（令和2年度）、見通し 14,634人（目標に届かない見込み）。"
        )

    def test_english_desc(self) -> None:
        root = parse(indicator_chart(MAIL, lang="en", id_prefix="c1"))
        desc = root.find("svg:desc", NS)
        assert desc is not None
        assert desc.text == (
            "Baseline 10,554人 in FY2017 (Heisei 29); estimate 13,217人 in FY2019 (Reiwa 1). "
            "Target 15,000人 in FY2020 (Reiwa 2); forecast 14,634人 (short of the target)."
        )
        assert "Unit: 人" in "".join(root.itertext())

    def test_not_reported_year_is_named_in_desc(self) -> None:
        desc = parse(indicator_chart(HELMET, id_prefix="h")).find("svg:desc", NS)
        assert desc is not None and desc.text is not None
        assert desc.text.endswith("平成30年度は未報告。")

    def test_ids_unique_with_different_prefixes(self) -> None:
        page = (
            "<div>"
            + "".join(
                [
                    indicator_chart(MAIL, id_prefix="chart"),
                    sparkline(MAIL, id_prefix="s0"),
                    sparkline(HELMET, id_prefix="s1"),
                ]
            )
            + "</div>"
        )
        ids = [el.get("id") for el in ET.fromstring(page).iter() if el.get("id")]
        assert len(ids) == len(set(ids)) == 4

    def test_unsafe_prefix_is_made_a_valid_id(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="17-101 くらし"))
        labelled = root.get("aria-labelledby", "").split()
        assert len(labelled) == 2
        assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", i) for i in labelled)
        assert {el.get("id") for el in root.iter() if el.get("id")} == set(labelled)

    def test_default_prefix_is_stable_and_per_indicator(self) -> None:
        assert parse(indicator_chart(MAIL)).get("aria-labelledby") == parse(indicator_chart(MAIL)).get(
            "aria-labelledby"
        )
        assert parse(indicator_chart(MAIL)).get("aria-labelledby") != parse(indicator_chart(HELMET)).get(
            "aria-labelledby"
        )


class TestMarks:
    def test_one_mark_per_value_in_each_series(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c"))
        counts = {s: len(marks(root, s)) for s in ("baseline", "actual", "estimate", "target", "forecast")}
        assert counts == {"baseline": 1, "actual": 1, "estimate": 1, "target": 1, "forecast": 1}

    def test_each_series_has_its_own_mark_shape(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c"))
        (base,), (actual,), (estimate,), (target,), (forecast,) = (
            marks(root, s) for s in ("baseline", "actual", "estimate", "target", "forecast")
        )
        assert base.tag == f"{SVG}rect"
        assert actual.tag == estimate.tag == f"{SVG}circle"
        assert actual.get("fill") != "#ffffff" and estimate.get("fill") == "#ffffff", "filled vs hollow"
        assert target.tag == forecast.tag == f"{SVG}path"
        assert target.get("d") != forecast.get("d") and forecast.get("fill") == "none"

    def test_not_reported_year_has_no_mark_but_a_gap_label(self) -> None:
        root = parse(indicator_chart(HELMET, id_prefix="h"))
        assert marks(root, "actual") == []
        assert len(marks(root, "estimate")) == 1
        gaps = root.findall(".//svg:g[@class='chart-gap']/svg:text", NS)
        assert len(gaps) == 1
        assert "".join(gaps[0].itertext()).endswith("—")
        # the line does not bridge the gap: baseline (2017) and estimate (2019) are not joined
        assert root.find(".//svg:g[@class='chart-lines']", NS) is None

    def test_estimate_line_is_dashed_and_actual_line_solid(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c"))
        lines = root.findall(".//svg:g[@class='chart-lines']/svg:line", NS)
        assert [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]

    def test_larger_values_are_higher(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c"))
        ys = [mark_y(marks(root, s)[0]) for s in ("baseline", "actual", "estimate", "target")]
        assert ys == sorted(ys, reverse=True), "10,554 < 12,141 < 13,217 < 15,000 → y decreasing"

    def test_legend_has_an_entry_per_series_present(self) -> None:
        assert legend(parse(indicator_chart(MAIL, id_prefix="c"))) == [
            "baseline",
            "actual",
            "estimate",
            "target",
            "forecast",
        ]
        assert legend(parse(indicator_chart(HELMET, id_prefix="h"))) == [
            "baseline",
            "estimate",
            "target",
            "gap",
        ]

    def test_sparkline_has_the_same_marks_and_only_a_title(self) -> None:
        root = parse(sparkline(MAIL, id_prefix="s3"))
        assert root.get("role") == "img" and root.get("aria-labelledby") == "s3-title"
        assert root.get("aria-hidden") is None
        assert root.find("svg:desc", NS) is None
        assert root.find("svg:title", NS).text == "くらし安心メール登録者数"  # type: ignore[union-attr]
        for series in ("baseline", "actual", "estimate", "target", "forecast"):
            assert len(marks(root, series)) == 1, series
        assert root.find(".//svg:g[@class='chart-legend']", NS) is None
        assert root.find(".//svg:g[@class='chart-axis']", NS) is None


class TestAxis:
    def tick_labels(self, svg: str) -> list[str]:
        root = parse(svg)
        texts = root.findall(".//svg:g[@class='chart-axis']/svg:text[@text-anchor='end']", NS)
        return [t.text or "" for t in texts]

    def test_four_to_six_ticks_with_thousands_separators(self) -> None:
        labels = self.tick_labels(indicator_chart(MAIL, id_prefix="c"))
        assert 4 <= len(labels) <= 6
        assert labels == ["10,000", "11,000", "12,000", "13,000", "14,000", "15,000"]

    def test_axis_reaches_zero_when_the_values_are_near_it(self) -> None:
        assert self.tick_labels(indicator_chart(HELMET, id_prefix="h")) == ["0", "20", "40", "60"]

    def test_x_labels_are_western_years(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c"))
        texts = root.findall(".//svg:g[@class='chart-axis']/svg:text[@text-anchor='middle']", NS)
        assert [t.text for t in texts] == ["2017", "2018", "2019", "2020"]


class TestEdgeCases:
    @pytest.mark.parametrize(
        "indicator",
        [
            make(baseline=None, target=None),
            make(baseline=(2017, None), actual={2018: None}, target=None),
            make(baseline=None, actual={2018: 5}, target=None),  # a single point
            make(baseline=(2017, 13), actual={2018: 13}, estimate={2019: 13}, target=(2020, 13)),  # flat
            make(baseline=(2017, 0), actual={2018: 0}, target=(2020, 0)),  # flat at zero
            make(baseline=(2017, -12), actual={2018: -3.5}, target=(2020, 4)),  # negative
            make(unit="%", baseline=(2017, "95.2"), actual={2018: "95.8"}, target=(2020, "96.0")),
            make(unit="千人", baseline=(2017, 1850), actual={2018: 1900}, qualifier="約"),
            make(unit=None, baseline=(1905, 1), actual={2150: 2}),  # outside the eras, long span
        ],
    )
    def test_renders_valid_svg_in_both_languages(self, indicator: Indicator) -> None:
        for lang in ("ja", "en"):
            for svg in (
                indicator_chart(indicator, lang=lang, id_prefix="e"),
                sparkline(indicator, id_prefix="e"),
            ):
                root = parse(svg)
                assert root.find("svg:title", NS) is not None
                assert "nan" not in svg and "inf" not in svg

    def test_no_values_says_so(self) -> None:
        for lang, text in (("ja", "データなし"), ("en", "No data")):
            root = parse(indicator_chart(make(baseline=None, target=None), lang=lang, id_prefix="n"))
            nodata = root.find(".//svg:text[@class='chart-nodata']", NS)
            assert nodata is not None and nodata.text == text
            assert legend(root) == []

    def test_negative_values_cross_a_zero_line(self) -> None:
        svg = indicator_chart(
            make(baseline=(2017, -12), actual={2018: "-3.5"}, target=(2020, 4)), id_prefix="n"
        )
        labels = TestAxis().tick_labels(svg)
        assert "0" in labels and labels[0].startswith("-")
        root = parse(svg)
        ys = [mark_y(marks(root, s)[0]) for s in ("baseline", "actual", "target")]
        assert ys == sorted(ys, reverse=True)

    def test_decimals_keep_their_places_on_the_axis(self) -> None:
        svg = indicator_chart(
            make(unit="%", baseline=(2017, "95.2"), actual={2018: "95.8"}, target=(2020, "96.0")),
            id_prefix="d",
        )
        labels = TestAxis().tick_labels(svg)
        assert 4 <= len(labels) <= 6
        assert all(re.fullmatch(r"9[56]\.[0-9]+", label) for label in labels), labels
        assert "95.2%" in parse(svg).find("svg:desc", NS).text  # type: ignore[union-attr]

    def test_approximate_values_are_plotted_and_described_as_published(self) -> None:
        indicator = make(unit="千人", baseline=(2017, 1850), actual={2018: 1900}, target=None, qualifier="約")
        root = parse(indicator_chart(indicator, id_prefix="q"))
        assert len(marks(root, "actual")) == 1
        assert "約1,900千人" in (root.find("svg:desc", NS).text or "")  # type: ignore[union-attr]
        assert "単位：千人" in "".join(root.itertext())

    def test_flat_values_get_an_axis(self) -> None:
        svg = indicator_chart(
            make(baseline=(2017, 13), actual={2018: 13}, estimate={2019: 13}, target=(2020, 13)),
            id_prefix="f",
        )
        labels = TestAxis().tick_labels(svg)
        assert 4 <= len(labels) <= 6 and labels[0] == "0"
        root = parse(svg)
        ys = {round(mark_y(marks(root, s)[0]), 1) for s in ("baseline", "actual", "estimate", "target")}
        assert len(ys) == 1


class TestSafety:
    def test_text_is_escaped(self) -> None:
        nasty = make(name='A<b>&"c"</b>', unit="<i>")
        for svg in (indicator_chart(nasty, id_prefix="x"), sparkline(nasty, id_prefix="x")):
            root = parse(svg)
            assert root.find("svg:title", NS).text == 'A<b>&"c"</b>'  # type: ignore[union-attr]
            assert "<b>" not in svg and "<i>" not in svg

    def test_no_script_and_no_external_reference(self) -> None:
        for svg in (indicator_chart(MAIL, id_prefix="c"), sparkline(HELMET, id_prefix="s")):
            root = parse(svg)
            for el in root.iter():
                assert el.tag not in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image", f"{SVG}style")
                assert not any(key.endswith("href") or key.startswith("on") for key in el.attrib)
            assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")

    def test_deterministic(self) -> None:
        assert indicator_chart(MAIL, id_prefix="c") == indicator_chart(MAIL, id_prefix="c")
        assert indicator_chart(HELMET, lang="en") == indicator_chart(HELMET, lang="en")
        assert sparkline(MAIL, id_prefix="s") == sparkline(MAIL, id_prefix="s")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


class TestContrast:
    def test_marks_and_lines_meet_3_to_1_and_text_4_5_to_1_on_white(self) -> None:
        root = parse(indicator_chart(MAIL, id_prefix="c"))
        root_h = parse(indicator_chart(HELMET, id_prefix="h"))
        for tree in (root, root_h):
            for el in tree.iter():
                cls = el.get("class", "")
                if el.tag == f"{SVG}text":
                    assert _contrast(el.get("fill", "#000000")) >= 4.5, el.attrib
                elif cls in ("mark", "line"):
                    for key in ("fill", "stroke"):
                        colour = el.get(key)
                        if colour not in (None, "none", COLOURS["background"]):
                            assert _contrast(colour) >= 3, el.attrib

    def test_palette(self) -> None:
        for key in ("baseline", "measured", "target", "forecast", "axis"):
            assert _contrast(COLOURS[key]) >= 3, key
        for key in ("text", "muted"):
            assert _contrast(COLOURS[key]) >= 4.5, key
