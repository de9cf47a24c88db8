"""`ntm-desktop report weekly|register|followup|criteria|unit --from DATE --to DATE --format pdf|xlsx --out FILE`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ntm_desktop.cli import data_dir_argument
from ntm_desktop.errors import ValidationError

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_cli_date(text: str, label: str) -> date:
    """dd/mm/yyyy as offices write it, or YYYY-MM-DD as schedulers do."""
    from ntm_desktop.services.dates import parse_vn_date

    match = _ISO.match(text or "")
    if match:
        year, month, day = match.groups()
        text = f"{day}/{month}/{year}"
    return parse_vn_date(text, label=label)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="lập báo cáo (PDF hoặc Excel) theo thể thức văn bản hành chính",
        description="Lập báo cáo tuần, sổ đăng ký văn bản đến, sổ theo dõi giải quyết văn bản đến, "
                    "tổng hợp tiêu chí hoặc danh mục nhiệm vụ của một đơn vị.",
    )
    parser.add_argument("kind", choices=["weekly", "register", "followup", "criteria", "unit"], metavar="LOẠI",
                        help="loại báo cáo: weekly (báo cáo tuần), register (sổ đăng ký văn bản đến), followup (sổ "
                             "theo dõi giải quyết), criteria (tổng hợp tiêu chí), unit (nhiệm vụ của một đơn vị)")
    data_dir_argument(parser)
    parser.add_argument("--from", dest="start", required=True, help="từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
    parser.add_argument("--to", dest="end", required=True, help="đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
    parser.add_argument("--unit", default="", help="mã đơn vị (báo cáo nhiệm vụ của một đơn vị)")
    parser.add_argument("--year", type=int, help="năm (sổ đăng ký theo khoảng số đến, tổng hợp tiêu chí)")
    parser.add_argument("--from-number", type=int, help="từ số đến (sổ đăng ký văn bản đến)")
    parser.add_argument("--to-number", type=int, help="đến số đến (sổ đăng ký văn bản đến)")
    parser.add_argument("--number", default="", help="số của báo cáo (để trống khi là bản nháp)")
    parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf", help="định dạng tệp")
    parser.add_argument("--out", required=True, help="tệp kết quả")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ntm_desktop.reports.request import ReportFormat, ReportKind, ReportRequest
    from ntm_desktop.reports.runner import run as run_report
    from ntm_desktop.workspace import open_workspace

    start = parse_cli_date(args.start, "Ngày bắt đầu")
    end = parse_cli_date(args.end, "Ngày kết thúc")
    out = Path(args.out)
    if out.suffix.lower() != f".{args.format}":
        raise ValidationError(f"Tệp kết quả “{out.name}” phải có đuôi .{args.format} cho định dạng {args.format}.")
    request = ReportRequest(
        kind=ReportKind(args.kind), start=start, end=end, unit_code=args.unit, year=args.year,
        from_number=args.from_number, to_number=args.to_number, number=args.number,
    )
    workspace = open_workspace(getattr(args, "data_dir", None), readonly=True)
    try:
        path = run_report(workspace.db, request, ReportFormat(args.format), out)
    finally:
        workspace.close()
    print(f"Đã lập báo cáo: {path}")
    return 0
