from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sengen.core.text import html_to_items, label_part, normalize_space, strip_bullet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a  b ", "a b"),
        ("市民協働課\u3000\u3000交通防犯対策担当", "市民協働課 交通防犯対策担当"),
        ("a\tb\nc\r\nd", "a b c d"),
        ("a\u00a0b", "a b"),
        ("", ""),
        (" \u3000\t\n", ""),
        ("abc", "abc"),
    ],
)
def test_normalize_space(text: str, expected: str) -> None:
    assert normalize_space(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("・ 地域コミュニティ活動の支援", "地域コミュニティ活動の支援"),
        ("・x", "x"),
        ("･ x", "x"),
        ("• x", "x"),
        ("● x", "x"),
        ("○\u3000x", "x"),
        ("- x", "x"),
        (" ・ x ", "x"),
        ("-5%", "-5%"),  # a negative number, not a bullet
        ("-", "-"),
        ("・", ""),
        ("・・x", "・x"),  # only one bullet
        ("x・y", "x・y"),
        ("", ""),
    ],
)
def test_strip_bullet(text: str, expected: str) -> None:
    assert strip_bullet(text) == expected


@pytest.mark.parametrize(
    ("fragment", "items"),
    [
        ("<p>a</p> <p>b</p>", ["a", "b"]),
        (
            '<ul style="list-style-type: none"> <li>・ x</li> <li>・ y</li> </ul>',
            ["x", "y"],
        ),
        ("a<br>b<br/>c<BR />d", ["a", "b", "c", "d"]),
        ("<p>A &amp; B&nbsp;C</p>", ["A & B C"]),
        ("<p>&lt;注&gt; &#12354;</p>", ["<注> あ"]),
        ("<p>強調<b>された</b><span style='x'>文</span></p>", ["強調された文"]),
        ("<p>\n  改行\u3000と  空白 </p>", ["改行 と 空白"]),
        ("前文<ul><li>項目</li></ul>後文", ["前文", "項目", "後文"]),
        ("<p></p><p> </p><li>・</li>", []),
        ("<p>a<script>alert(1)</script>b</p><style>p {}</style>", ["ab"]),
        ("<div><p>入れ子</p></div>", ["入れ子"]),
        ("<li>- 項目</li><li>-5%</li>", ["項目", "-5%"]),
        ("</p>閉じタグだけ", ["閉じタグだけ"]),
        ("<table><tr><td>1</td><td>2</td></tr></table>", ["1", "2"]),
    ],
)
def test_html_to_items(fragment: str, items: list[str]) -> None:
    assert html_to_items(fragment) == items


@pytest.mark.parametrize(
    ("fragment", "items"),
    [
        ("市民協働課  交通防犯対策担当 ", ["市民協働課 交通防犯対策担当"]),
        ("・ 箇条書きでもタグがなければ一つ", ["・ 箇条書きでもタグがなければ一つ"]),
        ("一行目\n二行目", ["一行目 二行目"]),
        ("A &amp; B", ["A & B"]),
        ("a < b", ["a < b"]),
        ("", []),
        (" \u3000 ", []),
        ("<!-- コメント -->", []),
    ],
)
def test_text_without_tags_is_one_item(fragment: str, items: list[str]) -> None:
    assert html_to_items(fragment) == items


def test_message_cell_from_the_sample() -> None:
    cell = (
        "<p>ワンストップ窓口の円滑な運用を継続し、…努めます。</p> "
        "<p>交通安全や防犯対策を関係機関と連携し、…推進します。</p>"
    )
    assert html_to_items(cell) == [
        "ワンストップ窓口の円滑な運用を継続し、…努めます。",
        "交通安全や防犯対策を関係機関と連携し、…推進します。",
    ]


def check_items(fragment: str) -> None:
    for item in html_to_items(fragment):
        assert item
        assert item == normalize_space(item)


@given(st.text())
def test_html_to_items_never_fails_and_yields_clean_items(fragment: str) -> None:
    check_items(fragment)


@given(st.text(alphabet="<>/&;pliubr =\"'・ \u3000ax#0!-"))
def test_html_to_items_never_fails_on_tag_like_text(fragment: str) -> None:
    check_items(fragment)


@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), max_size=5))
def test_list_items_round_trip(items: list[str]) -> None:
    fragment = "<ul>" + "".join(f"<li>・ {item}</li>" for item in items) + "</ul>"
    assert html_to_items(fragment) == items


@pytest.mark.parametrize(
    ("label", "lang", "expected"),
    [
        ("作成中 / draft", "ja", "作成中"),
        ("作成中 / draft", "en", "draft"),
        ("作成中", "en", "作成中"),
        ("A 達成 / achieved", "en", "achieved"),
    ],
)
def test_label_part_picks_one_language_of_a_bilingual_label(label: str, lang: str, expected: str) -> None:
    assert label_part(label, lang) == expected
