"""Sync by file with the province and the communes (the nine guarantees of the sync design).

A package is a zip (`.ntmsync`): `manifest.json` (format, app and schema
versions, package id, kind delta/full/receipt, origin unit + installation +
user, destination, UTC time, sequence per destination, and each file's
entity, count, size and SHA-256), `data/<entity>.ndjson` (full record state,
one JSON object a line, sorted by id), `files/<sha256>` attachments and a
Vietnamese `README.txt`.

Modules: `entities` (what travels; one registry entry per entity), `export`,
`reader` (every refusal happens here, before the database is touched),
`merge` (version vectors, field-by-field merge), `ownership`, `preview`
(the plan, no changes), `apply` (backup, then one transaction), `ledger`,
`receipts`, `conflicts`, `inbox`, `revert`, `excel_template`, `snapshots`.

Rules worth knowing:

- Units come down from the parent. Each installation knows a unit by the id it
  was born with; a package bringing a unit whose code is used here by another
  id is rejected with that reason, never matched by code or name. A new
  installation is set up by a `full` package its parent office makes for it:
  applied on a data folder with no office yet, it sets the destination unit as
  this office.
- An origin may change records owned by itself or by units below it; records
  owned by units above it may come down through it (a district relays the
  province's directives to its communes). Anything else is rejected with a
  reason, record by record; the rest of the package applies.
- A field changed on both sides since the last common state is a conflict:
  every installation keeps the same value (the later revision's), so they all
  converge, and the other value is stored as a conflict record for a person,
  whose choice is a new revision that travels. A delete against a concurrent
  edit keeps the record and asks a person.
- A delta holds every record changed since the destination's last receipt
  (tracked by the audit log's position at export), so a lost package is healed
  by the next one; `full` sends everything.
"""
