"""`ntm-desktop selfcheck`: prove an installation works, in a temporary folder; prints OK or what failed.

Steps: a fresh database with the migrations and the demo data; a backup checked by restore's own
verification; a PDF report with the embedded fonts; PDFium (the directive files' reader) reading back the words
of a small PDF, accents and all, and drawing its page; OCR of that page when the engine and its Vietnamese model
are installed (reported, not required); the main window rendered offscreen; Qt's standard buttons in Vietnamese
(the translation shipped in resources/translations).
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import time
import traceback
from datetime import date, timedelta
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("selfcheck", help="tự kiểm tra bản cài đặt (in OK nếu mọi thứ hoạt động)")
    parser.add_argument("--window-only", action="store_true",
                        help="chỉ mở cơ sở dữ liệu mới và vẽ cửa sổ chính (đo thời gian khởi động)")
    parser.add_argument("--keep", metavar="THƯ_MỤC", help="giữ lại các tệp kiểm tra (PDF, ảnh cửa sổ) ở đây")
    parser.set_defaults(func=run)


def _database(work: Path, state: dict) -> str:
    from ntm_desktop.services.demo import build_demo
    from ntm_desktop.workspace import open_workspace

    ws = open_workspace(work / "data")
    state["workspace"] = ws
    with ws.db.transaction("selfcheck") as session:
        build_demo(session)
    return "cơ sở dữ liệu mới, di chuyển lược đồ, dữ liệu mẫu"


def _fresh_database(work: Path, state: dict) -> str:
    from ntm_desktop.workspace import open_workspace

    state["workspace"] = open_workspace(work / "data")
    return "cơ sở dữ liệu mới, di chuyển lược đồ"


def _signing(work: Path, state: dict) -> str:
    from ntm_desktop.sync import signing

    key = signing.load_or_create(state["workspace"].folder.root)
    if not signing.verify(key.public_key, key.sign(b"ntm selfcheck"), b"ntm selfcheck"):
        raise RuntimeError("an Ed25519 signature made here does not verify")
    return f"khóa ký số Ed25519 ({key.fingerprint})"


def _backup(work: Path, state: dict) -> str:
    from ntm_desktop.backup import BackupKind, create_backup, verify_backup

    info = create_backup(state["workspace"].folder, BackupKind.MANUAL).info
    (work / "verify").mkdir()
    verify_backup(info.path, work / "verify")
    return f"sao lưu và kiểm tra bản sao lưu ({info.counts_text()})"


def _fallback_pdf(out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from ntm_desktop.resources import resource

    font = resource("fonts", "LiberationSerif-Regular.ttf")
    pdfmetrics.registerFont(TTFont("NtmSerif", str(font)))
    page = canvas.Canvas(str(out), pagesize=A4)
    page.setFont("NtmSerif", 13)
    page.drawString(90, 760, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc")
    page.save()


def _pdf(work: Path, state: dict) -> str:
    out = work / "selfcheck.pdf"
    try:
        from ntm_desktop.reports.request import ReportFormat, ReportKind, ReportRequest
        from ntm_desktop.reports.runner import run as run_report
    except ImportError:
        _fallback_pdf(out)
        how = "trang PDF thử"
    else:
        today = date.today()
        request = ReportRequest(ReportKind.WEEKLY, today - timedelta(days=today.weekday()), today)
        run_report(state["workspace"].db, request, ReportFormat.PDF, out)
        how = "báo cáo tuần PDF"
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or b"FontFile2" not in data:
        raise RuntimeError("the PDF has no embedded TrueType font")
    state["pdf"] = out
    return f"{how} với phông chữ nhúng ({len(data) // 1024} KB)"


_PDFIUM_LINE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc"


def _pdfium(work: Path, state: dict) -> str:
    import pypdfium2

    from ntm_desktop.intake import extract_file
    from ntm_desktop.intake.render import PageSource

    small = work / "pdfium.pdf"
    _fallback_pdf(small)  # one line of Vietnamese in the shipped Liberation Serif
    read = extract_file(small)
    words = " ".join(line.text for line in read.lines)
    if read.kind != "pdf" or read.page_count != 1 or " ".join(words.split()) != _PDFIUM_LINE:
        raise RuntimeError(f"PDFium read back {words!r}")
    source = PageSource(small, "pdf")
    try:
        picture = source.picture(0, 600)
    finally:
        source.close()
    dark = sum(1 for k in range(0, len(picture.rgb), 3) if picture.rgb[k] < 128)
    if picture.width != 600 or not 50 < dark < picture.width * picture.height // 20:
        raise RuntimeError(f"PDFium drew the page {picture.width}×{picture.height} with {dark} dark pixels")
    state["pdfium_page"] = picture
    version = str(getattr(pypdfium2, "PDFIUM_INFO", "")).split("@")[0]
    return f"PDFium {version} đọc chữ có dấu và vẽ trang PDF ({picture.width}×{picture.height}, {dark} điểm chữ)"


def _ocr(work: Path, state: dict) -> str:
    from ntm_desktop.intake import ocr

    engine = ocr.engine()
    if engine is None:
        return "nhận dạng chữ (OCR): không có trên máy này — " + ocr.missing_reason().split(",")[0]
    from PIL import Image

    picture = state.get("pdfium_page")
    if picture is None:
        raise RuntimeError("no page picture to read (the PDFium step failed)")
    image = Image.frombytes("RGB", (picture.width, picture.height), picture.rgb, "raw", "RGB", picture.stride)
    scale = ocr.DPI / 72.0 / picture.scale
    image = image.convert("L").resize((round(picture.width * scale), round(picture.height * scale)))
    words = " ".join(c.ch for c in ocr.page_chars(image, 0, engine).chars).replace("   ", " ")
    read = "".join(c for c in words if not c.isspace())
    if "CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM" not in read:
        raise RuntimeError(f"OCR read {read!r}")
    return f"nhận dạng chữ (OCR) tiếng Việt: Tesseract {engine.version}, dữ liệu {engine.tessdata}"


def _window(work: Path, state: dict) -> str:
    render = importlib.import_module("ntm_desktop.ui.offscreen_check").render_main_window
    width, height = render(state["workspace"], work / "main-window.png")
    return f"cửa sổ chính vẽ ngoài màn hình ({width}×{height})"


def _translations(work: Path, state: dict) -> str:
    texts = importlib.import_module("ntm_desktop.ui.app").standard_button_texts()
    if texts != ["Có", "Không", "Đồng ý", "Hủy"]:
        raise RuntimeError(f"Qt's standard buttons are not in Vietnamese: {texts}")
    return "nút chuẩn của Qt bằng tiếng Việt (" + ", ".join(texts) + ")"


STEPS = (_database, _signing, _backup, _pdf, _pdfium, _ocr, _window, _translations)


def run(args) -> int:
    started = time.perf_counter()
    failed = False
    state: dict = {}
    with tempfile.TemporaryDirectory(prefix="ntm-selfcheck-") as tmp:
        work = Path(tmp)
        steps = (_fresh_database, _window) if args.window_only else STEPS
        for step in steps:
            try:
                print(f"  đạt: {step(work, state)}", flush=True)
            except Exception as error:  # report every failure, keep checking what can be checked
                failed = True
                print(f"  LỖI ở bước {step.__name__.strip('_')}: {type(error).__name__}: {error}", flush=True)
                traceback.print_exc(file=sys.stderr)
                if step in (_database, _fresh_database):
                    break
        if args.keep:
            import shutil

            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("selfcheck.pdf", "main-window.png"):
                if (work / name).exists():
                    shutil.copy(work / name, keep / name)
        if state.get("workspace"):
            state["workspace"].close()
    print(f"{'FAILED' if failed else 'OK'} ({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0
