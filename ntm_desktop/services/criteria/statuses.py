"""Codes and Vietnamese labels for statuses, recognition levels and commune-level units."""

from __future__ import annotations

from ntm_desktop.text import fold

DAT, CO_BAN_DAT, CHUA_DAT = "dat", "co_ban_dat", "chua_dat"
STATUS_LABELS = {DAT: "Đạt", CO_BAN_DAT: "Cơ bản đạt", CHUA_DAT: "Chưa đạt"}
STATUSES = tuple(STATUS_LABELS)
NOT_ASSESSED_LABEL = "Chưa đánh giá"

RECOGNITION_LABELS = {
    "ntm": "Đạt chuẩn nông thôn mới",
    "nang_cao": "Đạt chuẩn nông thôn mới nâng cao",
    "kieu_mau": "Đạt chuẩn nông thôn mới kiểu mẫu",
}
RECOGNITION_SHORT = {"ntm": "NTM", "nang_cao": "NTM nâng cao", "kieu_mau": "NTM kiểu mẫu"}

# Unit levels that are communes (assessed against a commune criteria set).
COMMUNE_LEVELS = ("xa", "phuong", "dac_khu")

# Summary bands by number of criteria met (2021-2025, 19 criteria): label, lowest count.
BANDS_19 = (("19 tiêu chí", 19), ("15-18 tiêu chí", 15), ("10-14 tiêu chí", 10), ("5-9 tiêu chí", 5),
            ("Dưới 5 tiêu chí", 0))


def status_from_text(text: str | None) -> str | None:
    """Accept a code or a label typed in any case, with or without diacritics."""
    if not text or not str(text).strip():
        return None
    folded = fold(str(text)).replace("_", " ").strip()
    for code, label in STATUS_LABELS.items():
        if folded in (fold(label), code.replace("_", " ")):
            return code
    return None


def bands_for(total: int) -> tuple[tuple[str, int], ...]:
    """The summary bands for a set of `total` criteria (the 19-criteria bands scale to other sets)."""
    if total == 19:
        return BANDS_19
    top = (f"{total} tiêu chí", total)
    cuts = [round(total * f) for f in (15 / 19, 10 / 19, 5 / 19)]
    labels = [f"{cuts[0]}-{total - 1} tiêu chí", f"{cuts[1]}-{cuts[0] - 1} tiêu chí",
              f"{cuts[2]}-{cuts[1] - 1} tiêu chí", f"Dưới {cuts[2]} tiêu chí"]
    return (top, (labels[0], cuts[0]), (labels[1], cuts[1]), (labels[2], cuts[2]), (labels[3], 0))


def band_of(met: int, total: int) -> str:
    for label, lowest in bands_for(total):
        if met >= lowest:
            return label
    return bands_for(total)[-1][0]
