"""Re-signing a package edited by hand, as a genuine sender with its own key file and a text editor would.

Tests of what a package may not do (hostile or careless senders, damaged content) edit a genuine package;
with signing on, the edited manifest must be signed again by the sender's key, found in the sender's data
folder, for the check under test to be the one that refuses it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ntm_desktop.sync import signing
from ntm_desktop.sync.keys import SIGNATURE_MEMBER


def _server_key(folder: Path) -> signing.SigningKey | None:
    """The key a data folder on the office's server signs with: kept in the server's database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from ntm_desktop.server.setting import recorded_server
    from ntm_desktop.server.urls import parse
    from ntm_desktop.sync.keys import SERVER_KEY_SETTING

    address = recorded_server(folder)
    if not address:
        return None
    engine = create_engine(parse(address))
    try:
        with engine.connect() as conn:
            pem = conn.execute(text("SELECT value FROM settings WHERE key = :key"),
                               {"key": SERVER_KEY_SETTING}).scalar()
    except OperationalError:  # the folder of an earlier test, whose database is dropped: not this sender
        return None
    finally:
        engine.dispose()
    return signing.SigningKey.from_pem(pem.encode("ascii")) if pem else None


def folder_key(folder: Path) -> signing.SigningKey | None:
    """The key the office of this data folder signs with: its key file, or its server's for a folder on one."""
    return signing.load(folder) or _server_key(folder)


def find_key(public_key: str, *roots: Path) -> signing.SigningKey | None:
    """The key of a data folder one or two levels below one of `roots` whose public key is given: its key file,
    or the key in its server's database for a folder on the office's server."""
    from ntm_desktop.server.setting import SETTING_NAME

    for root in roots:
        folders = {path.parent for name in (signing.KEY_FILE, SETTING_NAME)
                   for path in list(Path(root).glob(f"*/{name}")) + list(Path(root).glob(f"*/*/{name}"))}
        for folder in sorted(folders):
            key = folder_key(folder)
            if key is not None and key.public_key == public_key:
                return key
    return None


def resign(content: dict[str, bytes], key: signing.SigningKey) -> dict[str, bytes]:
    """`content` with signature.json made over its manifest.json by `key`."""
    content[SIGNATURE_MEMBER] = json.dumps({"algorithm": "Ed25519",
                                            "signature": key.sign(content["manifest.json"])}).encode("ascii")
    return content


def resign_as_sender(content: dict[str, bytes], *roots: Path) -> dict[str, bytes]:
    """Signed again by the key the manifest names, when its file is found under `roots` (else left as it is)."""
    try:
        manifest = json.loads(content.get("manifest.json", b""))
    except (ValueError, RecursionError, UnicodeDecodeError):
        return content
    signer = manifest.get("signer_key") if isinstance(manifest, dict) else None
    key = find_key(signer, *roots) if isinstance(signer, str) else None
    return resign(content, key) if key is not None else content
