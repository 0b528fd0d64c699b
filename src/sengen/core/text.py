"""Cleaning the text of published cells: whitespace, bullets and the HTML fragments cells may hold."""

from __future__ import annotations

from html.parser import HTMLParser

#: Characters that start a list item as a bullet. A hyphen counts only when followed by a space,
#: since ``-5%`` is a negative number, not a bullet.
BULLETS = ("・", "･", "•", "●", "○")

#: Tags that end one item and start the next; every other tag is removed and its text kept.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "li", "ol", "p", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
#: Tags whose content is not text of the cell.
_DROPPED_TAGS = frozenset({"script", "style"})


def label_part(label: object, lang: str = "ja") -> str:
    """One language of a bilingual label written "日本語 / English" (the project's choice labels);
    the Japanese half when English is asked for but missing."""
    ja, _sep, en = str(label).partition(" / ")
    return en if lang == "en" and en else ja


def normalize_space(text: str) -> str:
    """Trim, and collapse every run of whitespace (U+3000, tabs, newlines …) into one ASCII space."""
    return " ".join(text.split())


def strip_bullet(text: str) -> str:
    """Remove one leading bullet (``・ x`` → ``x``) and surrounding whitespace."""
    text = text.strip()
    if text.startswith(BULLETS):
        return text[1:].lstrip()
    if text[:1] == "-" and text[1:2].isspace():
        return text[2:].lstrip()
    return text


class _ItemParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []
        self.saw_tag = False
        self._text: list[str] = []
        self._dropping = 0

    def _flush(self) -> None:
        item = strip_bullet(normalize_space("".join(self._text)))
        self._text.clear()
        if item:
            self.items.append(item)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.saw_tag = True
        if tag in _DROPPED_TAGS:
            self._dropping += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        self.saw_tag = True
        if tag in _DROPPED_TAGS:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._text.append(data)


def html_to_items(fragment: str) -> list[str]:
    """Split a cell into its items: paragraphs, list items and ``<br>``-separated lines.

    ``<p>a</p> <p>b</p>`` → ``["a", "b"]``; ``<ul><li>・ x</li><li>・ y</li></ul>`` → ``["x", "y"]``.
    Entities are unescaped and other tags removed. Text without tags is one item, as written.
    """
    parser = _ItemParser()
    parser.feed(fragment)
    parser.close()
    if not parser.saw_tag:
        whole = normalize_space("".join(parser._text))
        return [whole] if whole else []
    parser._flush()
    return parser.items
