"""`ntm-desktop server move`: the local SQLite office copied onto the server in ONE transaction.

Every table of the schema is copied row for row (the attachments' bytes go into `stored_files`, where every PC of
the office reads them); the rows of each table are counted on both sides before the commit, and any difference
rolls the whole copy back. The server must be empty (or hold this version's schema with no office data). The
local file is only read: it stays as it was, a copy to read if the server is down.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.engine import URL, Connection

from ntm_desktop.errors import UserError
from ntm_desktop.models import Base
from ntm_desktop.paths import DataFolder
from ntm_desktop.server import files
from ntm_desktop.server.probe import ServerError, ServerState, has_office_data, make_engine, probe, schema_probe
from ntm_desktop.server.schema import lock_setup, refuse_unusable, upgrade
from ntm_desktop.server.tables import copy_rows, count_rows, restart_sequences
from ntm_desktop.server.urls import label

Say = Callable[[str], None]


class CountMismatchError(UserError):
    """After the copy a table held another number of rows than the local file: nothing was kept."""


@dataclass
class MoveResult:
    url: URL
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, the same on both sides
    files: int = 0  # attachments' bytes stored on the server
    missing_files: list[str] = field(default_factory=list)  # hashes named by records but absent from files/


def _source_revision(path: Path) -> str | None:
    con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _check_source(folder: DataFolder) -> None:
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    if not folder.database.is_file():
        raise UserError(f"Thư mục “{folder.root}” chưa có dữ liệu của NTM Desktop, nên không có gì để chuyển lên "
                        "máy chủ. Hãy kiểm tra lại --data-dir.")
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if _source_revision(folder.database) != head:
        raise UserError("Dữ liệu trên máy này là của phiên bản NTM Desktop khác phiên bản đang chạy. Hãy mở phần mềm "
                        "một lần trên máy này (dữ liệu được sao lưu rồi nâng cấp) rồi chuyển lại; không có gì được "
                        "thay đổi.")


def copy_tables(source: Connection, target: Connection, say: Say) -> dict[str, int]:
    """Copy every table of the schema, then check the counts; CountMismatchError when one differs."""
    tables = [t for t in Base.metadata.sorted_tables if t.name != files.TABLE_NAME]
    for table in reversed(tables):  # rows the migrations wrote (unit levels) come again from the local file
        target.execute(table.delete())
    counts = {}
    for table in tables:
        say(f"Đang chép bảng {table.name}…")
        copy_rows(target, table, source.execute(select(table)).mappings())
        restart_sequences(target, table)
    for table in tables:
        here, there = count_rows(source, table), count_rows(target, table)
        if here != there:
            raise CountMismatchError(
                f"Sau khi chép, bảng {table.name} trên máy chủ có {there} dòng, còn trên máy này có {here} dòng. "
                "Không có gì được giữ lại trên máy chủ; dữ liệu trên máy này không bị thay đổi. Hãy thử lại.")
        counts[table.name] = here
    return counts


def move_office(folder: DataFolder, url: URL, say: Say | None = None) -> MoveResult:
    """Copy the office at `folder` onto the empty database at `url`; one transaction, counts checked."""
    from ntm_desktop.db import make_read_only_engine

    say = say or (lambda _text: None)
    _check_source(folder)
    found = probe(url)
    refuse_unusable(found)
    if found.has_data:
        raise ServerError(_not_empty(url), found)
    source_engine = make_read_only_engine(folder.database)
    target_engine = make_engine(url)
    result = MoveResult(url)
    try:
        with source_engine.connect() as source, target_engine.begin() as target:
            source.exec_driver_sql("BEGIN")  # one snapshot of the local file for the whole copy
            lock_setup(target)
            now = schema_probe(target, url)
            refuse_unusable(now)
            if now.state is not ServerState.CURRENT:
                say("Đang tạo cấu trúc dữ liệu trên máy chủ…")
                upgrade(target)
            if has_office_data(target):
                raise ServerError(_not_empty(url), now)
            result.counts = copy_tables(source, target, say)
            say("Đang chép tệp đính kèm…")
            result.files, result.missing_files = files.store_all(source, target, folder.files)
            source.exec_driver_sql("ROLLBACK")
    finally:
        source_engine.dispose()
        target_engine.dispose()
    return result


def _not_empty(url: URL) -> str:
    return (f"Cơ sở dữ liệu {label(url)} đã có dữ liệu của một văn phòng, nên không chuyển dữ liệu của máy này lên "
            "để khỏi ghi lẫn hay ghi đè. Không có gì được thay đổi. Nếu máy chủ đã có dữ liệu của văn phòng, hãy "
            "chọn “Dùng máy chủ này”; nếu muốn chuyển lên, hãy dùng một cơ sở dữ liệu trống.")
