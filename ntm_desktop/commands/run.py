"""`ntm-desktop run [--demo]`: start the app (also what no command does)."""

from ntm_desktop.cli import data_dir_argument


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="mở phần mềm")
    data_dir_argument(parser)
    parser.add_argument("--demo", action="store_true", help="nạp dữ liệu mẫu nếu thư mục dữ liệu còn trống")
    parser.set_defaults(func=run_app)


def run_app(args) -> int:
    from ntm_desktop.ui.app import run

    return run(data_dir=getattr(args, "data_dir", None), demo=getattr(args, "demo", False))
