"""The indicator figures as a W3C RDF Data Cube (https://www.w3.org/TR/vocab-data-cube/), in Turtle or JSON-LD.

One ``qb:DataSet`` holds every figure of every exported declaration. An observation is one figure:

============================  =====================================================================
dimension                     value
============================  =====================================================================
``sengen:department``         the department (a ``skos:Concept`` of the department code list)
``sengen:declarationYear``    the fiscal year of the declaration that published the figure
``sengen:indicator``          the indicator (a ``skos:Concept``; project number and name attached)
``sengen:fiscalYear``         the fiscal year the figure is for (``rdfs:subPropertyOf sdmx-dimension:refPeriod``)
``sengen:valueKind``          baseline / actual / estimate / target (a code list)
============================  =====================================================================

The measure is ``sdmx-measure:obsValue`` (an exact ``xsd:decimal``); the unit is the attribute
``sdmx-attribute:unitMeasure`` (the unit as published, e.g. "人"); qualifier, annotation and the year a
target was set are optional attributes. Fiscal years are concepts of a code list,
``{base}code/fiscal-year/2020`` for 令和2年度 (April 2020 – March 2021), with both calendars as labels
and their first and last day. (Not ``xsd:gYear`` literals: a fiscal year is not a calendar year, and
SPARQL cannot compare two different ``xsd:gYear`` values with ``=``, which makes the Recommendation's
duplicate check IC-12 report every pair of years as duplicates.)

Why the value kind is a dimension and not a measure dimension (``qb:measureType``): a cube using
``qb:measureType`` must have every declared measure at every point (integrity constraint IC-17), but a
declaration publishes a baseline for one year, actuals and estimates for others and targets for later
years, never all four for one year. A coded dimension keeps the cube well-formed (all of IC-1 … IC-21
hold; see tests/exports_std/test_rdf.py) and is queried the same way.

The declaration year is a dimension because the same figure can be published again by the next
year's declaration (the baseline, the target), and an estimate is later replaced by the actual: each
declaration's figures are kept as that declaration published them.

Figures published as not reported (—), and a baseline without a year, have no observation: a Data
Cube observation must have a value and every dimension. The JSON and CSV exports keep them.

IRIs start with ``base`` (default ``https://example.jp/sengen/``, which a city replaces with an address
it controls): ``{base}def/…`` for the properties, ``{base}code/…`` for the code lists,
``{base}dataset/indicators``, ``{base}observation/…``. Names in IRIs are percent-encoded UTF-8.
"""

from __future__ import annotations

import json
from typing import Literal as TypingLiteral
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from sengen.core.wareki import format_fiscal_year
from sengen.interchange import models as rec
from sengen.interchange.jsonio import number_text

DEFAULT_BASE = "https://example.jp/sengen/"
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
RdfFormat = TypingLiteral["turtle", "json-ld"]
FORMATS: tuple[str, ...] = ("turtle", "json-ld")

VALUE_KINDS: dict[str, tuple[str, str]] = {
    "baseline": ("当初水準", "baseline"),
    "actual": ("実績値", "actual"),
    "estimate": ("実績見込値", "estimate"),
    "target": ("目標値", "target"),
}


def _segment(text: str) -> str:
    return quote(text, safe="")


def _labels(graph: Graph, subject: URIRef, ja: str, en: str, predicate=RDFS.label) -> None:
    graph.add((subject, predicate, Literal(ja, lang="ja")))
    graph.add((subject, predicate, Literal(en, lang="en")))


