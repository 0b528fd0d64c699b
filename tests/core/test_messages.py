"""The message catalog: bilingual rendering, locations, language choice, error transport."""

from __future__ import annotations

import copy
import pickle

import pytest

from sengen.core.messages import (
    Location,
    Problem,
    SengenError,
    default_lang,
    has_errors,
    register,
    render,
)

register(
    {
        "test.sample": (
            "「{text}」は使えません。数字で書いてください。",
            'Cannot use "{text}". Write a number.',
        )
    }
)


def test_render_in_both_languages() -> None:
    assert render("test.sample", {"text": "多数"}) == "「多数」は使えません。数字で書いてください。"
    assert render("test.sample", {"text": "多数"}, "en") == 'Cannot use "多数". Write a number.'


def test_a_code_cannot_be_registered_twice_with_other_text() -> None:
    register(
        {
            "test.sample": (
                "「{text}」は使えません。数字で書いてください。",
                'Cannot use "{text}". Write a number.',
            )
        }
    )
    with pytest.raises(ValueError, match="registered twice"):
        register({"test.sample": ("別の文", "other")})


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "ja"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LC_MESSAGES": "C", "LANG": "en_US.UTF-8"}, "en"),
    ],
)
def test_default_language_follows_the_locale(environ: dict[str, str], lang: str) -> None:
    assert default_lang(environ) == lang


def test_default_language_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert default_lang() == "en"


def test_location_rendering() -> None:
    full = Location("page.txt", 23, 5, None, "平成30年度実績値")
    assert full.render("ja") == "page.txt 23行目 5列目（平成30年度実績値）"
    assert full.render("en") == "page.txt, line 23, column 5 (平成30年度実績値)"
    assert Location(cell="市民生活部!E7").render("ja") == "<入力> セル 市民生活部!E7"
    assert Location().render("en") == "<input>"


def test_problem_rendering_and_severity() -> None:
    error = Problem("test.sample", {"text": "x"}, Location("a.txt", 2))
    warning = Problem("test.sample", {"text": "x"}, Location("a.txt", 2), "warning")
    assert error.render("ja") == "a.txt 2行目: エラー: 「x」は使えません。数字で書いてください。"
    assert warning.render("en") == 'a.txt, line 2: warning: Cannot use "x". Write a number.'
    assert has_errors([warning, error]) and not has_errors([warning])


def test_errors_keep_code_and_params_when_copied() -> None:
    exc = SengenError("test.sample", text="多数")
    assert str(exc) == 'Cannot use "多数". Write a number.'
    for clone in (pickle.loads(pickle.dumps(exc)), copy.deepcopy(exc)):
        assert (clone.code, clone.params) == ("test.sample", {"text": "多数"})
        assert clone.message("ja") == exc.message("ja")
    problem = Problem.from_error(exc, Location("a.txt", 1), "warning")
    assert (problem.code, problem.params, problem.severity) == ("test.sample", {"text": "多数"}, "warning")


def test_unregistered_code_still_constructs() -> None:
    assert str(SengenError("not.registered")) == "not.registered"


def test_core_imports_no_django() -> None:
    """core/ is the part a reviewer reads alone: it must not pull Django in."""
    import subprocess
    import sys

    code = (
        "import sys, sengen.core.wareki, sengen.core.figures, sengen.core.text, sengen.core.messages;"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LC_ALL": "POSIX"}, "ja"),
        ({"SENGEN_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"SENGEN_LANG": "ja", "LANG": "en_US.UTF-8"}, "ja"),
    ],
)
def test_c_locale_says_nothing_and_lang_option_wins(environ: dict[str, str], lang: str) -> None:
    assert default_lang(environ) == lang
