"""The RDF Data Cube export: a well-formed cube (the W3C integrity constraints hold), every published
figure exactly once, Turtle and JSON-LD saying the same thing, and the city's own base IRI."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from sengen.exports.rdf import DEFAULT_BASE, QB, SDMX_MEASURE, build_graph, write_rdf
from sengen.interchange import models as rec
from tests.exports_std import datacube_ic

SENGEN = Namespace(DEFAULT_BASE + "def/")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def demo_document() -> rec.Document:
    from sengen.ingest import read_bytes
    from sengen.portal.management.commands.demo import demo_files

    return rec.Document(
        declarations=[d for name, data in demo_files() for d in read_bytes(data, name).document.declarations]
    )


@pytest.fixture(scope="module")
def demo() -> rec.Document:
    return demo_document()


@pytest.fixture(scope="module")
def cube(demo) -> Graph:
    return Graph().parse(data=write_rdf(demo), format="turtle")


def published_figures(document: rec.Document):
    """(department, declaration year, project number, indicator, fiscal year, kind, value) of every
    figure published with a value and a year."""
    for d in document.declarations:
        for i in d.indicators:
            figures = [("baseline", i.baseline)] if i.baseline else []
            figures += [(o.kind, o) for o in i.observations] + [("target", t) for t in i.targets]
            for kind, f in figures:
                if f.fiscal_year is not None and f.value is not None:
                    yield d.department, d.fiscal_year, i.project.number, i.name, f.fiscal_year, kind, f.value


def test_the_checks_cover_every_integrity_constraint_of_the_recommendation():
    numbers = {name.split()[0] for name in datacube_ic.constraint_names()}
    assert numbers == {f"IC-{n}" for n in range(1, 22)}


def test_the_demo_export_is_a_well_formed_data_cube(cube):
    # IC-12 compares every pair of observations; it runs per declaration in the next test.
    assert datacube_ic.violations(cube, skip=("IC-12",)) == []


def test_no_two_observations_share_all_dimension_values(demo):
    # Observations of different declarations differ in department or declaration year, so checking
    # each declaration's cube on its own covers the whole export (and keeps IC-12 fast).
    for declaration in demo.declarations:
        graph = build_graph(rec.Document(declarations=[declaration]))
        assert datacube_ic.violations(graph) == [], (declaration.department, declaration.fiscal_year)


def test_every_published_figure_is_one_observation_with_its_exact_value(demo, cube):
    rows = cube.query(
        """
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX sengen: <https://example.jp/sengen/def/>
        SELECT ?department ?declared ?number ?name ?year ?kind ?value WHERE {
            ?obs a qb:Observation ;
                 sengen:department/skos:prefLabel ?department ;
                 sengen:declarationYear/skos:notation ?declared ;
                 sengen:indicator ?indicator ;
                 sengen:fiscalYear/skos:notation ?year ;
                 sengen:valueKind/skos:notation ?kind ;
                 sdmx-measure:obsValue ?value .
            ?indicator skos:prefLabel ?name ; sengen:projectNumber ?number .
        }"""
    )
    exported = sorted(
        (str(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5]), Decimal(str(r[6]))) for r in rows
    )
    expected = sorted(published_figures(demo))
    assert len(expected) > 100
    assert exported == expected
    assert (
        "環境部",
        2020,
        "26-102",
        "特別緑地保全地区等の指定面積",
        2019,
        "estimate",
        Decimal("5.6"),
    ) in exported


def test_a_figure_published_as_not_reported_has_no_observation(demo, cube):
    # 環境部 FY2019: the FY2017 actual of 24-102 was published as — (not reported).
    declaration = next(d for d in demo.declarations if (d.department, d.fiscal_year) == ("環境部", 2019))
    indicator = next(i for i in declaration.indicators if i.project.number == "24-102")
    assert [o.value for o in indicator.observations if o.fiscal_year == 2017] == [None]
    observations = {str(s) for s in cube.subjects(RDF.type, QB.Observation)}
    assert not [iri for iri in observations if "/2019/24-102/" in iri and iri.endswith("/2017/actual")]
    assert [iri for iri in observations if "/2019/24-102/" in iri and iri.endswith("/2018/estimate")]


def test_annotations_units_and_target_years_are_attributes(cube):
    # 市民生活部 FY2020, 17-102: target 17箇所 for FY2020 (2箇所 more), set in FY2017.
    obs = next(
        s
        for s in cube.subjects(RDF.type, QB.Observation)
        if "/2020/17-102/" in str(s) and str(s).endswith("/2020/target")
    )
    sdmx_attribute = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
    assert cube.value(obs, sdmx_attribute.unitMeasure) == Literal("箇所")
    assert cube.value(obs, SENGEN.annotation) == Literal("2箇所")
    assert cube.value(obs, SENGEN.targetSetIn) == URIRef(DEFAULT_BASE + "code/fiscal-year/2017")
    assert cube.value(obs, SDMX_MEASURE.obsValue).toPython() == Decimal(17)


def test_fiscal_years_carry_both_calendars(cube):
    year = URIRef(DEFAULT_BASE + "code/fiscal-year/2020")
    labels = {
        str(label) for label in cube.objects(year, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
    }
    assert "令和2年度（2020年度）" in labels
    assert "FY2020 (Reiwa 2)" in labels


def decimals_by_value(graph: Graph) -> Graph:
    """``graph`` with every xsd:decimal in one lexical form: Turtle writes 10554 as 10554.0."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD_DECIMAL:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD_DECIMAL)
        result.add((s, p, o))
    return result


