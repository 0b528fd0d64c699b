"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

The browser is the system's Chromium (`apt-get install chromium`), never a downloaded build.
SENGEN_CHROMIUM overrides its path (e.g. SENGEN_CHROMIUM=/nonexistent to check the missing-browser
behaviour). Under CI=true a missing Chromium fails every browser test; elsewhere they skip with a
one-line reason. axe-core comes from the axe-playwright-python wheel (its bundled axe.min.js) and is
injected from that local file.

These tests run in the SQLite pass of `make test` only: they carry the `browser` marker, which the
PostgreSQL pass excludes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sengen.catalog.loader import load
from sengen.ingest import read_bytes
from sengen.portal.management.commands.demo import demo_files

CHROMIUM = os.environ.get("SENGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests and run them last (see `browser` for why)."""
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(item.fspath).parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if item not in ours] + ours


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[object]:
    """One Chromium for the session.

    Playwright's sync API marks its asyncio loop as running in this thread for as long as it is
    started, and Django then refuses ordinary ORM calls (loading data, flushing the test database)
    as "async unsafe". The test database is therefore created before Playwright starts, the browser
    tests run after all others, and DJANGO_ALLOW_ASYNC_UNSAFE is set only while Playwright runs.
    """
    if not Path(CHROMIUM).is_file() or not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if _in_ci():
            pytest.fail(f"CI=true requires Chromium: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def demo_data(transactional_db) -> None:
    """The project's demo declarations, through the real reader and loader."""
    results = [read_bytes(data, name) for name, data in demo_files()]
    for result in results:
        assert result.ok, [str(p) for p in result.problems]
    load([r.document for r in results])


def _context(browser, **options):
    context = browser.new_context(locale="ja-JP", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser, live_server, demo_data) -> Iterator[object]:
    context = _context(browser, viewport=DESKTOP, base_url=live_server.url)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone_page(browser, live_server, demo_data) -> Iterator[object]:
    context = _context(
        browser,
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def nojs_page(browser, live_server, demo_data) -> Iterator[object]:
    context = _context(browser, viewport=DESKTOP, java_script_enabled=False, base_url=live_server.url)
    try:
        yield context.new_page()
    finally:
        context.close()
