"""The StratML Part 2 export: valid against the bundled schema, and every indicator with its targets and
actual results as published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from sengen.exports.stratml import NAMESPACE, validate, write_stratml
from sengen.interchange import models as rec
from sengen.interchange.evaluation import with_evaluations
from tests.exports_std.test_rdf import demo_document

NS = {"s": NAMESPACE}
KIND_LABELS = {"baseline": "当初水準", "actual": "実績値", "estimate": "実績見込値", "target": "目標値"}


@pytest.fixture(scope="module")
def demo() -> rec.Document:
    return with_evaluations(demo_document())


@pytest.fixture(scope="module")
def exported(demo) -> bytes:
    return write_stratml(demo)


def test_the_demo_export_is_valid_stratml_part_2(exported):
    assert validate(exported) == []
    root = etree.fromstring(exported)
    assert root.tag == f"{{{NAMESPACE}}}PerformancePlanOrReport"
    assert root.get("Type") == "Performance_Plan"


def test_a_broken_document_is_refused_by_the_schema(exported):
    root = etree.fromstring(exported)
    dimension = root.find(".//s:PerformanceIndicator/s:MeasurementDimension", NS)
    dimension.getparent().remove(dimension)
    problems = validate(etree.tostring(root))
    assert problems and "MeasurementDimension" in problems[0]


def results(indicator: etree._Element) -> list[tuple[str, int, str, Decimal | None]]:
    """(element, fiscal year, kind, value) of every target and actual result of an indicator."""
    rows = []
    for result in indicator.iterfind("s:MeasurementInstance/*", NS):
        start = result.findtext("s:StartDate", namespaces=NS)
        end = result.findtext("s:EndDate", namespaces=NS)
        year = int(start[:4])
        assert (start[4:], end) == ("-04-01", f"{year + 1}-03-31")  # the fiscal year, April to March
        label = result.findtext("s:Descriptor/s:DescriptorValue", namespaces=NS).split(" / ")[0]
        kind = next(k for k, text in KIND_LABELS.items() if text == label)
        number = result.findtext("s:NumberOfUnits", namespaces=NS)
        rows.append((etree.QName(result).localname, year, kind, Decimal(number) if number else None))
    return sorted(rows, key=str)


def expected_results(indicator: rec.Indicator) -> list[tuple[str, int, str, Decimal | None]]:
    rows = [("TargetResult", t.fiscal_year, "target", t.value) for t in indicator.targets]
    rows += [("ActualResult", o.fiscal_year, o.kind, o.value) for o in indicator.observations]
    if indicator.baseline and indicator.baseline.fiscal_year is not None:
        rows.append(("ActualResult", indicator.baseline.fiscal_year, "baseline", indicator.baseline.value))
    return sorted(rows, key=str)


def test_every_indicator_appears_with_its_targets_and_actual_results(demo, exported):
    root = etree.fromstring(exported)
    goals = root.findall("s:StrategicPlanCore/s:Goal", NS)
    declarations = sorted(demo.declarations, key=lambda d: (d.fiscal_year, d.department))
    assert len(goals) == len(declarations) == 4
    checked = 0
    for goal, declaration in zip(goals, declarations, strict=True):
        assert goal.findtext("s:Name", namespaces=NS).startswith(declaration.department)
        exported_indicators = goal.findall("s:Objective/s:PerformanceIndicator", NS)
        assert [pi.findtext("s:MeasurementDimension", namespaces=NS) for pi in exported_indicators] == [
            i.name for i in declaration.indicators
        ]
        for element, indicator in zip(exported_indicators, declaration.indicators, strict=True):
            assert element.findtext("s:UnitOfMeasurement", namespaces=NS) == (indicator.unit or "")
            assert results(element) == expected_results(indicator)
            checked += 1
    assert checked == sum(len(d.indicators) for d in demo.declarations) == 36


def test_policies_and_projects_are_objectives_of_the_declaration(demo, exported):
    root = etree.fromstring(exported)
    goal = root.findall("s:StrategicPlanCore/s:Goal", NS)[-1]  # 環境部 FY2020 comes last
    declaration = next(d for d in demo.declarations if (d.department, d.fiscal_year) == ("環境部", 2020))
    names = [o.findtext("s:Name", namespaces=NS) for o in goal.findall("s:Objective", NS)]
    assert names[: len(declaration.policies)] == [p.title for p in declaration.policies]
    assert f"{declaration.indicators[0].project.number} {declaration.indicators[0].project.name}" in names
    assert goal.findtext("s:Stakeholder/s:Name", namespaces=NS).startswith(declaration.head.title)


def test_a_figure_published_as_not_reported_says_so(exported):
    root = etree.fromstring(exported)
    # 環境部 FY2019: the FY2017 actual of 環境に配慮した行動を実践している市民の割合 was published as —.
    goal = next(
        g
        for g in root.iterfind(".//s:Goal", NS)
        if g.findtext("s:Identifier", namespaces=NS) == "sengen-2019-2"
    )
    indicator = next(
        pi
        for pi in goal.iterfind(".//s:PerformanceIndicator", NS)
        if pi.findtext("s:MeasurementDimension", namespaces=NS)
        == "環境に配慮した行動を実践している市民の割合"
    )
    missing = [
        r for r in indicator.iterfind(".//s:ActualResult", NS) if r.find("s:NumberOfUnits", NS) is None
    ]
    assert len(missing) == 1
    assert missing[0].findtext("s:StartDate", namespaces=NS) == "2017-04-01"
    assert "未報告" in missing[0].findtext("s:Description", namespaces=NS)


def test_the_evaluation_is_explained_in_both_languages(exported):
    root = etree.fromstring(exported)
    other = root.findtext(".//s:PerformanceIndicator/s:OtherInformation", namespaces=NS)
    assert "達成状況 / evaluation:" in other
    assert "目標15,000人" in other and "Target 15,000人" in other


def test_an_empty_export_is_still_valid():
    assert validate(write_stratml(rec.Document())) == []


@pytest.mark.django_db
def test_the_export_from_the_database_is_valid_and_complete():
    from sengen.catalog import queries
    from sengen.catalog.evaluation import evaluated_document
    from sengen.catalog.loader import load
    from sengen.ingest import read_bytes
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])
    exported = write_stratml(evaluated_document(queries.declarations(2020)))
    assert validate(exported) == []
    root = etree.fromstring(exported)
    assert len(root.findall(".//s:Goal", NS)) == 2
    assert len(root.findall(".//s:PerformanceIndicator", NS)) == 18
