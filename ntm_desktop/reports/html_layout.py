"""A ReportDocument as simple HTML, for the in-app preview and printing through Qt's text engine.

The PDF is the document of record; this rendering shows the same content in
the same order (header, title, tables with repeated headers, signature) with
the markup Qt's rich-text engine understands.
"""

from __future__ import annotations

from html import escape

from ntm_desktop.reports.document import (
    HANDWRITTEN_NAME, GroupHeading, Heading, Paragraph, ReportDocument, Table, TotalRow, signer_name_line,
    vn_place_date,
)
from ntm_desktop.reports.pdf_layout import format_cell
from ntm_desktop.text import nfc

PREVIEW_ROWS = 2000  # a preview shows the first rows of a very long register
REPORT_FAMILY = "Liberation Serif"  # the font shipped with the app, metric-compatible with Times New Roman
BODY_PT, TABLE_PT = 13, 11  # as in the PDF


def _e(text: str) -> str:
    return escape(nfc(text)).replace("\n", "<br/>")


def _header(doc: ReportDocument) -> str:
    p = doc.profile
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="42%" align="center">{_e(p.parent_name.upper())}<br/><b>{_e(p.office_name.upper())}</b>'
        f'<br/>———<br/>{_e(p.number_line(doc.number))}</td>'
        '<td width="58%" align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/>'
        '<b><u>Độc lập - Tự do - Hạnh phúc</u></b><br/><br/>'
        f'<i>{_e(vn_place_date(p.place_name, doc.issue_date))}</i></td></tr></table>'
    )


def _table(table: Table) -> str:
    cols = len(table.columns)
    total = sum(c.width_mm for c in table.columns) or 1
    head = "".join(f'<th bgcolor="#f0f0f0" width="{round(100 * c.width_mm / total)}%">{_e(c.title)}</th>'
                   for c in table.columns)
    numbers = "".join(f"<th>({i})</th>" for i in range(1, cols + 1)) if table.numbered_header else ""
    parts = [
        f'<table width="100%" border="1" cellspacing="0" cellpadding="3" '
        f'style="border-collapse: collapse; font-size: {min(TABLE_PT, table.font_size):g}pt;">',
        f"<thead><tr>{head}</tr>" + (f"<tr>{numbers}</tr>" if numbers else "") + "</thead>",
    ]
    if not table.rows:
        parts.append(f'<tr><td colspan="{cols}"><i>{_e(table.empty_text)}</i></td></tr>')
    shown = table.rows[:PREVIEW_ROWS]
    for row in shown:
        if isinstance(row, GroupHeading):
            parts.append(f'<tr><td colspan="{cols}"><b>{_e(row.text)}</b></td></tr>')
            continue
        cells, bold = (row.cells, True) if isinstance(row, TotalRow) else (row, False)
        tds = []
        for value, column in zip(cells, table.columns):
            text = _e(format_cell(value, column))
            align = "left" if column.kind == "text" and not isinstance(value, (int, float)) else "center"
            keep = "" if column.kind == "text" else ' style="white-space: nowrap"'  # "31/12/2026" on one line
            tds.append(f'<td align="{align}" valign="top"{keep}>{"<b>" + text + "</b>" if bold else text}</td>')
        parts.append(f"<tr>{''.join(tds)}</tr>")
    if len(table.rows) > PREVIEW_ROWS:
        parts.append(f'<tr><td colspan="{cols}"><i>… còn {len(table.rows) - PREVIEW_ROWS} dòng nữa '
                     "(có đủ trong tệp PDF/Excel).</i></td></tr>")
    parts.append("</table>")
    return "".join(parts)


def _signature(doc: ReportDocument) -> str:
    p = doc.profile
    recipients = "<br/>".join(_e(line) for line in p.recipient_lines())
    sign = "<br/>".join(f"<b>{_e(x.upper())}</b>" for x in (p.signing_form, p.signer_title) if x)
    name = signer_name_line(p)
    name = _e(name) if name == HANDWRITTEN_NAME else f"<b>{_e(name)}</b>"
    return (
        '<br/><table width="100%"><tr>'
        f'<td width="50%" valign="top"><b><i>Nơi nhận:</i></b><br/><span style="font-size: 11pt">{recipients}</span></td>'
        f'<td width="50%" align="center" valign="top">{sign}<br/><br/><br/><br/>{name}</td>'
        "</tr></table>"
    )


def render_html(doc: ReportDocument, family: str = REPORT_FAMILY) -> str:
    """The document as HTML in `family` (the name the font was registered under), falling back to Times."""
    body: list[str] = []
    if doc.cover:
        body.append(f'<p align="center">{_e(doc.profile.parent_name.upper())}<br/>'
                    f'<b>{_e(doc.profile.office_name.upper())}</b></p>')
    if doc.official_header:
        body.append(_header(doc))
    body.append(f'<p align="center" style="font-size: 14pt"><b>{_e(doc.title.upper())}</b></p>')
    if doc.subtitle:
        body.append(f'<p align="center"><i>{_e(doc.subtitle)}</i></p>')
    if doc.addressee:
        body.append(f'<p align="center">{_e(doc.addressee)}</p>')
    for block in doc.blocks:
        if isinstance(block, Heading):
            body.append(f"<p><b>{_e(block.text)}</b></p>")
        elif isinstance(block, Paragraph):
            body.append(f'<p align="justify">{"<i>" if block.italic else ""}{_e(block.text)}'
                        f'{"</i>" if block.italic else ""}</p>')
        else:
            body.append(_table(block))
    if doc.signature:
        body.append(_signature(doc))
    families = ", ".join(f"'{f}'" for f in dict.fromkeys((family, REPORT_FAMILY, "Times New Roman")))
    return (f'<html><body style="font-family: {families}, serif; font-size: {BODY_PT}pt;">'
            + "".join(body) + "</body></html>")
