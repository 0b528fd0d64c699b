"""The staff workspace in a real browser: an editor's figure travels through approval to the public page,
and every screen on the way reads well with a screen reader, a keyboard, a phone and without JavaScript.

Users sign in through the real sign-in form (django-axes is on; only correct passwords are typed here).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from sengen.catalog import models as m
from sengen.catalog import queries
from sengen.workspace import workflow
from sengen.workspace.models import Role
from tests.browser.conftest import DESKTOP
from tests.browser.support import axe_violations, describe, screenshot
from tests.workspace.conftest import CITIZENS, PASSWORD, make_user

pytestmark = pytest.mark.browser  # SQLite pass only: `make test` excludes it from the PostgreSQL pass

FY2020 = "令和2年度（2020年度）"
FY2019 = "令和元年度（2019年度）"
WORKSPACE = f"/workspace/2020/{CITIZENS}/"
PUBLIC = f"/2020/{CITIZENS}/"
MAIL = "くらし安心メール登録者数"  # 17-101, 人: 2019 estimate 13,217, target 15,000 (FY2020)
ACTUAL = "14,800"  # 12% above the estimate: more than the 10% that needs a reason
REASON = "年度末の登録キャンペーンで想定より増えたため"
# Whole labels: "値" alone would also match the 実績値 and 実績見込値 options.
YEAR_LABEL = re.compile("^年度$")
VALUE_LABEL = re.compile("^値$")
USERNAMES = {"admin": "kikaku", "approver": "bucho", "editor": "tanto"}


@pytest.fixture
def staff(demo_data) -> dict[str, object]:
    """The planning office admin and the approver and editor of 市民生活部."""
    return {
        "admin": make_user(USERNAMES["admin"], Role.ADMIN, is_staff=True),
        "approver": make_user(USERNAMES["approver"], Role.APPROVER),
        "editor": make_user(USERNAMES["editor"], Role.EDITOR),
    }


@pytest.fixture
def draft(staff):
    """A revision (draft) of the published FY2020 declaration of 市民生活部, made as the editor would."""
    return workflow.start_revision(staff["editor"], queries.declarations(2020, CITIZENS).get())


@pytest.fixture
def second_page(browser, live_server, staff) -> Iterator[object]:
    """A page in a browser context of its own: a second person at another desk."""
    context = browser.new_context(locale="ja-JP", viewport=DESKTOP, base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _open(page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, f"{path}: HTTP {response and response.status}"


def _no_axe_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found {len(violations)} violation(s) on {where}:\n{describe(violations)}"


def _sign_in(page, role: str) -> None:
    _open(page, "/workspace/login/")
    page.get_by_label("利用者名").fill(USERNAMES[role])
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="サインイン").click()
    expect(page.locator("header.site form.signout")).to_contain_text(USERNAMES[role])


def _sign_out(page) -> None:
    page.get_by_role("button", name="サインアウト").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("サインイン")
    expect(page.locator(".messages")).to_contain_text("サインアウトしました。")


def _kpi_row_link(page):
    return page.get_by_role("table").get_by_role("link", name=MAIL, exact=True)


def _open_kpi_row(page) -> None:
    _open(page, WORKSPACE)
    _kpi_row_link(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MAIL)


def _enter(page, year: str, kind: str, value: str, reason: str = "") -> None:
    """Fill the KPI row page's entry form (mouse-free but not keystroke by keystroke) and save it."""
    form = page.locator("form").filter(has=page.get_by_role("button", name="保存", exact=True))
    form.get_by_label(YEAR_LABEL).select_option(label=year)
    form.get_by_role("radio", name=kind, exact=True).check()
    form.get_by_label(VALUE_LABEL).fill(value)
    form.get_by_label("変更の理由").fill(reason)
    form.get_by_role("button", name="保存", exact=True).click()


# -- 1. the editor's main path ---------------------------------------------------------------------