def test_json_ld_and_turtle_hold_the_same_graph_and_need_no_network(demo, cube):
    data = write_rdf(demo, "json-ld")
    assert data.decode("utf-8").lstrip().startswith("{")
    # The context is inline: parsing must not fetch anything (there is no network in the tests).
    from_json_ld = Graph().parse(data=data, format="json-ld")
    assert isomorphic(from_json_ld, build_graph(demo))
    assert isomorphic(decimals_by_value(from_json_ld), decimals_by_value(cube))


def test_a_city_sets_its_own_base_iri(demo):
    base = "https://opendata.city.example.lg.jp/sengen/"
    graph = Graph().parse(data=write_rdf(demo, base=base), format="turtle")
    ours = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    assert not [iri for iri in ours if iri.startswith(DEFAULT_BASE)]
    assert URIRef(base + "dataset/indicators") in set(graph.subjects(RDF.type, QB.DataSet))
    assert datacube_ic.violations(graph, skip=("IC-12",)) == []


def test_the_export_is_deterministic(demo):
    assert write_rdf(demo) == write_rdf(demo)
    assert write_rdf(demo, "json-ld") == write_rdf(demo, "json-ld")


def test_an_unknown_format_is_refused(demo):
    with pytest.raises(ValueError, match="turtle"):
        write_rdf(demo, "rdf/xml")  # type: ignore[arg-type]


# --- the checks can fail ---------------------------------------------------------------------------


def one_declaration(demo) -> Graph:
    declaration = next(d for d in demo.declarations if (d.department, d.fiscal_year) == ("環境部", 2020))
    return build_graph(rec.Document(declarations=[declaration]))


def test_an_observation_without_its_fiscal_year_breaks_ic_11(demo):
    graph = one_declaration(demo)
    obs = next(iter(graph.subjects(RDF.type, QB.Observation)))
    graph.remove((obs, SENGEN.fiscalYear, None))
    assert datacube_ic.violations(graph) == ["IC-11 All dimensions required"]


def test_a_repeated_observation_breaks_ic_12(demo):
    graph = one_declaration(demo)
    obs = next(iter(graph.subjects(RDF.type, QB.Observation)))
    copy = URIRef(str(obs) + "-again")
    for _, p, o in list(graph.triples((obs, None, None))):
        graph.add((copy, p, o))
    assert datacube_ic.violations(graph) == ["IC-12 No duplicate observations"]


def test_a_measure_dimension_would_break_ic_17_which_is_why_the_kind_is_a_dimension(demo):
    """The same figures with qb:measureType and one measure per kind: no point has all four kinds."""
    graph = one_declaration(demo)
    structure = URIRef(DEFAULT_BASE + "structure/indicators")
    kind_spec = URIRef(f"{structure}/component/value-kind")
    value_spec = URIRef(f"{structure}/component/value")
    graph.remove((kind_spec, QB.dimension, SENGEN.valueKind))
    graph.add((kind_spec, QB.dimension, QB.measureType))
    graph.add((QB.measureType, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), QB.MeasureProperty))
    graph.remove((structure, QB.component, value_spec))
    for kind in ("baseline", "actual", "estimate", "target"):
        spec = URIRef(f"{structure}/component/{kind}")
        graph.add((structure, QB.component, spec))
        graph.add((spec, QB.measure, SENGEN[kind]))
    for obs in list(graph.subjects(RDF.type, QB.Observation)):
        kind = str(graph.value(obs, SENGEN.valueKind)).rsplit("/", 1)[-1]
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        graph.remove((obs, SENGEN.valueKind, None))
        graph.remove((obs, SDMX_MEASURE.obsValue, None))
        graph.add((obs, QB.measureType, SENGEN[kind]))
        graph.add((obs, SENGEN[kind], value))
    assert datacube_ic.violations(graph) == ["IC-17 All measures present in measures dimension cube"]


@pytest.mark.django_db
def test_the_export_from_the_database_is_the_same_cube(demo):
    from sengen.catalog import queries
    from sengen.catalog.evaluation import evaluated_document
    from sengen.catalog.loader import load
    from sengen.ingest import read_bytes
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])
    from_database = evaluated_document(queries.declarations())
    assert write_rdf(from_database) == write_rdf(demo)
