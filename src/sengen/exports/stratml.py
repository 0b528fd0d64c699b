"""StratML Part 2 (ISO 17469 "Performance Plans and Reports") export of goal declarations.

The mapping (see docs/standards.md):

- the whole export is one ``PerformancePlanOrReport`` (``Type="Performance_Plan"`` by default:
  a declaration announces targets and reports the figures so far);
- each department is an ``Organization``, its sections and units ``Stakeholder``\\ s (performers);
- each declaration (one department, one fiscal year) is a ``Goal``; the head is its stakeholder,
  the message its description, the roles and notes its other information;
- each policy (取組方針) is an ``Objective`` of that goal, with the self-evaluations as other information;
- each project (主な事業) is an ``Objective`` too, holding its indicators as ``PerformanceIndicator``\\ s;
- each fiscal year of an indicator is a ``MeasurementInstance``: the target is a ``TargetResult``;
  the baseline, actual and estimate are ``ActualResult``\\ s told apart by their ``Descriptor``
  (当初水準 / 実績値 / 実績見込値). Dates are the fiscal year: 1 April to 31 March.

Figures are written exactly as published (``NumberOfUnits`` is ``xsd:decimal``); a figure published
as not reported (—) has no ``NumberOfUnits`` and says so in its ``Description``.
"""

from __future__ import annotations

from collections import OrderedDict
from importlib import resources
from typing import Literal

from lxml import etree

from sengen.core.messages import render
from sengen.core.wareki import format_fiscal_year
from sengen.interchange import models as rec
from sengen.interchange.evaluation import explain
from sengen.interchange.jsonio import number_text

NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
SCHEMA_FILE = "stratml-part2.xsd"
PlanType = Literal["Strategic_Plan", "Performance_Plan", "Performance_Report"]

KINDS: dict[str, tuple[str, str]] = {
    "baseline": ("当初水準", "baseline"),
    "actual": ("実績値", "actual"),
    "estimate": ("実績見込値", "estimate"),
    "target": ("目標値", "target"),
}
DIRECTIONS = {
    "increase": ("増やす", "increase"),
    "decrease": ("減らす", "decrease"),
    "maintain": ("維持する", "maintain"),
}
STAGES = {"midyear": ("中間", "mid-year"), "yearend": ("年度末", "year-end")}


def schema_path():
    """The XML Schema the export is validated against (a Traversable inside the package)."""
    return resources.files("sengen.exports") / "schemas" / SCHEMA_FILE


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}", attrs)
    if text is not None:
        child.text = text
    return child


def _both(ja: str, en: str) -> str:
    return f"{ja} / {en}"


def _years(years: list[int]) -> str:
    if not years:
        return ""
    first, last = min(years), max(years)
    if first == last:
        return format_fiscal_year(first)
    return f"{format_fiscal_year(first)}–{format_fiscal_year(last)}"


def _years_en(years: list[int]) -> str:
    first, last = min(years), max(years)
    return f"FY{first}" if first == last else f"FY{first}–FY{last}"


def _stakeholder(parent: etree._Element, name: str, kind: str, description: str | None = None) -> None:
    holder = _el(parent, "Stakeholder", StakeholderTypeType=kind)
    _el(holder, "Name", name)
    if description:
        _el(holder, "Description", description)
    role = _el(holder, "Role")
    _el(role, "Name", _both("所管", "responsible"))
    _el(role, "RoleType", "Performer")


def _organizations(core: etree._Element, document: rec.Document) -> None:
    # One Organization per department, with the sections and units of its latest declaration.
    latest: OrderedDict[str, rec.Declaration] = OrderedDict()
    for declaration in sorted(document.declarations, key=lambda d: d.fiscal_year):
        latest[declaration.department] = declaration
    for department in sorted(latest):
        declaration = latest[department]
        org = _el(core, "Organization")
        _el(org, "Name", department)
        if declaration.roles:
            _el(org, "Description", "\n".join(declaration.roles))
        for section in declaration.sections:
            units = "、".join(section.units)
            _stakeholder(org, section.name, "Organization", units or None)


def _dates(parent: etree._Element, year: int) -> None:
    _el(parent, "StartDate", f"{year}-04-01")
    _el(parent, "EndDate", f"{year + 1}-03-31")


