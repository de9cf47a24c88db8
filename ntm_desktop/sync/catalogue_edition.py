"""The unit catalogue's edition carried by a package: the province's newer map goes down with its data.

An office that applied a newer edition of the catalogue of administrative units than the one shipped with
the app (`ntm-desktop units update FILE`, or a package that carried it: catalogue.updates stores it) puts
that edition into every package it sends to an office that takes its unit tree from it, as the member `MEMBER` (one
line: the edition's JSON). The manifest lists it like every data file, with its size and SHA-256, so the
signature over the manifest covers it and a changed byte refuses the package.

Receiving, in the reader (before anything is written): the edition is read up to `MAX_BYTES`, parsed as a
catalogue value by value (no escape of a control character or a lone surrogate), and, when it is newer than the edition in use here,
checked as catalogue.checks says (a province dropped, a merger into a code it does not hold, a loop ...).
Anything wrong refuses the package whole, in Vietnamese. An older or equal edition is left aside.

Previewing: the records are planned against the tree as it will be after the edition (the edition applied on a
rehearsal of the database, as an adoption is), so the preview counts the units the edition brings to the sender's
revision as unchanged, as the apply does.

Applying, in the package's transaction and before its records: catalogue.updates.apply_edition (renames
and mergers become successor links; records stay on their units). The sender's records were written after
it applied the same edition, so the units that arrive are then the same revision and merge as unchanged.
What it changed is in the import's summary (ledger, history tab). Its changes are the catalogue's own
revisions, as with `units update`: reverting the package undoes the records it brought, not the edition.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from ntm_desktop.catalogue.checks import VERSION, problem
from ntm_desktop.catalogue.data import FIRST_MAP, CatalogueError, parse, text_problem
from ntm_desktop.catalogue.lookup import Catalogue, catalogue
from ntm_desktop.catalogue.setup import CATALOGUE_VERSION_KEY
from ntm_desktop.catalogue.updates import EditionReport, apply_edition, current_edition, version_key
from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Unit
from ntm_desktop.services import settings
from ntm_desktop.sync.manifest import FileEntry
from ntm_desktop.sync.package_zip import ASK_AGAIN, Limits, PackageRefused, read_small

MEMBER = "data/unit_catalogue.ndjson"
ENTITY = "unit_catalogue"
MAX_BYTES = 8 * 1024 ** 2  # the shipped catalogue is 0.8 MB: ten times that is no map of Vietnam
WHAT = f"Danh mục đơn vị hành chính trong gói ({MEMBER})"


@dataclass
class CarriedEdition:
    """The edition a package carries, and what it does here (set when read, again inside the apply).

    Parsed as a catalogue only when it is newer than the one in use here (an office gets the same edition in
    every package from the province after the first: its version and date are read, nothing more)."""

    raw: dict | None  # the member's JSON value, until it is parsed
    text: str
    version: str
    effective: date
    current: str = ""  # the edition in use here when read ("" when the tree was never made from one)
    newer: bool = False
    report: EditionReport | None = None  # what it changes here (foreseen, then applied)
    parsed: Catalogue | None = None

    @property
    def catalogue(self) -> Catalogue:
        """The edition parsed (PackageRefused, naming the place, when it is not of its form)."""
        if self.parsed is None:
            try:
                edition = Catalogue(parse(self.raw, Path(MEMBER)))
            except CatalogueError as error:
                raise _refused(error.detail) from None
            edition._data.text = self.text
            self.parsed, self.raw = edition, None
        return self.parsed

    @property
    def label(self) -> str:
        return f"{self.version} ngày {self.effective:%d/%m/%Y}"

    def counts(self) -> tuple[int, int]:
        """(renamed, merged) units of this office's tree."""
        report = self.report
        return (len(report.renamed), len(report.ended)) if report else (0, 0)

    def preview_line(self) -> str:
        if not self.newer:
            return (f"Gói mang danh mục đơn vị hành chính phiên bản {self.label}, không mới hơn bản máy này đang "
                    f"dùng ({self.current}): bỏ qua, không thay đổi gì.")
        renamed, merged = self.counts()
        return (f"Gói mang danh mục đơn vị hành chính phiên bản {self.label} (máy này đang dùng "
                f"{self.current or 'bản có sẵn'}). Khi áp dụng sẽ cập nhật danh mục: {renamed} đổi tên, {merged} "
                "sáp nhập; hồ sơ của các đơn vị đó được giữ, nối với đơn vị kế thừa.")

    def applied_line(self) -> str:
        renamed, merged = self.counts()
        return (f"Đã cập nhật danh mục đơn vị hành chính lên phiên bản {self.label}: {renamed} đổi tên, "
                f"{merged} sáp nhập.")


# --- sending ---------------------------------------------------------------------------------------------

def _keeps_tree_of(session: Session, office: Unit, destination: Unit) -> bool:
    """This office is above the destination, or keeps its unit record: the office the destination takes its
    unit tree from (ownership.Tree), so the catalogue too."""
    from ntm_desktop.sync.ownership import Tree

    return Tree(session).keeps_tree_of(office.id, destination.id)


