"""Which tables travel, and how a record becomes a JSON dict and back.

The registry is a list: adding an entity is one `EntitySpec` entry. Order
matters only for reading and showing (parents before children); apply defers
foreign-key checks to the end of its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, partial
from itertools import chain
from operator import is_not, itemgetter
from typing import Any, Callable

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, Table, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import Attachment, Directive, ProgressUpdate, Task, Unit, task_cooperators
from ntm_desktop.models.base import VersionVector
from ntm_desktop.services.field_labels import field_label
from ntm_desktop.services.field_limits import INT_MAX, INT_MIN, JSON_MAX_CHARS, JSON_MAX_DEPTH, json_depth
from ntm_desktop.services.revisions import DERIVED_FIELDS, LOCAL_FIELDS
from ntm_desktop.sync.identifiers import UUID

META_FIELDS = ("id", "owner_unit_id", "version", "updated_at", "deleted")


@dataclass(frozen=True)
class Link:
    """A many-to-many list of ids stored in an association table (task → cooperating units)."""

    name: str
    table: Table
    own_column: str
    other_column: str
    audit_field: str  # the relationship's name, as the flush hook writes it in the audit log

    def load(self, session: Session, ids: list[str] | None) -> dict[str, list[str]]:
        own, other = self.table.c[self.own_column], self.table.c[self.other_column]
        query = select(own, other)
        result: dict[str, list[str]] = {}
        chunks = [None] if ids is None else [ids[i:i + 500] for i in range(0, len(ids), 500)]
        for chunk in chunks:
            q = query if chunk is None else query.where(own.in_(chunk))
            for a, b in session.execute(q):
                result.setdefault(a, []).append(b)
        return {k: sorted(v) for k, v in result.items()}


@dataclass(frozen=True)
class EntitySpec:
    name: str  # the table name; the file is data/<name>.ndjson
    model: type
    label: str  # Vietnamese, for previews
    links: tuple[Link, ...] = ()
    # Foreign keys to check before applying: column -> entity name it points to.
    references: dict[str, str] = field(default_factory=dict)
    file_column: str | None = None  # a sha256 column naming files/<sha256>

    @property
    def table(self) -> Table:
        return self.model.__table__

    @cached_property
    def columns(self) -> list[str]:
        """Columns that travel: everything but derived (folded, sort) copies and local facts."""
        return [c.name for c in self.table.columns if c.name not in DERIVED_FIELDS | LOCAL_FIELDS]

    @cached_property
    def data_fields(self) -> list[str]:
        """Fields compared and merged one by one (meta columns except `deleted` left out)."""
        skip = {"id", "version", "updated_at"}
        return [c for c in self.columns if c not in skip] + [link.name for link in self.links]

    @cached_property
    def allowed_keys(self) -> frozenset[str]:
        """Keys a record may carry; a local fact sent by an older version is tolerated and ignored."""
        local = {c.name for c in self.table.columns if c.name in LOCAL_FIELDS}
        return frozenset(self.columns) | {link.name for link in self.links} | local

    @cached_property
    def column_set(self) -> frozenset[str]:
        return frozenset(self.columns)

    @cached_property
    def checkers(self) -> list:
        return _checkers(self)


def _checkers(spec: "EntitySpec") -> list:
    return [(c.name, c.nullable or c.primary_key, *_checker(c), _column_check(c)) for c in spec.table.columns
            if c.name in spec.columns and c.name != "version"]


def _is_id_column(column) -> bool:
    """Columns holding a record's id (its own, its owner's, or one it refers to): UUIDs, checked as such."""
    return column.name in ("id", "owner_unit_id") or any(
        fk.column.table.name in _SYNCED_TABLES and fk.column.name == "id" for fk in column.foreign_keys)


_SYNCED_TABLES: set[str] = set()  # filled once the registry is built


def _present(values: list) -> list:
    return list(filter(partial(is_not, None), values))


def _types(values: list) -> set:
    return set(map(type, values))


def _column_check(column) -> Callable[[list], bool]:
    """A whole column's non-null values at once (the fast path; a failure is then located value by value)."""
    t = column.type
    if _is_id_column(column):
        return lambda values: _types(v := _present(values)) <= {str} and all(map(UUID.match, v))
    if isinstance(t, DateTime):
        return lambda values: _types(v := _present(values)) <= {str} and all(map(datetime.fromisoformat, v))
    if isinstance(t, Date):
        return lambda values: _types(v := _present(values)) <= {str} and all(map(_is_date, v))
    if isinstance(t, Boolean):
        return lambda values: _types(_present(values)) <= {bool}
    if isinstance(t, Integer):
        return lambda values: _types(v := _present(values)) <= {int} and (
            not v or INT_MIN <= min(v) and max(v) <= INT_MAX)
    if isinstance(t, VersionVector):
        return lambda values: all(map(_small_json, _present(values)))
    if isinstance(t, (String, Text)):
        length = getattr(t, "length", None) or float("inf")
        return lambda values: _types(v := _present(values)) <= {str} and max(map(len, v), default=0) <= length
    return lambda values: True


