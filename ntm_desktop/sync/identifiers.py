"""What an id, a content hash and a unit code look like; a value from a package is checked before any use.

A value that passes cannot name a folder, climb out of one, or be mistaken for a reserved Windows name.
"""

from __future__ import annotations

import re
import unicodedata

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
# Unit codes are typed by people (create_unit upper-cases them and drops spaces): letters with diacritics,
# digits and punctuation are fine; whitespace, path separators, characters Windows forbids in file names,
# control characters and "." / ".." are not.
UNIT_CODE = re.compile(r'^(?!\.{1,2}\Z)[^\s/\\:*?"<>|\x00-\x1f\x7f]{1,40}\Z')
_FILE_PART = re.compile(r"[^0-9A-Za-z_-]+")


def is_uuid(value) -> bool:
    return type(value) is str and UUID.match(value) is not None


def is_sha256(value) -> bool:
    return type(value) is str and SHA256.match(value) is not None


def is_unit_code(value) -> bool:
    return type(value) is str and UNIT_CODE.match(value) is not None


def file_part(text: str, fallback: str = "x") -> str:
    """`text` reduced to ASCII letters, digits, "-" and "_" for use inside a file name made here."""
    plain = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    part = _FILE_PART.sub("_", plain).strip("_")[:40]
    return part or fallback
