"""`ntm-desktop sync key-slip|keys|new-key|revoke-key|confirm-pending-key|limits`: keys and caps of packages."""

from __future__ import annotations

from pathlib import Path

from ntm_desktop.cli import data_dir_argument


def register(actions) -> None:
    p = actions.add_parser("key-slip", help="in “Phiếu xác nhận khóa” (PDF) để đơn vị khác đối chiếu khóa của đơn vị mình")
    data_dir_argument(p)
    p.add_argument("--out", required=True, help="tệp PDF sẽ ghi")
    p.set_defaults(func=run_key_slip)

    p = actions.add_parser("keys", help="liệt kê khóa của các đơn vị mà máy này biết")
    data_dir_argument(p)
    p.set_defaults(func=run_keys)

    p = actions.add_parser("new-key", help="tạo khóa mới cho đơn vị này (khóa cũ ký chuyển giao cho khóa mới)")
    data_dir_argument(p)
    p.set_defaults(func=run_new_key)

    p = actions.add_parser("revoke-key", help="thu hồi khóa của một đơn vị cấp dưới (máy bị mất, khóa bị lộ)")
    data_dir_argument(p)
    p.add_argument("fingerprint", metavar="MÃ_KHÓA", help="mã khóa cần thu hồi (xem bằng lệnh sync keys)")
    p.set_defaults(func=run_revoke)

    p = actions.add_parser("confirm-pending-key", help="xác nhận một khóa đang chờ, sau khi đã gọi điện đối chiếu")
    data_dir_argument(p)
    p.add_argument("fingerprint", metavar="MÃ_KHÓA")
    p.set_defaults(func=run_confirm_pending)

    p = actions.add_parser("limits", help="xem hoặc đặt giới hạn tệp đính kèm của một gói nhận được")
    data_dir_argument(p)
    p.add_argument("--files", type=int, metavar="SỐ_TỆP", help="số tệp đính kèm tối đa một gói (mặc định 2000)")
    p.add_argument("--mb", type=int, metavar="SỐ_MB", help="tổng dung lượng tệp đính kèm tối đa một gói, MB (mặc định 2048)")
    p.set_defaults(func=run_limits)


def _workspace(args, readonly: bool = False):
    from ntm_desktop.workspace import open_workspace

    return open_workspace(getattr(args, "data_dir", None), readonly=readonly, lock=not readonly)


def run_key_slip(args) -> int:
    from ntm_desktop.reports.key_slip import write_key_slip
    from ntm_desktop.sync import keys

    ws = _workspace(args)
    try:
        with ws.db.transaction(ws.user()) as session:
            path = write_key_slip(session, Path(args.out))
            fingerprint = keys.own_key(session).fingerprint
    finally:
        ws.close()
    print(f"Đã in phiếu xác nhận khóa: {path}")
    print(f"Mã khóa của đơn vị: {fingerprint}")
    return 0


def run_keys(args) -> int:
    from ntm_desktop.services.dates import format_vn_datetime
    from ntm_desktop.sync import keys

    ws = _workspace(args, readonly=True)
    try:
        with ws.db.transaction() as session:
            rows = [(r.unit_code, r.fingerprint, keys.STATUS_LABELS.get(r.status, r.status), r.source,
                     format_vn_datetime(r.revoked_at) if r.revoked_at else "") for r in keys.known_keys(session)]
    finally:
        ws.close()
    if not rows:
        print("Máy này chưa biết khóa của đơn vị nào.")
    for code, fingerprint, status, source, until in rows:
        print(f"{code:<14} {fingerprint}  {status}{' từ ' + until if until else ''} — {source}")
    return 0


def _by_fingerprint(session, typed: str):
    from ntm_desktop.errors import UserError
    from ntm_desktop.sync import keys, signing

    found = [r for r in keys.known_keys(session) if signing.same_fingerprint(typed, r.public_key)]
    if not found:
        raise UserError(f"Không có khóa nào mã “{typed}”. Xem mã khóa bằng lệnh: ntm-desktop sync keys")
    return found[-1]


def run_new_key(args) -> int:
    from ntm_desktop.sync import keys

    ws = _workspace(args)
    try:
        user = ws.user()
        with ws.db.transaction(user) as session:
            key = keys.rotate(session, user)
    finally:
        ws.close()
    print(f"Đã tạo khóa mới, mã khóa: {key.fingerprint}")
    print("Gói gửi đi từ nay ký bằng khóa mới, có chữ ký chuyển giao của khóa cũ. Hãy in lại phiếu xác nhận khóa "
          "(ntm-desktop sync key-slip --out phieu.pdf) và gửi cho đơn vị cấp trên.")
    return 0


def run_revoke(args) -> int:
    from ntm_desktop.sync import keys

    ws = _workspace(args)
    try:
        user = ws.user()
        with ws.db.transaction(user) as session:
            row = keys.revoke(session, _by_fingerprint(session, args.fingerprint).id, user)
            code = row.unit_code
    finally:
        ws.close()
    print(f"Đã thu hồi khóa {args.fingerprint} của {code}. Gói ký bằng khóa này từ nay bị từ chối; các gói gửi "
          "đi tiếp theo mang theo việc thu hồi đến các đơn vị nhận.")
    return 0


def run_confirm_pending(args) -> int:
    from ntm_desktop.sync import keys

    ws = _workspace(args)
    try:
        user = ws.user()
        with ws.db.transaction(user) as session:
            row = keys.confirm_pending(session, _by_fingerprint(session, args.fingerprint).id, user)
            code = row.unit_code
    finally:
        ws.close()
    print(f"Đã xác nhận khóa {args.fingerprint} là khóa của {code}.")
    return 0


def run_limits(args) -> int:
    from ntm_desktop.errors import UserError
    from ntm_desktop.services import settings
    from ntm_desktop.sync.package_zip import MAX_ATTACHMENT_BYTES_SETTING, MAX_ATTACHMENTS_SETTING, Limits

    changing = args.files is not None or args.mb is not None
    for value in (args.files, args.mb):
        if value is not None and value <= 0:
            raise UserError("Giới hạn phải là số nguyên lớn hơn 0.")
    ws = _workspace(args, readonly=not changing)
    try:
        with ws.db.transaction() as session:
            if args.files is not None:
                settings.put(session, MAX_ATTACHMENTS_SETTING, str(args.files))
            if args.mb is not None:
                settings.put(session, MAX_ATTACHMENT_BYTES_SETTING, str(args.mb * 1024 ** 2))
            limits = Limits.from_settings(session)
    finally:
        ws.close()
    print(f"Một gói nhận được có tối đa {limits.max_attachments} tệp đính kèm, tổng cộng "
          f"{limits.max_attachment_bytes // 1024 ** 2} MB.")
    return 0
