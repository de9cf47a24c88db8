"""`ntm-desktop restore --data-dir DIR FILE`: restore a backup (the current state is backed up first).

Another office's backup is refused unless `--accept-other-office` says so: restoring it makes this
installation that office.
"""

from ntm_desktop.cli import data_dir_argument, folder_database


def register(subparsers) -> None:
    parser = subparsers.add_parser("restore", help="khôi phục dữ liệu từ một bản sao lưu")
    data_dir_argument(parser)
    parser.add_argument("file", metavar="TỆP", help="tệp sao lưu (.ntmbak)")
    parser.add_argument("--accept-other-office", action="store_true",
                        help="vẫn khôi phục khi bản sao lưu là của đơn vị khác (máy này sẽ làm việc với tư cách "
                             "đơn vị đó)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ntm_desktop.backup import restore_backup
    from ntm_desktop.backup.office_check import OtherOfficeError
    from ntm_desktop.db import open_database
    from ntm_desktop.paths import database_url, resolve_data_folder
    from ntm_desktop.safety.command_lock import lock_for_command

    folder = resolve_data_folder(args.data_dir)
    if database_url(folder) is not None:
        return _restore_server(folder, Path(args.file))
    lock = lock_for_command(folder)  # refuses while the app has this folder open
    try:
        try:
            result = restore_backup(folder, Path(args.file), accept_other_office=args.accept_other_office,
                                    db=folder_database(folder))
        except OtherOfficeError as error:
            raise OtherOfficeError(
                f"{error}\n\nNếu đúng là máy này chuyển sang làm việc cho đơn vị đó, chạy lại lệnh với "
                "--accept-other-office.", error.current, error.incoming) from None
        open_database(folder.database, backup_dir=folder.backups).dispose()  # bring an older schema up to date
    finally:
        lock.release()
    if result.safety_backup:
        print(f"Đã sao lưu dữ liệu hiện tại trước khi khôi phục: {result.safety_backup.info.path}")
    if result.set_aside:
        print(f"Cơ sở dữ liệu hỏng được giữ lại ở: {result.set_aside}")
    print(f"Đã khôi phục từ {args.file}.")
    if result.office_changed:
        after = result.office_after.label() if result.office_after else "một máy chưa chọn đơn vị"
        print(f"Lưu ý: máy này giờ làm việc với tư cách {after} (trước đây: {result.office_before.label()}).")
    if result.missing_files:
        print(f"Lưu ý: thiếu {len(result.missing_files)} tệp đính kèm (không có trong thư mục sao lưu).")
    return 0


def _restore_server(folder, source) -> int:
    """A folder working on the office's server: a backup of the server (`server backup`: .pgdump, .ntmexport) is
    restored into it; a backup of a PC's own file (.ntmbak) is refused, since the office no longer works on it."""
    from ntm_desktop.db import UpgradeNeededError, open_database
    from ntm_desktop.errors import UserError
    from ntm_desktop.paths import database_url
    from ntm_desktop.server.backup import DUMP_SUFFIX, EXPORT_SUFFIX, restore_server
    from ntm_desktop.server.urls import label
    from ntm_desktop.services import access

    url = database_url(folder)
    folder.require_writable()  # the safety backup is written into the folder's backups
    if source.suffix.lower() not in (DUMP_SUFFIX, EXPORT_SUFFIX):
        raise UserError(
            f"Thư mục dữ liệu này làm việc trên máy chủ ({label(url)}), còn “{source.name}” không phải bản sao lưu "
            f"của máy chủ (tệp {DUMP_SUFFIX} hoặc {EXPORT_SUFFIX} do lệnh “ntm-desktop server backup” tạo ra). Không "
            "có gì bị thay đổi. Bản sao lưu tệp dữ liệu của một máy (.ntmbak) chỉ khôi phục được vào thư mục làm "
            "việc trên tệp của máy đó."
        )
    try:
        db = open_database(url, readonly=True)
    except UpgradeNeededError:
        db = None  # an empty database (or an older schema): no account on it yet to check
    if db is not None:
        try:
            access.require_on(db, access.Permission.BACKUPS)
        finally:
            db.dispose()
    from ntm_desktop.safety.command_lock import lock_for_command

    lock = lock_for_command(folder)  # refuses while the app has this folder open
    try:
        result = restore_server(url, source, backup_folder=folder.backups)
    finally:
        lock.release()
    if result.safety_backup:
        print(f"Đã sao lưu dữ liệu đang có trên máy chủ trước khi khôi phục: {result.safety_backup.path}")
    print(f"Đã khôi phục {label(url)} từ {source}.")
    return 0
