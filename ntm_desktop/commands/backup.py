"""`ntm-desktop backup --data-dir DIR [--to FOLDER]`: back up now (also into FOLDER, e.g. a USB stick);
`--list`: the backups kept in the data folder, newest first, with their kind (as the backup dialog lists them)."""

from ntm_desktop.cli import data_dir_argument, folder_database


def register(subparsers) -> None:
    parser = subparsers.add_parser("backup", help="sao lưu dữ liệu ngay")
    data_dir_argument(parser)
    parser.add_argument("--to", metavar="THƯ_MỤC", help="chép thêm bản sao lưu vào thư mục này (ví dụ USB)")
    parser.add_argument("--list", action="store_true",
                        help="chỉ liệt kê các bản sao lưu đang giữ (mới nhất trước: thời điểm, loại, số liệu, tệp), "
                             "không sao lưu")
    parser.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ntm_desktop.backup import BackupKind, create_backup
    from ntm_desktop.paths import database_url, resolve_data_folder
    from ntm_desktop.safety.command_lock import lock_for_command

    folder = resolve_data_folder(args.data_dir, create=False)
    if args.list:
        return _list(folder)
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


def _list(folder) -> int:
    """The backups in the folder's backups/: the server's when the folder works on the office's server, else the
    file's; read only, nothing is locked or written."""
    from ntm_desktop.paths import database_url

    if database_url(folder) is not None:
        from ntm_desktop.server.backup import list_server_backups

        found = list_server_backups(folder.backups)
    else:
        from ntm_desktop.backup import list_backups

        found = list_backups(folder.backups)
    if not found:
        print(f"Chưa có bản sao lưu nào trong “{folder.backups}”.")
        return 0
    print(f"{len(found)} bản sao lưu trong “{folder.backups}” (mới nhất trước):")
    for b in found:
        print(f"  {b.created_at:%d/%m/%Y %H:%M}  {b.kind_label()}  {b.counts_text()}  {b.path.name}")
    return 0
