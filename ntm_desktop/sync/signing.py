"""This installation's signing key (Ed25519, from the `cryptography` package) and what a signature is over.

The private key is a PEM file in the data folder, made the first time it is needed (first export, first key
slip, first start of the window), readable by this user only, carried by backups and never by a package.
Public keys travel as 32 bytes in base64; a fingerprint is the first 160 bits of their SHA-256 in base32,
in 8 groups of 4 characters, short enough to read over the phone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ntm_desktop.errors import UserError

KEY_FILE = "signing-key.pem"
MAX_KEY_FILE_BYTES = 4096
PUBLIC_KEY = re.compile(r"^[A-Za-z0-9+/]{43}=\Z")  # 32 bytes in base64
SIGNATURE = re.compile(r"^[A-Za-z0-9+/]{86}==\Z")  # 64 bytes in base64
_ROTATION = b"ntm-sync key rotation v1\n"


class KeyFileError(UserError):
    """The signing key file cannot be read or written."""


def is_public_key(value) -> bool:
    return type(value) is str and PUBLIC_KEY.match(value) is not None


def is_signature(value) -> bool:
    return type(value) is str and SIGNATURE.match(value) is not None


def fingerprint(public_key: str) -> str:
    """'ABCD EFGH …': 8 groups of 4 base32 characters (letters A-Z and digits 2-7) of the key's SHA-256."""
    digest = hashlib.sha256(base64.b64decode(public_key)).digest()
    text = base64.b32encode(digest).decode("ascii")[:32]
    return " ".join(text[i:i + 4] for i in range(0, 32, 4))


def same_fingerprint(typed: str | None, public_key: str) -> bool:
    """A fingerprint as a clerk may type it (spaces, dashes, lower case) against a key's."""
    if not typed:
        return False
    plain = re.sub(r"[\s-]", "", str(typed)).upper()
    return plain == fingerprint(public_key).replace(" ", "")


def verify(public_key: str, signature: str, data: bytes) -> bool:
    """True when `signature` (base64) is the key's Ed25519 signature of `data`; False for anything else."""
    if not is_public_key(public_key) or not is_signature(signature):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def rotation_message(unit_id: str, new_key: str, rotated_at: str) -> bytes:
    """What an office's previous key signs when it hands over to a new one."""
    return _ROTATION + f"{unit_id}\n{new_key}\n{rotated_at}\n".encode("ascii")


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        raw = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.private.sign(data)).decode("ascii")

    def pem(self) -> bytes:
        return self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())

    @classmethod
    def generate(cls) -> "SigningKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, data: bytes) -> "SigningKey":
        """ValueError when `data` is not an unencrypted Ed25519 private key in PEM."""
        if len(data) > MAX_KEY_FILE_BYTES:
            raise ValueError("key file too large")
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return cls(key)


def key_path(root: Path) -> Path:
    return Path(root) / KEY_FILE


def _unreadable(path: Path, why: str) -> KeyFileError:
    return KeyFileError(
        f"Không đọc được khóa ký của máy này (tệp “{path}”: {why}). Chưa lập gói nào. Hãy khôi phục tệp này từ "
        "bản sao lưu gần nhất (Sao lưu → Khôi phục); nếu không còn bản nào, xóa tệp hỏng rồi mở lại phần mềm để "
        "tạo khóa mới, và báo các đơn vị nhận đối chiếu mã khóa mới trên phiếu xác nhận khóa."
    )


def load(root: Path) -> SigningKey | None:
    """The key in the data folder `root`, None when there is none yet; KeyFileError when it is damaged."""
    path = key_path(root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from error
    try:
        return SigningKey.from_pem(data)
    except (ValueError, TypeError) as error:
        raise _unreadable(path, "tệp bị hỏng hoặc không phải khóa của NTM Desktop") from error


def write_key(root: Path, key: SigningKey, replace: bool = False) -> None:
    """Write the key file readable by this user only: under a temporary name, then renamed (`replace`: over
    the current one; otherwise never over an existing file, so two processes starting at once keep one key)."""
    path = key_path(root)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.pem())
            fh.flush()
            os.fsync(fh.fileno())
        if hasattr(os, "chmod"):
            os.chmod(tmp, 0o600)
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails when the file exists: the other process's key wins
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links (FAT on a USB stick)
                if not path.exists():
                    os.replace(tmp, path)
    except OSError as error:
        raise KeyFileError(
            f"Không ghi được khóa ký vào thư mục dữ liệu (“{path}”: {error.strerror or error}). Chưa lập gói nào. "
            "Hãy kiểm tra quyền ghi và chỗ trống của thư mục dữ liệu rồi thử lại."
        ) from error
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def load_or_create(root: Path) -> SigningKey:
    """This installation's key, made and saved the first time."""
    key = load(root)
    if key is not None:
        return key
    write_key(root, SigningKey.generate())
    key = load(root)
    if key is None:
        raise _unreadable(key_path(root), "không tạo được tệp")
    return key
