"""The identity of a unit made from the catalogue: the same at every installation.

A unit created from the catalogue gets an id derived from its code in the tree (uuid5 in the app's
namespace, as the national criteria sets do), and its first revision is written by the catalogue, not
by the installation: its version vector is {AUTHOR: 1}. Two offices that both pick Xã Mường Bo therefore
hold the same record, id and version alike: a package from one is "unchanged" at the other, with no
duplicate and nothing to merge. An edit made afterwards at an office bumps that office's counter as any
edit does.

Every unit of a province made from the catalogue is kept by the province's NTM coordination office
(Văn phòng Điều phối nông thôn mới tỉnh, code "<province>-VPDP"), made along with the province
everywhere: it is the owner the sync rules see, so its packages come "from above" to each commune.
"""

from __future__ import annotations

from ntm_desktop.models.criteria import natural_id

AUTHOR = "danh-muc-don-vi-hanh-chinh"  # the version-vector key of revisions the catalogue writes
KEEPER_SUFFIX = "-VPDP"


def unit_id(tree_code: str) -> str:
    """The id of the unit with this code in the tree ("03043", "15-CU", "15-VPDP")."""
    return natural_id("catalogue_unit", tree_code.strip().upper())


def keeper_code(province_code: str) -> str:
    return province_code.strip() + KEEPER_SUFFIX


def keeper_id(province_code: str) -> str:
    return unit_id(keeper_code(province_code))


def keeper_name(province_name: str) -> str:
    """"Tỉnh Lào Cai" -> "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai"."""
    return f"Văn phòng Điều phối nông thôn mới {province_name[:1].lower()}{province_name[1:]}"


def first_version(revision: int = 1) -> dict[str, int]:
    return {AUTHOR: revision}


def from_catalogue(unit_id_: str, code: str, version: dict | None) -> bool:
    """The unit is the catalogue's record of `code`, as the catalogue wrote it or edited since."""
    return unit_id_ == unit_id(code) and AUTHOR in (version or {})
