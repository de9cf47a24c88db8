"""A picture of one page of the directive's file, drawn only when it is shown, with the source of a value marked.

The page is drawn from the PDF (or the scan) itself, not from the extracted text, so the officer checks the
proposal against what was signed. Only the visible page is drawn, at the width of the view; moving to another
page or widening the view draws again. A page without a text layer says so above the picture, and offers to
recognise its words (OCR) when the dialog has an engine for it (`offer_ocr`), or says why it cannot.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ntm_desktop.intake.render import PageSource

Box = tuple[int, float, float, float, float]  # page, x0, top, x1, bottom in points


class PageView(QWidget):
    """Page pictures of a PageSource with previous/next buttons; `mark(boxes)` shows where a value stands."""

    page_changed = Signal(int)

    def __init__(self, source: PageSource, scanned_pages: list[int] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._source = source
        self._scanned = set(scanned_pages or [])
        self._page = 0
        self._marks: list[Box] = []
        self._drawn: tuple[int, int] | None = None  # (page, width) of the picture on screen
        self.rendered_pages: list[int] = []  # every page drawn, in order (what the view cost)
        self.previous_button = QPushButton(self.tr("◀ Trang trước"))
        self.next_button = QPushButton(self.tr("Trang sau ▶"))
        self.page_label = QLabel()
        self.scan_label = QLabel(self.tr("Trang này là ảnh quét, không có chữ để đọc. Hãy nhìn ảnh trang và gõ "
                                         "thông tin vào các ô bên cạnh."))
        self.scan_label.setWordWrap(True)
        self.scan_label.setStyleSheet("background:#fff3cd; color:#664d03; padding:4px; border-radius:3px")
        self.ocr_button = QPushButton(self.tr("Nhận dạng chữ (OCR)"))
        self.ocr_button.setToolTip(self.tr("Máy đọc chữ trên ảnh các trang quét rồi đề xuất thông tin như với "
                                           "tệp PDF có chữ; hãy đối chiếu lại với ảnh trang."))
        self.ocr_button.hide()
        self._ocr_offered = False
        self._no_ocr = ""  # why this computer cannot recognise a scan's words
        self._recognised: set[int] = set()
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.picture)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setStyleSheet("QScrollArea { background:#8a8a8a; }")
        self.previous_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self._page + 1))
        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addStretch()
        bar.addWidget(self.page_label)
        bar.addStretch()
        bar.addWidget(self.next_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        scan_bar = QHBoxLayout()
        scan_bar.addWidget(self.scan_label, 1)
        scan_bar.addWidget(self.ocr_button)
        box.addLayout(scan_bar)
        box.addWidget(self.scroll_area, 1)
        self._update_bar()

    @property
    def page_count(self) -> int:
        return self._source.page_count

    def current_page(self) -> int:
        return self._page

    def show_page(self, index: int) -> None:
        if not 0 <= index < self.page_count or index == self._page and self._drawn:
            return
        self._page = index
        self._drawn = None
        self._update_bar()
        self._draw()
        self.page_changed.emit(index)

    def mark(self, boxes: list[Box]) -> None:
        """Mark these boxes (all on one page: the first box's) and show that page, scrolled to them."""
        self._marks = [b for b in boxes if boxes and b[0] == boxes[0][0]]
        if self._marks and self._marks[0][0] != self._page:
            self.show_page(self._marks[0][0])
        else:
            self._drawn = None
            self._draw()
        if self._marks and self._drawn:
            scale = self._scale()
            top = min(b[2] for b in self._marks) * scale
            self.scroll_area.verticalScrollBar().setValue(max(0, int(top - self.scroll_area.viewport().height() / 3)))

    def marks(self) -> list[Box]:
        return list(self._marks)

    def offer_ocr(self, on_request) -> None:
        """On a scanned page, ask whether to recognise its words; the button calls `on_request()`."""
        self._ocr_offered = True
        self.ocr_button.clicked.connect(on_request)
        self._update_bar()

    def say_no_ocr(self, reason: str) -> None:
        """On a scanned page, say why its words cannot be recognised on this computer."""
        self._ocr_offered = False
        self._no_ocr = reason
        self._update_bar()

    def set_scanned_pages(self, pages: list[int], recognised: list[int]) -> None:
        """The pages still without words, and those whose words OCR read (a reminder to check them)."""
        self._scanned = set(pages)
        self._recognised = set(recognised)
        self._update_bar()

    def _update_bar(self) -> None:
        count = self.page_count
        self.page_label.setText(self.tr("Trang {n}/{total}").format(n=self._page + 1, total=count) if count else "")
        self.previous_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(self._page < count - 1)
        scanned, recognised = self._page in self._scanned, self._page in self._recognised
        if recognised:
            self.scan_label.setText(self.tr("Chữ trang này do máy nhận dạng (OCR): hãy đối chiếu với ảnh trang."))
        elif scanned and self._ocr_offered:
            self.scan_label.setText(self.tr("Trang này là ảnh quét, chưa có chữ. Nhận dạng chữ (OCR)?"))
        elif scanned and self._no_ocr:
            self.scan_label.setText(self._no_ocr)
        self.scan_label.setVisible(scanned or recognised)
        self.ocr_button.setVisible(self._ocr_offered and scanned)

    def _target_width(self) -> int:
        return max(200, self.scroll_area.viewport().width() - 4)

    def _scale(self) -> float:
        width, _height = self._source.page_size(self._page)
        return self._target_width() / max(width, 1.0)

    def _draw(self) -> None:
        if not self.isVisible() or not self.page_count or self._source.closed:
            return  # drawn when shown: a hidden view costs nothing
        width = self._target_width()
        if self._drawn == (self._page, width):
            return
        picture = self._source.picture(self._page, width)
        self.rendered_pages.append(self._page)
        image = QImage(picture.rgb, picture.width, picture.height, picture.stride, QImage.Format.Format_RGB888)
        pixmap = QPixmap.fromImage(image.copy())  # the bytes belong to the picture: copy before it goes
        if self._marks and self._source.kind == "pdf":
            painter = QPainter(pixmap)
            painter.setPen(QPen(QColor("#d97706"), 2))
            painter.setBrush(QColor(255, 214, 0, 70))
            for _page, x0, top, x1, bottom in self._marks:
                s = picture.scale
                painter.drawRect(QRectF(x0 * s - 2, top * s - 2, (x1 - x0) * s + 4, (bottom - top) * s + 4))
            painter.end()
        self.picture.setPixmap(pixmap)
        self._drawn = (self._page, width)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._draw()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._drawn and abs(self._drawn[1] - self._target_width()) > 24:
            self._draw()
