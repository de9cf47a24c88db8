"""Where the data lives: the per-user data folder, or --data-dir / NTM_DATA_DIR."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ntm_desktop.errors import UserError

DB_FILE_NAME = "ntm.sqlite3"  # the database file in a data folder

ENV_VAR = "NTM_DATA_DIR"

_CHOOSE_ANOTHER = (
    "Hãy chọn một thư mục dữ liệu khác (tham số --data-dir hoặc biến môi trường NTM_DATA_DIR), "
    "hoặc bỏ trống để dùng thư mục dữ liệu mặc định."
)


class DataFolderError(UserError):
    """The data folder cannot be used as it is (a file, missing, or read-only)."""


class NotAFolderError(DataFolderError):
    pass


class MissingDataFolderError(DataFolderError):
    pass


class ReadOnlyFolderError(DataFolderError):
    pass


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DB_FILE_NAME

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def received(self) -> Path:
        """A copy of every sync package applied here, for review (the audit log names each by its id)."""
        return self.root / "received-packages"

    def writable(self) -> bool:
        """True when files can be created in the folder and the database (if any) can be written.

        Tries it (a temporary file), because permission bits, ACLs and read-only mounts all answer differently.
        """
        if self.database.exists() and not os.access(self.database, os.W_OK):
            return False
        try:
            with tempfile.TemporaryFile(dir=self.root, prefix=".ntm-write-check-"):
                pass
        except OSError:
            return False
        return True

    def require_writable(self) -> None:
        if not self.writable():
            raise read_only_error(self.root)


def read_only_error(root: Path) -> ReadOnlyFolderError:
    return ReadOnlyFolderError(
        f"Không ghi được vào thư mục dữ liệu “{root}”: thư mục (hoặc tệp dữ liệu trong đó) chỉ cho đọc, hoặc "
        "tài khoản người dùng này không có quyền ghi. Dữ liệu chưa bị thay đổi.\n\n"
        "Hãy bỏ thuộc tính “Chỉ đọc” (Read-only) của thư mục, cấp quyền ghi cho tài khoản này, hoặc chép cả "
        "thư mục sang ổ đĩa của máy rồi mở lại."
    )


def _default_root() -> Path:
    import platformdirs  # only when no folder is given

    return Path(platformdirs.user_data_dir("NTM Desktop", "NTM", roaming=False))


def resolve_data_folder(explicit: str | os.PathLike | None = None, create: bool = True) -> DataFolder:
    """--data-dir first, then NTM_DATA_DIR, then the per-user data folder.

    `create=False` (commands that only read) refuses a folder that does not exist instead of making it.
    Raises NotAFolderError, MissingDataFolderError or ReadOnlyFolderError (Vietnamese messages).
    """
    if explicit:
        root = Path(explicit)
    elif os.environ.get(ENV_VAR):
        root = Path(os.environ[ENV_VAR])
    else:
        root = _default_root()
    root = root.expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise NotAFolderError(
            f"“{root}” là một tệp, không phải thư mục, nên không dùng làm thư mục dữ liệu được. "
            "Tệp đó không bị thay đổi. " + _CHOOSE_ANOTHER
        )
    if not root.exists():
        if not create:
            raise MissingDataFolderError(
                f"Không tìm thấy thư mục dữ liệu “{root}”. Hãy kiểm tra lại đường dẫn (có thể gõ nhầm, hoặc USB "
                "chưa được cắm); không có gì được tạo ra. " + _CHOOSE_ANOTHER
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise NotAFolderError(
                f"Không tạo được thư mục dữ liệu “{root}”: một phần của đường dẫn là tệp, không phải thư mục. "
                + _CHOOSE_ANOTHER
            ) from None
        except PermissionError:
            raise ReadOnlyFolderError(
                f"Không tạo được thư mục dữ liệu “{root}”: tài khoản này không có quyền ghi vào thư mục chứa nó. "
                + _CHOOSE_ANOTHER
            ) from None
        except OSError as error:
            raise DataFolderError(
                f"Không tạo được thư mục dữ liệu “{root}”: {error.strerror or error}. " + _CHOOSE_ANOTHER
            ) from None
    return DataFolder(root)


# --- which database: the local SQLite file, or the office's PostgreSQL server ---------------------------------

DATABASE_ENV_VAR = "NTM_DATABASE_URL"

_chosen_database: str | None = None


def choose_database(url: str | None) -> None:
    """`--database URL` of this command (None: none given); it comes before NTM_DATABASE_URL and the folder's
    setting for every workspace the command opens."""
    global _chosen_database
    _chosen_database = url or None


def names_server(folder: DataFolder | None) -> bool:
    """True when `--database`, NTM_DATABASE_URL or the folder's database.json may name a server: a cheap look, so
    that a start on the local file loads nothing of SQLAlchemy before its window paints."""
    if _chosen_database or os.environ.get(DATABASE_ENV_VAR):
        return True
    return folder is not None and (folder.root / "database.json").is_file()  # server.setting.SETTING_NAME


def database_url(folder: DataFolder | None, explicit=None):
    """The server the data folder works on (a SQLAlchemy URL), or None for its local SQLite file.

    First `explicit`, then `--database URL` (choose_database), then NTM_DATABASE_URL, then the data folder's
    setting (database.json, written by `server move` or the server dialog). The password is never stored: without
    one in the URL, the driver takes PGPASSWORD or the user's libpq password file.
    Raises ServerAddressError (Vietnamese) for an address that is not a PostgreSQL server's.
    """
    text = explicit or _chosen_database or os.environ.get(DATABASE_ENV_VAR) or None
    if text is None and folder is not None:
        from ntm_desktop.server.setting import recorded_server

        text = recorded_server(folder.root)
    if not text:
        return None
    from ntm_desktop.server.urls import parse

    return parse(text)
