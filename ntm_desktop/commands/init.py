"""`ntm-desktop init --data-dir DIR --office CODE [--kind xa|vpdp|so|khac] [--name ...]`: set up an empty data
folder for an office chosen from the official catalogue of administrative units, so a PC is ready to use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ntm_desktop.cli import data_dir_argument

EPILOG = """Ví dụ:
  ntm-desktop init --data-dir D:\\NTM --office 03043
      Ủy ban nhân dân xã Mường Bo (tỉnh Lào Cai): tạo đơn vị của xã, tỉnh Lào Cai và Văn phòng Điều phối
      nông thôn mới tỉnh (nơi nhận báo cáo).
  ntm-desktop init --data-dir D:\\NTM --office 15 --kind vpdp
      Văn phòng Điều phối nông thôn mới tỉnh Lào Cai: tạo tỉnh, văn phòng và mọi xã, phường của tỉnh.
  ntm-desktop init --data-dir D:\\NTM --office 15-SNNMT --kind so --name "Sở Nông nghiệp và Môi trường"
      Một sở của tỉnh Lào Cai, mã 15-SNNMT, cùng các xã, phường của tỉnh.
Mã đơn vị hành chính tìm bằng: ntm-desktop units find "muong bo"."""


def register(subparsers) -> None:
    import argparse

    parser = subparsers.add_parser(
        "init", help="cài đặt thư mục dữ liệu trống cho một cơ quan theo danh mục đơn vị hành chính",
        description="Cài đặt một thư mục dữ liệu trống cho cơ quan có mã đơn vị hành chính đã cho (danh mục "
                    "34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ 01/7/2025): tạo đơn vị của cơ quan, "
                    "đơn vị cấp trên, tỉnh và (với cơ quan cấp tỉnh) mọi xã, phường của tỉnh, rồi đặt cơ quan "
                    "này là đơn vị của máy. Thư mục đã cài đặt, mã không có trong danh mục hay xã không thuộc "
                    "tỉnh đã cho đều bị từ chối, không có gì bị thay đổi.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_dir_argument(parser)
    parser.add_argument("--office", required=True, metavar="MÃ",
                        help="mã đơn vị hành chính của cơ quan: mã xã, phường, đặc khu (5 chữ số) với loại xa; "
                             "mã tỉnh (2 chữ số) với loại vpdp, so, khac; với so, khac có thể ghi cả mã cơ quan "
                             "dưới tỉnh, ví dụ 15-SNNMT")
    parser.add_argument("--kind", default="xa", choices=["xa", "vpdp", "so", "khac"], metavar="LOẠI",
                        help="loại cơ quan: xa (Ủy ban nhân dân xã, phường, đặc khu; mặc định), vpdp (Văn phòng "
                             "Điều phối nông thôn mới tỉnh), so (sở, ban, ngành của tỉnh), khac (cơ quan khác)")
    parser.add_argument("--province", metavar="MÃ_TỈNH",
                        help="mã tỉnh để đối chiếu: xã phải thuộc tỉnh này (không bắt buộc)")
    parser.add_argument("--name", metavar="TÊN", help="tên cơ quan (bắt buộc với loại so và khac)")
    parser.set_defaults(func=run)


def _choice(args):
    from ntm_desktop.catalogue import OfficeChoice, catalogue

    cat = catalogue()
    office = (args.office or "").strip().upper()
    head, _, rest = office.partition("-")
    province, commune, code = args.province or "", "", ""
    if args.kind == "xa":
        commune = office
    elif rest:  # "15-SNNMT" or "03043-TRUONG": the office's own code under a province or commune
        entry = cat.unit(head)
        code = office
        if entry.is_province:
            province = province or entry.code
        else:
            commune = entry.code
    else:
        entry = cat.unit(office)
        if entry.is_province or args.kind != "khac":
            province = province or office
            if not entry.is_province:
                commune = office  # refused by the checks with the reason
        else:
            commune = office
    return OfficeChoice(args.kind, province, commune, args.name or "", code)


def _held(folder) -> str | None:
    """What the folder's database already holds: its SQLite file, or the office's server it works on."""
    from ntm_desktop.paths import database_url

    url = database_url(folder)
    return _already_set_up_on_server(url) if url is not None else _already_set_up(folder.database)


def _already_set_up_on_server(url) -> str | None:
    from sqlalchemy import func, select

    from ntm_desktop.db import UpgradeNeededError, open_database
    from ntm_desktop.models import Directive, Unit
    from ntm_desktop.services import settings

    try:
        db = open_database(url, readonly=True)
    except UpgradeNeededError:
        return None  # an empty database (the schema is made by open_workspace below) or an older one
    try:
        with db.transaction() as session:
            office_id = settings.office_unit_id(session)
            if office_id:
                unit = session.get(Unit, office_id)
                return f"“{unit.name}” (mã {unit.code})" if unit else "một đơn vị"
            for model in (Unit, Directive):
                if session.scalar(select(func.count()).select_from(model)):
                    return "dữ liệu đã nhập (chưa chọn đơn vị)"
    finally:
        db.dispose()
    return None


def _already_set_up(database: Path) -> str | None:
    """The office (or "data") a database already holds, read without writing anything; None for an empty one."""
    if not database.is_file():
        return None
    try:
        con = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "settings" not in tables:
                return None
            row = con.execute("SELECT value FROM settings WHERE key = 'office_unit_id'").fetchone()
            if row and row[0]:
                unit = con.execute("SELECT name, code FROM units WHERE id = ?", (row[0],)).fetchone()
                return f"“{unit[0]}” (mã {unit[1]})" if unit else "một đơn vị"
            for table in ("units", "directives"):
                if table in tables and con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                    return "dữ liệu đã nhập (chưa chọn đơn vị)"
        finally:
            con.close()
    except sqlite3.Error:
        return "một cơ sở dữ liệu không đọc được"
    return None


def run(args) -> int:
    from ntm_desktop.catalogue import AlreadySetUpError, catalogue, check_choice, set_up_office
    from ntm_desktop.paths import MissingDataFolderError, resolve_data_folder
    from ntm_desktop.workspace import open_workspace

    choice = _choice(args)
    plan = check_choice(choice)  # a wrong code or a commune of another province: refused before any file is made
    try:
        folder = resolve_data_folder(getattr(args, "data_dir", None), create=False)
    except MissingDataFolderError:
        folder = None  # made by open_workspace below
    held = _held(folder) if folder is not None else None
    if held:
        raise AlreadySetUpError(
            f"Thư mục dữ liệu “{folder.root}” đã được cài đặt ({held}); lệnh init chỉ cài thư mục trống. Không có gì bị "
            "thay đổi. Hãy chọn một thư mục khác, hoặc mở phần mềm trên thư mục này để làm việc.")
    workspace = open_workspace(getattr(args, "data_dir", None), lock=True)
    try:
        with workspace.db.transaction("init") as session:
            result = set_up_office(session, choice)
    finally:
        workspace.close()
    cat = catalogue()
    print(f"Đã cài đặt thư mục dữ liệu {workspace.folder.root}")
    print(f"Đơn vị của máy: {result.office_name} (mã {result.office_code}), {plan.province.name}")
    print(f"Đã tạo {result.created} đơn vị theo {cat.label()}"
          + (f", trong đó {result.communes} xã, phường, đặc khu của tỉnh." if result.communes > 1 else "."))
    return 0
