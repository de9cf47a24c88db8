"""A PostgreSQL cluster of the tests' own that asks for passwords (the development server trusts everyone), to see
what a wrong password does. Made with Debian's initdb in a temporary folder, on a free local port."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

PASSWORD = "Mật-khẩu-đúng-2026"


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: as the `postgres` account then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def password_server():
    """URL of a running cluster whose user `ntm_office` has PASSWORD (scram-sha-256), with database `ntm`."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("wrong-password case skipped: PostgreSQL's initdb/pg_ctl are not installed on this machine")
    root = Path(tempfile.mkdtemp(prefix="ntm-pw-cluster-"))
    data = root / "data"
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    port = _free_port()
    subprocess.run(_as_server_user([initdb, "-D", str(data), "-U", "ntm_office", "--auth=scram-sha-256",
                                    f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"]),
                   check=True, capture_output=True)
    url = URL.create("postgresql+psycopg", username="ntm_office", password=PASSWORD, host="127.0.0.1", port=port,
                     database="postgres")
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield url
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
