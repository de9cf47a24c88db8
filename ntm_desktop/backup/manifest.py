"""What a backup says about itself: when, which app and schema, how many records."""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

FORMAT = "ntm-desktop-backup"
FORMAT_VERSION = 1
BACKUP_SUFFIX = ".ntmbak"
MANIFEST_NAME = "manifest.json"
DATABASE_NAME = "ntm.sqlite3"
SHA256 = re.compile(r"^[0-9a-f]{64}$")  # an attachment is named by its hash, and nothing else reaches a path
MAX_ATTACHMENTS = 1_000_000

# Tables counted in the manifest, with the label shown in the backup list.
COUNTED_TABLES = {
    "directives": "văn bản",
    "tasks": "nhiệm vụ",
    "units": "đơn vị",
    "attachments": "tệp đính kèm",
}


class BackupKind(str, enum.Enum):
    DAILY = "hang-ngay"
    MANUAL = "thu-cong"
    BEFORE_RESTORE = "truoc-khoi-phuc"
    BEFORE_SYNC = "truoc-dong-bo"
    BEFORE_MIGRATION = "truoc-nang-cap"


KIND_LABELS = {
    BackupKind.DAILY: "Tự động hằng ngày",
    BackupKind.MANUAL: "Sao lưu thủ công",
    BackupKind.BEFORE_RESTORE: "Trước khi khôi phục",
    BackupKind.BEFORE_SYNC: "Trước khi nhập gói dữ liệu",
    BackupKind.BEFORE_MIGRATION: "Trước khi nâng cấp",
}


class NewerBackupFormat(ValueError):
    """The backup was written in a format newer than this app reads."""


@dataclass(frozen=True)
class Manifest:
    created_at: datetime  # local time of the office's PC, naive
    kind: BackupKind
    app_version: str
    schema_revision: str | None
    counts: dict[str, int]
    attachments: tuple[str, ...] = field(default=())  # SHA-256 of each attachment the database refers to

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "kind": self.kind.value,
                "app_version": self.app_version,
                "schema_revision": self.schema_revision,
                "counts": self.counts,
                "attachments": list(self.attachments),
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        """Parse and check a whole manifest; ValueError when it is not one of ours (NewerBackupFormat: newer app).

        Every field is checked before anything uses it: a restore acts on the manifest only once it is valid.
        """
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("manifest nested too deeply") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not an NTM Desktop backup manifest")
        version = data.get("format_version", 0)
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValueError("format_version is not a whole number")
        if version > FORMAT_VERSION:
            raise NewerBackupFormat(f"backup format {version}, this app reads up to {FORMAT_VERSION}")
        try:
            return cls(
                created_at=datetime.fromisoformat(_text(data["created_at"], "created_at")),
                kind=BackupKind(data.get("kind", BackupKind.MANUAL.value)),
                app_version=_text(data.get("app_version", ""), "app_version"),
                schema_revision=_optional_text(data.get("schema_revision"), "schema_revision"),
                counts=_counts(data.get("counts", {})),
                attachments=_hashes(data.get("attachments", [])),
            )
        except (KeyError, TypeError, OverflowError) as error:
            raise ValueError(f"manifest field missing or of the wrong type: {error}") from None


def _text(value, name: str, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"{name} is not a short text")
    return value


def _optional_text(value, name: str) -> str | None:
    return None if value is None else _text(value, name)


def _counts(value) -> dict[str, int]:
    if not isinstance(value, dict) or len(value) > 100:
        raise ValueError("counts is not an object of table counts")
    counts = {}
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 10**12:
            raise ValueError(f"count of {key!r} is not a number of records")
        counts[_text(key, "counts key", 60)] = number
    return counts


def _hashes(value) -> tuple[str, ...]:
    """Attachment hashes: 64 lower-case hex digits each, or the manifest is refused whole."""
    if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
        raise ValueError("attachments is not a list of hashes")
    for sha in value:
        if not isinstance(sha, str) or not SHA256.match(sha):
            raise ValueError(f"attachment {str(sha)[:80]!r} is not a SHA-256")
    return tuple(value)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the backup list shows it."""

    path: Path
    manifest: Manifest
    size: int

    @property
    def created_at(self) -> datetime:
        return self.manifest.created_at

    def kind_label(self) -> str:
        return KIND_LABELS.get(self.manifest.kind, self.manifest.kind.value)

    def counts_text(self) -> str:
        parts = [f"{self.manifest.counts.get(t, 0)} {label}" for t, label in COUNTED_TABLES.items()]
        return ", ".join(parts)
