"""Who may change what: a package changes only records owned by its origin or units below it.

Records owned by units above the origin come down the tree as relays: a
district passes the province's directives to its communes. Units come down
from the parent, so a unit is known everywhere by the id it was born with; a
unit arriving with a code used here by another id is refused.

The same rules as the forms (`structure_problem`): every record has an owner
(only the shared criteria catalogue may have none); an office below may add
units only under itself or its own units; a register holds only its office's
directives; a task or an attachment belongs to its directive's owner.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ntm_desktop.models import Unit


class Tree:
    def __init__(self, session: Session, incoming_units: list[dict] | None = None):
        self.parent: dict[str, str | None] = {}
        self.owner: dict[str, str | None] = {}
        for unit_id, parent_id, owner_id in session.execute(select(Unit.id, Unit.parent_id, Unit.owner_unit_id)):
            self.parent[unit_id], self.owner[unit_id] = parent_id, owner_id
        for record in incoming_units or []:
            self.parent.setdefault(record["id"], record.get("parent_id"))
            self.owner.setdefault(record["id"], record.get("owner_unit_id"))
        self._ancestors: dict[str | None, tuple[str, ...]] = {}

    def ancestors(self, unit_id: str | None) -> tuple[str, ...]:
        """The units above, nearest first (asked once per record of a package: remembered)."""
        found = self._ancestors.get(unit_id)
        if found is None:
            chain, seen = [], set()
            current = self.parent.get(unit_id) if unit_id else None
            while current and current not in seen:
                seen.add(current)
                chain.append(current)
                current = self.parent.get(current)
            found = self._ancestors[unit_id] = tuple(chain)
        return found

    def is_within(self, unit_id: str | None, root: str) -> bool:
        return unit_id == root or root in self.ancestors(unit_id)

    def keeps_tree_of(self, origin_id: str, office_id: str) -> bool:
        """The origin is above this office, or keeps this office's unit record (it or a unit below it owns it):
        this office takes the unit tree as that office sends it."""
        return origin_id in self.ancestors(office_id) or self.is_within(self.owner.get(office_id), origin_id)

    def owns(self, origin_id: str, unit_id: str | None) -> bool:
        """`unit_id` is the origin, below it, or owned by the origin or a unit below it."""
        if unit_id is None:
            return False
        return self.is_within(unit_id, origin_id) or self.is_within(self.owner.get(unit_id), origin_id)

    def may_write(self, owner_id: str | None, origin_id: str, office_id: str, new: bool = False) -> bool:
        """`new`: the record is not here yet. Records with no owner are the shared catalogue
        (national criteria sets): any known office may bring one that is missing, only an
        office above us may change one."""
        above = self.keeps_tree_of(origin_id, office_id)  # above us, or the office that keeps our unit record
        if owner_id is None:
            return new or above
        if self.is_within(owner_id, origin_id):
            return True
        # relay down: the origin is above us and the owner is above the origin
        return above and owner_id in self.ancestors(origin_id)


# The shared catalogue (national criteria sets) is the only data that belongs to no unit.
CATALOGUE = frozenset({"criteria_sets", "criteria", "indicators"})
# Records that are part of their directive: owned by whoever owns the directive.
PART_OF_DIRECTIVE = frozenset({"tasks", "attachments"})


def structure_problem(tree: Tree, entity: str, record: dict, local: dict | None, origin_id: str,
                      from_above: bool, directive_owner=lambda directive_id: None) -> str | None:
    """Why the state `record` may not be written by a package from `origin_id` (Vietnamese), or None.

    `from_above`: the package comes from an office above this one (or sets this installation up), whose tree
    this office takes as it comes. `directive_owner(id)`: the owner of a directive here or arriving in the
    same package."""
    owner = record.get("owner_unit_id")
    if owner is None and entity not in CATALOGUE:
        return ("bản ghi không có đơn vị sở hữu (trường “Đơn vị sở hữu” trống); mọi dữ liệu phải thuộc về một "
                "đơn vị, nên bản ghi này không được nhận")
    if entity == "directives" and record.get("office_unit_id") != owner:
        return ("văn bản được ghi vào sổ văn bản đến của một đơn vị khác với đơn vị sở hữu nó; sổ của mỗi đơn vị "
                "chỉ chứa văn bản do chính đơn vị đó vào sổ")
    if entity in PART_OF_DIRECTIVE:
        directive = directive_owner(record.get("directive_id"))
        if directive is not None and directive != owner:
            return ("bản ghi thuộc một văn bản của đơn vị khác nhưng ghi đơn vị sở hữu là đơn vị gửi; nhiệm vụ và "
                    "tệp đính kèm của một văn bản chỉ do đơn vị sở hữu văn bản đó lập")
    if entity == "units" and not from_above:
        parent = record.get("parent_id")
        if local is not None and parent == local.get("parent_id"):
            return None  # not moved: the owner's rule (may_write) is enough
        if record["id"] == origin_id and local is not None:
            return "đơn vị gửi không được tự chuyển mình sang đơn vị cấp trên khác; việc này do cấp trên làm"
        if not tree.owns(origin_id, parent):
            return ("đơn vị gửi chỉ được đặt đơn vị mới (hoặc chuyển đơn vị) vào dưới chính mình hay dưới đơn vị "
                    "do mình quản lý; đơn vị này lại được đặt dưới một đơn vị khác")
    return None
