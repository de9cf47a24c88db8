"""`ntm-desktop criteria ...`: import a criteria set from Excel, write the blank template, print the matrix."""

from ntm_desktop.cli import data_dir_argument


def register(subparsers) -> None:
    parser = subparsers.add_parser("criteria", help="bộ tiêu chí nông thôn mới: nhập từ Excel, tệp mẫu, bảng tổng hợp")
    actions = parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    load = actions.add_parser("import", help="nhập bộ tiêu chí của tỉnh từ tệp Excel theo mẫu")
    load.add_argument("file")
    data_dir_argument(load)
    load.set_defaults(func=run_import)
    template = actions.add_parser("template", help="ghi tệp Excel mẫu để điền bộ tiêu chí")
    template.add_argument("file")
    template.set_defaults(func=run_template)
    summary = actions.add_parser("matrix", help="in số tiêu chí đạt của từng xã trong một năm")
    summary.add_argument("year", type=int)
    data_dir_argument(summary)
    summary.set_defaults(func=run_matrix)


def run_import(args) -> int:
    from pathlib import Path

    from ntm_desktop.errors import UserError
    from ntm_desktop.services.criteria.xlsx_import import import_set
    from ntm_desktop.workspace import open_workspace

    workspace = open_workspace(args.data_dir, lock=True)
    try:
        with workspace.db.transaction("criteria import") as session:
            result = import_set(session, Path(args.file))
    except UserError as error:
        print(error)
        return 1
    finally:
        workspace.close()
    print(f"Đã nhập bộ tiêu chí “{result.code}” phiên bản {result.version}: "
          f"{result.criteria} tiêu chí, {result.indicators} chỉ tiêu.")
    for notice in result.notices:
        print(f"- {notice}")
    return 0


def run_template(args) -> int:
    from ntm_desktop.services.criteria.xlsx_template import write_template

    print(f"Đã ghi tệp mẫu {write_template(args.file)}")
    return 0


def run_matrix(args) -> int:
    from ntm_desktop.services.criteria.matrix import build_matrix
    from ntm_desktop.workspace import open_workspace

    workspace = open_workspace(args.data_dir, readonly=True)
    try:
        with workspace.db.transaction() as session:
            matrix = build_matrix(session, args.year)
    finally:
        workspace.close()
    for line in matrix.communes:
        print(f"{line.name}\t{line.result}\t{line.band}\t{line.recognition}")
    print(f"Bình quân {matrix.average:.2f} tiêu chí/xã")
    return 0
