"""`ntm-desktop units find TEXT`: search the official catalogue of administrative units."""

from __future__ import annotations


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
