"""Apply a package: a backup and a kept copy first, then ONE transaction that re-checks and writes everything.

Any error rolls the whole package back. Records are written in bulk
(`sync/bulk.py`) with the version vectors they arrived with; every created
record and every changed field gets an audit row naming the package (that is
what makes a package reviewable and revertible).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, exc, select, text
from sqlalchemy.orm import Session

from ntm_desktop.errors import DatabaseLockedError, DiskFullError, UserError
from ntm_desktop.models import SyncConflict, Task, utcnow
from ntm_desktop.server import files as server_files
from ntm_desktop.services import access, settings, tasks
from ntm_desktop.services.attachments import stored_path
from ntm_desktop.sync import bulk, catalogue_edition, identity, keys, ledger, snapshots
from ntm_desktop.sync.entities import BY_NAME, ENTITIES, EntitySpec
from ntm_desktop.sync.identifiers import file_part, is_uuid
from ntm_desktop.sync.manifest import EXTENSION
from ntm_desktop.sync.package_zip import copy_member
from ntm_desktop.sync.preview import Plan, plan_batches, plan_package
from ntm_desktop.sync.reader import Package, PackageRefused, read_package, recheck

BUSY = ("Đang có người nhập gói khác vào dữ liệu này (ở cửa sổ khác hoặc máy khác dùng chung thư mục), nên gói "
        "chưa được nhập; dữ liệu chưa thay đổi. Hãy chờ việc đó xong rồi thử lại.")
NOTHING_APPLIED = "Chưa nhập gì; dữ liệu vẫn như trước."

# A hook for the crash test: called between steps when the variable is set.
_CRASH_POINT = os.environ.get("NTM_SYNC_TEST_PAUSE")


@dataclass
class ApplyResult:
    package_id: str
    status: str  # "applied" / "already" / "receipt"
    message: str
    summary: dict = field(default_factory=dict)
    backup: Path | None = None


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _insert_new(session: Session, spec: EntitySpec, actions, plan: Plan, user: str) -> None:
    connection = session.connection()
    package_id = plan.package.manifest.package_id
    bulk.insert_records(connection, spec, (a.result for a in actions))
    # One audit row per record: created by this package. The state as it arrived is in the kept copy of the
    # package (DataFolder.received), so it is not repeated here.
    bulk.insert_audit(connection, utcnow(), user, spec.name, [a.record_id for a in actions], package_id)


def referenced_files(plan: Plan) -> list[str]:
    """Attachments of the package that a record being written refers to (nothing else in the zip is written)."""
    wanted = set()
    for spec in ENTITIES:
        if spec.file_column:
            wanted |= {a.result[spec.file_column] for a in plan.actions.get(spec.name, [])
                       if a.writes and not a.result.get("deleted")}
    return sorted(wanted & set(plan.package.files))


def _write_files(session: Session, plan: Plan, files_dir: Path) -> list[Path]:
    """Stream each referenced attachment into the store; on any failure the ones written here are removed.

    On the office's server the bytes go into the database too, in the package's transaction, so that every PC of
    the office opens them (server.files); the copies in files/ are this PC's own."""
    written: list[Path] = []
    try:
        for sha in referenced_files(plan):
            target = stored_path(files_dir, sha)  # sha: a hex digest (the member name matched files/<sha256>)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                copy_member(plan.package.path, sha, target)
                written.append(target)
            server_files.share(session, files_dir, sha)
    except (OSError, UserError) as error:
        _remove(written)
        if isinstance(error, UserError):
            raise
        raise _disk_error(error, "Không chép được tệp đính kèm vào thư mục dữ liệu") from error
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def _disk_error(error: OSError, failed: str) -> UserError:
    if error.errno == 28:  # ENOSPC
        return DiskFullError(f"{failed}: ổ đĩa đã đầy. {NOTHING_APPLIED} "
                             "Hãy giải phóng dung lượng ổ đĩa rồi nhập lại gói.")
    return UserError(f"{failed} ({error.strerror or error}). {NOTHING_APPLIED} "
                     "Hãy kiểm tra quyền ghi và chỗ trống của thư mục dữ liệu rồi thử lại.")


