"""A newer edition of the catalogue applied to the unit tree: renames and mergers become history, never lost.

A later decision may rename a commune, merge communes or move one to another province. The province
sends the newer catalogue file (resources/units/catalogue.json of a later edition, higher "version");
applying it here (`ntm-desktop units update FILE`, or `apply_edition`):

- a unit of the tree made from the catalogue that the edition renames gets its new name (the old one stays
  in its audit trail), and a new parent when it moved to another province;
- a unit the edition retires (listed among its former units) ends on its last day and names the unit that
  carries it on as its successor (that one is made if the tree lacks it); its records stay on it;
- a provincial office (its unit under a province) gets the province's communes it does not have yet.

Each change is written as the catalogue's revision (the AUTHOR counter of the version vector goes up by
one), so offices that apply the same edition hold the same records again. An edition that is not newer
than the one in use is refused, and so is one that gives a retired code to another unit (not supported:
say so to the province) or fails the checks of catalogue.checks (a province dropped, a merger into a code it
does not hold, a loop). One transaction: a refusal changes nothing.

The edition's text is stored in the settings (EDITION_KEY): it is the base the next edition is checked
against, and it travels in this office's sync packages to the offices below (sync.catalogue_edition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ntm_desktop.catalogue import identity
from ntm_desktop.catalogue.checks import check_edition
from ntm_desktop.catalogue.data import CatalogueError, loads, read
from ntm_desktop.catalogue.lookup import Catalogue, catalogue
from ntm_desktop.catalogue.setup import CATALOGUE_VERSION_KEY
from ntm_desktop.catalogue.tree import add_units
from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import AuditEntry, Unit, utcnow
from ntm_desktop.services import settings
from ntm_desktop.services.revisions import derived_values

EDITION_KEY = "unit_catalogue_edition"  # the text of the last edition applied here (none: the shipped one)
STORED_NAME = "danh mục đơn vị hành chính đã áp dụng"  # names the stored edition in messages


@dataclass
class EditionReport:
    before: str
    after: str
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old name, new name)
    ended: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, successor's name or "")
    added: int = 0

    def lines(self) -> list[str]:
        lines = [f"Đã áp dụng danh mục đơn vị hành chính {self.after} (trước đó: {self.before or 'chưa có'})."]
        lines += [f"Đổi tên: {old} → {new} (mã {code})." for code, old, new in self.renamed]
        lines += [f"Hết hiệu lực: {name} (mã {code})" + (f", đơn vị kế thừa: {after}." if after else ".")
                  for code, name, after in self.ended]
        if self.added:
            lines.append(f"Thêm {self.added} đơn vị mới theo danh mục.")
        if not (self.renamed or self.ended or self.added):
            lines.append("Không đơn vị nào của máy này thay đổi.")
        return lines


def version_key(version: str) -> tuple:
    """"2026.1" -> comparable parts (numbers as numbers; a part of letters sorts after them)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version.replace("-", ".").split("."))


def is_newer(session: Session, newer: Catalogue) -> bool:
    """The edition is later than the one this tree was last made from (any, when none is noted)."""
    before = settings.get(session, CATALOGUE_VERSION_KEY)
    return not before or version_key(newer.version) > version_key(before)


_PARSED: dict[str, Catalogue] = {}  # the edition stored here, parsed once per process (by its text's hash)


def current_edition(session: Session) -> Catalogue:
    """The edition in use here: the one last applied and stored (see apply_edition), or the shipped one when
    that is as new (the app was updated since) or nothing is stored."""
    import hashlib

    shipped = catalogue()
    text = settings.get(session, EDITION_KEY)
    if not text:
        return shipped
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = _PARSED.get(key)
    if found is None:
        try:
            found = Catalogue(loads(text, Path(STORED_NAME), keep_text=True))
        except CatalogueError:
            return shipped
        _PARSED.clear()
        _PARSED[key] = found
    return found if version_key(found.version) > version_key(shipped.version) else shipped


def _bump(session: Session, unit: Unit, changes: dict) -> None:
    """Write `changes` as the catalogue's next revision of the unit, with its audit rows."""
    version = dict(unit.version or {})
    version[identity.AUTHOR] = version.get(identity.AUTHOR, 0) + 1
    row = {"name": unit.name, "short_name": unit.short_name, "code": unit.code, **changes}
    values = {**changes, **derived_values("units", row.get), "version": version, "updated_at": utcnow()}
    user, now = session.info.get("user", ""), utcnow()
    for name, new in changes.items():
        old = getattr(unit, name)
        session.add(AuditEntry(at=now, user=user, entity="units", record_id=unit.id, field=name,
                               old=None if old is None else str(old), new=None if new is None else str(new)))
    session.flush()
    session.execute(update(Unit).where(Unit.id == unit.id).values(**values))


