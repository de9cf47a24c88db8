"""Attachments' bytes kept in the database itself (server mode: every PC of the office reads them from there)."""

from __future__ import annotations

from sqlalchemy import BigInteger, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ntm_desktop.models.base import Base


class StoredFile(Base):
    """One attachment's content under its SHA-256, once however many records name it.

    On the local SQLite file the bytes stay in the data folder's files/ (this table stays empty); on the office's
    PostgreSQL server they are written here in the transaction that records the attachment, and each PC keeps a
    copy in its files/ as it opens one."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
