"""Register a directive from its file: read it off the GUI thread, then review it beside the page picture.

Entry points: `choose_directive_file` (a button), `open_directive_file` (a dropped file). The file is read in a
worker thread behind a progress dialog that can stop it; a file that cannot be read gets its Vietnamese message
and nothing is registered. The review dialog keeps the file and stores it as the directive's attachment in the
same transaction that registers the directive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSplitter, QWidget

from ntm_desktop.errors import UserError
from ntm_desktop.intake import FILE_FILTER, Cancelled, Extraction, extract_file
from ntm_desktop.intake.render import PageSource
from ntm_desktop.ui.background import run_stoppable
from ntm_desktop.ui.common import show_error
from ntm_desktop.ui.page_view import PageView

def read_file(parent: QWidget, path: Path) -> Extraction | None:
    """The file's text and pages, or None (after saying why) when it cannot be read or the officer stopped."""
    path = Path(path)
    try:
        return run_stoppable(parent, parent.tr("Đang đọc “{name}”…").format(name=path.name),
                               lambda say, stopped: extract_file(path, cancel=stopped, progress=say))
    except Cancelled:
        return None
    except UserError as error:
        show_error(parent, error, parent.tr("Không đọc được tệp"))
        return None


class FilePane(QObject):
    """The page picture of a directive's file in the review dialog, following the highlighted source line.

    On a scanned page it offers OCR when this computer has the engine and its Vietnamese model (intake.ocr);
    `recognised` carries the new reading of the file, with the scanned pages' words, to the dialog.
    """

    recognised = Signal(object)  # an Extraction

    def __init__(self, path: Path, extraction: Extraction, parent: QWidget):
        super().__init__(parent)
        self.path = Path(path)
        self.extraction = extraction
        self.view: PageView | None = None
        self._source: PageSource | None = None
        self._parent = parent
        if extraction.kind in ("pdf", "image"):
            self._source = PageSource(self.path, extraction.kind)
            self.view = PageView(self._source, extraction.scanned_pages)
            self.view.destroyed.connect(lambda *_: self.close())
            if hasattr(parent, "finished"):  # the dialog is done with the file: let go of it
                parent.finished.connect(lambda *_: self.close())
            if extraction.scanned_pages:
                from ntm_desktop.intake import ocr

                self._engine = ocr.engine()
                if self._engine is not None:
                    self.view.offer_ocr(self.recognise)
                else:
                    self.view.say_no_ocr(ocr.missing_reason())

    def recognise(self) -> Extraction | None:
        """Read the file again with OCR on its scanned pages, off the GUI thread, with "Dừng"; None if stopped."""
        engine = self._engine
        try:
            extraction = run_stoppable(
                self._parent, self._parent.tr("Đang nhận dạng chữ (OCR) trong “{name}”…").format(name=self.path.name),
                lambda say, stopped: extract_file(self.path, cancel=stopped, progress=say, ocr=engine))
        except Cancelled:
            return None
        except UserError as error:
            show_error(self._parent, error, self._parent.tr("Không nhận dạng được chữ"))
            return None
        self.extraction = extraction
        if self.view is not None:
            self.view.set_scanned_pages(extraction.scanned_pages, extraction.recognised_pages)
        self.recognised.emit(extraction)
        return extraction

    def place(self, splitter: QSplitter, text_pane: QWidget) -> None:
        """Put the page picture before the text (page on top, text under it) in the dialog's splitter."""
        if self.view is None:
            return
        column = QSplitter(Qt.Orientation.Vertical)
        index = splitter.indexOf(text_pane)
        column.addWidget(self.view)
        column.addWidget(text_pane)
        column.setStretchFactor(0, 3)
        column.setStretchFactor(1, 1)
        column.setSizes([600, 220])  # the page is what the officer reads; the text is for checking
        splitter.insertWidget(max(index, 0), column)
        splitter.setSizes([560, 880])

    def follow(self, line_text: str | None) -> None:
        """Mark on the page the line of the cleaned text the dialog highlights (None: clear)."""
        if self.view is None:
            return
        source = self.extraction.line_for(line_text) if line_text else None
        self.view.mark(source.boxes if source is not None and source.boxes else [])

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None


def open_directive_file(parent: QWidget, workspace, path: Path, on_registered: Callable[[str], None] | None = None):
    """Read `path` and open the review dialog on it; returns the dialog (None when the file was not read)."""
    from ntm_desktop.ui.paste_dialog import PasteDialog

    extraction = read_file(parent, path)
    if extraction is None:
        return None
    dialog = PasteDialog(workspace, parent)
    try:
        dialog.set_file(Path(path), extraction)
    except UserError as error:
        dialog.deleteLater()
        show_error(parent, error, parent.tr("Không đọc được tệp"))
        return None
    if on_registered is not None:
        dialog.accepted_directive.connect(on_registered)
    dialog.open()
    return dialog


def choose_directive_file(parent: QWidget, workspace, on_registered: Callable[[str], None] | None = None):
    path, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Chọn tệp văn bản đến"), "",
        parent.tr("Văn bản, bản quét ({filter});;Tất cả (*)").format(filter=FILE_FILTER))
    if not path:
        return None
    return open_directive_file(parent, workspace, Path(path), on_registered)


def dropped_files(mime) -> list[Path]:
    """Local files carried by a drag (URLs to local files only)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def one_dropped_file(parent: QWidget, paths: list[Path]) -> Path | None:
    """The single file to register; more than one gets a word, since one file is one directive."""
    if len(paths) == 1:
        return paths[0]
    if paths:
        QMessageBox.information(parent, parent.tr("Mở tệp văn bản"), parent.tr(
            "Mỗi lần chỉ vào sổ một văn bản: hãy kéo thả từng tệp một."))
    return None
