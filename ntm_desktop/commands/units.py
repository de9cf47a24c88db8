"""`ntm-desktop units find|link|former|update`: the official catalogue of administrative units: search it, link
units typed by hand to it, link units from before the 2025 reform to their successors, apply a newer edition."""

from __future__ import annotations

from ntm_desktop.cli import data_dir_argument


def register(subparsers) -> None:
    parser = subparsers.add_parser("units", help="tra cứu danh mục đơn vị hành chính (34 tỉnh, 3.321 xã, phường)")
    actions = parser.add_subparsers(dest="units_command", metavar="VIỆC", required=True)

    p = actions.add_parser(
        "find", help="tìm đơn vị hành chính theo tên hoặc mã (gõ không dấu cũng được)",
        description="Tìm trong danh mục đơn vị hành chính theo tên hoặc mã, không phân biệt dấu và chữ hoa: "
                    "“muong bo” tìm được Xã Mường Bo. In mã, tên và tỉnh của từng đơn vị; đơn vị trước ngày "
                    "01/7/2025 kèm đơn vị hiện nay kế thừa nó.")
    p.add_argument("text", nargs="+", metavar="TÊN_HOẶC_MÃ", help="tên (hoặc một phần tên) hay mã đơn vị")
    p.add_argument("--province", metavar="MÃ_TỈNH", help="chỉ tìm trong tỉnh này (mã 2 chữ số)")
    p.add_argument("--current", action="store_true", help="chỉ đơn vị hiện nay (bỏ đơn vị trước 01/7/2025)")
    p.add_argument("--limit", type=int, default=30, metavar="SỐ", help="số kết quả tối đa (mặc định 30)")
    p.set_defaults(func=run_find)

    p = actions.add_parser("link", help="gắn một đơn vị tạo tay với đơn vị cùng tên trong danh mục (giữ nguyên dữ liệu)")
    data_dir_argument(p)
    p.add_argument("unit", metavar="MÃ_ĐƠN_VỊ", help="mã của đơn vị tạo tay ở máy này, ví dụ LC-MUONGBO")
    p.add_argument("official", metavar="MÃ_DANH_MỤC", help="mã đơn vị hành chính trong danh mục, ví dụ 03043")
    p.set_defaults(func=run_link)

    p = actions.add_parser("former", help="tìm đơn vị trước ngày 01/7/2025 trong cây đơn vị và ghi đơn vị kế thừa")
    data_dir_argument(p)
    p.add_argument("--apply", action="store_true", help="ghi ngày hết hiệu lực và đơn vị kế thừa (mặc định chỉ liệt kê)")
    p.set_defaults(func=run_former)

    p = actions.add_parser("update", help="áp dụng bản danh mục đơn vị hành chính mới hơn do cấp trên gửi")
    data_dir_argument(p)
    p.add_argument("file", metavar="TỆP", help="tệp danh mục (catalogue.json) của bản mới")
    p.set_defaults(func=run_update)


def describe(entry, cat) -> str:
    """One line: code, name, province; a former unit with its district and what carries it on."""
    if entry.in_force:
        where = "" if entry.is_province else f" — {cat.province_of(entry).name}"
        return f"{entry.code:<9} {entry.name}{where}"
    around = [e.name for e in (cat.district_of(entry), cat.province_of(entry) if not entry.is_province else None) if e]
    now = cat.successors(entry)
    if entry.is_district and len(now) > 1:
        after = f"nay thuộc {len(now)} xã, phường: " + ", ".join(f"{e.name} ({e.code})" for e in now[:4]) + (
            ", …" if len(now) > 4 else "")
    elif entry.divided:
        after = "nay chia cho " + ", ".join(f"{e.name} ({e.code})" for e in now) + f"; phần chính: {now[0].name}"
    else:
        after = "nay là " + ", ".join(f"{e.name} ({e.code}" + (
            "" if e.is_province else f", {cat.province_of(e).name}") + ")" for e in now)
    place = f" — {', '.join(around)}" if around else ""
    return f"{entry.ref:<9} {entry.name}{place} (đến {entry.valid_to:%d/%m/%Y}); {after}"


def run_find(args) -> int:
    from ntm_desktop.catalogue import catalogue
    from ntm_desktop.errors import ValidationError

    cat = catalogue()
    if args.limit < 1:
        raise ValidationError("--limit phải là số dương, ví dụ --limit 30.")
    province = cat.province(args.province).code if args.province else None
    text = " ".join(args.text)
    found = cat.search(text, limit=args.limit + 1, province_code=province, in_force_only=args.current)
    if not found:
        print(f"Không tìm thấy đơn vị nào khớp “{text}” trong {cat.label()}.")
        return 1
    for entry in found[:args.limit]:
        print(describe(entry, cat))
    if len(found) > args.limit:
        print(f"… còn nữa; hãy gõ cụ thể hơn hoặc dùng --limit.")
    return 0


def _workspace(args):
    from ntm_desktop.workspace import open_workspace

    return open_workspace(getattr(args, "data_dir", None), lock=True)


def run_link(args) -> int:
    from sqlalchemy import select

    from ntm_desktop.catalogue.linking import link_unit
    from ntm_desktop.errors import ValidationError
    from ntm_desktop.models import Unit

    ws = _workspace(args)
    try:
        with ws.db.transaction(ws.user()) as session:
            unit_id = session.scalar(select(Unit.id).where(Unit.code == args.unit.strip().upper()))
            if unit_id is None:
                raise ValidationError(f"Không có đơn vị mã “{args.unit}” ở máy này. Hãy kiểm tra lại mã đơn vị.")
            linked = link_unit(session, unit_id, args.official)
            now = session.get(Unit, linked.unit_id if linked.rekeyed else session.get(Unit, unit_id).successor_id
                              or unit_id)
            label = f"{now.name} (mã {now.code})"
    finally:
        ws.close()
    if linked.rekeyed:
        print(f"Đã gắn “{linked.name}” với danh mục: nay là {label}, giữ nguyên văn bản, nhiệm vụ và kết quả đã nhập.")
    else:
        print(f"“{linked.name}” đã được gửi đi hoặc nhận từ đơn vị khác nên giữ mã định danh cũ; đơn vị kế thừa: "
              f"{label}.")
    return 0


def run_former(args) -> int:
    from ntm_desktop.catalogue.former import find_former_units, link_former_units

    ws = _workspace(args)
    try:
        with ws.db.transaction(ws.user()) as session:
            links = find_former_units(session)
            for link in links:
                after = f"đơn vị kế thừa: {link.successor.body_name} (mã {link.successor.code})" if link.successor else (
                    "không có một đơn vị kế thừa duy nhất (các xã của huyện sáp nhập vào nhiều xã mới)")
                print(f"{link.unit_name}: là {link.former.name} (đến {link.former.valid_to:%d/%m/%Y}); {after}")
            if args.apply and links:
                link_former_units(session, links)
    finally:
        ws.close()
    if not links:
        print("Không có đơn vị nào cần ghi đơn vị kế thừa.")
    elif args.apply:
        print(f"Đã ghi ngày hết hiệu lực và đơn vị kế thừa cho {len(links)} đơn vị.")
    else:
        print("Chưa ghi gì; chạy lại với --apply để ghi.")
    return 0


def run_update(args) -> int:
    from pathlib import Path

    from ntm_desktop.catalogue.updates import apply_edition, read_edition

    newer = read_edition(Path(args.file))
    ws = _workspace(args)
    try:
        with ws.db.transaction(ws.user()) as session:
            report = apply_edition(session, newer)
    finally:
        ws.close()
    for line in report.lines():
        print(line)
    return 0
