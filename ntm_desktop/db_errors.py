"""What went wrong with the database, said so the officer can act on it: the SQLite file, or the office's server.

`translate_error` turns a driver's error (sqlite3, psycopg) into a `DatabaseError` subclass with a Vietnamese
message, or None when the error is not about the database being reachable or writable (a programming error, a
constraint: the caller re-raises it as it is).
"""

from __future__ import annotations

from sqlalchemy import exc
from sqlalchemy.engine import URL

from ntm_desktop.errors import (
    DatabaseError,
    DatabaseLockedError,
    DiskFullError,
    NewerDatabaseError,
    NotADatabaseError,
)

NOTHING_CHANGED = "dữ liệu chưa bị thay đổi"


class ReadOnlyDatabaseError(DatabaseError):
    """The database or its folder cannot be written."""


class UpgradeNeededError(DatabaseError):
    """Opened read-only, the database is older than this app and cannot be upgraded."""


class ServerError(DatabaseError):
    """The office's PostgreSQL server cannot be used at the moment."""


class ServerUnreachableError(ServerError):
    """No answer from the server's address and port (switched off, wrong address, network down, firewall)."""


class ServerLoginError(ServerError):
    """The server refused the user name or the password."""


class NoSuchServerDatabaseError(ServerError):
    """The server answered, but has no database of that name."""


class ConnectionLostError(ServerError):
    """The connection broke in the middle of a piece of work: the server rolled the whole transaction back."""


class ServerTimeoutError(ServerError):
    """A statement ran past the statement timeout and was cancelled (with its transaction)."""


class ServerPermissionError(ServerError):
    """The server's user may not read or write a table."""


class ForeignDatabaseError(DatabaseError):
    """The database holds another program's tables."""


def where(url: URL | None) -> str:
    """“máy chủ 192.168.1.10:5432”, or “máy chủ dữ liệu” when the address is not known here."""
    if url is None or not url.host:
        return "máy chủ dữ liệu"
    return f"máy chủ {url.host}:{url.port or 5432}"


def unreachable(url: URL | None) -> ServerUnreachableError:
    return ServerUnreachableError(
        f"Không kết nối được {where(url)}: máy chủ không trả lời. Hãy kiểm tra địa chỉ và cổng, mạng của văn phòng, "
        f"máy chủ đã bật chưa (hoặc tường lửa), rồi thử lại; {NOTHING_CHANGED}."
    )


def newer_database(on_server: bool) -> NewerDatabaseError:
    place = "trên máy chủ " if on_server else ""
    return NewerDatabaseError(
        f"Cơ sở dữ liệu {place}này được tạo bởi một phiên bản NTM Desktop mới hơn phiên bản đang chạy. Hãy cập "
        "nhật NTM Desktop lên phiên bản mới nhất rồi mở lại; dữ liệu không bị thay đổi."
    )


def _sqlstate(orig) -> str | None:
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)


def _is_psycopg(orig) -> bool:
    return type(orig).__module__.split(".")[0] == "psycopg"


_CONNECT_FAILED = ("connection failed", "connection refused", "could not connect", "could not translate host",
                   "name or service not known", "no route to host", "timeout expired", "network is unreachable",
                   "connection timed out")


