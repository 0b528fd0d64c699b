"""The public portal in a real browser: what a resident sees, hears and can do with a keyboard or phone."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from sengen.ingest import read_bytes
from sengen.portal.management.commands.demo import demo_files
from tests.browser.support import SCREENSHOTS as SCREENSHOTS_DIR
from tests.browser.support import axe_violations, describe, screenshot

FY2020 = "令和2年度（2020年度）"
DECLARATION = "/2020/市民生活部/"
DECLARATION_URL_PATH = f"/2020/{quote('市民生活部')}/"
PAGES = [("index", "/"), ("declaration", DECLARATION)]

pytestmark = pytest.mark.browser  # SQLite pass only: `make test` excludes it from the PostgreSQL pass


def _indicator_names(fiscal_year: int, department: str) -> list[str]:
    for name, data in demo_files():
        for declaration in read_bytes(data, name).document.declarations:
            if declaration.fiscal_year == fiscal_year and declaration.department == department:
                return [indicator.name for indicator in declaration.indicators]
    raise AssertionError(f"no demo declaration for {fiscal_year} {department}")


def _open(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_is_japanese_shows_the_fiscal_year_and_passes_axe(page, name: str, path: str) -> None:
    _open(page, path)
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.get_by_role("heading", name=re.compile(re.escape(FY2020))).first).to_be_visible()
    screenshot(page, f"{name}-desktop")
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violation(s) on {path}:\n{describe(violations)}"


def test_declaration_page_without_javascript_shows_the_kpi_table(nojs_page) -> None:
    page = nojs_page
    _open(page, DECLARATION)
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FY2020} 市民生活部長の目標宣言")
    table = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="事業指標"))
    expect(table).to_be_visible()
    names = _indicator_names(2020, "市民生活部")
    expect(table.locator("tbody tr")).to_have_count(len(names))
    for indicator in names:
        expect(table.get_by_role("rowheader", name=indicator, exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name="10,554人", exact=False).first).to_be_visible()
    screenshot(page, "declaration-nojs")


def test_index_without_javascript_links_to_the_declaration(nojs_page) -> None:
    page = nojs_page
    _open(page, "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_role("region", name=FY2020).get_by_role("link", name="市民生活部", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(DECLARATION_URL_PATH) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FY2020} 市民生活部長の目標宣言")


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.textContent || '').trim(),
                href: el.getAttribute('href'),
                inMain: !!el.closest('#main'),
            };
        }"""
    )


def test_keyboard_skip_link_then_tab_through_the_declarations(page) -> None:
    _open(page, "/")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert (first["tag"], first["text"]) == ("a", "本文へ移動"), f"first Tab focused {first}"
    box = page.locator(":focus").bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"focused skip link is off screen: {box}"
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"]

    page.keyboard.press("Enter")
    expect(page.locator("#main:target")).to_have_count(1)
    assert page.evaluate("location.hash") == "#main"

    # Every declaration link in the main content, in page order; Tab from #main must reach each of
    # them without leaving the main content (form controls and other links may come between).
    expected = page.locator("#main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).filter(h => /^\\/\\d{4}\\/[^/]+\\/$/.test(h))"
    )
    assert DECLARATION_URL_PATH in expected, expected
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        now = _focused(page)
        assert now["inMain"], (
            f"Tab left the main content before reaching {expected}; reached {reached}: {now}"
        )
        if now["href"] in expected:
            reached.append(now["href"])
        if len(reached) == len(expected):
            break
    assert reached == expected


def test_click_through_from_the_index_to_the_declaration(page) -> None:
    _open(page, "/")
    link = page.get_by_role("region", name=FY2020).get_by_role("link", name="市民生活部", exact=True)
    link.click()
    expect(page).to_have_url(re.compile(re.escape(DECLARATION_URL_PATH) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FY2020} 市民生活部長の目標宣言")
    expect(page.get_by_role("rowheader", name="くらし安心メール登録者数", exact=True)).to_be_visible()


PHONE_PAGES = [
    ("index", "/"),
    ("declaration", DECLARATION),
    ("department", "/departments/市民生活部/"),
    ("indicator", "/indicators/17-101/くらし安心メール登録者数/"),
    ("search", "/search/?year=2020"),
]


@pytest.mark.parametrize(("name", "path"), PHONE_PAGES, ids=[name for name, _ in PHONE_PAGES])
def test_phone_viewport_has_no_horizontal_page_scroll(phone_page, name: str, path: str) -> None:
    page = phone_page
    _open(page, path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, f"{name}-phone")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"the page scrolls sideways on a 390px phone: {widths}"
    # A table wider than the screen must scroll inside its own wrapper, so every column stays reachable.
    unreachable = page.evaluate(
        """() => [...document.querySelectorAll('table')].filter(table => {
            if (table.scrollWidth <= document.documentElement.clientWidth) return false;
            for (let el = table.parentElement; el; el = el.parentElement) {
                if (['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) return false;
            }
            return true;
        }).map(table => (table.caption && table.caption.textContent) || table.outerHTML.slice(0, 80))"""
    )
    assert not unreachable, f"wide tables that neither fit nor scroll: {unreachable}"
    # Names stay readable: no KPI row header squeezed to a character or two per line.
    narrowest = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('table.kpi tbody th')].map(th => th.offsetWidth), 9999)"
    )
    assert narrowest >= 96, f"a KPI row header is only {narrowest}px wide on a phone"


