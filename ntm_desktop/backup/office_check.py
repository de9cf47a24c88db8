"""Which office a database belongs to, so that restoring another office's backup is never silent.

A backup carries the whole database, the setting that says which office this installation is included: a
commune's PC restored from the province's backup would become the province and send packages as it. The
office is read from the database itself (the manifest could say anything, and older backups do not name it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ntm_desktop.errors import UserError

OFFICE_SETTING = "office_unit_id"  # services.settings.OFFICE_UNIT, read here without the ORM


@dataclass(frozen=True)
class Office:
    unit_id: str
    code: str = ""
    name: str = ""

    def label(self) -> str:
        name = self.name or "đơn vị không có trong danh mục"
        return f"“{name}” (mã {self.code})" if self.code else f"“{name}”"

    def same_as(self, other: "Office") -> bool:
        """One office: the same unit id, or the same code (an office set up by hand may later adopt the id
        its parent's package gives the same unit)."""
        if self.unit_id == other.unit_id:
            return True
        return bool(self.code) and self.code.strip().upper() == other.code.strip().upper()


class OtherOfficeError(UserError):
    """The backup belongs to another office than the one this installation works as."""

    def __init__(self, message: str, current: Office, incoming: Office | None):
        super().__init__(message)
        self.current = current
        self.incoming = incoming


def office_of(database: Path) -> Office | None:
    """The office a database works as; None when none is chosen or the file cannot be read."""
    path = Path(database)
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM settings WHERE key = ?", (OFFICE_SETTING,)).fetchone()
            if not row or not row[0]:
                return None
            unit = con.execute("SELECT code, name FROM units WHERE id = ?", (row[0],)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    code, name = (str(unit[0] or ""), str(unit[1] or "")) if unit else ("", "")
    return Office(str(row[0]), code, name)


def check_same_office(current: Office | None, incoming: Office | None, file_name: str) -> None:
    """OtherOfficeError naming both offices when restoring would change which office this is.

    Nothing to compare when this installation has no office yet (a new PC being set up from a backup).
    """
    if current is None or (incoming is not None and current.same_as(incoming)):
        return
    theirs = incoming.label() if incoming else "một máy chưa chọn đơn vị sử dụng phần mềm"
    raise OtherOfficeError(
        f"Bản sao lưu “{file_name}” là dữ liệu của {theirs}, không phải của đơn vị đang dùng phần mềm trên máy "
        f"này: {current.label()}.\n\nNếu khôi phục, máy này sẽ làm việc, gửi và nhận dữ liệu với tư cách "
        f"{theirs} thay cho {current.label()}. Chưa có gì thay đổi.",
        current, incoming,
    )
