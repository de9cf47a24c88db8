"""Version vectors and the field-by-field merge of two concurrent revisions of a record.

Incoming record against ours: unknown → new; same vector → unchanged; ours
dominates → older (skipped); theirs dominates → applied; neither → concurrent:
merged field by field against the last state both sides saw (the snapshot).
A field changed on both sides is a conflict: one value is kept by a rule every
installation applies the same way (the later revision wins, so all converge),
the other is stored in a conflict record for a person to decide. A delete
against a concurrent edit is a conflict too; the record stays alive until a
person confirms the delete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

NEW, UNCHANGED, OLDER, NEWER, CONCURRENT = "new", "unchanged", "older", "newer", "concurrent"


def compare(local: dict | None, incoming: dict) -> str:
    if local is None:
        return NEW
    keys = set(local) | set(incoming)
    local_ahead = any(local.get(k, 0) > incoming.get(k, 0) for k in keys)
    incoming_ahead = any(incoming.get(k, 0) > local.get(k, 0) for k in keys)
    if local_ahead and incoming_ahead:
        return CONCURRENT
    if incoming_ahead:
        return NEWER
    return OLDER if local_ahead else UNCHANGED


def dominates_or_equal(a: dict, b: dict) -> bool:
    """a ≥ b: every counter of b is reached by a."""
    return all(a.get(k, 0) >= v for k, v in b.items())


def join(a: dict, b: dict) -> dict:
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in sorted(set(a) | set(b))}


def _rank(record: dict) -> tuple:
    return (record.get("updated_at") or "", json.dumps(record["version"], sort_keys=True))


@dataclass(frozen=True)
class FieldConflict:
    field: str
    local: object
    incoming: object
    kept: str  # "local" or "incoming"


@dataclass(frozen=True)
class Merged:
    record: dict
    conflicts: tuple[FieldConflict, ...]


def merge_concurrent(fields: list[str], local: dict, incoming: dict, base: dict | None, installation: str) -> Merged:
    if base is not None and not (
        dominates_or_equal(local["version"], base["version"]) and dominates_or_equal(incoming["version"], base["version"])
    ):
        base = None  # not an ancestor of both: every differing field counts as changed on both sides
    incoming_wins = _rank(incoming) > _rank(local)
    result = dict(local)
    conflicts: list[FieldConflict] = []

    def changed(side: dict, name: str) -> bool:
        return base is None or side.get(name) != base.get(name)

    for name in fields:
        if name == "deleted":
            continue
        mine, theirs = local.get(name), incoming.get(name)
        if mine == theirs:
            continue
        if base is not None and mine == base.get(name):
            result[name] = theirs
        elif base is not None and theirs == base.get(name):
            continue
        else:
            kept = "incoming" if incoming_wins else "local"
            result[name] = theirs if incoming_wins else mine
            conflicts.append(FieldConflict(name, mine, theirs, kept))
    if local["deleted"] != incoming["deleted"]:
        deleter, editor = (local, incoming) if local["deleted"] else (incoming, local)
        if base is not None and not changed(deleter, "deleted"):
            result["deleted"] = editor["deleted"]  # the delete was undone on one side only
        elif any(changed(editor, f) for f in fields if f != "deleted"):
            result["deleted"] = False  # an edit against a delete: keep the record, ask a person
            conflicts.append(FieldConflict("deleted", local["deleted"], incoming["deleted"],
                                           "local" if not local["deleted"] else "incoming"))
        else:
            result["deleted"] = True
    result["updated_at"] = max(local.get("updated_at") or "", incoming.get("updated_at") or "")
    vector = join(local["version"], incoming["version"])
    same_as = lambda other: all(result.get(f) == other.get(f) for f in fields)  # noqa: E731
    if not (same_as(incoming) or same_as(local)):
        vector[installation] = vector.get(installation, 0) + 1
    result["version"] = vector
    return Merged(result, tuple(conflicts))
