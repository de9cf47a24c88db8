"""What the window offers to the person signed in: pages, menu items and buttons their role may use.

The services refuse anyway (services.access); this only keeps out of sight what would be refused. Without
sign-in (no users) everything is offered, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from ntm_desktop.services import access
from ntm_desktop.services.access import Permission

# Pages shown only to a role that may do what they are for.
PAGE_PERMISSIONS = {"sync": (Permission.SYNC,),
                    "reports": (Permission.REPORTS, Permission.REGISTER_BOOKS, Permission.UNIT_REPORT)}
REPORT_PERMISSIONS = {"weekly": Permission.REPORTS, "criteria": Permission.REPORTS,
                      "register": Permission.REGISTER_BOOKS, "followup": Permission.REGISTER_BOOKS,
                      "unit": Permission.UNIT_REPORT}


def actor(workspace) -> access.Actor:
    return access.signed_in(workspace.db) if workspace is not None else access.IMPLICIT


def may(workspace, permission: Permission) -> bool:
    """The role allows `permission` (for a chuyên viên: on the tasks of their unit)."""
    return actor(workspace).may(permission)


def shows_page(workspace, key: str) -> bool:
    return any(may(workspace, p) for p in PAGE_PERMISSIONS.get(key, ())) if key in PAGE_PERMISSIONS else True


def who_text(workspace) -> str:
    """“Nguyễn Thị Thư (văn thư)” for the side bar; empty without sign-in."""
    person = actor(workspace)
    if person.implicit:
        return ""
    return f"{person.full_name or person.user_name} ({person.role.label})"


def _show(widgets, visible: bool) -> None:
    for widget in widgets:
        widget.setVisible(visible)


def fit_page(workspace, key: str, page) -> None:
    """Hide on a page what the role may not do (pages built when first opened)."""
    if key == "register":
        _show((page.new_button, page.paste_button, page.file_button, page.delete_button),
              may(workspace, Permission.REGISTER))
        page.setAcceptDrops(may(workspace, Permission.REGISTER))
    elif key == "units":
        _show(page.edit_buttons, may(workspace, Permission.UNITS))
    elif key == "reports":
        for index in reversed(range(page.kind.count())):
            permission = REPORT_PERMISSIONS.get(page.kind.itemData(index))
            if permission is not None and not may(workspace, permission):
                page.kind.removeItem(index)
        page.office_button.setVisible(may(workspace, Permission.SETTINGS))


def fit_register_form(workspace, form) -> None:
    """The register form opens for reading to a role that may not register."""
    if not may(workspace, Permission.REGISTER):
        form.save_button.setVisible(False)
        form.setWindowTitle(form.tr("Xem văn bản đến"))
    form.setAcceptDrops(may(workspace, Permission.REGISTER))
    form.attach_button.setVisible(may(workspace, Permission.ATTACHMENTS))


def fit_assessment_dialog(workspace, dialog) -> None:
    """The assessment sheet opens for reading to a role that may not assess criteria."""
    if not may(workspace, Permission.CRITERIA):
        _show((dialog.copy_button, dialog.evidence_button, dialog.save_button), False)
        dialog.assessor.setEnabled(False)
        dialog.assessed_on.setEnabled(False)
        dialog.table.setEditTriggers(dialog.table.EditTrigger.NoEditTriggers)
        for row in range(dialog.table.rowCount()):
            for column in range(dialog.table.columnCount()):
                widget = dialog.table.cellWidget(row, column)
                if widget is not None:
                    widget.setEnabled(False)


def fit_profile_dialog(workspace, dialog) -> None:
    dialog.save_button.setVisible(may(workspace, Permission.CRITERIA))
    _show((dialog.add_button, dialog.revoke_button), may(workspace, Permission.RECOGNITION))


def fit_sets_dialog(workspace, dialog) -> None:
    if not may(workspace, Permission.CRITERIA_SETS):
        dialog.import_button.setVisible(False)
        dialog.table.setEditTriggers(dialog.table.EditTrigger.NoEditTriggers)


def fit_directive_tasks(workspace, panel) -> None:
    _show((panel.add_button, panel.delete_button), may(workspace, Permission.ASSIGN))


@dataclass(frozen=True)
class TaskRights:
    assign: bool
    progress: bool
    complete: bool


def task_rights(session, lead_unit_id: str | None) -> TaskRights:
    """What the person may do on a task led by `lead_unit_id` (None: a task not saved yet)."""
    def may_on(permission: Permission) -> bool:
        return access.may(session, permission, unit_id=lead_unit_id)

    return TaskRights(may_on(Permission.ASSIGN), lead_unit_id is not None and may_on(Permission.PROGRESS),
                      lead_unit_id is not None and may_on(Permission.COMPLETE))