def test_axe_harness_reports_real_violations(browser) -> None:
    """Guards the zero-violation tests above against passing vacuously (axe not loaded, no rules run)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<html><head><title>t</title></head><body><img src="x.png"></body></html>')
        ids = {v["id"] for v in axe_violations(page)}
    finally:
        context.close()
    assert {"html-has-lang", "image-alt"} <= ids, ids


# Every page type, in both languages: (name, path, language, text the page must show).
INDICATOR = "/indicators/17-101/くらし安心メール登録者数/"
EVERY_PAGE = [
    ("index", "/", "ja", "令和2年度（2020年度）"),
    ("declaration", DECLARATION, "ja", "令和2年度（2020年度） 市民生活部長の目標宣言"),
    ("department", "/departments/市民生活部/", "ja", "令和元年度（2019年度）"),
    ("indicator", INDICATOR, "ja", "計画期間の67%が経過し、進捗は60%です。"),
    ("search", "/search/?status=behind&year=2020", "ja", "条件に合う指標"),
    ("index-en", "/en/", "en", "FY2020 (Reiwa 2)"),
    ("declaration-en", "/en" + DECLARATION, "en", "FY2020 (Reiwa 2) goal declaration of the 市民生活部長"),
    ("department-en", "/en/departments/市民生活部/", "en", "Indicator status by fiscal year"),
    ("indicator-en", "/en" + INDICATOR, "en", "67% of the plan period has passed; progress is 60%."),
    ("search-en", "/en/search/?status=behind&year=2020", "en", "Matching indicators"),
]


@pytest.mark.parametrize(("name", "path", "lang", "text"), EVERY_PAGE, ids=[p[0] for p in EVERY_PAGE])
def test_every_page_type_in_both_languages_passes_axe(
    page, name: str, path: str, lang: str, text: str
) -> None:
    _open(page, path)
    assert page.locator("html").get_attribute("lang") == lang
    expect(page.locator("main")).to_contain_text(text)
    screenshot(page, f"all-{name}")
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violation(s) on {path}:\n{describe(violations)}"


def test_click_through_year_department_indicator(page) -> None:
    """A resident picks a year, then a department, then one indicator, and can switch language."""
    _open(page, "/")
    page.get_by_label("年度", exact=True).select_option("2019")
    page.get_by_role("button", name="表示").click()
    expect(page).to_have_url(re.compile(r"\?year=2019$"))
    page.get_by_role("link", name="環境部", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("令和元年度（2019年度） 環境部長の目標宣言")
    page.get_by_role("link", name="環境部の各年度の目標宣言").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("環境部")
    page.get_by_role("link", name="令和元年度（2019年度）", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("令和元年度（2019年度） 環境部長の目標宣言")
    page.get_by_role("link", name="リサイクル率", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("リサイクル率")
    expect(page.locator(".chart svg")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Status"))).to_be_visible()


def test_filters_narrow_the_results_and_the_url_can_be_shared(page) -> None:
    _open(page, "/search/")
    page.get_by_label("達成状況", exact=True).select_option("achieved")
    page.get_by_label("年度", exact=True).select_option("2020")
    page.get_by_role("button", name="検索").click()
    expect(page.get_by_role("heading", name="指標 2件")).to_be_visible()
    shared = page.url
    assert "status=achieved" in shared and "year=2020" in shared
    page.goto(shared)  # the same URL, opened again, gives the same answer
    expect(page.get_by_role("heading", name="指標 2件")).to_be_visible()
    page.get_by_label("キーワード").fill("相談")
    page.get_by_role("button", name="検索").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("消費生活相談件数")


def test_print_layout_puts_the_declaration_on_a4_without_site_chrome(page) -> None:
    _open(page, DECLARATION)
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden(), "site navigation is not printed"
    assert page.get_by_role("link", name="本文へ移動").is_hidden()
    kpi_width = page.evaluate("() => document.querySelector('table.kpi').getBoundingClientRect().width")
    body_width = page.evaluate("() => document.body.getBoundingClientRect().width")
    assert kpi_width <= body_width + 1, "the KPI table fits the printed page instead of scrolling"
    assert page.locator("table.kpi .spark").first.is_hidden(), "sparklines are left out on paper"
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (SCREENSHOTS_DIR / "declaration-print.pdf").write_bytes(pdf)
