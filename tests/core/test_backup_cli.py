"""`ntm-desktop backup` and `ntm-desktop restore` from the command line."""

from __future__ import annotations

import pytest

from ntm_desktop.backup import list_backups
from ntm_desktop.cli import main
from ntm_desktop.safety import InstanceLock

pytestmark = pytest.mark.sqlite_only  # backups of the SQLite file (.ntmbak); the server's: test_backup_server_folder


def test_backup_then_restore_commands(demo_workspace, tmp_path, capsys):
    root = demo_workspace.folder.root
    demo_workspace.close()
    usb = tmp_path / "usb"
    assert main(["backup", "--data-dir", str(root), "--to", str(usb)]) == 0
    made = list_backups(root / "backups")
    assert len(made) == 1 and list_backups(usb)[0].path.name == made[0].path.name
    assert "Đã sao lưu" in capsys.readouterr().out

    with InstanceLock(root):  # the app is open: restore must refuse and change nothing
        assert main(["restore", "--data-dir", str(root), str(made[0].path)]) == 2
    assert "đang mở thư mục dữ liệu này" in capsys.readouterr().err
    assert len(list_backups(root / "backups")) == 1

    assert main(["restore", "--data-dir", str(root), str(usb / made[0].path.name)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert len(list_backups(root / "backups")) == 2  # the state before the restore

    junk = tmp_path / "ghi-chu.txt"
    junk.write_text("ghi chú", encoding="utf-8")
    assert main(["restore", "--data-dir", str(root), str(junk)]) == 2
    assert "không phải là bản sao lưu" in capsys.readouterr().err
