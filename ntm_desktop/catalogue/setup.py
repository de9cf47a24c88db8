"""Setting up a new installation's office from the catalogue: what the first-start dialog and
`ntm-desktop init` both call.

The office is one of four kinds (OFFICE_KINDS):

- "xa": the People's Committee of a commune, ward or special zone: its unit, its province and the
  province's NTM coordination office (where its reports go) are made from the catalogue;
- "vpdp": the province's NTM coordination office: the province, the office and every commune of the
  province;
- "so": a provincial department, board or agency (its name typed, e.g. "Sở Nông nghiệp và Môi trường"):
  the province, its coordination office and communes, and the department under the province;
- "khac": any other body (name typed), under the province or under one of its communes.

Catalogue units get the catalogue's identity (catalogue.identity): two offices that pick the same commune
hold the same unit. A department or other body is made here as any hand-made unit is (code
"<province>-<initials>" unless given). Everything happens in the caller's transaction, after every check:
an error (a Vietnamese UserError) leaves nothing behind.

    with workspace.db.transaction(user) as session:
        result = set_up_office(session, OfficeChoice("xa", "15", "03043"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.catalogue import identity
from ntm_desktop.catalogue.data import Entry
from ntm_desktop.catalogue.lookup import Catalogue, CatalogueError, catalogue as shipped
from ntm_desktop.catalogue.tree import add_units
from ntm_desktop.errors import UserError, ValidationError
from ntm_desktop.models import Unit
from ntm_desktop.services import settings
from ntm_desktop.text import fold, nfc

OFFICE_KINDS = {
    "xa": "Ủy ban nhân dân xã, phường, đặc khu",
    "vpdp": "Văn phòng Điều phối nông thôn mới tỉnh",
    "so": "Sở, ban, ngành của tỉnh",
    "khac": "Cơ quan, đơn vị khác",
}
CATALOGUE_VERSION_KEY = "unit_catalogue_version"  # the catalogue the tree's units were last made from


class AlreadySetUpError(UserError):
    """The data folder already has its office."""


@dataclass(frozen=True)
class OfficeChoice:
    kind: str  # a key of OFFICE_KINDS
    province_code: str = ""  # may be left empty for "xa": the commune's own province
    commune_code: str = ""  # "xa": the office's commune; "khac": the commune it sits under (optional)
    name: str = ""  # "so" and "khac": the office's name; "vpdp": another name than the usual one
    code: str = ""  # "so" and "khac": the office's code in the tree (default "<province>-<initials>")


@dataclass(frozen=True)
class OfficePlan:
    """A choice checked against the catalogue: what will be made."""

    kind: str
    province: Entry
    commune: Entry | None
    office_code: str
    office_name: str
    office_level: str
    units: tuple[Entry, ...]  # catalogue units to put in the tree

    @property
    def office_from_catalogue(self) -> bool:
        return self.kind in ("xa", "vpdp")


@dataclass(frozen=True)
class SetUpResult:
    office_id: str
    office_code: str
    office_name: str
    created: int  # units made
    communes: int  # communes of the province now in the tree


def check_choice(choice: OfficeChoice, cat: Catalogue | None = None) -> OfficePlan:
    """The plan for `choice`, or a Vietnamese UserError saying what is wrong (nothing is read or written)."""
    cat = cat or shipped()
    kind = (choice.kind or "").strip().lower()
    if kind not in OFFICE_KINDS:
        kinds = "; ".join(f"{k}: {v}" for k, v in OFFICE_KINDS.items())
        raise ValidationError(f"Loại cơ quan “{choice.kind}” không có. Hãy chọn một trong các loại: {kinds}.", "kind")
    province_code = (choice.province_code or "").strip()
    commune_code = (choice.commune_code or "").strip()
    commune = None
    if commune_code:
        commune = cat.unit(commune_code)
        if not commune.in_force:
            successors = ", ".join(f"{e.name} (mã {e.code})" for e in cat.successors(commune))
            raise ValidationError(
                f"{commune.name} (mã {commune.code}) không còn từ ngày {cat.in_force:%d/%m/%Y}; nay là {successors}. "
                "Hãy chọn đơn vị hiện nay.", "commune")
        if commune.is_province:
            if province_code and province_code != commune.code:
                raise ValidationError(f"Mã {commune.code} là của {commune.name}, không phải một xã, phường, đặc khu.",
                                      "commune")
            province_code, commune = commune.code, None
    if kind == "xa" and commune is None:
        raise ValidationError("Hãy chọn xã, phường hoặc đặc khu của cơ quan (mã 5 chữ số, ví dụ 03043 là xã Mường Bo).",
                              "commune")
    if commune is not None and province_code and commune.province_code != province_code:
        province = cat.province(province_code)
        real = cat.province_of(commune)
        raise ValidationError(
            f"{commune.name} (mã {commune.code}) thuộc {real.name} (mã {real.code}), không thuộc {province.name} "
            f"(mã {province.code}). Hãy chọn lại tỉnh hoặc xã; không có gì bị thay đổi.", "commune")
    if not province_code and commune is not None:
        province_code = commune.province_code
    if not province_code:
        raise ValidationError("Hãy chọn tỉnh, thành phố của cơ quan (mã 2 chữ số, ví dụ 15 là tỉnh Lào Cai).",
                              "province")
    province = cat.province(province_code)
    name = nfc(choice.name) or ""
    if kind == "xa":
        return OfficePlan(kind, province, commune, commune.code, commune.body_name, commune.level_code, (commune,))
    every_commune = tuple(cat.communes(province.code))
    if kind == "vpdp":
        if commune is not None:
            raise ValidationError("Văn phòng Điều phối nông thôn mới tỉnh đặt dưới tỉnh, không chọn xã.", "commune")
        return OfficePlan(kind, province, None, identity.keeper_code(province.code),
                          name or identity.keeper_name(province.name), "so", (province, *every_commune))
    if not name:
        raise ValidationError("Hãy nhập tên cơ quan, ví dụ “Sở Nông nghiệp và Môi trường”.", "name")
    if kind == "so" and commune is not None:
        raise ValidationError("Sở, ban, ngành đặt dưới tỉnh, không chọn xã.", "commune")
    above = commune or province
    code = _office_code(choice.code, above, name)
    level = "so" if kind == "so" else "khac"
    units = (province, *every_commune) if kind == "so" else (above,)
    return OfficePlan(kind, province, commune, code, name, level, units)


def _office_code(typed: str, above: Entry, name: str) -> str:
    from ntm_desktop.sync.identifiers import is_unit_code

    code = (nfc(typed) or "").upper().replace(" ", "")
    if not code:
        words = [w for w in fold(name).split() if w.isalnum()]
        stop = {"va", "tinh", "thanh", "pho", "xa", "phuong", "cua"}
        code = "S" if not words else "".join(w[0] for w in words if w not in stop).upper()
    if not code.startswith(above.code + "-"):
        code = f"{above.code}-{code}"
    if not is_unit_code(code) or not re.search(r"[A-Z]", code):
        raise ValidationError(f"Mã cơ quan “{code}” không dùng được. Hãy dùng chữ, số và dấu gạch ngang, ví dụ "
                              f"{above.code}-SNNMT.", "code")
    return code


def set_up_office(session: Session, choice: OfficeChoice, cat: Catalogue | None = None) -> SetUpResult:
    """Make the office's units from the catalogue and make the office this installation's."""
    from ntm_desktop.services import access, units

    cat = cat or shipped()
    access.require(session, access.Permission.SETTINGS)
    current = settings.office_unit_id(session)
    if current:
        office = session.get(Unit, current)
        label = f"“{office.name}” (mã {office.code})" if office else "một đơn vị"
        raise AlreadySetUpError(
            f"Thư mục dữ liệu này đã được cài đặt cho {label}; không cài lại được. Hãy chọn một thư mục trống "
            "khác; dữ liệu đang có không bị thay đổi.")
    plan = check_choice(choice, cat)
    added = add_units(session, list(plan.units), cat)
    if plan.office_from_catalogue:
        office_id = added.ids[plan.office_code]
        if plan.kind == "vpdp" and plan.office_name != session.get(Unit, office_id).name:
            session.get(Unit, office_id).name = plan.office_name
    else:
        parent = plan.commune or plan.province
        clash = session.scalar(select(Unit).where(Unit.code == plan.office_code))
        if clash is not None:
            raise ValidationError(f"Mã “{plan.office_code}” đã được dùng cho “{clash.name}”. Hãy nhập mã khác.", "code")
        office_id = units.create_unit(session, code=plan.office_code, name=plan.office_name,
                                      level_code=plan.office_level, parent_id=identity.unit_id(parent.ref),
                                      as_part_of=access.Permission.SETTINGS)
    settings.put(session, settings.OFFICE_UNIT, office_id)
    settings.put(session, CATALOGUE_VERSION_KEY, cat.version)
    _fill_header(session, plan)
    communes = sum(1 for e in plan.units if e.is_commune)
    return SetUpResult(office_id, plan.office_code, plan.office_name, len(added.created) + (
        0 if plan.office_from_catalogue else 1), communes)


def _fill_header(session: Session, plan: OfficePlan) -> None:
    """The printed header from the units made: parent and issuing body, the place of issue (a commune's own
    place, else the province's) and the report symbol ("BC-UBND", "BC-VPĐP", "BC-SNNMT": office.issuer_symbol)."""
    from dataclasses import replace

    from ntm_desktop.services import office

    profile = office.default_profile(session)
    place = plan.commune.place if plan.commune is not None else plan.province.place
    symbol = {"xa": "UBND", "vpdp": "VPĐP"}.get(plan.kind) or office.issuer_symbol(plan.office_name)
    office.save_profile(session, replace(profile, place_name=place, report_symbol=f"BC-{symbol}"))


def office_kinds() -> list[tuple[str, str]]:
    """(key, Vietnamese label) of the kinds of office, commune first."""
    return list(OFFICE_KINDS.items())


__all__ = ["OFFICE_KINDS", "OfficeChoice", "OfficePlan", "SetUpResult", "AlreadySetUpError", "CatalogueError",
           "check_choice", "set_up_office", "office_kinds"]