def _is_date(value: str) -> bool:
    date.fromisoformat(value)
    return True


def _small_json(value) -> bool:
    """A small JSON value (an indicator's targets, a set's keys): shallow, short, plain keys and values."""
    import json

    return isinstance(value, (dict, list)) and json_depth(value) <= JSON_MAX_DEPTH and \
        len(json.dumps(value, ensure_ascii=False)) <= JSON_MAX_CHARS


def _refs(model) -> dict[str, str]:
    found = {}
    for column in model.__table__.columns:
        for fk in column.foreign_keys:
            found[column.name] = fk.column.table.name
    return found


def _spec(model, label: str, **kw) -> EntitySpec:
    return EntitySpec(name=model.__tablename__, model=model, label=label, references=_refs(model), **kw)


def _registry() -> list[EntitySpec]:
    specs = [
        _spec(Unit, "Đơn vị"),
        _spec(Directive, "Văn bản chỉ đạo"),
        _spec(Attachment, "Tệp đính kèm", file_column="sha256"),
        _spec(Task, "Nhiệm vụ", links=(Link("cooperating_unit_ids", task_cooperators, "task_id", "unit_id", "cooperating_units"),)),
        _spec(ProgressUpdate, "Tiến độ"),
    ]
    try:  # criteria travel once their models exist
        from ntm_desktop.models import criteria as c
    except ImportError:  # pragma: no cover
        return specs
    for name, label in [
        ("CriteriaSet", "Bộ tiêu chí"), ("Criterion", "Tiêu chí"), ("Indicator", "Chỉ tiêu"),
        ("CommuneProfile", "Hồ sơ xã"), ("Recognition", "Công nhận đạt chuẩn"),
        ("Assessment", "Đánh giá tiêu chí"), ("IndicatorAssessment", "Đánh giá chỉ tiêu"),
        ("TaskCriterionLink", "Liên kết nhiệm vụ – tiêu chí"),
    ]:
        model = getattr(c, name, None)
        if model is not None:
            specs.append(_spec(model, label))
    return specs


ENTITIES: list[EntitySpec] = _registry()
BY_NAME: dict[str, EntitySpec] = {spec.name: spec for spec in ENTITIES}
_SYNCED_TABLES.update(BY_NAME)


# --- values <-> JSON ---------------------------------------------------------

def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value  # enums
    return value


def row_to_record(spec: EntitySpec, row: dict, links: dict[str, dict[str, list[str]]]) -> dict:
    record = {name: to_json_value(row[name]) for name in spec.columns}
    for link in spec.links:
        record[link.name] = links.get(link.name, {}).get(row["id"], [])
    return record


