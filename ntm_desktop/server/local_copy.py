"""The copy on this PC that the window opens read-only when the office's server cannot be used at start.

The newest of what the data folder holds: its SQLite file (kept as it was by `server move`), a backup of the file
(.ntmbak, or a bare copy taken before an upgrade), or a server backup made by the app's own export (.ntmexport; a
pg_dump file needs a server to be read). The copy is made into a temporary folder and brought to this version's
schema there: the data folder's files are only read. Every write is refused with READ_ONLY_MESSAGE.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ntm_desktop.db import Database, open_database
from ntm_desktop.errors import UserError
from ntm_desktop.paths import DB_FILE_NAME, DataFolder

log = logging.getLogger(__name__)

READ_ONLY_MESSAGE = (
    "Đang xem bản sao trên máy này (chỉ xem) vì chưa mở được dữ liệu trên máy chủ, nên thay đổi này chưa được lưu. "
    "Hãy ghi lại nội dung cần lưu, rồi đóng phần mềm và mở lại khi máy chủ đã kết nối được."
)


class NoLocalCopyError(UserError):
    """The data folder holds nothing that can be read without the server."""


@dataclass(frozen=True)
class Candidate:
    path: Path
    kind: str  # "file" (the folder's SQLite file), "backup" (.ntmbak or a bare copy), "export" (.ntmexport)
    taken_at: datetime

    def describe(self) -> str:
        """Vietnamese: what the officer is looking at, for the title bar's status line."""
        when = f"{self.taken_at:%d/%m/%Y %H:%M}"
        if self.kind == "file":
            return f"tệp dữ liệu trên máy này, ghi lần cuối lúc {when}"
        return f"bản sao lưu “{self.path.name}” lúc {when}"


@dataclass
class LocalCopy:
    candidate: Candidate
    workspace: object  # workspace.Workspace, readonly, its database in a temporary folder removed on close()


def _file_time(path: Path) -> datetime:
    times = [p.stat().st_mtime for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
    return datetime.fromtimestamp(max(times)).replace(microsecond=0)


def candidates(folder: DataFolder) -> list[Candidate]:
    """What could be opened, newest first."""
    from ntm_desktop.backup import config, list_backups
    from ntm_desktop.server.backup import list_server_backups

    found: list[Candidate] = []
    if folder.database.is_file() and folder.database.stat().st_size > 0:
        found.append(Candidate(folder.database, "file", _file_time(folder.database)))
    for place in (folder.backups, config.extra_folder(folder.root)):
        if place is None:
            continue
        found.extend(Candidate(b.path, "backup", b.created_at) for b in list_backups(place))
        found.extend(Candidate(b.path, "export", b.created_at) for b in list_server_backups(place)
                     if b.method == "export")
    return sorted(found, key=lambda c: c.taken_at, reverse=True)


def _copy_file(source: Path, target: Path) -> None:
    """The SQLite backup API from a read-only connection: the folder's file (and its WAL) is not touched."""
    from ntm_desktop.db import _read_only_uri

    src = sqlite3.connect(_read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _materialise(candidate: Candidate, scratch: Path) -> Database:
    target = scratch / DB_FILE_NAME
    if candidate.kind == "file":
        _copy_file(candidate.path, target)
    elif candidate.kind == "backup":
        from ntm_desktop.backup import verify_backup

        extracted, _manifest = verify_backup(candidate.path, scratch)
        if extracted != target:
            extracted.replace(target)
    else:
        from ntm_desktop.server.backup import load_export

        db = open_database(target)  # this version's empty schema
        try:
            with db.engine.begin() as conn:
                load_export(conn, candidate.path)
        finally:
            db.dispose()
    return open_database(target)  # an older copy is brought to this version here, in the temporary folder


def open_local_copy(folder: DataFolder) -> LocalCopy:
    """The newest copy that opens, read-only (db.watch refuses every write). NoLocalCopyError when none does."""
    from ntm_desktop.workspace import Workspace

    tried = []
    for candidate in candidates(folder):
        scratch = Path(tempfile.mkdtemp(prefix="ntm-ban-sao-xem-"))
        try:
            db = _materialise(candidate, scratch)
        except (UserError, OSError, sqlite3.Error) as error:
            log.warning("local copy %s could not be read: %s", candidate.path, error)
            tried.append(candidate.path.name)
            shutil.rmtree(scratch, ignore_errors=True)
            continue
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        db.watch.hold_writes(READ_ONLY_MESSAGE)
        return LocalCopy(candidate, Workspace(folder=folder, db=db, readonly=True, scratch=scratch))
    if tried:
        raise NoLocalCopyError(
            f"Không đọc được bản sao nào trên máy này ({', '.join(tried)}: tệp hỏng hoặc của phiên bản khác). Hãy thử "
            "lại khi máy chủ kết nối được; không có gì bị thay đổi."
        )
    raise NoLocalCopyError(
        f"Máy này chưa có bản sao dữ liệu nào để xem: thư mục dữ liệu “{folder.root}” không có tệp dữ liệu cũ hay bản "
        "sao lưu. Hãy thử lại khi máy chủ kết nối được."
    )
