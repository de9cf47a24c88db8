"""The official catalogue of Vietnam's administrative units (danh mục đơn vị hành chính), shipped as data.

Since 01/7/2025: 34 provinces and 3,321 communes, wards and special zones (2,621 xã, 687 phường, 13 đặc
khu) with the statistics office's codes; and the units before the reform (63 provinces, 696 districts,
10,035 communes) with the units in force that carry each on. The data file is resources/units/catalogue.json,
built by tools/build_unit_catalogue.py from the MIT-licensed `vietnamadminunits` package (NOTICE.txt beside
it); nothing is fetched at run time. No Qt here.

Reading (no database):

    from ntm_desktop.catalogue import catalogue
    cat = catalogue()                       # read once per process (about 0.1 s)
    cat.version, cat.in_force, cat.label()  # "2025.1", date(2025, 7, 1)
    cat.provinces()                         # [Entry], Vietnamese order of place names
    cat.communes("15")                      # the xã, phường, đặc khu of Tỉnh Lào Cai
    cat.unit("03043")                       # Entry: code, name "Xã Mường Bo", kind "xa", province_code "15"
    cat.get("03043-CU")                     # a former unit by its tree code (official code + "-CU")
    cat.search("muong bo", limit=20, province_code=None, in_force_only=False)  # no diacritics, no case
    cat.successors(old) / cat.successor(old)  # former -> units in force (main one first)
    cat.predecessors(new)                   # unit in force -> former communes it was made of
    cat.province_of(entry), cat.district_of(old_commune)

    Entry.ref is the unit's code in the tree; Entry.body_name "Ủy ban nhân dân xã Mường Bo";
    Entry.level_code the unit level; Entry.in_force / divided / is_province / is_commune.

Writing (in the caller's transaction, `with db.transaction(user) as session:`):

    set_up_office(session, OfficeChoice(kind, province_code, commune_code, name, code)) -> SetUpResult
        the first start of an office ("xa", "vpdp", "so", "khac"; see catalogue.setup), also `ntm-desktop init`
    check_choice(choice) -> OfficePlan        the same checks without writing (for a dialog's OK button)
    add_units(session, [entries]) -> Added     catalogue units (and those above them) into the tree
    unit_id("03043")                          the id every installation gives that unit

Later (each in the caller's transaction):

    catalogue.linking.link_unit(session, unit_id, "03043")   a unit typed by hand becomes the catalogue's
    catalogue.former.find_former_units / link_former_units   pre-reform units get their successors
    catalogue.former.former_names(session)                   old names for the parser's unit matching
    catalogue.updates.apply_edition(session, read_edition(path))  a newer edition sent by the province

Command line: `ntm-desktop init`, `ntm-desktop units find|link|former|update`.

Errors are UserError subclasses with Vietnamese messages: UnknownCodeError, AlreadySetUpError,
ValidationError (a commune under the wrong province, a missing name), CatalogueError (a damaged file).
"""

from ntm_desktop.catalogue.data import Entry
from ntm_desktop.catalogue.identity import unit_id
from ntm_desktop.catalogue.lookup import Catalogue, CatalogueError, UnknownCodeError, catalogue
from ntm_desktop.catalogue.setup import (
    OFFICE_KINDS,
    AlreadySetUpError,
    OfficeChoice,
    OfficePlan,
    SetUpResult,
    check_choice,
    office_kinds,
    set_up_office,
)
from ntm_desktop.catalogue.tree import Added, add_units

__all__ = [
    "Entry", "unit_id", "Catalogue", "CatalogueError", "UnknownCodeError", "catalogue", "OFFICE_KINDS",
    "AlreadySetUpError", "OfficeChoice", "OfficePlan", "SetUpResult", "check_choice", "office_kinds",
    "set_up_office", "Added", "add_units",
]
