"""Command-line writes take the window's instance lock: refused, with a message, while the window is open."""

from __future__ import annotations

import hashlib

import pytest

from ntm_desktop.backup import create_backup
from ntm_desktop.cli import main
from ntm_desktop.safety.startup import prepare_data_folder
from test_sync_world import build_district, join_commune, send

WINDOW_OPEN = "đang mở thư mục dữ liệu này"


def _digest(folder) -> str:
    """What the office's data is: the SQLite file's bytes, or every row on the server (the core suite's server run),
    and the backups made of it."""
    from sqlalchemy import select

    from ntm_desktop.models import Base
    from ntm_desktop.paths import database_url
    from ntm_desktop.server.probe import make_engine

    digest = hashlib.sha256(repr(sorted(p.name for p in folder.backups.glob("*"))).encode())
    url = database_url(folder)
    if url is None:
        digest.update(folder.database.read_bytes())
        return digest.hexdigest()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                digest.update(repr(sorted(map(repr, conn.execute(select(table)).all()))).encode())
    finally:
        engine.dispose()
    return digest.hexdigest()


@pytest.fixture
def commune(tmp_path):
    district = build_district(tmp_path)
    ws = join_commune(tmp_path, district, "XA-A", tmp_path / "goi")
    package = send(district, "XA-A", tmp_path / "goi-moi", full=True)
    district.close()
    ws.close()
    return ws.folder, package


def test_writes_are_refused_while_the_window_is_open(commune, tmp_path, capsys):
    folder, package = commune
    backup = create_backup(folder).info.path
    data = ["--data-dir", str(folder.root)]
    template = tmp_path / "bieu-mau.xlsx"
    assert main(["sync", "template", *data, "--unit", "XA-A", "--year", "2025", "--out", str(template)]) == 0
    capsys.readouterr()

    window = prepare_data_folder(folder, backup=False)  # what the window does at start: it holds the lock
    try:
        before = _digest(folder)
        for args in (["sync", "apply", *data, str(package)],
                     ["sync", "inbox", *data, str(package.parent)],
                     ["sync", "template-import", *data, "--unit", "XA-A", "--year", "2025", str(template)],
                     ["sync", "export", *data, "--to", "HUYEN", "--out", str(tmp_path / "x.ntmsync")],
                     ["backup", *data], ["restore", *data, str(backup)], ["demo", *data]):
            assert main(args) == 2, args
            err = capsys.readouterr().err
            assert WINDOW_OPEN in err and "đóng cửa sổ NTM Desktop" in err and "chưa có gì thay đổi" in err, args
        assert _digest(folder) == before
        assert not (tmp_path / "x.ntmsync").exists()

        # Reading needs no lock: the preview and a report work beside the open window.
        assert main(["sync", "preview", *data, str(package)]) == 0
        assert main(["report", "weekly", *data, "--from", "01/03/2025", "--to", "07/03/2025",
                     "--out", str(tmp_path / "tuan.pdf")]) == 0
    finally:
        window.lock.release()

    assert main(["sync", "apply", *data, str(package)]) == 0  # the window closed: the same command works
    assert WINDOW_OPEN not in capsys.readouterr().err
