"""Every fixture scores the same (within 2 points) whichever way its text arrives.

The clean text of each fixture is (a) hard-wrapped at 60 and 80 characters, (b) laid out into a signed-looking PDF
with reportlab and read back through the intake, (c) saved as a .docx and read back; and (d) copied out of a web
portal with its chrome, (e) copied out of a PDF viewer line by line. The files are made here, in tmp_path.

Run with ``pytest -s -k robustness`` to see the scores.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from directive_documents import layout_from_text, viewer_copy, wrap_text, write_docx, write_pdf
from fixture_scores import score

from ntm_desktop.intake import extract_file

TOLERANCE = 2.0
KEYS = ("metadata", "precision", "recall", "deadline_accuracy")


@pytest.fixture(scope="module")
def clean():
    return score(lambda path: path.read_text(encoding="utf-8"))[0]


def _check(clean: dict, name: str, text_of) -> None:
    got, table = score(text_of)
    print(f"\n{name}: " + ", ".join(f"{k} {got[k]:.1f} (clean {clean[k]:.1f})" for k in KEYS))
    for key in KEYS:
        assert got[key] >= clean[key] - TOLERANCE, f"{name}: {key} {got[key]:.1f} < clean {clean[key]:.1f}\n{table}"


@pytest.mark.parametrize("width", [60, 80])
def test_hard_wrapped_text_scores_as_clean_text(clean, width):
    _check(clean, f"wrapped at {width}", lambda p: wrap_text(p.read_text(encoding="utf-8"), width))


def test_a_pdf_laid_out_as_the_decree_says_scores_as_clean_text(clean, tmp_path):
    def via_pdf(path: Path) -> str:
        pdf = write_pdf(layout_from_text(path.read_text(encoding="utf-8")), tmp_path / f"{path.stem}.pdf")
        return extract_file(pdf).text

    _check(clean, "PDF", via_pdf)


def test_a_word_file_scores_as_clean_text(clean, tmp_path):
    def via_docx(path: Path) -> str:
        docx = write_docx(layout_from_text(path.read_text(encoding="utf-8")), tmp_path / f"{path.stem}.docx")
        return extract_file(docx).text

    _check(clean, "Word", via_docx)


PORTAL_HEAD = """Trang chủ > Văn bản chỉ đạo điều hành > Công văn
Trang chủ | Giới thiệu | Tin tức | Văn bản | Liên hệ
Cập nhật lúc 08:15, 12/06/2026
Lượt xem: 1.234
Chia sẻ | Facebook | Zalo | In
Cỡ chữ: A- A A+
"""
PORTAL_TAIL = """
Chia sẻ Facebook Zalo Email In bài viết
Tin liên quan
Nguyễn Văn Bình dự hội nghị tổng kết ngày 01/01/2027
Lê Thị Hoa được bổ nhiệm Phó Chủ tịch Ủy ban nhân dân huyện
"""


def test_a_copy_from_a_web_portal_scores_as_clean_text(clean):
    _check(clean, "web portal", lambda p: PORTAL_HEAD + p.read_text(encoding="utf-8") + PORTAL_TAIL)


def test_text_copied_out_of_a_pdf_viewer_keeps_the_header_fields(clean, tmp_path):
    """A viewer's copy keeps the page's lines (wrapped mid-sentence, blocks one after the other).

    The register fields come out as from clean text, and the annex of laocai-15, copied one wrapped cell piece per
    line, is rebuilt row by row. What is still lost: two paragraphs of laocai-13 under one heading run together
    (the copy drops the first-line indent that parted them), so one task of the 98 is missing; the floors below
    are the scores reached.
    """
    def copied(path: Path) -> str:
        return viewer_copy(path, tmp_path / f"{path.stem}.pdf")

    got, table = score(copied)
    print(f"\nPDF viewer copy: " + ", ".join(f"{k} {got[k]:.1f} (clean {clean[k]:.1f})" for k in KEYS))
    assert got["metadata"] >= clean["metadata"] - TOLERANCE, table
    assert got["deadline_accuracy"] >= clean["deadline_accuracy"] - TOLERANCE, table
    assert got["precision"] >= 100 and got["recall"] >= 98.9, table


def test_portal_chrome_is_dropped_and_the_related_news_ignored():
    from ntm_desktop.parsing.cleaning import clean_lines

    lines = clean_lines(PORTAL_HEAD + "Kính gửi: Sở Tài chính.\n" * 12 + PORTAL_TAIL)
    assert lines and all(line == "Kính gửi: Sở Tài chính." for line in lines if line)
