"""The CMS-ready HTML fragment, checked on the demo data as a CMS editor would paste it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from sengen.core.figures import Figure, format_figure
from sengen.exports.html_fragment import write_html_fragment
from sengen.ingest import read_bytes
from sengen.interchange import Document
from sengen.interchange.evaluation import with_evaluations
from tests.catalog.factories import declaration, document

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class Outline(HTMLParser):
    """Collects tags, attributes and text, and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> Outline:
    outline = Outline()
    outline.feed(fragment)
    outline.close()
    assert outline.errors == [] and outline.stack == []
    return outline


@pytest.fixture(scope="module")
def demo() -> Document:
    from sengen.portal.management.commands.demo import demo_files

    docs = [read_bytes(data, name).document for name, data in demo_files()]
    return with_evaluations(Document(declarations=[d for doc in docs for d in doc.declarations]))


def test_demo_fragment_is_well_formed_and_has_no_page_scripts_or_styles(demo: Document) -> None:
    fragment = write_html_fragment(demo)
    outline = parse(fragment)
    tags = {tag for tag, _ in outline.tags}
    assert not tags & {"html", "head", "body", "h1", "script", "style", "link", "img", "iframe", "a"}
    assert all(
        "style" not in attrs and not any(k.startswith("on") for k in attrs) for _, attrs in outline.tags
    )
    assert "http" not in fragment and "src=" not in fragment
    assert [tag for tag, _ in outline.tags].count("article") == len(demo.declarations)
    assert [tag for tag, _ in outline.tags].count("h2") == len(demo.declarations)


def test_demo_fragment_has_every_indicator_and_figure_as_published(demo: Document) -> None:
    text = "".join(parse(write_html_fragment(demo)).text)
    for d in demo.declarations:
        assert d.head.title in text and d.message[0] in text
        for i in d.indicators:
            assert i.name in text and i.project.name in text
            for record in [i.baseline, *i.observations, *i.targets]:
                if record is not None:
                    figure = Figure(record.value, i.unit, record.qualifier, record.annotation)
                    assert format_figure(figure) in text
    assert "10,554人" in text


def test_kpi_table_is_accessible(demo: Document) -> None:
    d = demo.declarations[2]  # FY2020 市民生活部
    outline = parse(write_html_fragment(Document(declarations=[d])))
    assert ("caption", {}) in outline.tags
    headers = [attrs.get("scope") for tag, attrs in outline.tags if tag == "th"]
    assert headers.count("row") == len(d.indicators)
    assert headers.count("col") == 9
    text = "".join(outline.text)
    assert "平成30年度（2018年度）実績値" in text and "令和2年度（2020年度）目標値" in text
    assert "△ 遅れ" in text and "進捗 60%" in text  # icon and word, never colour alone


def test_headings_start_at_h2_and_nest(demo: Document) -> None:
    outline = parse(write_html_fragment(Document(declarations=demo.declarations[2:3])))
    headings = [tag for tag, _ in outline.tags if tag in {"h2", "h3", "h4"}]
    # message, roles, sections, policies (one h4 per policy), the KPI table
    assert headings == ["h2", "h3", "h3", "h3", "h3", *["h4"] * 5, "h3"]
    text = "".join(outline.text)
    assert "令和2年度（2020年度） 市民生活部長の目標宣言" in text
    assert "中期戦略事業プラン（計画期間: 平成30年度（2018年度）～令和2年度（2020年度））" in text
    assert "国籍を問わず暮らしやすい地域をつくります" in text


def test_ids_are_unique_across_declarations(demo: Document) -> None:
    outline = parse(write_html_fragment(demo))
    ids = [attrs["id"] for _, attrs in outline.tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    labelled = {attrs["aria-labelledby"] for _, attrs in outline.tags if "aria-labelledby" in attrs}
    assert labelled <= set(ids)


def test_text_is_escaped() -> None:
    d = declaration(message=['<script>alert("x")</script> & <b>'])
    fragment = write_html_fragment(document(d))
    assert "<script>" not in fragment and "&lt;script&gt;" in fragment and "&amp;" in fragment


def test_english_headings() -> None:
    fragment = write_html_fragment(with_evaluations(document(declaration())), lang="en")
    text = "".join(parse(fragment).text)
    assert "FY2020 (Reiwa 2) goal declaration of the 市民生活部長" in text
    assert "△ Behind" in text and "FY2018 (Reiwa 0) actual" not in text
    assert "FY2018 (Heisei 30) actual" in text