def _write(session: Session, plan: Plan, files_dir: Path, user: str) -> list[Path]:
    package_id = plan.package.manifest.package_id
    written = _write_files(session, plan, files_dir)
    for spec in ENTITIES:
        actions = plan.actions.get(spec.name, [])
        new = [a for a in actions if a.writes and a.local is None]
        if new:
            _insert_new(session, spec, new, plan, user)
        bulk.update_records(session.connection(), spec, [(a.local, a.result) for a in actions
                                                         if a.writes and a.local is not None],
                            utcnow(), user, package_id)
        for action in actions:
            for conflict in action.conflicts:
                session.add(SyncConflict(
                    entity=spec.name, record_id=action.record_id, field=conflict.field,
                    local_value=_dump(conflict.local), incoming_value=_dump(conflict.incoming),
                    kept=conflict.kept, package_id=package_id,
                ))
        session.flush()
        _pause("entity")
        exchanged = [a.incoming for a in actions if a.outcome != "rejected" and a.outcome != "older"]
        snapshots.remember(session, spec.name, exchanged, plan.package.lines.get(spec.name))
    _derive_task_starts(session, plan)
    session.expire_all()  # rows were written around the ORM: objects read earlier reload them
    _advance_recurring(session, plan)
    return written


def _advance_recurring(session: Session, plan: Plan) -> None:
    """Reports that arrived on recurring tasks owned here move them to their next occurrence.

    That is this office's own change (a new revision that travels back), so it is saved as a local edit,
    inside the same transaction as the package."""
    ids = sorted({a.result["task_id"] for a in plan.actions.get("progress_updates", []) if a.writes})
    if not ids:
        return
    package_id = session.info.pop("package_id", None)
    try:
        for task in session.scalars(select(Task).where(Task.id.in_(ids), Task.recurrence.is_not(None))):
            tasks.advance_recurrence(session, task)
        session.flush()
    finally:
        session.info["package_id"] = package_id


