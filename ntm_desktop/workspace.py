"""A data folder opened for work: its paths and its migrated database."""

from __future__ import annotations

from dataclasses import dataclass

from ntm_desktop.db import Database, open_database
from ntm_desktop.paths import DataFolder, resolve_data_folder
from ntm_desktop.services import settings


@dataclass
class Workspace:
    folder: DataFolder
    db: Database

    def office_unit_id(self) -> str | None:
        with self.db.transaction() as session:
            return settings.office_unit_id(session)

    def user(self) -> str:
        with self.db.transaction() as session:
            return settings.current_user(session)

    def close(self) -> None:
        self.db.dispose()


def open_workspace(data_dir=None) -> Workspace:
    folder = resolve_data_folder(data_dir)
    db = open_database(folder.database, backup_dir=folder.backups)
    return Workspace(folder=folder, db=db)
