"""What a killed backup or restore leaves behind, removed at the next start.

A backup writes into `backups/.tmp-*` (a database copy, then the zip) and renames the finished file; a
restore unpacks into `.restore-*` in the data folder; single files are copied as `*.tmp` and renamed.
Killed half-way (power cut, task manager), those stay and one of them holds a whole database copy.
Only the process holding the instance lock may remove them: no other backup or restore can be running.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from ntm_desktop.backup.store import FILES_DIR
from ntm_desktop.paths import DataFolder

log = logging.getLogger(__name__)


def _candidates(folder: DataFolder) -> list[Path]:
    found: list[Path] = []
    root, backups = folder.root, folder.backups
    found += [p for p in root.glob(".restore-*") if p.is_dir()]
    # a signing key written under a temporary name (made, or brought by a restore) and never renamed
    found += [p for p in root.glob(".signing-key.pem.*") if p.is_file()]
    if backups.is_dir():
        found += [p for p in backups.glob(".tmp-*") if p.is_dir()]
        found += [p for p in backups.glob("*.tmp") if p.is_file()]
        found += [p for p in (backups / FILES_DIR).glob("*/*.tmp") if p.is_file()]
    found += [p for p in folder.files.glob("*/*.tmp") if p.is_file()]
    return found


def remove_leftovers(folder: DataFolder, lock) -> list[Path]:
    """Delete the unfinished work of killed backups and restores; returns what was removed.

    `lock` is the InstanceLock of this data folder, held by the caller: it proves that nothing is being
    written right now. A file that cannot be removed is logged and left; it never stops the start.
    """
    if not getattr(lock, "held", False) or Path(lock.path).parent.resolve() != folder.root.resolve():
        raise RuntimeError("remove_leftovers needs the data folder's instance lock")
    removed = []
    for path in _candidates(folder):
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as error:
            log.warning("leftover not removed: %s (%s)", path, error)
            continue
        removed.append(path)
    if removed:
        log.info("removed %d leftover(s) of interrupted backups or restores: %s", len(removed),
                 ", ".join(p.name for p in removed))
    return removed
