"""Set up a new installation from the full package the office above made for it.

The same path as `ntm-desktop sync apply` on a data folder with no office yet:
the package is read and checked, previewed, then applied in one transaction
that also makes its destination this installation's office. This module adds
what the first-start screen needs around it: who the package is for and from,
in words, and a refusal when the installation already has its office.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ntm_desktop.errors import UserError
from ntm_desktop.sync.apply import ApplyResult, apply_file, preview_file
from ntm_desktop.sync.preview import Plan
from ntm_desktop.sync.reader import PackageRefused
from ntm_desktop.sync.signing import fingerprint


@dataclass(frozen=True)
class SetupOffer:
    """What a package would set this installation up as."""

    office_code: str
    office_name: str
    origin_code: str
    origin_name: str
    created_utc: str
    counts: dict[str, int]  # entity -> records the package brings
    notes: tuple[str, ...] = ()  # hand-made units that take the package's identities
    fingerprint: str = ""  # of the key that signed the package (confirmed by the clerk)

    def office_label(self) -> str:
        return f"{self.office_code} – {self.office_name}"

    def origin_label(self) -> str:
        return f"{self.origin_code} – {self.origin_name}" if self.origin_name else self.origin_code


def _already_set_up(workspace) -> None:
    if workspace.office_unit_id():
        raise UserError("Máy này đã có đơn vị sử dụng. Để nhận dữ liệu từ cấp trên, hãy vào “Trao đổi dữ liệu” → "
                        "“Nhận” và mở gói ở đó.")


def offer(workspace, path: Path, confirmed_key: str | None = None) -> SetupOffer:
    """Read and check the package without changing anything; refused whole when it cannot set this office up.

    The first package from the office above is signed by a key this installation does not know yet:
    KeyNotConfirmed (sync/keys.py) carries its fingerprint, to compare with the sender's key slip; the clerk's
    confirmation is `confirmed_key`."""
    _already_set_up(workspace)
    plan = preview_file(workspace, Path(path), confirmed_key=confirmed_key)
    if not isinstance(plan, Plan):
        raise PackageRefused(f"{plan.message} Tệp này không dùng để cài đặt máy được; hãy chọn gói “toàn bộ "
                             "dữ liệu” do đơn vị cấp trên lập cho đơn vị mình.")
    manifest = plan.package.manifest
    units = {r["id"]: r for r in plan.package.records.get("units", [])}
    office = units[manifest.destination_unit_id]  # the reader refuses a set-up package without it
    origin = units.get(manifest.origin_unit_id, {})
    counts = plan.package.live_counts()
    notes = tuple(plan.package.adoption.lines()) if plan.package.adoption else ()
    return SetupOffer(manifest.destination_code, office["name"], manifest.origin_code, origin.get("name", ""),
                      manifest.created_utc, counts, notes, fingerprint(manifest.signer_key))


def set_up_from_package(workspace, path: Path, user: str = "", confirmed_key: str | None = None) -> ApplyResult:
    """Apply the full package: its data arrive and its destination becomes this installation's office."""
    _already_set_up(workspace)
    result = apply_file(workspace, Path(path), user=user, confirmed_key=confirmed_key)
    if not workspace.office_unit_id():  # a package applied before, on a folder whose office was removed since
        raise UserError("Gói này đã được nhập vào máy này trước đây nên không cài đặt được đơn vị. Hãy chọn "
                        "đơn vị trong danh sách, hoặc đề nghị đơn vị cấp trên lập gói mới.")
    return result
