"""`ntm-desktop parse FILE [--json]`: propose the register fields and tasks of a directive's text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ntm_desktop.errors import UserError

FIELD_LABELS = [
    ("doc_type", "Loại văn bản"),
    ("number_symbol", "Số, ký hiệu"),
    ("issuer", "Cơ quan ban hành"),
    ("place", "Địa danh"),
    ("date", "Ngày văn bản"),
    ("subject", "Trích yếu"),
    ("signer", "Người ký"),
    ("signer_title", "Chức vụ người ký"),
]
RECURRENCE_LABELS = {"monthly": "hằng tháng", "quarterly": "hằng quý", "yearly": "hằng năm"}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "parse", help="phân tích văn bản chỉ đạo (tệp văn bản thuần) và đề xuất thông tin vào sổ, nhiệm vụ"
    )
    parser.add_argument("file", metavar="TỆP", help="tệp văn bản (.txt, UTF-8) chứa nội dung văn bản chỉ đạo")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.set_defaults(func=run)


def read_text(path: Path) -> str:
    """The file's text (UTF-8, or UTF-16 with a BOM as Windows Notepad writes it)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp “{path}”.") from None
    except IsADirectoryError:
        raise UserError(f"“{path}” là một thư mục, không phải tệp văn bản.") from None
    except OSError as error:
        raise UserError(f"Không đọc được tệp “{path}”: {error.strerror or error}.") from None
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise UserError(
        f"Tệp “{path}” không phải văn bản thuần mã UTF-8. Hãy mở tệp và lưu lại dạng văn bản UTF-8 (.txt)."
    )


def summary_lines(data: dict) -> list[str]:
    """A readable Vietnamese summary of a proposal dict."""
    lines = []
    for key, label in FIELD_LABELS:
        lines.append(f"{label}: {data.get(key) or '(không tìm thấy)'}")
    lines.append("Nơi nhận: " + ("; ".join(data["recipients"]) or "(không tìm thấy)"))
    if data["referenced_documents"]:
        lines.append("Văn bản dẫn chiếu: " + "; ".join(data["referenced_documents"]))
    lines.append("")
    lines.append(f"Nhiệm vụ: {len(data['tasks'])}")
    for n, task in enumerate(data["tasks"], start=1):
        lines.append(f"{n}. Chủ trì: {task['assignee']}")
        if task["cooperating"]:
            lines.append(f"   Phối hợp: {'; '.join(task['cooperating'])}")
        lines.append(f"   Nội dung: {task['summary']}")
        deadline = task["deadline_text"] or "không ghi"
        if task["deadline"]:
            y, m, d = task["deadline"].split("-")
            deadline += f" (hạn {d}/{m}/{y})"
        if task["recurrence"]:
            deadline += f" ({RECURRENCE_LABELS.get(task['recurrence'].split(',')[0], task['recurrence'])})"
        lines.append(f"   Thời hạn: {deadline}")
    if data["targets"]:
        lines.append("")
        lines.append("Chỉ tiêu: " + "; ".join(t["text"] for t in data["targets"]))
    return lines


def run(args) -> int:
    from ntm_desktop.parsing import parse_directive, proposal_to_dict

    text = read_text(Path(args.file))
    data = proposal_to_dict(parse_directive(text))
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")  # Vietnamese on a Windows console or a pipe
    if args.json:
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(summary_lines(data)) + "\n")
    return 0