_TASK_STARTS = text(
    "UPDATE tasks SET started_on = (SELECT MIN(d) FROM ("
    " SELECT p.reported_on AS d FROM progress_updates p WHERE p.task_id = tasks.id AND p.deleted = :no"
    " UNION ALL SELECT tasks.completed_on) AS starts) WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def _derive_task_starts(session: Session, plan: Plan) -> None:
    """A task's start is derived here from the reports and completions that arrived (it never travels).

    A task new here has no reports yet (they come after the tasks): its start is its completion, and
    one not completed keeps the empty start it was inserted with."""
    ids = {a.record_id for a in plan.actions.get("tasks", [])
           if a.writes and (a.outcome != "new" or a.result.get("completed_on") is not None)}
    ids |= {a.result["task_id"] for a in plan.actions.get("progress_updates", []) if a.writes}
    ids = sorted(ids)
    for i in range(0, len(ids), 500):  # under SQLite's limit of bound values in one statement
        session.execute(_TASK_STARTS, {"ids": ids[i:i + 500], "no": False})


def _pause(step: str) -> None:
    if _CRASH_POINT:
        import time

        Path(_CRASH_POINT).write_text(step)
        time.sleep(0.05)


def apply_file(workspace, path: Path, user: str = "", backup: bool = True,
               confirmed_key: str | None = None) -> ApplyResult:
    """Open, check and apply one package file; a refusal is written to the ledger and raised.

    backup=False when the caller has just made the safety backup itself (an inbox run makes one for all).
    confirmed_key: the fingerprint of the sender's key as the clerk compared it with the sender's key slip
    (needed once for a key this installation does not know yet).
    """
    try:
        with bulk.collector_paused():  # from the first line read to the commit
            return _apply_file(workspace, path, user, backup, confirmed_key)
    except DatabaseLockedError as error:
        raise DatabaseLockedError(BUSY) from error


def _apply_file(workspace, path: Path, user: str, backup: bool, confirmed_key: str | None) -> ApplyResult:
    db = workspace.db
    user = user or workspace.user()
    with db.transaction(user) as session:
        access.require(session, access.Permission.SYNC)
        try:
            # The data files' lines are checked as the apply reads them (each parsed once), in its transaction.
            package = read_package(session, path, confirmed_key=confirmed_key, check_lines=False)
        except PackageRefused as error:
            record_refusal(workspace, path, str(error), user)
            raise
        if package.already_imported:
            return ApplyResult(package.manifest.package_id, "already", ledger.imported_on_text(package.previous))
    if package.manifest.kind == "receipt":
        from ntm_desktop.sync import receipts

        with db.transaction(user) as session:
            return receipts.apply_receipt(session, package, user)
    try:
        return apply_package(workspace, package, user, backup=backup)
    except PackageRefused as error:  # a bad line found while applying: rolled back, refused as if found before
        record_refusal(workspace, path, str(error), user)
        raise


def record_refusal(workspace, path: Path, reason: str, user: str) -> None:
    from ntm_desktop.sync.reader import peek_manifest

    m = peek_manifest(Path(path))  # checked values only (None when the manifest is not of its form)
    try:
        with workspace.db.transaction(user) as session:
            ledger.record(session, package_id=m.package_id if m else "", sha256="", kind=m.kind if m else "",
                          origin_unit_id=m.origin_unit_id if m else "", origin_code=m.origin_code if m else "",
                          sequence=m.sequence if m else 0, created_utc=m.created_utc if m else "", user=user,
                          file_name=storable(Path(path).name)[:300], result="refused", summary=storable(reason))
    except UserError:  # a locked or full database: the refusal itself is what the user must read
        pass


def storable(text: str) -> str:
    """`text` as SQLite can store it: a file name the system could not decode has no lone surrogates left."""
    return text.encode("utf-8", "replace").decode("utf-8")


def safety_backup(workspace) -> Path:
    """A full backup (database and attachments) in the backups folder, restorable from the Backup dialog; on the
    office's server, a backup of the server's database (pg_dump, else the app's own export) in the same folder."""
    if workspace.db.is_server:
        return _server_backup(workspace)
    from ntm_desktop.backup import BackupKind
    from ntm_desktop.backup.store import prune, write_backup

    try:
        info = write_backup(workspace.folder, workspace.folder.backups, BackupKind.BEFORE_SYNC, datetime.now())
        prune(workspace.folder.backups)
    except UserError as error:  # the backup says what happened and that nothing was written
        raise type(error)(f"Chưa nhập gói vì không lập được bản sao lưu trước khi nhập. {error}") from error
    except (OSError, sqlite3.Error) as error:
        if isinstance(error, sqlite3.Error) and ("locked" in str(error).lower() or "busy" in str(error).lower()):
            raise DatabaseLockedError(BUSY) from error
        if isinstance(error, sqlite3.Error):
            error = OSError(28 if "full" in str(error).lower() else None, str(error))
        raise _disk_error(error, "Không lập được bản sao lưu trước khi nhập gói") from error
    return info.path


def _server_backup(workspace) -> Path:
    from ntm_desktop.backup import BackupKind
    from ntm_desktop.server.backup import backup_server

    try:
        return backup_server(workspace.db.url, workspace.folder.backups, datetime.now(),
                             kind=BackupKind.BEFORE_SYNC).path
    except UserError as error:
        raise type(error)(f"Chưa nhập gói vì không lập được bản sao lưu trước khi nhập. {error}") from error
    except OSError as error:
        raise _disk_error(error, "Không lập được bản sao lưu trước khi nhập gói") from error


def _keep_copy(workspace, package: Package) -> Path:
    """Copy the package into the data folder before applying it (a full disk stops here, nothing applied)."""
    target = workspace.folder.received / kept_copy_name(package)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)  # the data folder exists: only this one folder is ever made
        shutil.copyfile(package.path, tmp)
        os.replace(tmp, target)
    except OSError as error:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if error.errno == 28:  # ENOSPC
            raise DiskFullError("Không chép được gói vào thư mục dữ liệu vì ổ đĩa đầy. Chưa nhập gì; dữ liệu vẫn "
                                "như trước. Hãy giải phóng dung lượng ổ đĩa rồi nhập lại gói.") from error
        raise UserError(f"Không chép được gói vào thư mục dữ liệu ({error.strerror or error}). Chưa nhập gì; "
                        "nếu ổ đĩa đầy, hãy giải phóng dung lượng rồi thử lại.") from error
    return target


