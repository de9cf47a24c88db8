"""Commands on data with sign-in on: refused without an account (saying how to give one), run as the account of
`--user` with its password (NTM_PASSWORD or asked), and only for what its role may do."""

from __future__ import annotations

import pytest

from ntm_desktop.cli import main
from ntm_desktop.models import ExportLog

from roles_world import PASSWORDS, build_office


@pytest.fixture
def world(workspace):
    return build_office(workspace.db)


def weekly(workspace, out, *extra):
    return ["report", "weekly", "--data-dir", str(workspace.folder.root), "--from", "2026-01-01",
            "--to", "2026-12-31", "--out", str(out), *extra]


def test_without_an_account_the_command_is_refused_and_says_how(workspace, world, tmp_path, capsys):
    out = tmp_path / "tuan.pdf"
    assert main(weekly(workspace, out)) == 2
    error = capsys.readouterr().err
    assert "Phần mềm đã bật đăng nhập: hãy đăng nhập bằng tài khoản được cấp để lập báo cáo tổng hợp" in error
    assert "thêm --user TÊN_ĐĂNG_NHẬP" in error and "NTM_PASSWORD" in error
    assert not out.exists()


def test_the_account_given_runs_what_its_role_may_do(workspace, world, tmp_path, capsys, monkeypatch):
    out = tmp_path / "tuan.pdf"
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["vanthu"])
    assert main(["--user", "vanthu", *weekly(workspace, out)]) == 2
    assert "Tài khoản “vanthu” (văn thư) không được lập báo cáo tổng hợp" in capsys.readouterr().err
    monkeypatch.setenv("NTM_PASSWORD", "sai-mat-khau")
    assert main(["--user", "lanhdao", *weekly(workspace, out)]) == 2
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["lanhdao"])
    assert main(weekly(workspace, out, "--user", "lanhdao")) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert main(weekly(workspace, tmp_path / "lan-nua.pdf")) == 2  # the account held for that command only


def test_a_package_is_sent_only_by_a_quan_tri(workspace, world, tmp_path, monkeypatch, capsys):
    package = tmp_path / "gui-tinh.ntmsync"
    export = ["sync", "export", "--data-dir", str(workspace.folder.root), "--to", "TINH", "--full",
              "--out", str(package)]
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["lanhdao"])
    assert main([*export, "--user", "lanhdao"]) == 2
    assert "không được nhận hoặc gửi gói dữ liệu: việc này cần vai trò quản trị" in capsys.readouterr().err
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["quantri"])
    assert main([*export, "--user", "quantri"]) == 0
    assert package.is_file()
    with workspace.db.transaction() as s:
        assert s.query(ExportLog).count() == 1


def test_backup_and_restore_from_the_command_line_need_a_quan_tri(workspace, world, tmp_path, monkeypatch, capsys):
    from ntm_desktop.backup import list_backups as file_backups
    from ntm_desktop.server.backup import list_server_backups

    def list_backups(where):  # the folder's file backups (.ntmbak), or its server's when it works on one
        return list_server_backups(where) if workspace.on_server else file_backups(where)

    folder = str(workspace.folder.root)
    workspace.close()  # the command takes the folder's lock, as when the window is closed
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["lanhdao"])
    assert main(["backup", "--data-dir", folder, "--user", "lanhdao"]) == 2
    assert "“lanhdao” (lãnh đạo) không được sao lưu hoặc khôi phục dữ liệu" in capsys.readouterr().err
    assert main(["backup", "--data-dir", folder]) == 2  # no account at all
    assert "hãy đăng nhập bằng tài khoản được cấp để sao lưu" in capsys.readouterr().err
    assert list_backups(workspace.folder.backups) == []
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["quantri"])
    assert main(["backup", "--data-dir", folder, "--user", "quantri"]) == 0
    [made] = list_backups(workspace.folder.backups)
    capsys.readouterr()
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["vanthu"])
    assert main(["restore", "--data-dir", folder, str(made.path), "--user", "vanthu"]) == 2
    assert "“vanthu” (văn thư) không được sao lưu hoặc khôi phục" in capsys.readouterr().err
    assert len(list_backups(workspace.folder.backups)) == 1  # refused before its safety backup
    monkeypatch.setenv("NTM_PASSWORD", PASSWORDS["quantri"])
    assert main(["restore", "--data-dir", folder, str(made.path), "--user", "quantri"]) == 0
