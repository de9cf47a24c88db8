"""`ntm-desktop demo --data-dir DIR`: fill an empty data folder with demo data."""

from ntm_desktop.cli import data_dir_argument


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="nạp dữ liệu mẫu vào thư mục dữ liệu trống")
    data_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.workspace import open_workspace

    workspace = open_workspace(args.data_dir, lock=True)
    try:
        with workspace.db.transaction("demo") as session:
            build_demo(session)
    finally:
        workspace.close()
    print(f"Đã nạp dữ liệu mẫu vào {workspace.folder.root}")
    return 0
