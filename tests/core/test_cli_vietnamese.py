"""The command line speaks Vietnamese: argparse's own words, placeholders, errors, and local times."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from folder_helpers import app_command
from ntm_desktop.cli import build_parser
from test_sync_world import build_district, join_commune, send

ENGLISH = ("usage", "positional arguments", "optional arguments", "options:", "show this help message",
           "show program's version", "error:", "the following arguments are required", "invalid choice",
           "unrecognized arguments", "invalid int value", "expected one argument", "{import,template,matrix}")
# Words in capitals that are not placeholders made from English argument names (FILE, OUT, DATA_DIR…)
NOT_PLACEHOLDERS = {"NTM", "NTM_DATA_DIR", "NTM_PASSWORD", "PDF", "PNG", "USB", "UTF", "JSON", "TRANG", "OCR", "NTM_DATABASE_URL"}


def _run(*args, env=None):
    return subprocess.run(app_command(*args), capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, **(env or {})})


def _english(text: str) -> list[str]:
    capitals = re.findall(r"(?<![\w-])[A-Z][A-Z_]{2,}(?![\w-])", text)
    return [w for w in ENGLISH if w in text] + [w for w in capitals if w not in NOT_PLACEHOLDERS]


def test_help_and_errors_have_no_english_argparse_words():
    top = _run("--help")
    assert top.returncode == 0
    assert top.stdout.startswith("cách dùng: ntm-desktop")
    assert "in hướng dẫn này rồi thoát" in top.stdout and "tùy chọn:" in top.stdout
    assert _english(top.stdout) == []
    for args in (["report"], ["report", "weekly", "--from", "1/1/2026", "--to", "2/1/2026", "--out", "x.pdf",
                              "--year", "năm nay"], ["khong-co-lenh"], ["sync", "apply"], ["--data-dir"]):
        result = _run(*args)
        assert result.returncode == 2, args
        assert "lỗi:" in result.stderr and "--help" in result.stderr, result.stderr
        assert _english(result.stderr) == [], (args, result.stderr)
    assert "thiếu tham số bắt buộc: LOẠI, --from, --to, --out" in _run("report").stderr


def test_every_command_help_is_vietnamese():
    def walk(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in set(action.choices.values()):
                    yield from walk(sub)

    for parser in walk(build_parser()):
        text = parser.format_help()
        assert _english(text) == [], (parser.prog, _english(text))


def test_sync_preview_shows_the_local_time_as_dd_mm_yyyy(tmp_path):
    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "goi")
    commune.close()
    with district.db.transaction("Văn thư huyện") as session:
        session.execute(text("UPDATE tasks SET summary = summary || ' (bổ sung)'"))
    sent_from = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    package = send(district, "XA-A", tmp_path / "goi-moi")
    district.close()

    # On POSIX the program runs at UTC+7 (TZ=ICT-7), whatever this machine's zone; elsewhere in this machine's.
    zone = {"TZ": "ICT-7"} if os.name == "posix" else {}
    offset = timedelta(hours=7) if zone else datetime.now().astimezone().utcoffset()
    result = _run("sync", "preview", "--data-dir", str(commune.folder.root), str(package), env=zone)
    assert result.returncode == 0, result.stderr
    assert "(UTC)" not in result.stdout and "+00:00" not in result.stdout
    when = re.search(r"lập lúc (\d\d/\d\d/\d{4} \d\d:\d\d)$", result.stdout.splitlines()[0])
    assert when, result.stdout
    shown = datetime.strptime(when[1], "%d/%m/%Y %H:%M")
    local = (sent_from + offset).replace(tzinfo=None)
    assert local <= shown <= local + timedelta(minutes=2)
