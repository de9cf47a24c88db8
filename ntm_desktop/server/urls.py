"""Server addresses in SQLAlchemy's form (`postgresql+psycopg://user@host:5432/ntm`), built and shown safely."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ntm_desktop.errors import UserError

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5  # an unreachable server answers within this, not after the system's minutes


class ServerAddressError(UserError):
    """The address given is not a PostgreSQL server address."""


def server_url(host: str, port: int | str | None, database: str, user: str, password: str = "") -> URL:
    """The address from the dialog's fields; refused (ServerAddressError) when a field is missing."""
    host, database, user = (host or "").strip(), (database or "").strip(), (user or "").strip()
    missing = [label for label, value in (("máy chủ", host), ("cơ sở dữ liệu", database), ("người dùng", user))
               if not value]
    if missing:
        raise ServerAddressError(f"Chưa điền {', '.join(missing)}. Hãy điền đủ rồi thử lại.")
    try:
        number = int(port) if port not in (None, "") else DEFAULT_PORT
    except (TypeError, ValueError):
        number = -1
    if not 0 < number < 65536:
        raise ServerAddressError(f"Cổng “{port}” không hợp lệ: cổng là một số từ 1 đến 65535 (thường là 5432).")
    return URL.create(DRIVER, username=user, password=password or None, host=host, port=number, database=database)


def parse(text: str | URL) -> URL:
    """A PostgreSQL address typed on the command line (`--database URL`); the driver is psycopg."""
    try:
        url = text if isinstance(text, URL) else make_url(str(text).strip())
    except ArgumentError:
        raise ServerAddressError(
            f"“{without_password(text)}” không phải địa chỉ cơ sở dữ liệu. Hãy viết theo dạng "
            "postgresql+psycopg://người_dùng@máy_chủ:5432/tên_cơ_sở_dữ_liệu."
        ) from None
    if url.get_backend_name() != "postgresql":
        raise ServerAddressError(
            f"“{without_password(url)}” không phải địa chỉ máy chủ PostgreSQL. Hãy viết theo dạng "
            "postgresql+psycopg://người_dùng@máy_chủ:5432/tên_cơ_sở_dữ_liệu."
        )
    if not url.database:
        raise ServerAddressError("Địa chỉ máy chủ chưa có tên cơ sở dữ liệu (phần sau dấu “/” cuối cùng).")
    return url.set(drivername=DRIVER)


def without_password(url: str | URL) -> str:
    """The address as it may be shown or written in a settings file: never with the password."""
    try:
        parsed = url if isinstance(url, URL) else make_url(str(url))
    except ArgumentError:
        text = str(url)
        return text.split("@", 1)[1] if "@" in text else text
    return parsed._replace(password=None).render_as_string(hide_password=False)  # set(password=None) keeps it


def label(url: URL) -> str:
    """“ntm trên máy chủ 192.168.1.10:5432 (người dùng vanthu)”."""
    return f"“{url.database}” trên máy chủ {url.host}:{url.port or DEFAULT_PORT} (người dùng {url.username})"