class _Cube:
    def __init__(self, base: str) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self.defs = Namespace(base + "def/")
        self.graph = Graph()
        g = self.graph
        for prefix, namespace in (
            ("qb", QB),
            ("sdmx-dimension", SDMX_DIMENSION),
            ("sdmx-measure", SDMX_MEASURE),
            ("sdmx-attribute", SDMX_ATTRIBUTE),
            ("skos", SKOS),
            ("dct", DCTERMS),
            ("xsd", XSD),
            ("rdfs", RDFS),
            ("sengen", self.defs),
        ):
            g.bind(prefix, namespace)
        self.dataset = URIRef(base + "dataset/indicators")
        self.structure = URIRef(base + "structure/indicators")
        self.schemes = {
            "department": URIRef(base + "code/department"),
            "indicator": URIRef(base + "code/indicator"),
            "valueKind": URIRef(base + "code/value-kind"),
            "fiscalYear": URIRef(base + "code/fiscal-year"),
        }
        self.keys: set[tuple] = set()
        self._structure()

    # --- the data structure definition -------------------------------------------------------
    def _component(self, name: str, kind: URIRef, prop: URIRef, order: int, required: bool | None = None):
        g = self.graph
        spec = URIRef(f"{self.structure}/component/{name}")
        g.add((self.structure, QB.component, spec))
        g.add((spec, RDF.type, QB.ComponentSpecification))
        g.add((spec, kind, prop))
        g.add((spec, QB.order, Literal(order)))
        if required is not None:
            g.add((spec, QB.componentRequired, Literal(required)))

    def _dimension(self, name: str, ja: str, en: str, range_: URIRef, scheme: URIRef | None = None) -> URIRef:
        g = self.graph
        prop = self.defs[name]
        g.add((prop, RDF.type, RDF.Property))
        g.add((prop, RDF.type, QB.DimensionProperty))
        _labels(g, prop, ja, en)
        g.add((prop, RDFS.range, range_))
        if scheme is not None:
            g.add((prop, RDF.type, QB.CodedProperty))
            g.add((prop, QB.codeList, scheme))
        return prop

    def _attribute(self, name: str, ja: str, en: str, range_: URIRef) -> URIRef:
        g = self.graph
        prop = self.defs[name]
        g.add((prop, RDF.type, RDF.Property))
        g.add((prop, RDF.type, QB.AttributeProperty))
        _labels(g, prop, ja, en)
        g.add((prop, RDFS.range, range_))
        return prop

    def _structure(self) -> None:
        g = self.graph
        g.add((self.structure, RDF.type, QB.DataStructureDefinition))
        _labels(g, self.structure, "事業指標の構造", "Structure of the project indicators")

        for key, (ja, en) in {
            "department": ("部", "Departments"),
            "indicator": ("事業指標", "Project indicators"),
            "valueKind": ("値の種別", "Kinds of value"),
            "fiscalYear": ("年度", "Fiscal years"),
        }.items():
            scheme = self.schemes[key]
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            _labels(g, scheme, ja, en, SKOS.prefLabel)
        for kind, (ja, en) in VALUE_KINDS.items():
            concept = self.value_kind(kind)
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.inScheme, self.schemes["valueKind"]))
            g.add((concept, SKOS.notation, Literal(kind)))
            _labels(g, concept, ja, en, SKOS.prefLabel)

        self.department = self._dimension(
            "department", "部", "department", SKOS.Concept, self.schemes["department"]
        )
        self.declaration_year = self._dimension(
            "declarationYear", "宣言年度", "declaration fiscal year", SKOS.Concept, self.schemes["fiscalYear"]
        )
        _labels(
            g,
            self.declaration_year,
            "値を公表した宣言の年度。",
            "The fiscal year of the declaration that published the figure.",
            RDFS.comment,
        )
        self.indicator = self._dimension(
            "indicator", "事業指標", "indicator", SKOS.Concept, self.schemes["indicator"]
        )
        self.fiscal_year = self._dimension(
            "fiscalYear", "年度", "fiscal year", SKOS.Concept, self.schemes["fiscalYear"]
        )
        g.add((self.fiscal_year, RDFS.subPropertyOf, SDMX_DIMENSION.refPeriod))
        _labels(
            g,
            self.fiscal_year,
            "値の対象年度（4月から翌年3月まで）。",
            "The fiscal year the figure is for (April to March).",
            RDFS.comment,
        )
        self.value_kind_dim = self._dimension(
            "valueKind", "値の種別", "kind of value", SKOS.Concept, self.schemes["valueKind"]
        )
        g.add((SDMX_MEASURE.obsValue, RDF.type, QB.MeasureProperty))
        g.add((SDMX_ATTRIBUTE.unitMeasure, RDF.type, QB.AttributeProperty))
        self.qualifier = self._attribute("qualifier", "限定語", "qualifier", XSD.string)
        self.annotation = self._attribute("annotation", "注記", "annotation", XSD.string)
        self.set_in = self._attribute(
            "targetSetIn", "目標の設定年度", "fiscal year the target was set", SKOS.Concept
        )
        self.project_number = self.defs["projectNumber"]
        self.project_name = self.defs["projectName"]
        self.starts = self.defs["startDate"]
        self.ends = self.defs["endDate"]
        for prop, ja, en in (
            (self.project_number, "事業番号", "project number"),
            (self.project_name, "主な事業", "project"),
            (self.starts, "開始日", "first day"),
            (self.ends, "終了日", "last day"),
        ):
            g.add((prop, RDF.type, RDF.Property))
            _labels(g, prop, ja, en)

        dimensions = [
            ("department", self.department),
            ("declaration-year", self.declaration_year),
            ("indicator", self.indicator),
            ("fiscal-year", self.fiscal_year),
            ("value-kind", self.value_kind_dim),
        ]
        for order, (name, prop) in enumerate(dimensions, start=1):
            self._component(name, QB.dimension, prop, order)
        self._component("value", QB.measure, SDMX_MEASURE.obsValue, len(dimensions) + 1)
        for order, (name, prop) in enumerate(
            [
                ("unit", SDMX_ATTRIBUTE.unitMeasure),
                ("qualifier", self.qualifier),
                ("annotation", self.annotation),
                ("target-set-in", self.set_in),
            ],
            start=len(dimensions) + 2,
        ):
            self._component(name, QB.attribute, prop, order, required=False)

        g.add((self.dataset, RDF.type, QB.DataSet))
        g.add((self.dataset, QB.structure, self.structure))
        _labels(
            g,
            self.dataset,
            "部長の目標宣言の事業指標",
            "Project indicators of the department heads' goal declarations",
        )
        _labels(
            g,
            self.dataset,
            "各宣言が公表した当初水準・実績値・実績見込値・目標値。未報告（—）の値と年度のない当初水準は含みません。",
            "Baselines, actuals, estimates and targets as each declaration published them. Figures "
            "published as not reported (—) and baselines without a year are left out.",
            RDFS.comment,
        )

    # --- code list members ---------------------------------------------------------------------
    def value_kind(self, kind: str) -> URIRef:
        return URIRef(f"{self.schemes['valueKind']}/{kind}")

    def year(self, year: int) -> URIRef:
        """The fiscal year as a concept: 2020 is 令和2年度, April 2020 to March 2021."""
        concept = URIRef(f"{self.schemes['fiscalYear']}/{year}")
        g = self.graph
        if (concept, RDF.type, SKOS.Concept) not in g:
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.inScheme, self.schemes["fiscalYear"]))
            g.add((concept, SKOS.notation, Literal(str(year))))
            g.add((concept, SKOS.prefLabel, Literal(format_fiscal_year(year), lang="ja")))
            g.add((concept, SKOS.prefLabel, Literal(format_fiscal_year(year, "en"), lang="en")))
            g.add((concept, self.starts, Literal(f"{year:04d}-04-01", datatype=XSD.date)))
            g.add((concept, self.ends, Literal(f"{year + 1:04d}-03-31", datatype=XSD.date)))
        return concept

    def department_concept(self, name: str) -> URIRef:
        concept = URIRef(f"{self.base}department/{_segment(name)}")
        g = self.graph
        if (concept, RDF.type, SKOS.Concept) not in g:
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.inScheme, self.schemes["department"]))
            g.add((concept, SKOS.prefLabel, Literal(name, lang="ja")))
        return concept

    def indicator_concept(self, indicator: rec.Indicator) -> URIRef:
        number, name = indicator.project.number, indicator.name
        concept = URIRef(f"{self.base}indicator/{_segment(number)}/{_segment(name)}")
        g = self.graph
        if (concept, RDF.type, SKOS.Concept) not in g:
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.inScheme, self.schemes["indicator"]))
            g.add((concept, SKOS.prefLabel, Literal(name, lang="ja")))
            g.add((concept, self.project_number, Literal(number)))
            g.add((concept, self.project_name, Literal(indicator.project.name, lang="ja")))
        return concept

    # --- observations --------------------------------------------------------------------------
    def observe(
        self,
        declaration: rec.Declaration,
        indicator: rec.Indicator,
        year: int | None,
        kind: str,
        figure: rec.Baseline | rec.Observation | rec.Target,
    ) -> None:
        if year is None or figure.value is None:
            return
        key = (
            declaration.department,
            declaration.fiscal_year,
            indicator.project.number,
            indicator.name,
            year,
            kind,
        )
        if key in self.keys:
            raise ValueError(
                f"{declaration.department} {declaration.fiscal_year}: {indicator.name} has two {kind} "
                f"figures for {year}"
            )
        self.keys.add(key)
        path = "/".join(
            [
                _segment(declaration.department),
                str(declaration.fiscal_year),
                _segment(indicator.project.number),
                _segment(indicator.name),
                str(year),
                kind,
            ]
        )
        obs = URIRef(f"{self.base}observation/{path}")
        g = self.graph
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, self.dataset))
        g.add((obs, self.department, self.department_concept(declaration.department)))
        g.add((obs, self.declaration_year, self.year(declaration.fiscal_year)))
        g.add((obs, self.indicator, self.indicator_concept(indicator)))
        g.add((obs, self.fiscal_year, self.year(year)))
        g.add((obs, self.value_kind_dim, self.value_kind(kind)))
        g.add((obs, SDMX_MEASURE.obsValue, Literal(number_text(figure.value), datatype=XSD.decimal)))
        if indicator.unit:
            g.add((obs, SDMX_ATTRIBUTE.unitMeasure, Literal(indicator.unit)))
        if figure.qualifier:
            g.add((obs, self.qualifier, Literal(figure.qualifier)))
        if figure.annotation:
            g.add((obs, self.annotation, Literal(figure.annotation)))
        if isinstance(figure, rec.Target) and figure.set_in is not None:
            g.add((obs, self.set_in, self.year(figure.set_in)))


