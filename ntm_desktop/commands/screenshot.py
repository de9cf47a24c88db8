"""`ntm-desktop screenshot --page overview|register|tasks|units|… --out FILE.png`: render a page offscreen."""

import os

from ntm_desktop.cli import data_dir_argument


def register(subparsers) -> None:
    parser = subparsers.add_parser("screenshot", help="chụp ảnh một trang của cửa sổ chính (không cần màn hình)")
    data_dir_argument(parser)
    parser.add_argument("--page", default="overview", help="overview, register, tasks, units, criteria, reports, sync")
    parser.add_argument("--out", required=True, help="tệp PNG")
    parser.add_argument("--size", default="1280x800", help="kích thước cửa sổ, ví dụ 1280x800")
    parser.set_defaults(func=run)


def run(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ntm_desktop.errors import UserError
    from ntm_desktop.ui.app import make_application, open_main_window
    from ntm_desktop.workspace import open_workspace

    app = make_application()
    workspace = open_workspace(args.data_dir)
    try:
        if not workspace.office_unit_id():
            raise UserError("Thư mục dữ liệu chưa có đơn vị sử dụng; hãy mở phần mềm hoặc nạp dữ liệu mẫu trước.")
        window = open_main_window(workspace)
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
        if args.page not in window.pages:
            raise UserError(f"Không có trang “{args.page}”. Các trang: {', '.join(window.pages)}.")
        window.show_page(args.page)
        window.show()
        for _ in range(5):
            app.processEvents()
        from ntm_desktop.ui.background import wait_for_reads

        wait_for_reads(window)  # the page's rows, read off the GUI thread
        ok = window.grab().save(args.out)
        window.close()
    finally:
        workspace.close()
    if not ok:
        raise UserError(f"Không ghi được tệp ảnh “{args.out}”.")
    print(args.out)
    return 0
