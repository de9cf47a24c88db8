"""Phiếu xác nhận khóa: the one-page slip an office prints so that others can check its signing key.

The office that receives this office's first package (or a package with a new key) compares the key
fingerprint its screen shows with the one on this slip, group by group, or over the phone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ntm_desktop.errors import UserError
from ntm_desktop.models import Unit
from ntm_desktop.reports.document import Column, Paragraph, ReportDocument, Table
from ntm_desktop.services import settings
from ntm_desktop.services.office import load_profile
from ntm_desktop.sync import keys


def build_key_slip(session: Session, issue_date: date | None = None) -> ReportDocument:
    office_id = settings.office_unit_id(session)
    unit = session.get(Unit, office_id) if office_id else None
    if unit is None:
        raise UserError("Máy này chưa có đơn vị sử dụng, nên chưa có khóa để in phiếu. Hãy chọn đơn vị ở hộp “Bắt "
                        "đầu sử dụng NTM Desktop” trước.")
    key = keys.own_key(session)
    row = next((r for r in keys.known_keys(session) if r.unit_id == unit.id and r.public_key == key.public_key), None)
    made = row.created_at.date() if row is not None else None
    profile = load_profile(session)
    # The slip goes to whoever receives this office's packages.
    profile = replace(profile, recipients=("Các đơn vị nhận gói dữ liệu của đơn vị",), archive_line="Lưu: VT.")
    doc = ReportDocument(
        kind="key_slip", title="Phiếu xác nhận khóa",
        subtitle="(khóa ký số dùng khi trao đổi dữ liệu bằng NTM Desktop)", profile=profile,
        issue_date=issue_date or date.today(),
    )
    doc.blocks.append(Paragraph(
        f"{unit.name} thông báo mã khóa ký số mà máy tính của đơn vị dùng để ký các gói dữ liệu và giấy báo đã nhận "
        "gửi đi từ phần mềm NTM Desktop, như sau:"))
    table = Table("Khóa ký số", [Column("Nội dung", 50), Column("Thông tin", 115)])
    table.rows += [
        ("Đơn vị", unit.name),
        ("Mã đơn vị", unit.code),
        ("Mã khóa", key.fingerprint),
        ("Ngày tạo khóa", f"{made:%d/%m/%Y}" if made else ""),
    ]
    doc.blocks.append(table)
    doc.blocks.append(Paragraph(
        "Khi nhận gói dữ liệu đầu tiên của đơn vị (hoặc khi phần mềm báo đơn vị đã đổi khóa), cán bộ nhận gói đối "
        "chiếu mã khóa hiện trên màn hình với mã khóa trên phiếu này, từng nhóm 4 ký tự. Chỉ bấm “Xác nhận khóa” "
        "khi tất cả 8 nhóm trùng khớp. Nếu khác, không nhập gói và gọi điện cho đơn vị theo số điện thoại đã "
        "biết (không theo số ghi trong gói)."))
    doc.blocks.append(Paragraph(
        "Mã khóa không phải mật khẩu: có thể đọc qua điện thoại hoặc gửi công khai. Tệp khóa riêng nằm trong thư "
        "mục dữ liệu của máy và trong các bản sao lưu; không gửi tệp đó cho ai.", italic=True))
    return doc


def write_key_slip(session: Session, out: Path, issue_date: date | None = None) -> Path:
    from ntm_desktop.reports.pdf_layout import render_pdf

    out = Path(out)
    try:
        render_pdf(build_key_slip(session, issue_date), out)
    except OSError as error:
        raise UserError(f"Không ghi được phiếu xác nhận khóa vào “{out}”: {error.strerror or error}. Hãy chọn thư "
                        "mục khác.") from error
    return out
