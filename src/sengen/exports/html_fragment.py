"""A CMS-ready HTML fragment of each declaration (docs/csv.md, section HTML 断片).

Municipal web sites are run on a CMS whose editors paste HTML into a page body. The fragment is
made for that: no ``<html>``/``<head>``, headings starting at ``<h2>`` (the CMS page owns the
``<h1>``), one ``<article>`` per declaration with the message, roles, sections, policies and the KPI
table. The table is accessible: a caption, ``<th scope="col">`` headers, each indicator name as
``<th scope="row">``, figures as published (``10,554人``) and statuses as icon and word (``△ 遅れ``),
never colour alone. There are no scripts, no inline styles and no external references (no links,
images or fonts), so CMS sanitisers keep it intact and the page's own style sheet applies; ``class``
attributes (``sengen-…``) are there for sites that want to style it.
"""

from __future__ import annotations

from html import escape

from sengen.core.evaluation import DEFAULT_RULES, Rules, status_text
from sengen.core.messages import Lang
from sengen.core.wareki import fiscal_year_label
from sengen.exports.csv import KIND_WORDS, owners_text
from sengen.interchange import models as rec
from sengen.interchange.evaluation import percent_text
from sengen.interchange.table import figure_text, kpi_columns

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("{year} {head}の目標宣言", "{year} goal declaration of the {head}"),
    "message": ("部長メッセージ", "Message from the head"),
    "roles": ("部等の主な役割", "Main roles"),
    "sections": ("部等を構成する課等", "Sections"),
    "policies": ("部等の取組方針", "Policies"),
    "kpi_plan": (
        "{plan}（計画期間: {start}～{end}）「主な事業」の目標値",
        "{plan} ({start} to {end}): targets of the main projects",
    ),
    "kpi": ("主な事業の目標値", "Targets of the main projects"),
    "caption": ("事業指標と実績・目標", "Indicators, results and targets"),
    "number": ("事業番号", "Project no."),
    "project": ("主な事業", "Project"),
    "indicator": ("事業指標", "Indicator"),
    "baseline": ("当初水準", "Baseline"),
    "owners": ("所管課", "Responsible section"),
    "status": ("達成状況", "Status"),
    "progress": ("進捗", "Progress"),
    "actual": ("実績値", " actual"),
    "estimate": ("実績見込値", " estimate"),
    "target": ("目標値", " target"),
    "midyear": ("中間評価", "Mid-year self-evaluation"),
    "yearend": ("年度末評価", "Year-end self-evaluation"),
}


def _t(key: str, lang: Lang, **params: str) -> str:
    ja, en = _LABELS[key]
    return (en if lang == "en" else ja).format(**params)


def _figure(record: rec.Baseline | rec.Observation | rec.Target | None, unit: str | None) -> str:
    return escape(figure_text(record, unit))


def _section(ident: str, heading: str, body: str) -> str:
    return (
        f'<section class="sengen-part" aria-labelledby="{ident}">\n'
        f'<h3 id="{ident}">{escape(heading)}</h3>\n{body}</section>\n'
    )


def _kpi_table(d: rec.Declaration, lang: Lang, rules: Rules) -> str:
    columns = kpi_columns(d.indicators)
    kind_words = {kind: _t(kind, lang) for kind in KIND_WORDS if kind != "baseline"}
    head = "".join(
        f'<th scope="col">{escape(_t(key, lang))}</th>'
        for key in ("number", "project", "indicator", "baseline")
    )
    head += "".join(
        f'<th scope="col">{escape(fiscal_year_label(year, lang) + kind_words[kind])}</th>'
        for kind, year in columns
    )
    head += "".join(f'<th scope="col">{escape(_t(key, lang))}</th>' for key in ("owners", "status"))
    rows = []
    for i in d.indicators:
        baseline = _figure(i.baseline, i.unit)
        if i.baseline is not None and i.baseline.fiscal_year is not None and baseline:
            year = escape(fiscal_year_label(i.baseline.fiscal_year, lang))
            baseline += f"<br>（{year}）" if lang == "ja" else f"<br>({year})"
        cells = [
            f"<td>{escape(i.project.number)}</td>",
            f"<td>{escape(i.project.name)}</td>",
            f'<th scope="row">{escape(i.name)}</th>',
            f'<td class="sengen-num">{baseline}</td>',
        ]
        for kind, year in columns:
            if kind == "target":
                found = next((t for t in i.targets if t.fiscal_year == year), None)
            else:
                found = next((o for o in i.observations if (o.fiscal_year, o.kind) == (year, kind)), None)
            cells.append(f'<td class="sengen-num">{_figure(found, i.unit)}</td>')
        owners = owners_text(i.owners, " ")
        cells.append(f"<td>{escape(owners)}</td>")
        e = i.evaluation
        status = ""
        if e is not None:
            status = (
                f'<span class="sengen-status sengen-status-{e.status}">'
                f"{escape(status_text(e.status, lang, rules))}</span>"
            )
            if e.progress_rate is not None and e.status != "off_track":
                status += f"<br>{escape(_t('progress', lang))} {percent_text(e.progress_rate)}%"
        cells.append(f"<td>{status}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>\n")
    return (
        '<table class="sengen-kpi">\n'
        f"<caption>{escape(_t('caption', lang))}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
    )


