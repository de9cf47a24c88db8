"""Where the data lives: the per-user data folder, or --data-dir / NTM_DATA_DIR."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ntm_desktop.db import DB_FILE_NAME

ENV_VAR = "NTM_DATA_DIR"


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DB_FILE_NAME

    @property
    def files(self) -> Path:
        return self.root / "files"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def received(self) -> Path:
        """A copy of every sync package applied here, for review (the audit log names each by its id)."""
        return self.root / "received-packages"


def resolve_data_folder(explicit: str | os.PathLike | None = None) -> DataFolder:
    """--data-dir first, then NTM_DATA_DIR, then the per-user data folder."""
    if explicit:
        root = Path(explicit)
    elif os.environ.get(ENV_VAR):
        root = Path(os.environ[ENV_VAR])
    else:
        root = Path(platformdirs.user_data_dir("NTM Desktop", "NTM", roaming=False))
    root = root.expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    return DataFolder(root)
