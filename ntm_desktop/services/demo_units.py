"""The demo's unit tree as it stands after the 2025 reform.

Provinces merged (Yên Bái into Lào Cai, Bắc Giang into Bắc Ninh); no district is in
operation: each ended on 30/6/2025 and names the commune that carries it on; communes
and wards sit straight under the province; departments merged on 01/3/2025 (Nông
nghiệp and Tài nguyên into Nông nghiệp và Môi trường, Kế hoạch và Đầu tư into Tài chính).
The criteria communes are in demo_criteria.COMMUNES.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ntm_desktop.models import Unit
from ntm_desktop.services import units

END = "2025-06-30"  # the district level stopped on 30/6/2025
NEW = "2025-07-01"  # two-level local government
DEPARTMENTS_MERGED = "2025-03-01"
DEPARTMENTS_END = "2025-02-28"

# (code, name, short name, level, parent code, valid_from, valid_to, successor code)
BASE_UNITS = [
    ("LC", "Ủy ban nhân dân tỉnh Lào Cai", "UBND tỉnh Lào Cai", "tinh", None, None, None, None),
    ("YB", "Ủy ban nhân dân tỉnh Yên Bái", "UBND tỉnh Yên Bái", "tinh", None, None, END, "LC"),
    ("TQ", "Ủy ban nhân dân tỉnh Tuyên Quang", "UBND tỉnh Tuyên Quang", "tinh", None, None, None, None),
    ("BN", "Ủy ban nhân dân tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh", "tinh", None, None, None, None),
    ("BG", "Ủy ban nhân dân tỉnh Bắc Giang", "UBND tỉnh Bắc Giang", "tinh", None, None, END, "BN"),
    # Lào Cai: departments and provincial bodies (sở, ban, ngành)
    ("LC-VP", "Văn phòng Ủy ban nhân dân tỉnh Lào Cai", "Văn phòng UBND tỉnh", "so", "LC", None, None, None),
    ("LC-VPDP", "Văn phòng Điều phối nông thôn mới tỉnh Lào Cai", "VPĐP NTM tỉnh", "so", "LC", None, None, None),
    ("LC-SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "so", "LC", DEPARTMENTS_MERGED, None, None),
    ("LC-SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "so", "LC", None, DEPARTMENTS_END,
     "LC-SNNMT"),
    ("LC-STC", "Sở Tài chính", None, "so", "LC", None, None, None),
    ("LC-SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "so", "LC", None, DEPARTMENTS_END, "LC-STC"),
    ("LC-SCT", "Sở Công Thương", None, "so", "LC", None, None, None),
    ("LC-SXD", "Sở Xây dựng", None, "so", "LC", None, None, None),
    ("LC-SNV", "Sở Nội vụ", None, "so", "LC", None, None, None),
    ("LC-STP", "Sở Tư pháp", None, "so", "LC", None, None, None),
    ("LC-SKHCN", "Sở Khoa học và Công nghệ", None, "so", "LC", None, None, None),
    ("LC-CA", "Công an tỉnh Lào Cai", "Công an tỉnh", "so", "LC", None, None, None),
    ("LC-TTR", "Thanh tra tỉnh Lào Cai", "Thanh tra tỉnh", "so", "LC", None, None, None),
    ("LC-THUE", "Thuế tỉnh Lào Cai", "Thuế tỉnh", "so", "LC", None, None, None),
    ("LC-BCHQS", "Bộ Chỉ huy Quân sự tỉnh Lào Cai", "Bộ Chỉ huy Quân sự tỉnh", "so", "LC", None, None, None),
    ("LC-BQLKKT", "Ban Quản lý Khu kinh tế tỉnh Lào Cai", "Ban Quản lý Khu kinh tế tỉnh", "so", "LC", None, None,
     None),
    # Lào Cai: communes and wards since 01/7/2025, and the districts before them
    ("LC-YENBINH", "Ủy ban nhân dân xã Yên Bình", "UBND xã Yên Bình", "xa", "LC", NEW, None, None),
    ("LC-PYENBAI", "Ủy ban nhân dân phường Yên Bái", "UBND phường Yên Bái", "phuong", "LC", NEW, None, None),
    ("LC-PVANPHU", "Ủy ban nhân dân phường Văn Phú", "UBND phường Văn Phú", "phuong", "LC", NEW, None, None),
    ("LC-PAULAU", "Ủy ban nhân dân phường Âu Lâu", "UBND phường Âu Lâu", "phuong", "LC", NEW, None, None),
    ("LC-BAOTHANG", "Ủy ban nhân dân xã Bảo Thắng", "UBND xã Bảo Thắng", "xa", "LC", NEW, None, None),
    ("YB-YENBINH-H", "Ủy ban nhân dân huyện Yên Bình", "UBND huyện Yên Bình", "huyen", "YB", None, END,
     "LC-YENBINH"),
    ("YB-TPYENBAI", "Ủy ban nhân dân thành phố Yên Bái", "UBND thành phố Yên Bái", "huyen", "YB", None, END,
     "LC-PYENBAI"),
    ("LC-BAOTHANG-H", "Ủy ban nhân dân huyện Bảo Thắng", "UBND huyện Bảo Thắng", "huyen", "LC", None, END,
     "LC-BAOTHANG"),
    # Tuyên Quang: departments, communes and the districts before them
    ("TQ-STC", "Sở Tài chính", None, "so", "TQ", None, None, None),
    ("TQ-SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "so", "TQ", None, DEPARTMENTS_END, "TQ-STC"),
    ("TQ-SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "so", "TQ", DEPARTMENTS_MERGED, None, None),
    ("TQ-SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "so", "TQ", None, DEPARTMENTS_END,
     "TQ-SNNMT"),
    ("TQ-SXD", "Sở Xây dựng", None, "so", "TQ", None, None, None),
    ("TQ-HAMYEN-X", "Ủy ban nhân dân xã Hàm Yên", "UBND xã Hàm Yên", "xa", "TQ", NEW, None, None),
    ("TQ-SONDUONG-X", "Ủy ban nhân dân xã Sơn Dương", "UBND xã Sơn Dương", "xa", "TQ", NEW, None, None),
    ("TQ-HAMYEN", "Ủy ban nhân dân huyện Hàm Yên", "UBND huyện Hàm Yên", "huyen", "TQ", None, END, "TQ-HAMYEN-X"),
    ("TQ-SONDUONG", "Ủy ban nhân dân huyện Sơn Dương", "UBND huyện Sơn Dương", "huyen", "TQ", None, END,
     "TQ-SONDUONG-X"),
    # Bắc Giang, now part of Bắc Ninh
    ("BN-SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", "so", "BN", DEPARTMENTS_MERGED, None, None),
    ("BG-SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "so", "BG", None, DEPARTMENTS_END,
     "BN-SNNMT"),
    ("BN-VPDP", "Văn phòng Điều phối nông thôn mới tỉnh Bắc Ninh", "VPĐP NTM tỉnh Bắc Ninh", "so", "BN", None, None,
     None),
    ("BG-VPDP", "Văn phòng Điều phối nông thôn mới tỉnh Bắc Giang", "VPĐP NTM tỉnh Bắc Giang", "so", "BG", None,
     END, "BN-VPDP"),
    ("BN-TANYEN-X", "Ủy ban nhân dân xã Tân Yên", "UBND xã Tân Yên", "xa", "BN", NEW, None, None),
    ("BN-SONDONG-X", "Ủy ban nhân dân xã Sơn Động", "UBND xã Sơn Động", "xa", "BN", NEW, None, None),
    ("BN-LUCNGAN-X", "Ủy ban nhân dân xã Lục Ngạn", "UBND xã Lục Ngạn", "xa", "BN", NEW, None, None),
    ("BG-TANYEN", "Ủy ban nhân dân huyện Tân Yên", "UBND huyện Tân Yên", "huyen", "BG", None, END, "BN-TANYEN-X"),
    ("BG-SONDONG", "Ủy ban nhân dân huyện Sơn Động", "UBND huyện Sơn Động", "huyen", "BG", None, END,
     "BN-SONDONG-X"),
    ("BG-LUCNGAN", "Ủy ban nhân dân huyện Lục Ngạn", "UBND huyện Lục Ngạn", "huyen", "BG", None, END,
     "BN-LUCNGAN-X"),
]
OFFICE_CODE = "LC-VPDP"


def _parse_partial(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def build_units(session: Session) -> str:
    """Create the tree (and the criteria communes, so that "UBND các xã" finds them); returns the office's id."""
    from ntm_desktop.services.demo_criteria import create_communes

    ids: dict[str, str] = {}
    for code, name, short, level, parent, vfrom, vto, _ in BASE_UNITS:
        ids[code] = units.create_unit(
            session, code=code, name=name, short_name=short, level_code=level,
            parent_id=ids.get(parent), valid_from=_parse_partial(vfrom), valid_to=_parse_partial(vto),
        )
    for code, *_, successor in BASE_UNITS:
        if successor:
            session.get(Unit, ids[code]).successor_id = ids[successor]
    office = ids[OFFICE_CODE]
    for unit_id in ids.values():
        session.get(Unit, unit_id).owner_unit_id = office
    create_communes(session, office, ids["LC"])
    return office
