"""A report printed through Qt's text engine: A4 with the decree's margins, the bundled font, page numbers.

QTextDocument.print_() on a document without a page size adds 2 cm of its own
inside the printer's margins and numbers pages at the bottom right in the
application font. Here the document is laid out on the printable area itself
and each page is painted by hand, numbered as the decree wants: centred in the
top margin, from page 2.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QTextBrowser

from ntm_desktop.reports.document import ReportDocument
from ntm_desktop.reports.html_layout import BODY_PT, render_html
from ntm_desktop.ui.fonts import register_report_fonts

MARGINS_MM = QMarginsF(30, 20, 15, 20)  # left, top, right, bottom (Nghị định 30/2020, Phụ lục I)


def _layout_dpi() -> float:
    """The resolution QTextDocument lays out in when it has no paint device of its own (Qt's default DPI)."""
    screen = QGuiApplication.primaryScreen()
    return float(screen.logicalDotsPerInchY()) if screen else 96.0


def report_printer(doc: ReportDocument) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    orientation = QPageLayout.Orientation.Landscape if doc.landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM,
                                      QPageLayout.Unit.Millimeter))
    printer.setDocName(doc.title)
    return printer


def _fill(text: QTextDocument, doc: ReportDocument) -> QTextDocument:
    family = register_report_fonts()
    text.setDefaultFont(QFont(family, BODY_PT))
    text.setHtml(render_html(doc, family))
    return text


def show_report(browser: QTextBrowser, doc: ReportDocument) -> None:
    """The on-screen preview, in the same font as the printed pages."""
    _fill(browser.document(), doc)


def paint_report(doc: ReportDocument, printer: QPrinter) -> int:
    """Paint every page of `doc` on `printer`; returns the number of pages."""
    text = _fill(QTextDocument(), doc)
    text.setDocumentMargin(0)
    area = printer.pageLayout().paintRect(QPageLayout.Unit.Point)  # inside the margins
    dpi = _layout_dpi()
    to_layout = dpi / 72.0
    page = QSizeF(area.width() * to_layout, area.height() * to_layout)
    text.setPageSize(page)
    pages = text.pageCount()
    scale = printer.resolution() / dpi
    top_margin = printer.pageLayout().margins(QPageLayout.Unit.Point).top() * to_layout
    number_font = QFont(register_report_fonts())
    number_font.setPixelSize(round(BODY_PT * to_layout))  # in layout units: the painter is scaled
    painter = QPainter(printer)
    try:
        painter.scale(scale, scale)
        for index in range(pages):
            if index:
                printer.newPage()
            painter.save()
            painter.translate(0, -index * page.height())
            text.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
            painter.restore()
            if index:  # the decree: no number on the first page
                painter.setFont(number_font)
                painter.drawText(QRectF(0, -top_margin, page.width(), top_margin),
                                 Qt.AlignmentFlag.AlignCenter, str(index + 1))
    finally:
        painter.end()
    return pages
