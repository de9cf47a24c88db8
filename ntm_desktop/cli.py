"""Command line: `ntm-desktop [command] --data-dir DIR ...`; no command starts the app.

Each command lives in a module of `ntm_desktop.commands` that defines
`register(subparsers)`; the module's parser sets `func(args) -> int`.
"""

from __future__ import annotations

import errno
import sys
from types import SimpleNamespace

from ntm_desktop.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib
    import pkgutil

    from ntm_desktop import __version__, argparse_vi, commands

    argparse_vi.install()
    parser = argparse.ArgumentParser(
        prog="ntm-desktop",
        description="NTM Desktop: theo dõi văn bản chỉ đạo, nhiệm vụ và tiêu chí nông thôn mới.",
    )
    parser.add_argument("--version", action="version", version=__version__, help="in số phiên bản rồi thoát")
    parser.add_argument("--data-dir", metavar="THƯ_MỤC",
                        help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng hoặc NTM_DATA_DIR)")
    parser.add_argument("--user", metavar="TÊN_ĐĂNG_NHẬP",
                        help="tài khoản chạy lệnh khi phần mềm đã bật đăng nhập (mật khẩu: hỏi khi chạy, hoặc "
                             "biến môi trường NTM_PASSWORD)")
    parser.add_argument("--database", metavar="ĐỊA_CHỈ", help=DATABASE_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"ntm_desktop.commands.{info.name}").register(subparsers)
    argparse_vi.name_placeholders(parser)
    return parser


DATABASE_HELP = ("cơ sở dữ liệu trên máy chủ PostgreSQL của văn phòng, dạng "
                 "postgresql+psycopg://người_dùng@máy_chủ:5432/tên (mặc định: NTM_DATABASE_URL, cài đặt của thư mục "
                 "dữ liệu, hoặc tệp dữ liệu trên máy này)")


def data_dir_argument(parser: argparse.ArgumentParser) -> None:
    """Let `--data-dir` stand after the command too (`ntm-desktop demo --data-dir X`)."""
    import argparse

    parser.add_argument("--data-dir", metavar="THƯ_MỤC", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    if "--database" not in parser._option_string_actions:  # `server` commands name theirs
        parser.add_argument("--database", metavar="ĐỊA_CHỈ", default=argparse.SUPPRESS, help=DATABASE_HELP)
    parser.add_argument("--user", metavar="TÊN_ĐĂNG_NHẬP", default=argparse.SUPPRESS,
                        help="tài khoản chạy lệnh khi phần mềm đã bật đăng nhập")


_OS_REASONS = {
    errno.EACCES: "tài khoản này không có quyền", errno.EPERM: "tài khoản này không có quyền",
    errno.EROFS: "ổ đĩa chỉ cho đọc", errno.ENOSPC: "ổ đĩa đã đầy", errno.ENOENT: "không tìm thấy",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục", errno.EISDIR: "đó là thư mục, không phải tệp",
}


def folder_database(folder):
    """The data folder's database opened read-only, so that a command on the folder as a whole (backup,
    restore) checks the role of the account given with --user; None when the folder has no database yet."""
    from ntm_desktop.db import open_database

    return open_database(folder.database, readonly=True) if folder.database.is_file() else None


def describe_os_error(error: OSError) -> str:
    where = f" “{error.filename}”" if error.filename else ""
    reason = _OS_REASONS.get(error.errno, error.strerror or str(error))
    return (f"không đọc hoặc ghi được{where} ({reason}). Hãy kiểm tra đường dẫn, quyền ghi và chỗ trống trên ổ đĩa "
            "rồi chạy lại.")


def _app_start(argv: list[str]) -> SimpleNamespace | None:
    """`ntm-desktop [--data-dir DIR] [--database URL]`, the way the app is started: no need to build every
    command's parser (the window paints sooner). None for anything else."""
    found = {"--data-dir": None, "--database": None}
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, _, value = arg.partition("=")
        if name not in found:
            return None
        if not value and rest and not rest[0].startswith("-"):
            value = rest.pop(0)
        if not value:
            return None
        found[name] = value
    return SimpleNamespace(command=None, data_dir=found["--data-dir"], database=found["--database"])


def main(argv: list[str] | None = None) -> int:
    from ntm_desktop import paths

    start = _app_start(sys.argv[1:] if argv is None else argv)
    if start is not None:
        from ntm_desktop.commands.run import run_app

        paths.choose_database(start.database)
        return run_app(start)
    parser = build_parser()
    args = parser.parse_args(argv)
    paths.choose_database(getattr(args, "database", None))  # every workspace this command opens
    if not getattr(args, "func", None):
        from ntm_desktop.commands.run import run_app

        return run_app(args)
    from ntm_desktop.services import access

    try:
        if getattr(args, "user", None):
            access.command_line_sign_in(args.user, _password())
        return args.func(args) or 0
    except UserError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        if isinstance(error, access.AccessDenied) and not getattr(args, "user", None):
            print("Trên dòng lệnh, thêm --user TÊN_ĐĂNG_NHẬP (mật khẩu hỏi khi chạy, hoặc đặt trong biến môi trường "
                  "NTM_PASSWORD).", file=sys.stderr)
        return 2
    except OSError as error:  # a file or folder the command was given cannot be read or written
        print(f"Lỗi: {describe_os_error(error)}", file=sys.stderr)
        return 2
    finally:
        access.command_line_sign_in(None)
        paths.choose_database(None)


def _password() -> str:
    """The password of `--user`: NTM_PASSWORD, else asked without echo."""
    import getpass
    import os

    return os.environ.get("NTM_PASSWORD") or getpass.getpass("Mật khẩu: ")


if __name__ == "__main__":
    sys.exit(main())
