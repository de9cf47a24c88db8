"""“Kiểm tra kết nối”: can this PC reach the server, and what does the database hold?

Each outcome has its own Vietnamese sentence: reached (empty, this app's data, older data to upgrade, a newer
version's data, another program's tables), wrong password, user unknown, no such database, unreachable.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from ntm_desktop.errors import UserError
from ntm_desktop.server.urls import CONNECT_TIMEOUT_S, label

# The office's own data: a database holding rows here is not empty (unit levels are written by the migrations).
OFFICE_TABLES = ("units", "directives", "tasks", "attachments", "users", "settings", "audit_log")


class ServerState(enum.Enum):
    EMPTY = "empty"  # reached; no tables: `server init` or the move sets it up
    CURRENT = "current"  # this version's schema
    OLDER = "older"  # an older version's schema: brought up to date by `server init`
    NEWER = "newer"  # made by a newer NTM Desktop: refused
    OTHER = "other"  # another program's tables: refused
    WRONG_PASSWORD = "wrong_password"
    UNKNOWN_USER = "unknown_user"
    NO_DATABASE = "no_database"
    UNREACHABLE = "unreachable"

    @property
    def reached(self) -> bool:
        return self in (ServerState.EMPTY, ServerState.CURRENT, ServerState.OLDER, ServerState.NEWER,
                        ServerState.OTHER)


@dataclass(frozen=True)
class Probe:
    state: ServerState
    message: str  # Vietnamese, for the dialog and the command line
    revision: str | None = None
    has_data: bool = False  # CURRENT/OLDER: the office's tables hold rows


class ServerError(UserError):
    """The server cannot be used as asked; `probe` says what was found."""

    def __init__(self, message: str, probe: Probe | None = None):
        super().__init__(message)
        self.probe = probe


def make_engine(url: URL) -> Engine:
    """An engine for one piece of admin work (a check, a move, a backup): no pool kept, a short connect timeout."""
    return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _failure(url: URL, error: DBAPIError) -> Probe:
    orig = error.orig
    code = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate", None)
    text_ = str(orig).lower()
    if code == "28P01" or "password authentication failed" in text_ or "no password supplied" in text_:
        return Probe(ServerState.WRONG_PASSWORD,
                     f"Đã kết nối được máy chủ {url.host} nhưng mật khẩu của người dùng “{url.username}” không đúng "
                     "(hoặc chưa nhập). Hãy nhập lại mật khẩu rồi kiểm tra lại.")
    if code == "3D000" or ("database" in text_ and "does not exist" in text_):
        return Probe(ServerState.NO_DATABASE,
                     f"Đã kết nối được máy chủ {url.host} nhưng không có cơ sở dữ liệu “{url.database}”. Hãy kiểm "
                     "tra lại tên, hoặc nhờ người quản trị máy chủ tạo cơ sở dữ liệu này (trống) rồi kiểm tra lại.")
    if code == "28000" or ("role" in text_ and "does not exist" in text_):
        return Probe(ServerState.UNKNOWN_USER,
                     f"Đã kết nối được máy chủ {url.host} nhưng máy chủ không nhận người dùng “{url.username}” (không "
                     "có tài khoản này, hoặc tài khoản không được vào từ máy này). Hãy kiểm tra tên người dùng.")
    return Probe(ServerState.UNREACHABLE,
                 f"Không kết nối được máy chủ {url.host}:{url.port or 5432}. Hãy kiểm tra địa chỉ, "
                 "cổng, mạng của văn phòng và máy chủ đã bật chưa, rồi kiểm tra lại. Dữ liệu trên máy này vẫn "
                 "dùng được.")


def tables_of(conn: Connection) -> set[str]:
    return set(conn.execute(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE'")).scalars())


def has_office_data(conn: Connection, tables: set[str] | None = None) -> bool:
    tables = tables_of(conn) if tables is None else tables
    return any(conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{t}")')).scalar() for t in OFFICE_TABLES
               if t in tables)


def schema_probe(conn: Connection, url: URL) -> Probe:
    """What an open connection's database holds."""
    from ntm_desktop.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    tables = tables_of(conn)
    where = label(url)
    if not tables:
        return Probe(ServerState.EMPTY, f"Kết nối được. Cơ sở dữ liệu {where} còn trống: có thể chuyển dữ liệu "
                                        "lên hoặc tạo cấu trúc mới.")
    if "alembic_version" not in tables:
        return Probe(ServerState.OTHER,
                     f"Kết nối được, nhưng cơ sở dữ liệu {where} đang chứa bảng của một chương trình khác (không phải "
                     "NTM Desktop). Không dùng cơ sở dữ liệu này để khỏi ghi lẫn; hãy chọn hoặc tạo một cơ sở dữ liệu "
                     "trống.")
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    try:
        known = revision is not None and script.get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for a revision it does not know
        known = False
    if not known:
        return Probe(ServerState.NEWER,
                     f"Kết nối được. Cơ sở dữ liệu {where} do phiên bản NTM Desktop mới hơn tạo ra. Hãy cập nhật NTM "
                     "Desktop trên máy này lên phiên bản mới nhất rồi kết nối lại; dữ liệu trên máy chủ không bị "
                     "thay đổi.", revision)
    data = has_office_data(conn, tables)
    what = "đã có dữ liệu của văn phòng" if data else "chưa có dữ liệu"
    if revision != head:
        return Probe(ServerState.OLDER,
                     f"Kết nối được. Cơ sở dữ liệu {where} là của NTM Desktop phiên bản cũ hơn ({what}); lệnh "
                     "“ntm-desktop server init” nâng cấp cấu trúc lên phiên bản này.", revision, data)
    return Probe(ServerState.CURRENT, f"Kết nối được. Cơ sở dữ liệu {where} là của NTM Desktop phiên bản này "
                                      f"({what}).", revision, data)


def probe(url: URL) -> Probe:
    """Connect once and tell what was found; never raises for a connection failure."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return schema_probe(conn, url)
    except DBAPIError as error:
        if error.connection_invalidated or getattr(error, "orig", None) is not None:
            return _failure(url, error)
        raise
    finally:
        engine.dispose()