def kept_copy_name(package: Package) -> str:
    """The kept copy's file name, made only of checked parts: the origin's code reduced to plain letters, the
    sequence (an int), the package id (a UUID, else the file's own SHA-256) and a known extension."""
    m = package.manifest
    ident = m.package_id if is_uuid(m.package_id) else package.sha256
    suffix = package.path.suffix.lower() if package.path.suffix.lower() in (EXTENSION, ".xlsx") else EXTENSION
    sequence = m.sequence if type(m.sequence) is int and 0 <= m.sequence < 2 ** 31 else 0
    return f"{file_part(m.origin_code)}-{sequence:05d}-{file_part(ident)}{suffix}"


def space_needed(workspace, package: Package, backup: bool) -> int:
    """Bytes an apply may write: the kept copy of the package, its attachments, the records, and the backup made
    before it (a copy of the database and its zip)."""
    from ntm_desktop.backup.space import database_size

    size = package.path.stat().st_size if package.path.is_file() else 0
    attachments = sum(package.files.values())
    if workspace.db.is_server:  # the records go to the server; this PC keeps the package, the files, the backup
        return size + attachments + (_server_database_size(workspace) if backup else 0)
    data = sum(f.bytes for f in package.manifest.files if f.path.startswith("data/"))
    database = database_size(workspace.folder.database)
    return size + attachments + 2 * data + (database * 3 // 2 if backup else 0)


def _server_database_size(workspace) -> int:
    """What the server's backup may take at most (pg_dump's custom format and the own export are compressed)."""
    with workspace.db.transaction() as session:
        return session.scalar(text("SELECT pg_database_size(current_database())")) or 0


def check_free_space(workspace, package: Package, backup: bool) -> None:
    """Refused before anything is written when the data folder's disk cannot hold what the apply writes."""
    from ntm_desktop.backup.space import require_free_space

    try:
        doing = "lập bản sao lưu trước khi nhập và nhập gói dữ liệu này" if backup else "nhập gói dữ liệu này"
        require_free_space(workspace.folder.root, space_needed(workspace, package, backup), doing)
    except DiskFullError as error:
        raise DiskFullError(f"Chưa nhập gói của {package.manifest.origin_code}: {error}") from None


def apply_package(workspace, package: Package, user: str, reread=None, backup: bool = True) -> ApplyResult:
    db = workspace.db
    access.require_on(db, access.Permission.SYNC)  # before the backup and the copy it makes
    check_free_space(workspace, package, backup)
    safety = safety_backup(workspace) if backup else None
    _pause("backup")
    kept = workspace.folder.received / kept_copy_name(package)
    kept_before = kept.exists()
    _keep_copy(workspace, package)
    manifest = package.manifest
    written: list[Path] = []
    try:
        with bulk.collector_paused(), db.transaction(user) as session:
            ledger.one_at_a_time(session, write=True)  # another PC or process applying a package commits first
            session.info["package_id"] = manifest.package_id
            try:
                again = (reread or (lambda s: recheck(s, package)))(session)  # re-check inside the transaction
                if again.already_imported:
                    return ApplyResult(manifest.package_id, "already", ledger.imported_on_text(again.previous))
                if again.sha256 != package.sha256:
                    raise PackageRefused("Tệp gói đã thay đổi từ lúc xem trước. Hãy mở lại gói.")
                identity.adopt(session, again.adoption, manifest.package_id)  # hand-made units take the package's ids
                edition = catalogue_edition.apply(session, again.catalogue_edition)  # before the records it renamed
                plan = Plan(again)  # planned and written a batch at a time (bounded memory), below
                entry = ledger.record(session, package_id=manifest.package_id, sha256=again.sha256,
                                      kind=manifest.kind, origin_unit_id=manifest.origin_unit_id,
                                      origin_code=manifest.origin_code, sequence=manifest.sequence,
                                      created_utc=manifest.created_utc, user=user,
                                      file_name=storable(again.path.name)[:300],
                                      result="applied", summary="")
                session.flush()  # the write transaction is open from here: defer foreign keys to its commit
                bulk.defer_foreign_keys(session.connection())
                cache = bulk.roomy_cache(session.connection())
                try:
                    for batch in plan_batches(session, again):
                        written += _write(session, batch, workspace.folder.files, user)
                        plan.take(batch, keep=False)
                finally:
                    bulk.restore_cache(session.connection(), cache)
                if again.bootstrap:
                    settings.put(session, settings.OFFICE_UNIT, manifest.destination_unit_id)
                if again.trust is not None:  # a filled Excel template is entered here, not signed
                    keys.learn(session, manifest, again.trust, user)
                summary = plan.summary()
                edition_line = catalogue_edition.note(summary, edition)
                entry.summary = json.dumps(summary, ensure_ascii=False)
                session.flush()
                _pause("commit")
            finally:
                session.info.pop("package_id", None)
    except BaseException as error:
        _remove(written)  # attachments of a package that was not applied
        if isinstance(error, PackageRefused) and not kept_before:
            _remove([kept])  # a package refused is not kept
        if isinstance(error, DatabaseLockedError):
            raise DatabaseLockedError(BUSY) from error
        if type(error) is DiskFullError and "vẫn như trước" not in str(error):  # the database's own message
            raise DiskFullError("Ổ đĩa đã đầy nên gói chưa được nhập; dữ liệu vẫn như trước. Hãy giải phóng dung "
                                "lượng ổ đĩa rồi nhập lại gói.") from error
        if isinstance(error, exc.IntegrityError):
            raise UserError(f"Gói mâu thuẫn với dữ liệu ở máy này nên không nhập được ({error.orig}). "
                            f"{NOTHING_APPLIED} Hãy đề nghị đơn vị gửi kiểm tra lại dữ liệu và gửi lại gói.") from error
        raise
    conflicts = plan.total("conflict")
    what = (f"biểu mẫu Excel của {manifest.origin_code}" if package.entered_here
            else f"gói số {manifest.sequence} của {manifest.origin_code}")
    message = (f"Đã áp dụng {what}: "
               f"{plan.total('new')} mới, {plan.total('updated')} cập nhật, {plan.total('deleted')} xóa, "
               f"{conflicts} xung đột, {plan.total('rejected')} bị từ chối." + (" " + edition_line if edition_line else ""))
    return ApplyResult(manifest.package_id, "applied", message, summary, safety)


def preview_file(workspace, path: Path, confirmed_key: str | None = None) -> Plan | ApplyResult:
    """Read and classify without changing anything (the transaction is rolled back)."""
    session = workspace.db.sessions()
    try:
        package = read_package(session, path, confirmed_key=confirmed_key)
        if package.already_imported:
            return ApplyResult(package.manifest.package_id, "already", ledger.imported_on_text(package.previous))
        if package.manifest.kind == "receipt":
            return ApplyResult(package.manifest.package_id, "receipt", "Đây là giấy báo đã nhận của đơn vị nhận.")
        if package.adoption or catalogue_edition.will_apply(session, package.catalogue_edition):
            # planned as the apply will, after adopting and after a newer unit catalogue edition (which brings
            # the units it renames to the sender's revision), on a copy (the database may be read-only)
            with identity.rehearsal(session) as scratch:
                if package.adoption:
                    identity.adopt(scratch, package.adoption)
                catalogue_edition.apply(scratch, package.catalogue_edition)  # what it changes, in its report
                return plan_package(scratch, package)
        return plan_package(session, package)  # an edition it carries is judged: not newer, left aside
    finally:
        session.rollback()
        session.close()


def entity_label(name: str) -> str:
    spec = BY_NAME.get(name)
    return spec.label if spec else name


__all__ = ["ApplyResult", "apply_file", "apply_package", "preview_file", "entity_label", "UserError"]
