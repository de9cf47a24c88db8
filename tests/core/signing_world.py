"""A province and two communes, each its own installation with its own key, that have exchanged packages.

`build` makes, once: the province (TINH) with communes XA-A and XA-B under it; each commune set up from the
province's full package (its clerk confirmed the province's key fingerprint); each commune's first report
applied at the province (its clerk confirmed the commune's key). XA-B was set up after the province knew
XA-A's key, so XA-B knows it from the province's key list. `a_next` is XA-A's second report to the
province, not applied yet. The data folders are kept closed; `fresh` copies one for a test.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ntm_desktop.models import Task, Unit
from ntm_desktop.services import settings, tasks, units
from ntm_desktop.services.directives import DirectiveInput, create_directive
from ntm_desktop.services.tasks import TaskInput
from ntm_desktop.sync import keys, signing
from ntm_desktop.sync.apply import apply_file
from ntm_desktop.sync.export import export_package
from ntm_desktop.workspace import open_workspace


@dataclass(frozen=True)
class World:
    root: Path
    ids: dict[str, str]  # unit codes -> ids, and the records tests aim at
    fingerprints: dict[str, str]  # unit code -> the fingerprint on its key slip
    boot_a: Path  # TINH -> XA-A, the full package that set XA-A up
    a_first: Path  # XA-A -> TINH no. 1, applied at TINH
    a_next: Path  # XA-A -> TINH no. 2, not applied
    b_first: Path  # XA-B -> TINH no. 1, applied at TINH

    def folder(self, code: str) -> Path:
        return self.root / code

    def key(self, code: str) -> signing.SigningKey:
        return signing.load(self.folder(code))


def send(ws, to_code: str, out: Path, full: bool = False) -> Path:
    with ws.db.transaction("cán bộ") as s:
        return export_package(s, ws.folder.files, to_code, None, out_dir=out, full=full).path


def fingerprint(ws) -> str:
    with ws.db.transaction() as s:
        return keys.own_key(s).fingerprint


def report(ws, task_id: str, text: str) -> None:
    with ws.db.transaction("Cán bộ xã") as s:
        tasks.add_progress(s, task_id, date.today(), text, "UBND xã")


def build(root: Path) -> World:
    province = open_workspace(root / "TINH")
    ids: dict[str, str] = {}
    with province.db.transaction("Văn thư tỉnh") as s:
        ids["TINH"] = units.create_unit(s, code="TINH", name="Văn phòng Điều phối nông thôn mới tỉnh Tuyên Quang",
                                        level_code="tinh")
        for code, name in (("XA-A", "Ủy ban nhân dân xã Yên Thuận"), ("XA-B", "Ủy ban nhân dân xã Bạch Xa")):
            ids[code] = units.create_unit(s, code=code, name=name, level_code="xa", parent_id=ids["TINH"])
        settings.put(s, settings.OFFICE_UNIT, ids["TINH"])
        for unit in s.scalars(select(Unit)):
            unit.owner_unit_id = ids["TINH"]
        directive = create_directive(s, ids["TINH"], DirectiveInput(
            arrival_date=date(2026, 3, 2), arrival_number=1, issuer_unit_id=ids["TINH"], number_symbol="45/KH-UBND",
            doc_date=date(2026, 2, 27), doc_type="KH", subject="Kế hoạch xây dựng nông thôn mới năm 2026"))
        for code in ("XA-A", "XA-B"):
            ids[f"task {code}"] = tasks.create_task(s, TaskInput(
                directive_id=directive, summary=f"Rà soát tiêu chí nông thôn mới của {code}", lead_unit_id=ids[code]))
    prints = {"TINH": fingerprint(province)}
    out = root / "packages"
    communes = {}
    firsts, boots = {}, {}
    for code in ("XA-A", "XA-B"):
        commune = open_workspace(root / code)
        boots[code] = send(province, code, out, full=True)
        apply_file(commune, boots[code], user="Cán bộ xã", confirmed_key=prints["TINH"])
        prints[code] = fingerprint(commune)
        report(commune, ids[f"task {code}"], f"{code}: đã rà soát 10 tiêu chí")
        firsts[code] = send(commune, "TINH", out)
        apply_file(province, firsts[code], user="Văn thư tỉnh", confirmed_key=prints[code])
        communes[code] = commune
    report(communes["XA-A"], ids["task XA-A"], "XA-A: đã rà soát thêm 2 tiêu chí")
    a_next = send(communes["XA-A"], "TINH", out)
    for ws in (province, *communes.values()):
        ws.close()
    return World(root, ids, prints, boots["XA-A"], firsts["XA-A"], a_next, firsts["XA-B"])


def fresh(world: World, code: str, where: Path):
    """A copy of an office's data folder as the world left it, opened."""
    shutil.copytree(world.folder(code), where / code)
    return open_workspace(where / code)


# --- packages made by hand ------------------------------------------------------------------------------------

def write_zip(target: Path, content: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return target


def members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def forge(src: Path, dst: Path, key: signing.SigningKey | None, manifest_edit=None, entity: str | None = None,
          edit=None) -> Path:
    """A copy of `src` with its records and manifest edited, every file's size and hash recomputed, and the
    manifest signed by `key` (None: the old signature kept), as someone with a text editor and a key would."""
    content = members(src)
    manifest = json.loads(content["manifest.json"])
    if entity:
        path = f"data/{entity}.ndjson"
        rows = edit([json.loads(line) for line in content[path].decode().splitlines()])
        content[path] = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode()
    for file in manifest["files"]:
        data = content[file["path"]]
        file["bytes"], file["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    if manifest_edit:
        manifest_edit(manifest)
    if key is not None:
        manifest["signer_key"] = key.public_key
    content["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    if key is not None:
        content["signature.json"] = json.dumps({"algorithm": "Ed25519",
                                                "signature": key.sign(content["manifest.json"])}).encode()
    return write_zip(dst, content)


def claim(world: World, code: str):
    """A manifest edit: the package says it comes from `code`."""
    def edit(manifest):
        manifest["origin_unit_id"], manifest["origin_code"] = world.ids[code], code
    return edit


def address(world: World, code: str):
    def edit(manifest):
        manifest["destination_unit_id"], manifest["destination_code"] = world.ids[code], code
    return edit


# --- what a refusal must leave alone --------------------------------------------------------------------------

def dump(database: Path) -> str:
    """A hash of every row of every table; the import ledger's notes of refused packages left out (a refusal
    is noted there, which is how the board shows it)."""
    from hostile_helpers import folder_server, server_digest

    if folder_server(database):
        return server_digest(folder_server(database), where={"sync_import_ledger": "result != 'refused'"})
    con = sqlite3.connect(f"file:{Path(database).resolve().as_posix()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            where = " WHERE result != 'refused'" if name == "sync_import_ledger" else ""
            for row in con.execute(f'SELECT * FROM "{name}"{where} ORDER BY 1'):
                digest.update(repr((name, row)).encode("utf-8"))
        return digest.hexdigest()
    finally:
        con.close()