def _refuse_older(session: Session, newer: Catalogue) -> None:
    if not is_newer(session, newer):
        before = settings.get(session, CATALOGUE_VERSION_KEY)
        raise UserError(f"Máy này đang dùng danh mục đơn vị hành chính {before}; tệp đã chọn là bản {newer.version}, "
                        "không mới hơn, nên không áp dụng. Không có gì bị thay đổi.")


def _changes(session: Session, newer: Catalogue) -> tuple[EditionReport, list[tuple[Unit, dict, list]]]:
    """What the edition changes in the tree, read only: each unit made from the catalogue with its new values
    and the catalogue units to put in the tree before them (a new province, a successor)."""
    report = EditionReport(settings.get(session, CATALOGUE_VERSION_KEY), newer.version)
    changes: list[tuple[Unit, dict, list]] = []
    ours = [u for u in session.scalars(select(Unit).where(Unit.deleted.is_(False), Unit.valid_to.is_(None)))
            if identity.from_catalogue(u.id, u.code, u.version)]
    for unit in ours:
        now = newer._data.units.get(unit.code)
        gone = newer._data.former.get(unit.code)
        if now is not None and gone is not None:
            raise ValidationError(
                f"Danh mục {newer.version} vừa cho {gone.name} hết hiệu lực vừa dùng lại mã {unit.code} cho "
                f"{now.name}; phiên bản này của NTM Desktop chưa áp dụng được việc dùng lại mã. Không có gì bị thay "
                "đổi; hãy báo cho cấp trên.")
        if now is not None:
            values, needed = {}, []
            if now.body_name != unit.name:
                values.update(name=now.body_name, short_name=now.body_short_name)
                report.renamed.append((unit.code, unit.name, now.body_name))
            if not now.is_province and unit.parent_id != identity.unit_id(now.province_code):
                needed.append(newer.province_of(now))
                values["parent_id"] = identity.unit_id(now.province_code)
            if values:
                changes.append((unit, values, needed))
        elif gone is not None:
            successor = newer.successor(gone)
            values, needed = {"valid_to": gone.valid_to}, []
            if successor is not None:
                needed.append(successor)
                values["successor_id"] = identity.unit_id(successor.ref)
            changes.append((unit, values, needed))
            report.ended.append((unit.code, unit.name, successor.body_name if successor else ""))
    return report, changes


def foresee_edition(session: Session, newer: Catalogue) -> EditionReport:
    """What apply_edition would change here (renamed, ended), without writing; its refusals are raised alike."""
    check_edition(newer, current_edition(session))
    return _changes(session, newer)[0]


def apply_edition(session: Session, newer: Catalogue) -> EditionReport:
    """Apply a newer edition to the tree, in the caller's transaction; the edition is stored (when read with
    its text) so that it goes on in this office's packages (sync.catalogue_edition)."""
    from ntm_desktop.services import access

    access.require(session, access.Permission.UNITS)
    _refuse_older(session, newer)
    check_edition(newer, current_edition(session))
    report, changes = _changes(session, newer)
    for unit, values, needed in changes:
        if needed:
            add_units(session, needed, newer)
        _bump(session, unit, values)
    office = session.get(Unit, settings.office_unit_id(session) or "")
    if office is not None and office.level_code in ("so", "khac") and office.parent is not None:
        province = newer.get(office.parent.code)
        if province is not None and province.is_province and province.in_force and (
                office.code == identity.keeper_code(province.code) or office.level_code == "so"):
            report.added += len(add_units(session, newer.communes(province.code), newer).created)
    settings.put(session, CATALOGUE_VERSION_KEY, newer.version)
    if newer.text:
        settings.put(session, EDITION_KEY, newer.text)
    session.flush()
    session.expire_all()  # units were written around the ORM
    return report


def read_edition(path: Path) -> Catalogue:
    """A catalogue file sent by the province (CatalogueError, in Vietnamese, when it is not one)."""
    return Catalogue(read(Path(path), keep_text=True))

