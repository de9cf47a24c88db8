"""Passwords are kept as Argon2id hashes (argon2-cffi), never as the text typed."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # the library's recommended parameters (RFC 9106, low memory)


@cache
def _stand_in() -> str:
    """Checked against when the user name is unknown, so that it takes as long as a wrong password."""
    return _HASHER.hash("không có tài khoản này")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str, password: str) -> bool:
    """True when `password` is the one `password_hash` was made from."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_nobody(password: str) -> bool:
    """The same work as verify() for a user name nobody has; always False."""
    verify(_stand_in(), password)
    return False


def needs_rehash(password_hash: str) -> bool:
    """The hash was made with weaker parameters than the library's current ones (re-hash at sign-in)."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