def load_rows(session: Session, spec: EntitySpec, ids: list[str] | None) -> list[dict]:
    """Current local rows as plain dicts (Core, no ORM), with their links; None: all rows."""
    table = spec.table
    cols = [table.c[name] for name in spec.columns]
    rows: list = []
    chunks = [None] if ids is None else [ids[i:i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        query = select(*cols)
        if chunk is not None:
            query = query.where(table.c.id.in_(chunk))
        rows += session.execute(query).all()
    return _records(session, spec, rows, ids is not None)


def iter_rows(session: Session, spec: EntitySpec, size: int = 5000):
    """Every local row as a record (as `load_rows` gives them), in order of id, `size` at a time."""
    table = spec.table
    query = select(*[table.c[name] for name in spec.columns]).order_by(table.c.id).limit(size)
    last = None
    while True:
        rows = session.execute(query if last is None else query.where(table.c.id > last)).all()
        if not rows:
            return
        last = rows[-1][0] if spec.columns[0] == "id" else rows[-1][spec.columns.index("id")]
        yield _records(session, spec, rows, True)
        if len(rows) < size:
            return


_PLAIN = frozenset({str, int, float, bool, type(None), dict, list})


def _json_column(column, values: list) -> list:
    """A column's values as JSON values (`to_json_value`, by the column's type where that is plain)."""
    t = column.type
    if isinstance(t, DateTime):
        return [v if v is None else v.isoformat(timespec="microseconds") for v in values]
    if isinstance(t, Date):
        return [v if v is None else v.isoformat() for v in values]
    if set(map(type, values)) <= _PLAIN:
        return values
    return list(map(to_json_value, values))


def _records(session: Session, spec: EntitySpec, rows: list, some: bool) -> list[dict]:
    """Rows (tuples in `spec.columns` order) as records with their links, built a column at a time.
    `some`: the rows are not all of the table (their links are read by id)."""
    if not rows:
        return []
    names = spec.columns
    table = spec.table
    columns = [_json_column(table.c[name], list(values)) for name, values in zip(names, zip(*rows))]
    records = [dict(zip(names, values)) for values in zip(*columns)]
    if spec.links:
        ids = columns[names.index("id")]
        for link in spec.links:
            found = link.load(session, ids if some else None)
            for record, rid in zip(records, ids):
                record[link.name] = found.get(rid, [])
    return records


Checker = Callable[[Any], Any]


def _checker(column) -> tuple[str, Checker]:
    t = column.type
    if _is_id_column(column):
        return "mã định danh (UUID)", lambda v: v if type(v) is str and UUID.match(v) else _bad()
    if isinstance(t, DateTime):
        return "ngày giờ", lambda v: datetime.fromisoformat(v) and v
    if isinstance(t, Date):
        return "ngày (YYYY-MM-DD)", lambda v: date.fromisoformat(v) and v
    if isinstance(t, Boolean):
        return "đúng/sai", lambda v: v if isinstance(v, bool) else _bad()
    if isinstance(t, Integer):
        return (f"số nguyên từ {INT_MIN} đến {INT_MAX}",
                lambda v: v if type(v) is int and INT_MIN <= v <= INT_MAX else _bad())
    if isinstance(t, VersionVector):
        return (f"giá trị JSON nhỏ (tối đa {JSON_MAX_DEPTH} tầng, {JSON_MAX_CHARS} ký tự)",
                lambda v: v if _small_json(v) else _bad())
    if isinstance(t, (String, Text)):
        length = getattr(t, "length", None)

        def check(v):
            if not isinstance(v, str) or (length and len(v) > length):
                _bad()
            return v
        return ("chuỗi tối đa %d ký tự" % length) if length else "chuỗi", check
    return "giá trị", lambda v: v


def _bad():
    raise ValueError


def validate_record(spec: EntitySpec, record: Any, where: str) -> dict:
    """Check one incoming record's shape, id, version and links; the error says the file and line.

    The field types are checked column by column afterwards (`validate_values`; both: `validate_records`)."""
    if not isinstance(record, dict):
        raise ValidationError(f"{where}: mỗi dòng phải là một bản ghi JSON (đối tượng {{…}}).")
    keys = record.keys()
    if keys != spec.allowed_keys and not (spec.column_set <= keys <= spec.allowed_keys):
        missing = [c for c in spec.columns if c not in record]
        unknown = [k for k in record if k not in spec.allowed_keys]
        detail = ", ".join([f"thiếu trường “{field_label(spec.name, m)}”" for m in missing]
                           + [f"thừa “{u}”" for u in unknown])
        raise ValidationError(f"{where}: bản ghi không đúng cấu trúc ({detail}).")
    if type(record["id"]) is not str or not UUID.match(record["id"]):
        raise ValidationError(f"{where}: mã bản ghi không hợp lệ (phải là mã định danh UUID).")
    vector = record["version"]
    if type(vector) is not dict or not 0 < len(vector) <= MAX_VECTOR or not all(
        type(k) is str and len(k) <= 64 and type(v) is int and 0 < v < 2 ** 53  # bool is not int here
        for k, v in vector.items()
    ):
        raise ValidationError(f"{where}: phiên bản của bản ghi {record['id']} không hợp lệ.")
    for link in spec.links:
        ids = record.get(link.name, [])
        if not isinstance(ids, list) or len(ids) > MAX_LINKS or not all(type(i) is str and UUID.match(i) for i in ids):
            raise ValidationError(f"{where}: trường “{field_label(spec.name, link.name)}” phải là danh sách mã định "
                                  f"danh (tối đa {MAX_LINKS}).")
    return record


MAX_VECTOR = 10_000  # installations that ever changed one record
MAX_LINKS = 10_000  # cooperating units of one task


def validate_records(spec: EntitySpec, records: list, where: Callable[[int], str]) -> list[dict]:
    """`validate_record` and `validate_values` for many records at once: the shapes, ids, versions and links
    checked column by column; when anything is off, record by record, so the error names the first bad
    record's line. Then every field's type, one column at a time."""
    try:
        well_formed = _well_formed(spec, records)
    except Exception:  # noqa: BLE001 - anything unexpected is located and told below
        well_formed = False
    if not well_formed:
        records = [validate_record(spec, record, where(i)) for i, record in enumerate(records)]
    validate_values(spec, records, where)
    return records


def validate_values(spec: EntitySpec, records: list[dict], where: Callable[[int], str]) -> None:
    """Check every field's type, one column at a time; the error names the first bad record's line."""
    for name, nullable, label, check, check_all in spec.checkers:
        values = list(map(itemgetter(name), records))
        try:
            if (nullable or None not in values) and check_all(values):
                continue
        except (ValueError, TypeError):
            pass
        for i, value in enumerate(values):
            if value is None:
                if nullable:
                    continue
                raise ValidationError(f"{where(i)}: trường “{field_label(spec.name, name)}” của bản ghi "
                                      f"{records[i]['id']} không được để trống.")
            try:
                check(value)
            except (ValueError, TypeError):
                raise ValidationError(
                    f"{where(i)}: trường “{field_label(spec.name, name)}” của bản ghi {records[i]['id']} phải là "
                    f"{label}.") from None


def _well_formed(spec: EntitySpec, records: list) -> bool:
    if not _types(records) <= {dict}:
        return False
    allowed, needed = spec.allowed_keys, spec.column_set
    if not all(shape == allowed or needed <= shape <= allowed for shape in set(map(frozenset, records))):
        return False
    ids = list(map(itemgetter("id"), records))
    if not (_types(ids) <= {str} and all(map(UUID.match, ids))):
        return False
    vectors = list(map(itemgetter("version"), records))
    if not (_types(vectors) <= {dict} and 0 < min(map(len, vectors), default=1)
            and max(map(len, vectors), default=0) <= MAX_VECTOR):
        return False
    names = set(chain.from_iterable(vectors))
    counters = list(chain.from_iterable(map(dict.values, vectors)))
    if not (_types(list(names)) <= {str} and max(map(len, names), default=0) <= 64
            and _types(counters) <= {int} and (not counters or 0 < min(counters) and max(counters) < 2 ** 53)):
        return False
    for link in spec.links:
        lists = [r.get(link.name, []) for r in records]
        if not (_types(lists) <= {list} and max(map(len, lists), default=0) <= MAX_LINKS):
            return False
        ids = list(chain.from_iterable(lists))
        if not (_types(ids) <= {str} and all(map(UUID.match, ids))):
            return False
    return True


def from_json_value(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def record_to_row(spec: EntitySpec, record: dict) -> dict:
    """Column values ready for the database (dates parsed); links left out."""
    table = spec.table
    return {name: from_json_value(table.c[name], record[name]) for name in spec.columns}
