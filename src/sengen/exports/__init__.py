"""Writers: a sengen/1 document (with its evaluations) → one output format each.

``FORMATS`` is the one list the ``sengen export`` command and the portal's download links share,
so a format added here is offered everywhere with the same name, file extension and media type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sengen.interchange import Document


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    label: tuple[str, str]  # (ja, en)
    write: Callable[..., bytes]
    binary: bool = False


def _json(document: Document, **_: Any) -> bytes:
    from sengen.interchange.jsonio import dumps

    return dumps(document).encode("utf-8")


def _csv(layout: str) -> Callable[..., bytes]:
    def write(
        document: Document, encoding: str = "utf-8", replace: bool = False, target: str = "CSV", **_: Any
    ) -> bytes:
        from sengen.catalog.evaluation import rules
        from sengen.exports.csv import write_csv

        chosen = (
            "cp932" if encoding.lower().replace("_", "-") in {"cp932", "shift-jis", "sjis"} else "utf-8-sig"
        )
        return write_csv(document, layout, chosen, replace, rules=rules(), target=target)

    return write


def _xlsx(document: Document, **_: Any) -> bytes:
    from sengen.exports.xlsx import write_xlsx

    return write_xlsx(document)


def _stratml(document: Document, **_: Any) -> bytes:
    from sengen.exports.stratml import write_stratml

    return write_stratml(document)


def _rdf(kind: str) -> Callable[..., bytes]:
    def write(document: Document, base_iri: str | None = None, **_: Any) -> bytes:
        from sengen.exports.rdf import DEFAULT_BASE, write_rdf

        return write_rdf(document, kind, base=base_iri or DEFAULT_BASE)

    return write


def _html(document: Document, lang: str = "ja", **_: Any) -> bytes:
    from sengen.catalog.evaluation import rules
    from sengen.exports.html_fragment import write_html_fragment

    return write_html_fragment(document, lang, rules()).encode("utf-8")


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("json", "json", "application/json", ("sengen/1 JSON", "sengen/1 JSON"), _json),
        Format(
            "csv", "csv", "text/csv", ("CSV（縦長：1行1値）", "CSV (long: one value per row)"), _csv("long")
        ),
        Format(
            "csv-wide",
            "wide.csv",
            "text/csv",
            ("CSV（掲載表の形）", "CSV (as the published table)"),
            _csv("wide"),
        ),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("Excel（XLSX）", "Excel (XLSX)"),
            _xlsx,
            binary=True,
        ),
        Format(
            "stratml",
            "stratml.xml",
            "application/xml",
            ("StratML Part 2（ISO 17469）", "StratML Part 2 (ISO 17469)"),
            _stratml,
        ),
        Format(
            "ttl", "ttl", "text/turtle", ("RDF Data Cube（Turtle）", "RDF Data Cube (Turtle)"), _rdf("turtle")
        ),
        Format(
            "jsonld",
            "jsonld",
            "application/ld+json",
            ("RDF Data Cube（JSON-LD）", "RDF Data Cube (JSON-LD)"),
            _rdf("json-ld"),
        ),
        Format("html", "html", "text/html", ("HTML（CMS 貼り付け用）", "HTML fragment (for a CMS)"), _html),
    ]
}