def declaration_fragment(
    d: rec.Declaration, lang: Lang = "ja", rules: Rules = DEFAULT_RULES, ident: str = "sengen"
) -> str:
    """One declaration as an ``<article>``; ``ident`` prefixes its element ids (unique per page)."""
    title = _t("title", lang, year=fiscal_year_label(d.fiscal_year, lang), head=d.head.title)
    parts = [
        f'<article class="sengen-declaration" aria-labelledby="{ident}">\n<h2 id="{ident}">{escape(title)}</h2>\n'
    ]
    signed = escape(d.head.title + (f" {d.head.name}" if d.head.name else ""))
    message = f'<p class="sengen-head">{signed}</p>\n' + "".join(f"<p>{escape(p)}</p>\n" for p in d.message)
    parts.append(_section(f"{ident}-message", _t("message", lang), message))
    if d.roles:
        items = "".join(f"<li>{escape(r)}</li>\n" for r in d.roles)
        parts.append(_section(f"{ident}-roles", _t("roles", lang), f"<ul>\n{items}</ul>\n"))
    if d.sections:
        items = ""
        for s in d.sections:
            units = "".join(f"<li>{escape(u)}</li>" for u in s.units)
            items += f"<li>{escape(s.name)}" + (f"<ul>{units}</ul>" if units else "") + "</li>\n"
        parts.append(_section(f"{ident}-sections", _t("sections", lang), f"<ul>\n{items}</ul>\n"))
    if d.policies:
        items = ""
        for p in d.policies:
            body = "".join(f"<p>{escape(line)}</p>" for line in p.body.splitlines() if line.strip())
            evaluations = "".join(
                f"<p>{escape(_t(e.stage, lang))}: {escape(e.grade)}"
                + (f" {escape(e.comment)}" if e.comment else "")
                + "</p>"
                for e in p.evaluations
            )
            items += f'<li value="{p.number}"><h4>{escape(p.title)}</h4>{body}{evaluations}</li>\n'
        parts.append(_section(f"{ident}-policies", _t("policies", lang), f"<ol>\n{items}</ol>\n"))
    if d.indicators:
        if d.plan is not None:
            heading = _t(
                "kpi_plan",
                lang,
                plan=d.plan.name,
                start=fiscal_year_label(d.plan.start_year, lang),
                end=fiscal_year_label(d.plan.end_year, lang),
            )
        else:
            heading = _t("kpi", lang)
        notes = "".join(f"<p>{escape(n)}</p>\n" for n in d.notes)
        parts.append(_section(f"{ident}-kpi", heading, _kpi_table(d, lang, rules) + notes))
    parts.append("</article>\n")
    return "".join(parts)


def write_html_fragment(
    document: rec.Document, lang: Lang = "ja", rules: Rules = DEFAULT_RULES, id_prefix: str = "sengen"
) -> str:
    """Every declaration of the document as a CMS-ready fragment, one ``<article>`` each.

    Statuses are shown where the document carries evaluations (``evaluated_document``); ``rules``
    supplies the city's status words. Element ids are ``{id_prefix}-{year}-{n}…``.
    """
    return "\n".join(
        declaration_fragment(d, lang, rules, f"{id_prefix}-{d.fiscal_year}-{n}")
        for n, d in enumerate(document.declarations, start=1)
    )
