"""Directives as entered in the incoming register (Sổ đăng ký văn bản đến)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ntm_desktop.models.base import Base, Revised, Synced, utcnow


class Urgency(str, enum.Enum):
    NONE = ""
    KHAN = "khan"
    THUONG_KHAN = "thuong_khan"
    HOA_TOC = "hoa_toc"


URGENCY_LABELS = {
    Urgency.NONE: "Thường",
    Urgency.KHAN: "Khẩn",
    Urgency.THUONG_KHAN: "Thượng khẩn",
    Urgency.HOA_TOC: "Hỏa tốc",
}


class Secrecy(str, enum.Enum):
    NONE = ""
    MAT = "mat"
    TOI_MAT = "toi_mat"
    TUYET_MAT = "tuyet_mat"


SECRECY_LABELS = {
    Secrecy.NONE: "Thường",
    Secrecy.MAT: "Mật",
    Secrecy.TOI_MAT: "Tối mật",
    Secrecy.TUYET_MAT: "Tuyệt mật",
}

# Nghị định 30/2020, Phụ lục III: document types and their abbreviations.
# A state "công văn" has no type code.
DOC_TYPES: dict[str, str] = {
    "CV": "Công văn",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
}


class Directive(Revised, Synced, Base):
    __tablename__ = "directives"
    __table_args__ = (
        UniqueConstraint("office_unit_id", "arrival_year", "arrival_number"),
        # Covers the register's count and its default order without reading the wide rows.
        Index("ix_directives_register", "office_unit_id", "deleted", "arrival_year", "arrival_number"),
        # Lets task lists check a task's directive (office, tombstone) without reading the wide row.
        Index("ix_directives_membership", "id", "office_unit_id", "deleted"),
        # Walks every office's directives newest first: the task list's tasks without a deadline, in its order.
        Index("ix_directives_arrival", "arrival_year", "arrival_number"),
    )

    office_unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    arrival_year: Mapped[int] = mapped_column(Integer)
    arrival_number: Mapped[int] = mapped_column(Integer)
    arrival_date: Mapped[date] = mapped_column(Date, index=True)
    issuer_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    issuer_name: Mapped[str] = mapped_column(String(300), default="")
    number_symbol: Mapped[str] = mapped_column(String(100), default="")
    doc_date: Mapped[date | None] = mapped_column(Date)
    doc_type: Mapped[str] = mapped_column(String(10), default="CV", index=True)
    subject: Mapped[str] = mapped_column(Text)
    signer: Mapped[str] = mapped_column(String(200), default="")
    urgency: Mapped[str] = mapped_column(String(20), default="", index=True)
    secrecy: Mapped[str] = mapped_column(String(20), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    transfer_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    full_text: Mapped[str] = mapped_column(Text, default="")
    # Folded copies for search and sort (no diacritics, đ -> d, lower case).
    number_folded: Mapped[str] = mapped_column(String(100), default="", index=True)
    issuer_folded: Mapped[str] = mapped_column(String(300), default="")
    issuer_sort: Mapped[str] = mapped_column(String(600), default="", index=True)
    subject_sort: Mapped[str] = mapped_column(Text, default="", index=True)
    search_folded: Mapped[str] = mapped_column(Text, default="")

    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="directive", order_by="Attachment.added_at"
    )


class Attachment(Synced, Base):
    """A scan or PDF stored in the data folder under its SHA-256."""

    __tablename__ = "attachments"

    directive_id: Mapped[str] = mapped_column(ForeignKey("directives.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    directive: Mapped[Directive] = relationship(back_populates="attachments")
