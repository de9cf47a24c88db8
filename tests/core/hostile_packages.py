"""Genuine packages to turn hostile, fresh installations to receive them, and what a refusal must leave alone.

`genuine_world` builds, once, a district with a commune set up from it, and two genuine packages:
`down` (district -> commune: a change to a task) and `up` (commune -> district: a hamlet under the commune,
the commune's own directive with a PDF and a task, a report on the district's monthly task). The data folders
of both offices are kept closed as they were before receiving; `fresh` copies one for a test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ntm_desktop.models import Task
from ntm_desktop.services import attachments, tasks, units
from ntm_desktop.services.deadlines import DeadlineKind, Recurrence
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.workspace import open_workspace
from signing_helpers import resign_as_sender
from test_sync_world import build_district, join_commune, send

PDF = b"%PDF-1.4\n% bao cao tien do\n" + bytes(range(256)) * 64


@dataclass(frozen=True)
class World:
    root: Path
    district_folder: Path  # before receiving `up`
    commune_folder: Path  # before receiving `down`
    down: Path
    up: Path
    ids: dict[str, str]  # unit codes and the records the tests aim at


_WORLDS: list[Path] = []  # roots of the worlds built, where the senders' key files are


def build_world(root: Path) -> World:
    _WORLDS.append(root)
    district = build_district(root)
    ids: dict[str, str] = {}
    with district.db.transaction("Văn thư huyện") as s:
        first = s.scalars(select(Task)).first()
        ids["monthly"] = tasks.create_task(s, TaskInput(
            directive_id=first.directive_id, summary="Báo cáo tiến độ xây dựng nông thôn mới hằng tháng",
            lead_unit_id=units.find_by_code(s, "XA-A").id, deadline_kind=DeadlineKind.RECURRING,
            recurrence=Recurrence.MONTHLY, recurrence_day=25))
        ids["monthly_due"] = s.get(Task, ids["monthly"]).due_date.isoformat()
        for code in ("TINH", "HUYEN", "XA-A", "XA-B"):
            ids[code] = units.find_by_code(s, code).id
    commune = join_commune(root, district, "XA-A", root / "boot")
    with district.db.transaction("Văn thư huyện") as s:
        s.get(Task, first.id).notes = "Ưu tiên hoàn thành trước mùa mưa"
    down = send(district, "XA-A", root / "down")
    scan = root / "Bao cao tien do.pdf"
    scan.write_bytes(PDF)
    with commune.db.transaction("Cán bộ xã") as s:
        ids["hamlet"] = units.create_unit(s, code="XA-A-THON1", name="Thôn Một", level_code="thon",
                                          parent_id=ids["XA-A"], owner_unit_id=ids["XA-A"])
        ids["directive"] = create_directive(s, ids["XA-A"], DirectiveInput(
            arrival_date=date.today(), arrival_number=1, issuer_unit_id=ids["HUYEN"],
            number_symbol="12/UBND-NN", doc_date=date.today(), doc_type="CV",
            subject="Về việc đôn đốc rà soát tiêu chí nông thôn mới"))
        ids["attachment"] = attachments.attach(s, commune.folder.files, ids["directive"], scan)
        ids["task"] = tasks.create_task(s, TaskInput(directive_id=ids["directive"], summary="Rà soát tiêu chí 17",
                                                     lead_unit_id=ids["XA-A"]))
        ids["report"] = tasks.add_progress(s, ids["monthly"], date.today(), "Đã gửi báo cáo tháng", "UBND xã")
    up = send(commune, "HUYEN", root / "up")
    district.close()
    commune.close()
    return World(root, root / "huyen", root / "XA-A", down, up, ids)


def fresh(folder: Path, where: Path):
    """A copy of a closed data folder, opened: an installation that has not received the package yet."""
    shutil.copytree(folder, where)
    return open_workspace(where)


# --- turning a package hostile -------------------------------------------------

def members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def records(package: Path, entity: str) -> list[dict]:
    return [json.loads(line) for line in members(package)[f"data/{entity}.ndjson"].decode().splitlines()]


def write_zip(target: Path, content: dict[str, bytes], compression=zipfile.ZIP_DEFLATED, resign: bool = True) -> Path:
    """The package as given, its manifest signed again by the sender's own key (found beside the package's
    folder or the target's): a genuine sender that is hostile or careless, the case these tests are about."""
    if resign and "manifest.json" in content:
        content = resign_as_sender(dict(content), target.parent, target.parent.parent, _WORLDS[-1] if _WORLDS else target)
    with zipfile.ZipFile(target, "w", compression=compression) as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return target


def tamper(src: Path, dst: Path, entity: str | None = None, edit=None, manifest_edit=None,
           extra: dict[str, bytes] | None = None, listed_extra: bool = True, raw_manifest: bytes | None = None,
           compression=zipfile.ZIP_DEFLATED) -> Path:
    """A copy of `src` with one entity's records edited (`edit(records) -> records or raw lines`) and the
    manifest's sizes, hashes and counts made to match, as a sender with a text editor would."""
    content = members(src)
    manifest = json.loads(content["manifest.json"])
    if entity:
        path = f"data/{entity}.ndjson"
        rows = edit([json.loads(line) for line in content[path].decode().splitlines()])
        lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows]
        content[path] = ("\n".join(lines) + "\n").encode("utf-8")
        for file in manifest["files"]:
            if file["path"] == path:
                file["count"] = len(rows)
    content.update(extra or {})
    if extra and listed_extra:
        manifest["files"] += [{"path": name, "entity": "", "count": 0, "bytes": 0, "sha256": ""}
                              for name in extra if name.startswith("files/")]
    for file in manifest["files"]:
        data = content.get(file["path"])
        if data is not None:
            file["bytes"], file["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    if manifest_edit:
        manifest_edit(manifest)
    content["manifest.json"] = raw_manifest if raw_manifest is not None else json.dumps(manifest).encode()
    return write_zip(dst, content, compression)


def edit_record(record_id: str, **changes):
    def edit(rows):
        for row in rows:
            if row["id"] == record_id:
                row.update(changes)
        return rows
    return edit


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- what a refusal must leave alone ------------------------------------------

def disk_state(root: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every file and folder under `root` (outside `skip`) with its size and modification time."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = here / name
            if skip is not None and path == skip:
                continue
            info = path.lstat()
            state[str(path.relative_to(root))] = (info.st_size if name in filenames else 0, info.st_mtime_ns)
    return state


def tables_digest(database: Path, skip: tuple[str, ...] = ("sync_import_ledger",)) -> str:
    """A hash of every row of every table but `skip` (the ledger notes refusals): equal digests, equal data."""
    from hostile_helpers import folder_server, server_digest

    if folder_server(database):
        return server_digest(folder_server(database), skip=skip)
    con = sqlite3.connect(f"file:{Path(database).resolve().as_posix()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                 if n not in skip]
        for name in names:
            for row in con.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
                digest.update(repr((name, row)).encode("utf-8"))
        return digest.hexdigest()
    finally:
        con.close()


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()
