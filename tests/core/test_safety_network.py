"""A data folder on a network drive is refused with an explanation (faked file-system types)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_desktop.errors import UserError
from ntm_desktop.paths import DataFolder
from ntm_desktop.safety import NetworkDriveError, check_local_folder, is_network_path, prepare_data_folder
from ntm_desktop.safety.network import linux_fs_type


@pytest.mark.parametrize("fs", ["cifs", "nfs4", "smb3", "fuse.sshfs", "NFS"])
def test_network_types_are_refused(tmp_path, fs):
    with pytest.raises(NetworkDriveError) as raised:
        check_local_folder(tmp_path, fs_type=lambda _p: fs)
    assert "ổ mạng" in str(raised.value)
    assert isinstance(raised.value, UserError)


@pytest.mark.parametrize("fs", ["ext4", "ntfs", "fuseblk", "vfat", "btrfs", "tmpfs", None])
def test_local_types_pass(tmp_path, fs):
    check_local_folder(tmp_path, fs_type=lambda _p: fs)


def test_mount_table_lookup_picks_the_longest_mount_point(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "//server/chung /mnt/chung cifs rw 0 0\n"
        "server:/vol /mnt/chung/nfs\\040share nfs4 rw 0 0\n"
        "/dev/sdb1 /mnt/chung/usb vfat rw 0 0\n",
        encoding="utf-8",
    )
    assert linux_fs_type(Path("/mnt/chung/Văn phòng/dữ liệu"), mounts) == "cifs"
    assert linux_fs_type(Path("/mnt/chung/nfs share/x"), mounts) == "nfs4"
    assert linux_fs_type(Path("/mnt/chung/usb/x"), mounts) == "vfat"
    assert linux_fs_type(Path("/mnt/chunguoi/x"), mounts) == "ext4"  # not under /mnt/chung
    assert linux_fs_type(Path("/home/an"), mounts) == "ext4"


def test_windows_unc_paths_are_network(tmp_path):
    assert is_network_path(Path(r"\\may-chu\chung\ntm"), platform="win32")


def test_start_on_a_network_folder_opens_nothing(tmp_path):
    folder = DataFolder(tmp_path / "share")
    with pytest.raises(NetworkDriveError):
        prepare_data_folder(folder, fs_type=lambda _p: "cifs")
    assert not folder.database.exists()
    assert not (folder.root / "ntm.lock").exists()
