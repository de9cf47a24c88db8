"""Which tasks an office follows: those its units carry out, those it assigned, or both.

- "Của đơn vị mình": this office, or a unit below it in the tree, leads or cooperates
  on the task, whoever registered the directive (a commune sees the tasks the province
  gave it; a province or district office also sees the tasks of its communes). A unit
  merged into one of them counts as the unit that carries on its work.
- "Do mình giao": tasks of directives this office registered (the tasks it assigned).
- "Tất cả": both; the task page and the overview show this by default.

The units below the office are read once per query, in one pass over the unit tree, and
go into the SQL as a list: each task is checked against a small in-memory set, and SQLite,
knowing how many units there are, reads a commune's few tasks through the unit indexes and
a province's many in one pass. A tree too large for a list of parameters is walked in SQL.
"""

from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from ntm_desktop.models import Directive, Task, Unit, task_cooperators

MAX_LISTED_UNITS = 5_000  # SQLite takes at most 32,766 parameters in a statement


class TaskScope(str, enum.Enum):
    ALL = "all"
    OWN_UNITS = "own_units"
    ASSIGNED = "assigned"

    @property
    def label(self) -> str:
        return {
            "all": "Tất cả",
            "own_units": "Của đơn vị mình",
            "assigned": "Do mình giao",
        }[self.value]

    @property
    def description(self) -> str:
        return {
            "all": "Nhiệm vụ của đơn vị mình và nhiệm vụ do mình giao",
            "own_units": "Nhiệm vụ do đơn vị mình hoặc đơn vị cấp dưới chủ trì, phối hợp, dù ai giao",
            "assigned": "Nhiệm vụ của các văn bản đơn vị mình vào sổ và giao",
        }[self.value]


def office_units(session: Session, office_id: str) -> set[str]:
    """This office and every unit below it (children, their children...), with the units merged
    into any of them (the 2025 reform: a new commune carries on the tasks of the communes it
    replaced). A merged unit goes with its successor, not with its old parent. Stops on a cycle."""
    linked: dict[str, list[str]] = {}
    rows = session.execute(
        select(Unit.id, Unit.parent_id, Unit.successor_id)
        .where(or_(Unit.parent_id.is_not(None), Unit.successor_id.is_not(None)))
    )
    for unit_id, parent_id, successor_id in rows:
        linked.setdefault(successor_id or parent_id, []).append(unit_id)
    found, frontier = {office_id}, [office_id]
    while frontier:
        for unit_id in linked.get(frontier.pop(), ()):
            if unit_id not in found:
                found.add(unit_id)
                frontier.append(unit_id)
    return found


def _units_below_in_sql(office_id: str) -> Select:
    """The same set as office_units, as a recursive SELECT (for a tree of more units than parameters)."""
    tree = select(Unit.id.label("id")).where(Unit.id == office_id).cte("office_units", recursive=True)
    below = aliased(Unit)
    tree = tree.union(select(below.id).where(or_(
        below.successor_id == tree.c.id, and_(below.successor_id.is_(None), below.parent_id == tree.c.id))))
    return select(tree.c.id)


def own_units_condition(session: Session, office_id: str) -> ColumnElement[bool]:
    """This office or a unit below it leads or cooperates on the task."""
    units = office_units(session, office_id)
    listed = sorted(units) if len(units) <= MAX_LISTED_UNITS else _units_below_in_sql(office_id)
    # On the SQLite file, cooperation by rowid, which every index of tasks carries: a task read
    # from a covering index is checked without reading its row for Task.id. PostgreSQL has no
    # rowid: the task's id there.
    other = Task.__table__.alias("cooperated_tasks")
    by_rowid = session.get_bind().dialect.name == "sqlite"
    cooperating = (
        select(literal_column("cooperated_tasks.rowid") if by_rowid else other.c.id).select_from(other)
        .join(task_cooperators, task_cooperators.c.task_id == other.c.id)
        .where(task_cooperators.c.unit_id.in_(listed))
    )
    key = literal_column("tasks.rowid") if by_rowid else Task.id
    return or_(Task.lead_unit_id.in_(listed), key.in_(cooperating))


def assigned_condition(office_id: str) -> ColumnElement[bool]:
    """Tasks of the directives this office registered."""
    return Directive.office_unit_id == office_id


def scope_condition(session: Session, office_id: str, scope: TaskScope = TaskScope.ALL) -> ColumnElement[bool]:
    """The tasks `office_id` follows under `scope`. The query selects from Task (not aliased)
    joined to Directive on Task.directive_id.

    In "Tất cả" the directive's office (read from ix_directives_membership, which the join reads
    anyway) is tested first, so the unit tests run only for tasks of directives registered elsewhere.
    """
    if scope == TaskScope.ASSIGNED:
        return assigned_condition(office_id)
    if scope == TaskScope.OWN_UNITS:
        return own_units_condition(session, office_id)
    return or_(assigned_condition(office_id), own_units_condition(session, office_id))