def build_graph(document: rec.Document, base: str = DEFAULT_BASE) -> Graph:
    """The Data Cube of ``document``'s figures as an rdflib graph."""
    cube = _Cube(base)
    for declaration in document.declarations:
        for indicator in declaration.indicators:
            if indicator.baseline is not None:
                cube.observe(
                    declaration, indicator, indicator.baseline.fiscal_year, "baseline", indicator.baseline
                )
            for observation in indicator.observations:
                cube.observe(declaration, indicator, observation.fiscal_year, observation.kind, observation)
            for target in indicator.targets:
                cube.observe(declaration, indicator, target.fiscal_year, "target", target)
    return cube.graph


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The JSON-LD context written into the export (inline: reading it needs no network)."""
    if not base.endswith(("/", "#")):
        base += "/"
    return {
        "qb": str(QB),
        "sdmx-dimension": str(SDMX_DIMENSION),
        "sdmx-measure": str(SDMX_MEASURE),
        "sdmx-attribute": str(SDMX_ATTRIBUTE),
        "skos": str(SKOS),
        "dct": str(DCTERMS),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "sengen": base + "def/",
    }


def write_rdf(document: rec.Document, format: RdfFormat = "turtle", base: str = DEFAULT_BASE) -> bytes:
    """The Data Cube of ``document`` as Turtle or JSON-LD (UTF-8)."""
    graph = build_graph(document, base)
    if format == "turtle":
        return graph.serialize(format="turtle", encoding="utf-8")
    if format == "json-ld":
        text = graph.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True)
        data = json.loads(text)
        if isinstance(data.get("@graph"), list):  # a stable order, so that diffs between exports are small
            data["@graph"].sort(key=lambda node: node.get("@id", ""))
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise ValueError(f"unknown RDF format {format!r}; use one of {', '.join(FORMATS)}")
