"""Build a report and write it to a file: a generator yielding progress, cancelable.

The file is written under a temporary name and renamed at the end, so a
cancelled or failed report never leaves a half-written file behind.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable, Generator

from sqlalchemy.orm import Session

from ntm_desktop.db import Database
from ntm_desktop.errors import UserError
from ntm_desktop.reports.document import ReportDocument
from ntm_desktop.reports.request import Progress, ReportCancelled, ReportFormat, ReportKind, ReportRequest
from ntm_desktop.services import access, settings
from ntm_desktop.services.office import load_profile

_BUILDERS = {
    ReportKind.WEEKLY: ("ntm_desktop.reports.weekly", "build_weekly"),
    ReportKind.REGISTER: ("ntm_desktop.reports.incoming_register", "build_incoming_register"),
    ReportKind.FOLLOWUP: ("ntm_desktop.reports.followup_register", "build_followup"),
    ReportKind.UNIT: ("ntm_desktop.reports.unit_tasks", "build_unit_tasks"),
    ReportKind.CRITERIA: ("ntm_desktop.reports.criteria_summary", "build_criteria_summary"),
}
NO_CRITERIA = (
    "Chưa có dữ liệu tiêu chí: phần mềm chưa có bộ tiêu chí và kết quả đánh giá của các xã, "
    "nên chưa lập được báo cáo tổng hợp tiêu chí."
)


def _builder(kind: ReportKind):
    module_name, name = _BUILDERS[kind]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        if kind == ReportKind.CRITERIA:
            raise UserError(NO_CRITERIA) from None
        raise
    return getattr(module, name)


def require_report(session: Session, req: ReportRequest) -> None:
    """The registers are the clerk's and the leader's to print; a unit's task list also a chuyên viên's of that
    unit; the other reports the leader's (services.access)."""
    if req.kind in (ReportKind.REGISTER, ReportKind.FOLLOWUP):
        access.require(session, access.Permission.REGISTER_BOOKS)
    elif req.kind == ReportKind.UNIT:
        from ntm_desktop.reports.unit_tasks import find_unit

        access.require(session, access.Permission.UNIT_REPORT, unit_id=find_unit(session, req.unit_code).id)
    else:
        access.require(session, access.Permission.REPORTS)


def build_document(session: Session, req: ReportRequest) -> Generator[Progress, None, ReportDocument]:
    office_id = settings.office_unit_id(session)
    if not office_id:
        raise UserError("Chưa chọn cơ quan sử dụng phần mềm, nên chưa lập được báo cáo. Hãy mở phần mềm: hộp “Bắt đầu sử dụng NTM Desktop” hiện ra để chọn cơ quan.")
    if req.unit_code and req.kind != ReportKind.UNIT:
        from ntm_desktop.reports.unit_tasks import find_unit

        find_unit(session, req.unit_code)
    require_report(session, req)
    builder = _builder(req.kind)
    return (yield from builder(session, req, office_id, load_profile(session)))


def write_document(doc: ReportDocument, fmt: ReportFormat, out: Path,
                   cancelled: Callable[[], bool] = lambda: False) -> None:
    """Write to `out` through a temporary file; nothing is left behind on error or cancel."""
    out = Path(out)
    if not out.parent.is_dir():
        raise UserError(f"Thư mục “{out.parent}” không tồn tại; hãy chọn nơi lưu khác.")
    tmp = out.with_name(f"~{out.stem}.tmp{out.suffix}")
    try:
        if fmt == ReportFormat.PDF:
            from ntm_desktop.reports.pdf_layout import render_pdf

            render_pdf(doc, tmp, on_page=lambda n: not cancelled())
        else:
            from ntm_desktop.reports.xlsx_layout import render_xlsx

            render_xlsx(doc, tmp, on_sheet=lambda n: not cancelled())
        if cancelled():
            raise ReportCancelled()
        tmp.replace(out)
    except PermissionError:
        raise UserError(
            f"Không ghi được tệp “{out.name}”: tệp đang mở trong chương trình khác (Excel, trình đọc PDF) "
            "hoặc thư mục không cho phép ghi. Hãy đóng tệp rồi thử lại."
        ) from None
    except OSError as error:
        raise UserError(f"Không ghi được tệp “{out.name}”: {error.strerror or error}.") from None
    finally:
        tmp.unlink(missing_ok=True)


def produce(db: Database, req: ReportRequest, fmt: ReportFormat, out: Path,
            cancelled: Callable[[], bool] = lambda: False) -> Generator[Progress, None, Path]:
    """Read the data in one session, then write the file; yields progress all along."""
    with db.transaction() as session:
        doc = yield from build_document(session, req)
    if cancelled():
        raise ReportCancelled()
    yield Progress(0, 1, "Đang ghi tệp PDF…" if fmt == ReportFormat.PDF else "Đang ghi tệp Excel…")
    write_document(doc, fmt, out, cancelled)
    yield Progress(1, 1, "Đã lưu báo cáo.")
    return Path(out)


def run(db: Database, req: ReportRequest, fmt: ReportFormat, out: Path) -> Path:
    """Build and write without progress (command line, tests)."""
    gen = produce(db, req, fmt, out)
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        return stop.value