def _server_error(orig, url: URL | None) -> DatabaseError | None:
    code = _sqlstate(orig) or ""
    text = str(orig).lower()
    user = f"“{url.username}”" if url is not None and url.username else "này"
    if code == "28P01" or not code and ("password authentication failed" in text or "no password supplied" in text):
        return ServerLoginError(
            f"{where(url).capitalize()} từ chối đăng nhập của người dùng {user}: mật khẩu không đúng (hoặc chưa "
            "nhập), hoặc máy chủ không có người dùng này. Hãy nhập lại mật khẩu, hoặc hỏi người quản trị máy chủ tên "
            f"người dùng đúng, rồi thử lại; {NOTHING_CHANGED}."
        )
    if code == "28000" or not code and "role" in text and "does not exist" in text:
        return ServerLoginError(
            f"{where(url).capitalize()} không có người dùng {user} (hoặc không cho người dùng này vào từ máy này). "
            f"Hãy kiểm tra tên người dùng, hoặc nhờ người quản trị máy chủ tạo tài khoản, rồi thử lại; "
            f"{NOTHING_CHANGED}."
        )
    if code == "3D000" or not code and "database" in text and "does not exist" in text:
        name = f"“{url.database}”" if url is not None and url.database else "đã chọn"
        return NoSuchServerDatabaseError(
            f"{where(url).capitalize()} trả lời, nhưng không có cơ sở dữ liệu {name}. Hãy kiểm tra lại tên, hoặc nhờ "
            f"người quản trị máy chủ tạo cơ sở dữ liệu này (trống) rồi thử lại; {NOTHING_CHANGED}."
        )
    if code == "57014":
        return ServerTimeoutError(
            f"{where(url).capitalize()} làm việc này quá lâu nên đã dừng lại; không có gì được lưu dở dang. Hãy thử "
            "lại sau ít phút; nếu vẫn vậy, hãy báo người quản trị máy chủ (máy chủ có thể đang quá tải)."
        )
    if code in ("40001", "40P01", "55P03"):
        return DatabaseLockedError(
            "Một máy khác đang lưu cùng dữ liệu này nên lần lưu này chưa được thực hiện; không có gì được lưu dở "
            "dang. Hãy lưu lại."
        )
    if code == "53100":
        return DiskFullError(
            f"Ổ đĩa của {where(url)} đã đầy nên thay đổi chưa được lưu (dữ liệu cũ vẫn nguyên vẹn). Hãy báo người "
            "quản trị máy chủ giải phóng dung lượng rồi lưu lại."
        )
    if code == "25006":
        return ReadOnlyDatabaseError(
            f"Cơ sở dữ liệu trên {where(url)} đang mở chỉ để xem, nên thay đổi chưa được lưu; {NOTHING_CHANGED}."
        )
    if code == "42501":
        return ServerPermissionError(
            f"Người dùng {user} trên {where(url)} không có quyền đọc hoặc ghi dữ liệu của NTM Desktop, nên thay đổi "
            f"chưa được lưu; {NOTHING_CHANGED}. Hãy nhờ người quản trị máy chủ cấp quyền cho người dùng này."
        )
    if not code and any(part in text for part in _CONNECT_FAILED):
        return unreachable(url)
    if code.startswith("57P") or code.startswith("08") or not code and (
            "closed" in text or "terminat" in text or "consuming input failed" in text or "lost" in text):
        return ConnectionLostError(
            f"Mất kết nối với {where(url)} giữa chừng, nên thay đổi chưa được lưu: máy chủ đã hủy cả lần lưu, không "
            "có gì được lưu dở dang. Hãy kiểm tra mạng của văn phòng rồi thử lại."
        )
    return None


def _sqlite_error(text: str) -> DatabaseError | None:
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            "Cơ sở dữ liệu đang bị một chương trình khác khóa (có thể NTM Desktop đang mở ở "
            "cửa sổ khác, hoặc phần mềm sao lưu đang chép tệp). Hãy đóng chương trình đó rồi thử lại; "
            "dữ liệu chưa bị thay đổi."
        )
    if "disk is full" in text or "disk i/o" in text:
        return DiskFullError(
            "Ổ đĩa đã đầy hoặc không ghi được, nên thay đổi chưa được lưu (dữ liệu cũ vẫn nguyên vẹn). "
            "Hãy giải phóng dung lượng ổ đĩa rồi lưu lại."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(
            "Không ghi được vào cơ sở dữ liệu: tệp hoặc thư mục dữ liệu chỉ cho đọc (hoặc tài khoản này không có "
            "quyền ghi), nên thay đổi chưa được lưu; dữ liệu cũ vẫn nguyên vẹn. Hãy bỏ thuộc tính “Chỉ đọc” "
            "của thư mục dữ liệu hoặc cấp quyền ghi rồi thử lại."
        )
    if "not a database" in text or "malformed" in text:
        return NotADatabaseError(
            "Tệp dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu của NTM Desktop. "
            "Hãy khôi phục từ bản sao lưu gần nhất."
        )
    return None


def translate_error(error: Exception, url: URL | None = None) -> DatabaseError | None:
    """Turn a failure of the SQLite file or of the office's server into a message the user can act on.

    `url`: the server's address, named in the message when given (the password is never shown)."""
    if isinstance(error, DatabaseError):
        return error
    orig = getattr(error, "orig", None) or error
    if _is_psycopg(orig):
        return _server_error(orig, url)
    if isinstance(error, exc.IntegrityError):
        return None
    return _sqlite_error(str(orig).lower())
