"""Backup settings kept in the data folder as a small JSON file.

They live outside the database on purpose: the extra backup folder must be known even when the database
cannot be opened.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

CONFIG_NAME = "backup.json"


def _path(root: Path) -> Path:
    return Path(root) / CONFIG_NAME


def _load(root: Path) -> dict:
    try:
        data = json.loads(_path(root).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def extra_folder(root: Path) -> Path | None:
    """The user's extra backup folder (e.g. on a USB stick), or None."""
    value = _load(root).get("extra_folder")
    return Path(value) if value else None


def set_extra_folder(root: Path, folder: Path | None) -> None:
    data = _load(root)
    data["extra_folder"] = str(folder) if folder else None
    target = _path(root)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)
