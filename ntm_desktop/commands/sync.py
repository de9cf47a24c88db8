"""`ntm-desktop sync export|preview|apply|inbox|receipt|template|template-import`: exchange packages without the window."""

from __future__ import annotations

import json
from pathlib import Path

from ntm_desktop.cli import data_dir_argument


def register(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="trao đổi dữ liệu bằng tệp gói với cấp trên, cấp dưới")
    actions = parser.add_subparsers(dest="sync_command", metavar="VIỆC", required=True)

    p = actions.add_parser("export", help="lập gói gửi một đơn vị")
    data_dir_argument(p)
    p.add_argument("--to", required=True, help="mã đơn vị nhận")
    p.add_argument("--full", action="store_true", help="gửi toàn bộ dữ liệu (không chỉ phần thay đổi)")
    p.add_argument("--out", help="tệp gói sẽ ghi (mặc định: tên tự đặt trong thư mục hiện tại)")
    p.set_defaults(func=run_export)

    p = actions.add_parser("preview", help="xem trước một gói (không thay đổi gì)")
    data_dir_argument(p)
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    _confirm_key_argument(p)
    p.set_defaults(func=run_preview)

    p = actions.add_parser("apply", help="áp dụng một gói")
    data_dir_argument(p)
    p.add_argument("file")
    _confirm_key_argument(p)
    p.set_defaults(func=run_apply)

    p = actions.add_parser("inbox", help="áp dụng mọi gói trong một thư mục, rồi in bảng theo dõi")
    data_dir_argument(p)
    p.add_argument("folder")
    p.set_defaults(func=run_inbox)

    p = actions.add_parser("receipt", help="lập giấy báo đã nhận gửi lại đơn vị gửi")
    data_dir_argument(p)
    p.add_argument("--to", required=True, help="mã đơn vị đã gửi gói cho ta")
    p.add_argument("--out", help="tệp giấy báo sẽ ghi")
    p.set_defaults(func=run_receipt)

    p = actions.add_parser("template", help="xuất biểu mẫu Excel cho một xã chưa cài phần mềm điền tiến độ")
    data_dir_argument(p)
    p.add_argument("--unit", required=True, help="mã đơn vị (xã)")
    p.add_argument("--year", required=True, type=int, help="năm báo cáo")
    p.add_argument("--out", help="tệp Excel sẽ ghi (mặc định: bieu-mau-MÃ-NĂM.xlsx trong thư mục hiện tại)")
    p.set_defaults(func=run_template)

    p = actions.add_parser("template-import", help="xem trước hoặc nhập biểu mẫu Excel xã đã điền")
    data_dir_argument(p)
    p.add_argument("--unit", required=True, help="mã đơn vị (xã) của biểu mẫu")
    p.add_argument("--year", required=True, type=int, help="năm báo cáo của biểu mẫu")
    p.add_argument("file")
    p.add_argument("--preview", action="store_true", help="chỉ xem trước (không thay đổi gì)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=run_template_import)

    from ntm_desktop.commands import sync_keys

    sync_keys.register(actions)


def _confirm_key_argument(p) -> None:
    p.add_argument("--confirm-key", metavar="MÃ_KHÓA", help="mã khóa của đơn vị gửi, đã đối chiếu với “Phiếu xác "
                   "nhận khóa” đơn vị đó in ra (cần khi máy này chưa biết khóa của đơn vị gửi)")


def _workspace(args, readonly: bool = False, empty_if_missing: bool = False):
    """Commands that write hold the window's instance lock (refused while it is open); readers need none."""
    from ntm_desktop.workspace import open_workspace

    return open_workspace(getattr(args, "data_dir", None), readonly=readonly, lock=not readonly,
                          empty_if_missing=empty_if_missing)


def run_export(args) -> int:
    from ntm_desktop.sync.apply import entity_label
    from ntm_desktop.sync.export import export_package

    ws = _workspace(args)
    try:
        user = ws.user()
        with ws.db.transaction(user) as session:
            result = export_package(session, ws.folder.files, args.to, Path(args.out) if args.out else None,
                                    full=args.full, user=user)
    finally:
        ws.close()
    print(f"Đã lập gói số {result.manifest.sequence} gửi {result.manifest.destination_code}: {result.path}")
    for entity, count in result.counts.items():
        if count:
            print(f"  {entity_label(entity)}: {count}")
    print(f"  Tệp đính kèm: {result.files}")
    return 0


def _print_plan(plan) -> None:
    s = plan.summary()
    from ntm_desktop.services.dates import format_vn_datetime

    print(f"Gói số {s['sequence']} của {s['origin']} gửi {s['destination']}, lập lúc {format_vn_datetime(s['created_utc'])}")
    for line in plan.package.adoption.lines() if plan.package.adoption else ():
        print(f"  {line}")
    if plan.package.catalogue_edition:
        print(f"  {plan.package.catalogue_edition.preview_line()}")
    _print_counts(s)


def _print_counts(s: dict) -> None:
    from ntm_desktop.sync.apply import entity_label
    from ntm_desktop.sync.preview import OUTCOME_LABELS

    for entity, counts in s["counts"].items():
        parts = ", ".join(f"{OUTCOME_LABELS[o]} {n}" for o, n in counts.items() if n)
        print(f"  {entity_label(entity)}: {parts}")
    for item in s["rejected"]:
        print(f"  Từ chối {entity_label(item['entity'])} {item['id']}: {item['reason']}")


def run_preview(args) -> int:
    from ntm_desktop.sync.apply import ApplyResult, preview_file

    ws = _workspace(args, readonly=True, empty_if_missing=True)  # a new folder: as a new installation
    try:
        plan = preview_file(ws, Path(args.file), confirmed_key=args.confirm_key)
    finally:
        ws.close()
    if isinstance(plan, ApplyResult):
        print(json.dumps({"status": plan.status, "message": plan.message}, ensure_ascii=False) if args.json else plan.message)
        return 0
    if args.json:
        print(json.dumps(plan.summary(), ensure_ascii=False, indent=1))
    else:
        _print_plan(plan)
    return 0


def run_apply(args) -> int:
    from ntm_desktop.sync.apply import apply_file

    ws = _workspace(args)
    try:
        result = apply_file(ws, Path(args.file), confirmed_key=args.confirm_key)
    finally:
        ws.close()
    print(result.message)
    return 0


def run_inbox(args) -> int:
    from ntm_desktop.sync.inbox import board, process_folder

    ws = _workspace(args)
    try:
        outcomes = process_folder(ws, Path(args.folder))
        with ws.db.transaction() as session:
            rows = board(session)
    finally:
        ws.close()
    for o in outcomes:
        print(f"[{o.status}] {o.file_name}: {o.message}")
    print("Bảng theo dõi:")
    for r in rows:
        gaps = f"; thiếu gói số {', '.join(map(str, r.gaps))}" if r.gaps else ""
        print(f"  {r.unit_code} {r.unit_name}: gói mới nhất số {r.last_sequence or '-'}{gaps}; "
              f"{len(r.refused)} tệp bị từ chối; {r.conflicts_waiting} xung đột chờ xử lý")
    return 0 if all(o.status != "refused" for o in outcomes) else 1


def run_receipt(args) -> int:
    from ntm_desktop.sync.receipts import export_receipt

    ws = _workspace(args)
    try:
        user = ws.user()
        with ws.db.transaction(user) as session:
            path = export_receipt(session, args.to, Path(args.out) if args.out else None, user=user)
    finally:
        ws.close()
    print(f"Đã lập giấy báo đã nhận: {path}")
    return 0


def run_template(args) -> int:
    from ntm_desktop.sync.excel_template import export_template

    code = args.unit.strip().upper()
    out = Path(args.out) if args.out else Path(f"bieu-mau-{code}-{args.year}.xlsx")
    ws = _workspace(args, readonly=True)
    try:
        with ws.db.transaction() as session:
            path = export_template(session, code, args.year, out)
    finally:
        ws.close()
    print(f"Đã xuất biểu mẫu năm {args.year} cho {code}: {path.resolve()}")
    return 0


def run_template_import(args) -> int:
    from ntm_desktop.sync.excel_template import import_template, preview_template

    ws = _workspace(args, readonly=args.preview)
    try:
        if not args.preview:
            result = import_template(ws, Path(args.file), args.unit, args.year, user=ws.user())
            print(json.dumps({"status": result.status, "message": result.message}, ensure_ascii=False)
                  if args.json else result.message)
            return 0
        plan = preview_template(ws, Path(args.file), args.unit, args.year)
    finally:
        ws.close()
    s = plan.summary()
    if args.json:
        s["already_imported"] = plan.package.already_imported
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return 0
    print(f"Biểu mẫu Excel của {s['origin']}, năm {args.year} ({Path(args.file).name}); chưa có gì thay đổi:")
    _print_counts(s)
    if not s["counts"]:
        print("  Không có nội dung mới để nhập.")
    if plan.already:
        print(plan.already)
    return 0
