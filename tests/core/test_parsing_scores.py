"""Score the directive parser against the person's extractions in tests/fixtures/directives.

Run with ``pytest -s -k parsing_scores`` to see the table. Floors are the
scores reached (rounded down): they may only go up.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ntm_desktop.parsing.units import canonical

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "directives"
FIELDS = ["doc_type", "number_symbol", "issuer", "place", "date", "subject", "signer", "signer_title",
          "recipients", "referenced_documents"]

# Floors (percent, rounded down from the scores reached).
FIELD_FLOORS = {
    "doc_type": 100, "number_symbol": 100, "issuer": 100, "place": 100, "date": 100, "subject": 100,
    "signer": 100, "signer_title": 100, "recipients": 100, "referenced_documents": 77,
}
METADATA_FLOOR = 97
PRECISION_FLOOR = 100
RECALL_FLOOR = 100
DEADLINE_FLOOR = 100


def _norm(value):
    if value is None:
        return None
    if isinstance(value, list):
        return sorted(_norm(v) for v in value)
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def _match_tasks(proposed: list[dict], gold: list[dict]) -> tuple[int, int]:
    """Greedy in order: (matched, matched with equal deadline_text-free deadline)."""
    used = [False] * len(gold)
    matched = 0
    for p in proposed:
        for k, g in enumerate(gold):
            if used[k]:
                continue
            if canonical(p["assignee"]) == canonical(g["assignee"]) and p["deadline"] == g["deadline"]:
                used[k] = True
                matched += 1
                break
    return matched, matched


def _lead_matches(proposed: list[dict], gold: list[dict]) -> tuple[int, int]:
    """Deadline accuracy: among tasks matched on the lead unit alone, how many have the gold deadline."""
    used = [False] * len(gold)
    pairs = ok = 0
    for p in proposed:
        best = None
        for k, g in enumerate(gold):
            if not used[k] and canonical(p["assignee"]) == canonical(g["assignee"]):
                if best is None or g["deadline"] == p["deadline"]:
                    best = k
                    if g["deadline"] == p["deadline"]:
                        break
        if best is not None:
            used[best] = True
            pairs += 1
            ok += gold[best]["deadline"] == p["deadline"]
    return pairs, ok


def compute_scores() -> tuple[dict, str]:
    """Scores on the clean fixture texts (the same scoring as every other path in fixture_scores)."""
    from fixture_scores import score  # (it imports the helpers above)

    return score(lambda path: path.read_text(encoding="utf-8"))


def test_parsing_scores_against_fixtures():
    scores, table = compute_scores()
    print("\n" + table)
    for f, floor in FIELD_FLOORS.items():
        assert scores[f] >= floor, f"{f} fell below {floor}%\n{table}"
    assert scores["metadata"] >= METADATA_FLOOR, table
    assert scores["precision"] >= PRECISION_FLOOR, table
    assert scores["recall"] >= RECALL_FLOOR, table
    assert scores["deadline_accuracy"] >= DEADLINE_FLOOR, table
