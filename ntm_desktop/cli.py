"""Command line: `ntm-desktop [command] --data-dir DIR ...`; no command starts the app.

Each command lives in a module of `ntm_desktop.commands` that defines
`register(subparsers)`; the module's parser sets `func(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ntm_desktop import __version__
from ntm_desktop.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    from ntm_desktop import commands

    parser = argparse.ArgumentParser(
        prog="ntm-desktop",
        description="NTM Desktop: theo dõi văn bản chỉ đạo, nhiệm vụ và tiêu chí nông thôn mới.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng hoặc NTM_DATA_DIR)")
    subparsers = parser.add_subparsers(dest="command", metavar="LỆNH")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"ntm_desktop.commands.{info.name}").register(subparsers)
    return parser


def data_dir_argument(parser: argparse.ArgumentParser) -> None:
    """Let `--data-dir` stand after the command too (`ntm-desktop demo --data-dir X`)."""
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        from ntm_desktop.commands.run import run_app

        return run_app(args)
    try:
        return args.func(args) or 0
    except UserError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