def edition_to_send(session: Session, office: Unit, destination: Unit) -> bytes | None:
    """The edition in use here, as one line of JSON, when it is newer than the shipped one and the
    destination takes its unit tree from this office; None otherwise."""
    edition = current_edition(session)
    if edition is catalogue() or not edition.text or not _keeps_tree_of(session, office, destination):
        return None
    text = edition.text
    if "\n" in text.strip():
        text = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    return text.strip().encode("utf-8") + b"\n"


def write(zf: zipfile.ZipFile, session: Session, office: Unit, destination: Unit) -> FileEntry | None:
    """Put the edition into the zip being written; its manifest entry (None when there is none to send)."""
    import hashlib

    data = edition_to_send(session, office, destination)
    if data is None:
        return None
    zf.writestr(MEMBER, data)
    return FileEntry(MEMBER, ENTITY, 1, len(data), hashlib.sha256(data).hexdigest())


# --- receiving ---------------------------------------------------------------------------------------------

def _refused(detail: str) -> PackageRefused:
    return PackageRefused(f"{WHAT} không dùng được: {detail}. Gói bị từ chối toàn bộ; chưa có gì thay đổi. "
                          f"Hãy báo cho đơn vị gửi kiểm tra danh mục đơn vị hành chính rồi lập lại gói.")


def _judge(session: Session, carried: CarriedEdition) -> None:
    """Newer than the edition in use here? Then it must pass every check (PackageRefused otherwise)."""
    carried.current = settings.get(session, CATALOGUE_VERSION_KEY)
    carried.newer = not carried.current or version_key(carried.version) > version_key(carried.current)
    carried.report = None
    if carried.newer:
        found = problem(carried.catalogue, current_edition(session))  # parsed here, once
        if found:
            raise _refused(found)


# JSON escapes of what no catalogue holds and a database cannot store: control characters, lone surrogates.
_UNSTORABLE = re.compile(r"\\u(?:00[01]|[dD][89a-fA-F])[0-9a-fA-F]")


def _value(data: bytes):
    """The member's JSON value (parsed in C: the edition's shape is checked value by value afterwards, so no
    nesting goes unseen), refused in the package's words with the line and column of a damage."""
    try:
        text = data.decode("utf-8")
        value = json.loads(text, parse_constant=_no_constant)
    except ValueError as error:
        raise _refused(text_problem(error)) from None
    except RecursionError:
        raise _refused("dữ liệu lồng nhau quá sâu, không phải danh mục đơn vị hành chính") from None
    if _UNSTORABLE.search(text):
        raise _refused("có ký tự điều khiển hoặc ký tự không hợp lệ (nửa cặp UTF-16)")
    return value, text


def _no_constant(name: str):
    raise ValueError(name)


def _headline(raw) -> tuple[str, date] | None:
    """The edition's version and the day of its latest change, read without parsing it; None when these
    are not of their form (the full parse then says what is wrong)."""
    try:
        version = raw["version"]
        if type(version) is not str or not VERSION.match(version):
            return None
        days = [date.fromisoformat(raw["in_force"])]
        for era in raw.get("former", []):
            until = date.fromisoformat(era["valid_to"])
            if until >= FIRST_MAP:
                days.append(until + timedelta(days=1))
        return version, max(days)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def read(session: Session, zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: FileEntry,
         limits: Limits) -> CarriedEdition:
    """The edition of the member (its hash already checked against the signed manifest)."""
    if entry.entity != ENTITY or entry.count != 1:
        raise PackageRefused(f"Phần mô tả của gói khai sai tệp {MEMBER}. Gói bị từ chối toàn bộ; {ASK_AGAIN}")
    raw, text = _value(read_small(zf, info, MAX_BYTES, WHAT))
    if not isinstance(raw, dict):
        raise _refused("nội dung không phải danh mục đơn vị hành chính")
    head = _headline(raw)
    carried = CarriedEdition(raw, text, *(head or ("", date.min)))
    if head is None:  # parsed now, to say what is wrong (or to read a version of another form)
        carried.version, carried.effective = carried.catalogue.version, carried.catalogue.effective
    _judge(session, carried)
    return carried


def will_apply(session: Session, carried: CarriedEdition | None) -> bool:
    """The package carries an edition newer than the one in use here: the apply puts it in before the records, so
    a preview plans the records on a rehearsal of the tree after it (sync.apply.preview_file)."""
    if carried is None:
        return False
    _judge(session, carried)
    return carried.newer


def apply(session: Session, carried: CarriedEdition | None) -> CarriedEdition | None:
    """Inside the package's transaction, before its records: a newer edition applied (an older or equal one
    left aside). Returns the edition when it was applied."""
    if carried is None:
        return None
    _judge(session, carried)  # judged again: another package may have brought it meanwhile
    if not carried.newer:
        return None
    try:
        carried.report = apply_edition(session, carried.catalogue)
    except CatalogueError as error:
        raise _refused(error.detail) from None
    except ValidationError as error:
        raise PackageRefused(f"{WHAT}: {error}") from None
    return carried


def note(summary: dict, applied: CarriedEdition | None) -> str:
    """The import's summary gets what the edition changed; returns the sentence for the user ("" if none)."""
    if applied is None:
        return ""
    renamed, merged = applied.counts()
    line = applied.applied_line()
    summary["unit_catalogue"] = {"version": applied.catalogue.version,
                                 "date": applied.catalogue.effective.isoformat(), "renamed": renamed,
                                 "merged": merged, "message": line, "details": applied.report.lines()}
    return line