def _result(
    instance: etree._Element,
    element: str,
    year: int,
    kind: str,
    value,
    notes: list[str],
) -> None:
    result = _el(instance, element)
    _dates(result, year)
    if value is not None:
        _el(result, "NumberOfUnits", number_text(value))
    descriptor = _el(result, "Descriptor")
    _el(descriptor, "DescriptorName", _both("種別", "kind"))
    _el(descriptor, "DescriptorValue", _both(*KINDS[kind]))
    lines = [] if value is not None else [_both("未報告（—）", "not reported")]
    lines += [note for note in notes if note]
    if lines:
        _el(result, "Description", "\n".join(lines))


def _figure_notes(figure) -> list[str]:
    notes = []
    if figure.qualifier:
        notes.append(_both("限定語", "qualifier") + f": {figure.qualifier}")
    if figure.annotation:
        notes.append(_both("注記", "note") + f": {figure.annotation}")
    return notes


def _indicator(parent: etree._Element, indicator: rec.Indicator, number: int, identifier: str) -> None:
    pi = _el(parent, "PerformanceIndicator", PerformanceIndicatorType="Quantitative")
    _el(pi, "SequenceIndicator", str(number))
    _el(pi, "MeasurementDimension", indicator.name)
    _el(pi, "UnitOfMeasurement", indicator.unit or "")
    _el(pi, "Identifier", identifier)

    # Figures by fiscal year: the targets first, then baseline, actual and estimate.
    by_year: dict[int, list[tuple[str, str, object, list[str]]]] = {}
    for target in indicator.targets:
        notes = _figure_notes(target)
        if target.set_in is not None:
            notes.insert(0, _both("設定年度", "set in") + f": {format_fiscal_year(target.set_in)}")
        by_year.setdefault(target.fiscal_year, []).append(("TargetResult", "target", target.value, notes))
    baseline = indicator.baseline
    if baseline is not None and baseline.fiscal_year is not None:
        by_year.setdefault(baseline.fiscal_year, []).append(
            ("ActualResult", "baseline", baseline.value, _figure_notes(baseline))
        )
    for observation in indicator.observations:
        by_year.setdefault(observation.fiscal_year, []).append(
            ("ActualResult", observation.kind, observation.value, _figure_notes(observation))
        )
    for year in sorted(by_year):
        instance = _el(pi, "MeasurementInstance")
        rows = by_year[year]
        for element in ("TargetResult", "ActualResult"):  # the schema's order
            for row_element, kind, value, notes in rows:
                if row_element == element:
                    _result(instance, element, year, kind, value, notes)

    other = []
    if baseline is not None and baseline.fiscal_year is None and baseline.value is not None:
        other.append(
            _both("当初水準（年度不明）", "baseline (year not given)") + f": {number_text(baseline.value)}"
        )
    if indicator.direction:
        other.append(_both("方向", "direction") + ": " + _both(*DIRECTIONS[indicator.direction]))
    if indicator.owners:
        owners = "、".join(f"{o.section} {o.unit}" if o.unit else o.section for o in indicator.owners)
        other.append(_both("所管課", "owners") + f": {owners}")
    if indicator.evaluation is not None:
        code = f"evaluation.status.{indicator.evaluation.status}"
        other.append(
            _both("達成状況", "evaluation") + ": " + _both(render(code, lang="ja"), render(code, lang="en"))
        )
        other.append(explain(indicator, "ja"))
        other.append(explain(indicator, "en"))
    if indicator.comment:
        other.append(_both("達成状況の説明", "comment") + f": {indicator.comment}")
    if other:
        _el(pi, "OtherInformation", "\n".join(other))


