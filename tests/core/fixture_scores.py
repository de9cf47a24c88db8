"""Score the parser on the fixtures' texts as some path delivers them (clean, wrapped, via PDF, via Word)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from test_parsing_scores import FIELDS, FIXTURES, _lead_matches, _match_tasks, _norm

from ntm_desktop.parsing import parse_directive, proposal_to_dict


def score(text_of: Callable[[Path], str], folder: Path = FIXTURES) -> tuple[dict, str]:
    """Scores (fields, metadata, precision, recall, deadline_accuracy in percent) and a table of misses.

    `folder` holds the annotated directives: NAME.txt and the person's extraction NAME.json.
    """
    field_ok = {f: 0 for f in FIELDS}
    docs = n_prop = n_gold = n_match = pairs = pairs_ok = 0
    lines = []
    for path in sorted(folder.glob("*.txt")):
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        got = proposal_to_dict(parse_directive(text_of(path)))
        docs += 1
        misses = [f for f in FIELDS if _norm(got[f]) != _norm(gold[f])]
        for f in FIELDS:
            field_ok[f] += f not in misses
        m, _ = _match_tasks(got["tasks"], gold["tasks"])
        pr, pok = _lead_matches(got["tasks"], gold["tasks"])
        n_prop += len(got["tasks"])
        n_gold += len(gold["tasks"])
        n_match += m
        pairs += pr
        pairs_ok += pok
        lines.append(f"{path.stem:28s} tasks {m:2d}/{len(got['tasks']):2d} proposed, {len(gold['tasks']):2d} gold;"
                     f" fields missed: {', '.join(misses) or '-'}")
    scores = {f: 100.0 * field_ok[f] / docs for f in FIELDS}
    scores["metadata"] = sum(scores[f] for f in FIELDS) / len(FIELDS)
    scores["precision"] = 100.0 * n_match / n_prop if n_prop else 0.0
    scores["recall"] = 100.0 * n_match / n_gold if n_gold else 0.0
    scores["deadline_accuracy"] = 100.0 * pairs_ok / pairs if pairs else 0.0
    table = "\n".join(lines) + "\n" + "\n".join(f"{k:22s} {v:6.1f}%" for k, v in scores.items())
    return scores, table
