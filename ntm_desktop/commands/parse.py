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
        "parse", help="phân tích văn bản chỉ đạo (tệp PDF, Word .docx, văn bản .txt, hoặc ảnh quét khi máy có "
                      "bộ nhận dạng chữ OCR) và đề xuất thông tin vào sổ, nhiệm vụ"
    )
    parser.add_argument("file", metavar="TỆP", help="tệp văn bản chỉ đạo: .pdf, .docx hoặc .txt (UTF-8, UTF-16, "
                                                    "Windows-1258)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.set_defaults(func=run)


def read_text(path: Path) -> str:
    """The directive's text from a .txt, .pdf or .docx file (IntakeError, in Vietnamese, when it cannot be read)."""
    return read_file(path)[0]


def read_file(path: Path) -> tuple[str, list[str]]:
    """(text, notices) of a directive file; a scan is read by OCR where this computer has it, else refused."""
    from ntm_desktop.intake import extract_file
    from ntm_desktop.intake.source import IntakeError

    from ntm_desktop.intake.ocr import engine, missing_reason

    extraction = extract_file(path)
    scan = bool(extraction.scanned_pages)
    ocr = engine() if scan else None
    if ocr is not None:
        extraction = extract_file(path, ocr=ocr)  # the scanned pages' words, recognised by OCR
    if not extraction.text.strip():
        if scan:
            why = ("máy đã nhận dạng chữ (OCR) nhưng không thấy chữ nào đọc được" if ocr is not None
                   else missing_reason().split(", nên")[0].lower())
            raise IntakeError(
                f"Tệp “{Path(path).name}” là ảnh quét, không có lớp chữ; {why}. "
                "Hãy mở tệp trong phần mềm (Sổ văn bản đến → Mở tệp…) để gõ thông tin bên cạnh ảnh trang."
            )
        raise IntakeError(f"Tệp “{Path(path).name}” không có chữ để phân tích. Hãy kiểm tra lại tệp gốc.")
    return extraction.text, extraction.notices


def summary_lines(data: dict) -> list[str]:
    """A readable Vietnamese summary of a proposal dict."""
    from ntm_desktop.models import SECRECY_LABELS, URGENCY_LABELS, Secrecy, Urgency

    lines = []
    for key, label in FIELD_LABELS:
        lines.append(f"{label}: {data.get(key) or '(không tìm thấy)'}")
    lines.append(f"Độ khẩn: {URGENCY_LABELS[Urgency(data['urgency'])]}")
    lines.append(f"Độ mật: {SECRECY_LABELS[Secrecy(data['secrecy'])]}")
    if data["secrecy"]:
        lines.append("  (văn bản mật vào sổ văn bản mật riêng; NTM Desktop không lưu văn bản mật)")
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

    text, notices = read_file(Path(args.file))
    data = proposal_to_dict(parse_directive(text))
    for notice in notices:
        print(notice, file=sys.stderr)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")  # Vietnamese on a Windows console or a pipe
    if args.json:
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(summary_lines(data)) + "\n")
    return 0
