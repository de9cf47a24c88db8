"""What a backup says about itself: when, which app and schema, how many records."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

FORMAT = "ntm-desktop-backup"
FORMAT_VERSION = 1
BACKUP_SUFFIX = ".ntmbak"
MANIFEST_NAME = "manifest.json"
DATABASE_NAME = "ntm.sqlite3"

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
        """Parse a manifest; ValueError when it is not one of ours."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not an NTM Desktop backup manifest")
        if int(data.get("format_version", 0)) > FORMAT_VERSION:
            raise ValueError("newer backup format")
        return cls(
            created_at=datetime.fromisoformat(data["created_at"]),
            kind=BackupKind(data.get("kind", BackupKind.MANUAL.value)),
            app_version=str(data.get("app_version", "")),
            schema_revision=data.get("schema_revision"),
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            attachments=tuple(str(h) for h in data.get("attachments", [])),
        )


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
