"""Numeric targets set by the instructions ("công nhận 60% số thôn ...", "mở rộng CCN lên 75ha").

Only the instructions are searched, so status figures of the assessment part
("lũy kế đến nay có 07 đơn vị ...") are not taken for targets. A target needs
a goal word just before the number (đạt, lên, công nhận, phấn đấu, đối với, từ,
thêm, tối thiểu, ít nhất).
"""

from __future__ import annotations

import re

from ntm_desktop.parsing.cleaning import fold_keep

_GOAL = re.compile(
    r"\b(?:dat|len|cong nhan|phan dau|doi voi|tu|them|toi thieu|it nhat|hoan thanh|xay dung)\s+(?:(?:duoc|them|co|tren)\s+)?"
    r"(\d{1,6}(?:,\d+)?)\s*(%|ha\b|[a-z]\w*)"
)


def find_targets(text: str, by: str | None) -> list[dict]:
    folded = fold_keep(text)
    out = []
    for clause_m in re.finditer(r"[^;.]+", text):
        clause = clause_m.group(0)
        fclause = folded[clause_m.start():clause_m.end()]
        m = _GOAL.search(fclause)
        if not m:
            continue
        number = m.group(1).replace(",", ".")
        try:
            count: int | float = int(number) if "." not in number else float(number)
        except ValueError:
            continue
        if isinstance(count, int) and 1900 <= count <= 2100:
            continue  # a year, not a count
        level = clause[m.start(2):].strip(" ,")
        out.append({"text": clause.strip(" ,"), "count": count, "of": None, "level": level, "by": by})
    return out
