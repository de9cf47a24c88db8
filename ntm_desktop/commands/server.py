"""`ntm-desktop server check|init|move|backup|restore --database URL`: the office's PostgreSQL server.

The address is SQLAlchemy's (`postgresql+psycopg://user@host:5432/ntm`), from --database or NTM_DATABASE_URL; a
password in it is used for this command only and never written anywhere (PGPASSWORD works too).
"""

from __future__ import annotations

import argparse
import os

from ntm_desktop.cli import data_dir_argument

EPILOG = """Ví dụ:
  ntm-desktop server check --database postgresql+psycopg://ntm@192.168.1.10:5432/ntm
      Kiểm tra kết nối: máy chủ có tới được không, mật khẩu, cơ sở dữ liệu đang chứa gì.
  ntm-desktop server init --database postgresql+psycopg://ntm@192.168.1.10:5432/ntm
      Tạo cấu trúc dữ liệu của NTM Desktop trong một cơ sở dữ liệu trống trên máy chủ.
  ntm-desktop server move --database postgresql+psycopg://ntm@192.168.1.10:5432/ntm --data-dir D:\\NTM
      Chép toàn bộ dữ liệu của máy này lên máy chủ (một giao dịch, đối chiếu số dòng từng bảng); từ lần sau
      phần mềm mở dữ liệu trên máy chủ, tệp trên máy này được giữ nguyên làm bản sao.
  ntm-desktop server backup --database ... --to E:\\SaoLuu
  ntm-desktop server restore --database ... E:\\SaoLuu\\ntm-may-chu-2026-12-01_083000.pgdump"""


def _database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", metavar="ĐỊA_CHỈ", default=argparse.SUPPRESS,
                        help="địa chỉ máy chủ PostgreSQL, dạng postgresql+psycopg://người_dùng@máy_chủ:5432/tên "
                             "(hoặc biến môi trường NTM_DATABASE_URL)")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "server", help="máy chủ PostgreSQL của văn phòng: kiểm tra, tạo cấu trúc, chuyển dữ liệu, sao lưu",
        description="Dùng chung một cơ sở dữ liệu PostgreSQL trên mạng của văn phòng cho nhiều máy.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="server_command", metavar="LỆNH", title="lệnh", required=True)
    steps = (
        ("check", "kiểm tra kết nối tới máy chủ và cơ sở dữ liệu đang chứa gì", run_check),
        ("init", "tạo (hoặc nâng cấp) cấu trúc dữ liệu trên một cơ sở dữ liệu trống", run_init),
        ("move", "chuyển toàn bộ dữ liệu của máy này lên một cơ sở dữ liệu trống trên máy chủ", run_move),
        ("backup", "sao lưu cơ sở dữ liệu trên máy chủ (pg_dump, hoặc bản xuất riêng)", run_backup),
        ("restore", "khôi phục cơ sở dữ liệu trên máy chủ từ một bản sao lưu", run_restore),
    )
    for name, help_text, func in steps:
        sub = commands.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        _database_argument(sub)
        if name in ("move", "backup", "restore"):
            data_dir_argument(sub)
        if name == "backup":
            sub.add_argument("--to", metavar="THƯ_MỤC",
                             help="thư mục chứa bản sao lưu (mặc định: thư mục backups của thư mục dữ liệu)")
            sub.add_argument("--no-pg-dump", action="store_true", help="dùng bản xuất riêng kể cả khi có pg_dump")
        if name == "restore":
            sub.add_argument("file", metavar="TỆP", help="bản sao lưu máy chủ (.pgdump hoặc .ntmexport)")
        sub.set_defaults(func=func)


def _url(args):
    from ntm_desktop.server.urls import ServerAddressError, parse

    text = getattr(args, "database", None) or os.environ.get("NTM_DATABASE_URL")
    if not text:
        raise ServerAddressError("Chưa cho biết địa chỉ máy chủ: thêm --database postgresql+psycopg://người_dùng@"
                                 "máy_chủ:5432/tên (hoặc đặt biến môi trường NTM_DATABASE_URL).")
    url = parse(text)
    if not url.password and os.environ.get("PGPASSWORD"):
        url = url.set(password=os.environ["PGPASSWORD"])
    return url


def run_check(args) -> int:
    from ntm_desktop.server.probe import probe

    found = probe(_url(args))
    print(found.message)
    return 0 if found.state.reached else 2


def run_init(args) -> int:
    from ntm_desktop.server.schema import init_server
    from ntm_desktop.server.urls import label

    url = _url(args)
    result = init_server(url)
    if result.changed:
        print(f"Đã tạo cấu trúc dữ liệu của NTM Desktop (phiên bản {result.after.revision}) trong {label(url)}.")
    else:
        print(f"{label(url)} đã có cấu trúc dữ liệu của phiên bản này; không có gì thay đổi.")
    return 0


def run_move(args) -> int:
    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.safety.command_lock import lock_for_command
    from ntm_desktop.server.move import move_office
    from ntm_desktop.server.setting import record_server
    from ntm_desktop.server.urls import label, without_password

    url = _url(args)
    folder = resolve_data_folder(getattr(args, "data_dir", None), create=False)
    lock = lock_for_command(folder)  # the window must not write the local file meanwhile
    try:
        result = move_office(folder, url, say=print)
        record_server(folder, url)
    finally:
        lock.release()
    total = sum(result.counts.values())
    print(f"Đã chuyển {total} dòng dữ liệu ({len(result.counts)} bảng, số dòng từng bảng khớp) và "
          f"{result.files} tệp đính kèm lên {label(url)}.")
    for name, n in result.counts.items():
        if n:
            print(f"  {name}: {n}")
    if result.missing_files:
        print(f"Lưu ý: thiếu {len(result.missing_files)} tệp đính kèm trong thư mục dữ liệu (không chép được).")
    print(f"Từ lần sau phần mềm mở dữ liệu trên máy chủ ({without_password(url)}); tệp dữ liệu trên máy này được giữ "
          "nguyên làm bản sao để xem khi máy chủ không tới được.")
    return 0


def run_backup(args) -> int:
    from pathlib import Path

    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.server.backup import backup_server

    url = _url(args)
    folder = Path(args.to) if args.to else resolve_data_folder(getattr(args, "data_dir", None)).backups
    result = backup_server(url, folder, use_pg_dump=False if args.no_pg_dump else None)
    if result.note:
        print(f"Lưu ý: {result.note}")
    print(f"Đã sao lưu máy chủ ({result.method_label()}): {result.path}")
    return 0


def run_restore(args) -> int:
    from pathlib import Path

    from ntm_desktop.paths import resolve_data_folder
    from ntm_desktop.server.backup import restore_server
    from ntm_desktop.server.urls import label

    url = _url(args)
    folder = resolve_data_folder(getattr(args, "data_dir", None)).backups
    result = restore_server(url, Path(args.file), backup_folder=folder)
    if result.safety_backup:
        print(f"Đã sao lưu dữ liệu đang có trên máy chủ trước khi khôi phục: {result.safety_backup.path}")
    print(f"Đã khôi phục {label(url)} từ {args.file}.")
    return 0