def _tab_to(page, selector: str, limit: int = 30) -> None:
    """Press Tab until the element matching ``selector`` has the focus (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} Tab presses never reached {selector}")


def test_editor_enters_an_actual_and_it_reaches_the_public_page_after_approval(page, staff) -> None:
    _open(page, PUBLIC)
    assert _public_cell(page, MAIL, f"{FY2019}実績値") is None, "the 2019 actual is not public yet"

    # Sign in with the keyboard only: Tab to the name, type, Tab to the password, type, Enter.
    _open(page, "/workspace/")
    expect(page).to_have_url(re.compile(r"/workspace/login/\?next="))
    screenshot(page, "workspace-1-sign-in")
    _tab_to(page, "input[name=username]")
    page.keyboard.type(USERNAMES["editor"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("目標宣言の一覧")
    screenshot(page, "workspace-2-home")

    # The published declaration, opened from the list; a revision is started from it.
    page.get_by_role("table").filter(has_text=FY2020).get_by_role("link", name=CITIZENS, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FY2020} {CITIZENS}の目標宣言")
    screenshot(page, "workspace-3-published")
    page.get_by_role("button", name="改訂版を作成").click()
    expect(page.locator(".messages")).to_contain_text("改訂版を作成しました")
    expect(page.locator(".state .status")).to_have_text("作成中")
    screenshot(page, "workspace-4-draft")

    # The KPI row, as it stands on the 2019 estimate.
    _kpi_row_link(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MAIL)
    sentence, status = page.locator(".sentence"), page.locator("#evaluation-heading")
    expect(sentence).to_contain_text("見込み13,217人")
    expect(status).to_contain_text("遅れ")
    screenshot(page, "workspace-5-kpi-row")

    # An actual 12% above the estimate without a reason: refused, the reason field says why.
    _enter(page, FY2019, "実績値", ACTUAL)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("入力を確かめてください（保存していません）")
    reason = page.get_by_label("変更の理由")
    expect(reason).to_have_attribute("aria-invalid", "true")
    described = reason.get_attribute("aria-describedby") or ""
    error_text = " ".join(page.locator(f"[id='{i}']").inner_text() for i in described.split())
    assert "差の理由を入力してください" in error_text, (
        f"the reason field is not described by its error: {described}"
    )
    assert "実績値 14,800 は実績見込値 13,217 と 12.0% 違います" in error_text, error_text
    beside = page.locator(".field").filter(has=reason)  # the message sits in the field's own group
    expect(beside).to_contain_text("差の理由を入力してください")
    summary.get_by_role("link", name=re.compile("^変更の理由")).click()
    expect(reason).to_be_focused()
    expect(sentence).to_contain_text("見込み13,217人")  # nothing saved
    screenshot(page, "workspace-6-reason-required")

    # With the reason it is saved and the evaluation on the page follows the new actual.
    _enter(page, FY2019, "実績値", ACTUAL, REASON)
    expect(page.locator(".messages")).to_contain_text(f"{FY2019}の実績値を保存しました。")
    expect(sentence).to_contain_text(f"実績{ACTUAL}人")
    expect(sentence).not_to_contain_text("見込み13,217人")
    expect(status).to_contain_text("順調")
    expect(page.get_by_role("row").filter(has_text="実績値").filter(has_text=FY2019)).to_contain_text(
        f"{ACTUAL}人"
    )
    screenshot(page, "workspace-7-saved")

    # Back on the declaration: submitted for approval, then signed out.
    page.get_by_role("link", name=re.compile(re.escape(f"{FY2020} {CITIZENS}"))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FY2020} {CITIZENS}の目標宣言")
    page.get_by_role("button", name=re.compile("^提出する")).click()
    expect(page.locator(".messages")).to_contain_text("提出しました。")
    expect(page.locator(".state .status")).to_have_text("承認待ち")
    screenshot(page, "workspace-8-submitted")
    _sign_out(page)

    # The approver finds it waiting on the home page and approves it.
    _sign_in(page, "approver")
    page.get_by_role("region", name="対応が必要なもの").get_by_role("link", name=re.compile(CITIZENS)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FY2020} {CITIZENS}の目標宣言")
    screenshot(page, "workspace-9-to-approve")
    page.get_by_role("button", name="承認する").click()
    expect(page.locator(".messages")).to_contain_text("承認しました。")
    expect(page.locator(".state .status")).to_have_text("公開待ち")
    _sign_out(page)

    # The planning office publishes it.
    _sign_in(page, "admin")
    page.get_by_role("region", name="対応が必要なもの").get_by_role("link", name=re.compile(CITIZENS)).click()
    page.get_by_role("button", name="公開する").click()
    expect(page.locator(".messages")).to_contain_text("公開しました。")
    expect(page.locator(".state .status")).to_have_text("公開中")
    screenshot(page, "workspace-10-published")

    # The public page now shows the editor's figure in the 2019 actual column, formatted as the
    # portal formats figures (the published FY2020 table had no 2019 actual column before).
    _open(page, PUBLIC)
    expect(page.locator("table.kpi")).to_be_visible()
    assert _public_cell(page, MAIL, f"{FY2019}実績値") == f"{ACTUAL}人"
    assert _public_cell(page, MAIL, f"{FY2019}実績見込値") == "13,217人"
    screenshot(page, "workspace-11-public")


def _public_cell(page, indicator: str, column: str) -> str:
    """The text of the portal KPI table's cell in ``indicator``'s row and the column headed ``column``."""
    return page.evaluate(
        """([indicator, column]) => {
            const table = document.querySelector('table.kpi');
            const index = [...table.tHead.rows[0].cells].findIndex(th => th.textContent.trim() === column);
            const row = [...table.tBodies[0].rows].find(
                tr => tr.querySelector('th[scope=row]').textContent.trim() === indicator);
            return index < 0 || !row ? null : row.cells[index].textContent.trim();
        }""",
        [indicator, column],
    )


# -- 2. axe-core on every kind of workspace screen -------------------------------------------------


def test_sign_in_page_passes_axe_in_both_languages(page, staff) -> None:
    _open(page, "/workspace/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.get_by_role("heading", level=1)).to_have_text("サインイン")
    _no_axe_violations(page, "the sign-in page")
    _open(page, "/en/workspace/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "workspace-sign-in-en")
    _no_axe_violations(page, "the English sign-in page")


def _home(page) -> None:
    _open(page, "/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("目標宣言の一覧")


def _declaration(page) -> None:
    _open(page, WORKSPACE)
    expect(page.locator(".state .status")).to_have_text("作成中")
    expect(page.get_by_role("button", name=re.compile("^提出する"))).to_be_visible()


def _declaration_en(page) -> None:
    _open(page, "/en" + WORKSPACE)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_contain_text("FY2020 (Reiwa 2)")
    expect(page.locator(".state form.step button").first).to_be_visible()


def _kpi_row(page) -> None:
    _open_kpi_row(page)
    expect(page.get_by_role("button", name="保存", exact=True)).to_be_visible()


def _form_with_errors(page) -> None:
    _open_kpi_row(page)
    _enter(page, FY2019, "実績値", "13,300.5")  # a count of people with decimals
    expect(page.get_by_role("alert")).to_contain_text("入力を確かめてください")
    expect(page.get_by_label(VALUE_LABEL)).to_have_attribute("aria-invalid", "true")


def _audit(page) -> None:
    _open(page, "/workspace/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("変更履歴（監査記録）")
    expect(page.get_by_role("table")).to_contain_text(CITIZENS)


SCREENS: list[tuple[str, Callable]] = [
    ("home", _home),
    ("declaration", _declaration),
    ("declaration-en", _declaration_en),
    ("kpi-row", _kpi_row),
    ("form-errors", _form_with_errors),
    ("audit", _audit),
]


@pytest.mark.parametrize(("name", "show"), SCREENS, ids=[name for name, _ in SCREENS])
def test_workspace_screen_passes_axe(page, draft, name: str, show: Callable) -> None:
    _sign_in(page, "editor")
    show(page)
    screenshot(page, f"workspace-axe-{name}")
    _no_axe_violations(page, f"the workspace {name} screen ({page.url})")


def test_conflict_page_passes_axe(page, second_page, draft) -> None:
    """Two editors open the same 2019 estimate; the second to save gets the conflict page."""
    # The hidden part of the link's name is absolutely positioned, so Chromium puts a space before it.
    edit_link = re.compile(r"^編集\s*" + re.escape(f"（{FY2019}実績見込値）"))
    for desk in (page, second_page):
        _sign_in(desk, "editor")
        _open_kpi_row(desk)
        desk.get_by_role("link", name=edit_link).click()
        expect(desk.get_by_label(VALUE_LABEL)).to_have_value("13,217人")

    second_page.get_by_label(VALUE_LABEL).fill("13,300")
    second_page.get_by_role("button", name="保存する").click()
    expect(second_page.locator(".messages")).to_contain_text("値を保存しました。")

    page.get_by_label(VALUE_LABEL).fill("13,400")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="保存する").click()
    assert answer.value.status == 409
    expect(page.get_by_role("heading", level=1)).to_contain_text("ほかの人が先に変更しています")
    expect(page.get_by_role("table")).to_contain_text("13,400")
    screenshot(page, "workspace-axe-conflict")
    _no_axe_violations(page, "the conflict page")


PHONE_SCREENS = [("declaration", lambda page: _open(page, WORKSPACE)), ("kpi-row", _open_kpi_row)]


@pytest.mark.parametrize(("name", "show"), PHONE_SCREENS, ids=[name for name, _ in PHONE_SCREENS])
def test_phone_width_does_not_scroll_the_page_sideways(phone_page, draft, name: str, show: Callable) -> None:
    page = phone_page
    _sign_in(page, "editor")
    show(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, f"workspace-{name}-phone")
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], f"the page scrolls sideways on a 390px phone: {widths}"
    # As on the portal: a table wider than the screen scrolls inside its own wrapper.
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


# -- 3. without JavaScript -------------------------------------------------------------------------


def test_without_javascript_the_editor_enters_a_figure_and_submits(nojs_page, staff) -> None:
    page = nojs_page
    _sign_in(page, "editor")
    _open(page, WORKSPACE)
    page.get_by_role("button", name="改訂版を作成").click()
    expect(page.locator(".state .status")).to_have_text("作成中")
    _kpi_row_link(page).click()
    _enter(page, FY2020, "実績見込値", "約14,000")
    expect(page.locator(".messages")).to_contain_text(f"{FY2020}の実績見込値を保存しました。")
    expect(page.get_by_role("row").filter(has_text="実績見込値").filter(has_text=FY2020)).to_contain_text(
        "約14,000人"
    )
    page.get_by_role("link", name=re.compile(re.escape(f"{FY2020} {CITIZENS}"))).click()
    page.get_by_role("button", name=re.compile("^提出する")).click()
    expect(page.locator(".messages")).to_contain_text("提出しました。")
    expect(page.locator(".state .status")).to_have_text("承認待ち")
    screenshot(page, "workspace-nojs-submitted")
    working = workflow.working_copy(m.Department.objects.get(name=CITIZENS), 2020)
    assert working is not None and working.status == "submitted"
    row = working.kpi_rows.get(indicator__name=MAIL)
    assert row.observations.filter(fiscal_year=2020, kind="estimate", qualifier="約").exists()


# -- 4. keyboard -----------------------------------------------------------------------------------


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, draft) -> None:
    _sign_in(page, "editor")
    _open(page, WORKSPACE)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.textContent.trim()]"
    )
    assert focused == ["A", "本文へ移動"], f"first Tab focused {focused}"
    box = page.locator(":focus").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"focused skip link is off screen: {box}"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#main')"), "the next Tab stays in main"


FOCUS_STYLE = """el => {
    const s = getComputedStyle(el);
    return {outline: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
                ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow};
}"""
# The buttons each role must find on the FY2020 draft of 市民生活部 (besides any others).
BUTTONS = {
    "editor": {"サインアウト", "提出する（承認を依頼する）", "翌年度の目標宣言を作成"},
    "approver": {"サインアウト", "承認する", "差し戻す"},
}


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_every_button_on_the_declaration_is_reached_by_tab_and_shows_focus(
    page, staff, draft, role: str
) -> None:
    if role == "approver":  # a submitted draft: the approver's approve and return buttons
        workflow.take_step(staff["editor"], draft, "submit", "")
    _sign_in(page, role)
    _open(page, WORKSPACE)
    # Every visible button, with how it looks before it has the focus.
    buttons = page.evaluate(
        f"""() => {{
            window.__buttons = [...document.querySelectorAll('button')].filter(b => b.offsetParent);
            return window.__buttons.map(b => ({{name: b.textContent.trim(), style: ({FOCUS_STYLE})(b)}}));
        }}"""
    )
    names = [b["name"] for b in buttons]
    assert BUTTONS[role] <= set(names), f"{role} sees the buttons {names}"

    reached: dict[int, dict] = {}
    for _ in range(200):
        page.keyboard.press("Tab")
        index = page.evaluate("() => window.__buttons.indexOf(document.activeElement)")
        if index >= 0 and index not in reached:
            reached[index] = page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")
        if len(reached) == len(buttons):
            break
    missing = [names[i] for i in range(len(buttons)) if i not in reached]
    assert not missing, f"Tab never reached: {missing}"
    invisible = [
        names[i]
        for i, style in reached.items()
        if style == buttons[i]["style"] or style == {"outline": "none", "shadow": "none"}
    ]
    assert not invisible, f"no visible focus indicator on: {invisible}"
    screenshot(page, f"workspace-focus-{role}")
