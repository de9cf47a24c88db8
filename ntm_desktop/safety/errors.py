"""Start-up refusals, each with a Vietnamese message the user can act on."""

from __future__ import annotations

from pathlib import Path

from ntm_desktop.errors import UserError


class AlreadyRunningError(UserError):
    """Another NTM Desktop process has this data folder open."""


class NetworkDriveError(UserError):
    """The data folder is on a network share, where SQLite can corrupt the database."""


class CorruptDatabaseError(UserError):
    """The integrity check failed; `newest_backup` is the way out when there is one."""

    def __init__(self, message: str, problems: list[str], newest_backup: Path | None):
        super().__init__(message)
        self.problems = problems
        self.newest_backup = newest_backup