def _goal(core: etree._Element, declaration: rec.Declaration, number: int) -> None:
    goal_id = f"sengen-{declaration.fiscal_year}-{number}"
    goal = _el(core, "Goal")
    year_ja = format_fiscal_year(declaration.fiscal_year)
    year_en = format_fiscal_year(declaration.fiscal_year, "en")
    _el(goal, "Name", f"{declaration.department} {year_ja} 部長の目標宣言 / Goal declaration, {year_en}")
    _el(goal, "Description", "\n".join(declaration.message))
    _el(goal, "Identifier", goal_id)
    _el(goal, "SequenceIndicator", str(number))
    head = declaration.head
    _stakeholder(goal, f"{head.title} {head.name}" if head.name else head.title, "Person")
    other = []
    if declaration.roles:
        other.append(_both("部等の主な役割", "roles") + ":\n" + "\n".join(declaration.roles))
    if declaration.plan is not None:
        plan = declaration.plan
        other.append(
            _both("計画", "plan")
            + f": {plan.name}（{format_fiscal_year(plan.start_year)}〜{format_fiscal_year(plan.end_year)}）"
        )
    if declaration.notes:
        other.append("\n".join(declaration.notes))
    if other:
        _el(goal, "OtherInformation", "\n".join(other))

    sequence = 0
    for policy in declaration.policies:
        sequence += 1
        objective = _el(goal, "Objective")
        _el(objective, "Name", policy.title)
        _el(objective, "Description", policy.body)
        _el(objective, "Identifier", f"{goal_id}-policy-{policy.number}")
        _el(objective, "SequenceIndicator", str(policy.number))
        grades = [
            _both(*STAGES[e.stage]) + f": {e.grade}" + (f" {e.comment}" if e.comment else "")
            for e in policy.evaluations
        ]
        other_text = _both("部等の取組方針", "policy")
        if grades:
            other_text += "\n" + _both("自己評価", "self-evaluation") + ":\n" + "\n".join(grades)
        _el(objective, "OtherInformation", other_text)

    projects: OrderedDict[tuple[str, str], list[rec.Indicator]] = OrderedDict()
    for indicator in declaration.indicators:
        projects.setdefault((indicator.project.number, indicator.project.name), []).append(indicator)
    for p, ((project_number, project_name), indicators) in enumerate(projects.items(), start=1):
        sequence += 1
        objective = _el(goal, "Objective")
        _el(objective, "Name", f"{project_number} {project_name}")
        _el(objective, "Description", _both("主な事業", "project") + f": {project_name}")
        _el(objective, "Identifier", f"{goal_id}-project-{p}")
        _el(objective, "SequenceIndicator", project_number)
        owners: OrderedDict[str, None] = OrderedDict()
        for indicator in indicators:
            for owner in indicator.owners:
                owners[f"{owner.section} {owner.unit}" if owner.unit else owner.section] = None
        for owner in owners:
            _stakeholder(objective, owner, "Organization")
        for i, indicator in enumerate(indicators, start=1):
            _indicator(objective, indicator, i, f"{goal_id}-project-{p}-indicator-{i}")


def write_stratml(document: rec.Document, plan_type: PlanType = "Performance_Plan") -> bytes:
    """The declarations of ``document`` as one StratML Part 2 document (UTF-8 XML)."""
    root = etree.Element(f"{{{NAMESPACE}}}PerformancePlanOrReport", nsmap={None: NAMESPACE}, Type=plan_type)
    years = sorted({d.fiscal_year for d in document.declarations})
    title_years = f" {_years(years)} / {_years_en(years)}" if years else ""
    _el(root, "Name", f"部長の目標宣言 / Department heads' goal declarations{title_years}")
    departments = sorted({d.department for d in document.declarations})
    _el(
        root,
        "Description",
        "各部の部長が年度ごとに宣言した取組方針と事業指標（当初水準・実績値・実績見込値・目標値）。"
        " / Each department head's policies and project indicators (baseline, actual, estimate, target)"
        " for the fiscal year.",
    )
    plans = sorted(
        {(d.plan.name, d.plan.start_year, d.plan.end_year) for d in document.declarations if d.plan},
        key=lambda p: (p[1], p[0]),
    )
    info = [_both("部", "departments") + ": " + "、".join(departments)] if departments else []
    info += [
        _both("計画", "plan") + f": {name}（{format_fiscal_year(start)}〜{format_fiscal_year(end)}）"
        for name, start, end in plans
    ]
    info.append(
        "年度は4月1日から翌年3月31日まで。 / Fiscal years run from 1 April to 31 March; FY2020 = 令和2年度."
    )
    _el(root, "OtherInformation", "\n".join(info))
    core = _el(root, "StrategicPlanCore")
    _organizations(core, document)
    ordered = sorted(document.declarations, key=lambda d: (d.fiscal_year, d.department))
    for number, declaration in enumerate(ordered, start=1):
        _goal(core, declaration, number)
    if not ordered:  # the schema requires a goal
        goal = _el(core, "Goal")
        _el(goal, "Name", _both("（宣言なし）", "(no declarations)"))
        _el(
            goal,
            "Description",
            _both("選ばれた条件に合う公表済みの宣言はありません。", "No published declaration matched."),
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate(data: bytes) -> list[str]:
    """Problems found validating ``data`` against the bundled schema (empty when valid)."""
    with schema_path().open("rb") as handle:
        schema = etree.XMLSchema(etree.parse(handle))
    document = etree.fromstring(data)
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
