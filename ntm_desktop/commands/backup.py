"""`ntm-desktop backup --data-dir DIR [--to FOLDER]`: back up now (also into FOLDER, e.g. a USB stick)."""

from ntm_desktop.cli import data_dir_argument, folder_database


def register(subparsers) -> None:
    parser = subparsers.add_parser("backup", help="sao lưu dữ liệu ngay")
    data_dir_argument(parser)
    parser.add_argument("--to", metavar="THƯ_MỤC", help="chép thêm bản sao lưu vào thư mục này (ví dụ USB)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ntm_desktop.backup import BackupKind, create_backup
    from ntm_desktop.paths import database_url, resolve_data_folder
    from ntm_desktop.safety.command_lock import lock_for_command

    folder = resolve_data_folder(args.data_dir, create=False)
    if database_url(folder) is not None:
        return _back_up_server(folder, args)
    lock = lock_for_command(folder)  # refused while the window is open: back up from its menu then
    db = folder_database(folder)
    try:
        result = create_backup(folder, BackupKind.MANUAL, to=Path(args.to) if args.to else None, db=db)
    finally:
        if db is not None:
            db.dispose()
        lock.release()
    print(f"Đã sao lưu: {result.info.path} ({result.info.counts_text()})")
    for copy in result.copies:
        print(f"Đã chép thêm: {copy}")
    for warning in result.warnings:
        print(f"Lưu ý: {warning}")
    return 0


def _back_up_server(folder, args) -> int:
    """A folder working on the office's server: the server's data is what is backed up (pg_dump or the app's own
    export, as `server backup`), into the folder's backups (and a copy in --to), not the PC's old local file."""
    from pathlib import Path

    from ntm_desktop.backup import BackupKind, create_backup
    from ntm_desktop.db import open_database
    from ntm_desktop.paths import database_url
    from ntm_desktop.safety.command_lock import lock_for_command

    url = database_url(folder)
    lock = lock_for_command(folder)  # as on the file: refused while the window is open, back up from its menu then
    try:
        folder.require_writable()  # the backups folder is written
        db = open_database(url, readonly=True)
        try:  # the signed-in person may back up (services.access), then the server is backed up
            result = create_backup(folder, BackupKind.MANUAL, to=Path(args.to) if args.to else None, db=db)
        finally:
            db.dispose()
    finally:
        lock.release()
    if result.server.note:
        print(f"Lưu ý: {result.server.note}")
    print(f"Đã sao lưu máy chủ ({result.server.method_label()}): {result.info.path}")
    for copy in result.copies:
        print(f"Đã chép thêm: {copy}")
    for warning in result.warnings:
        print(f"Lưu ý: {warning}")
    return 0
